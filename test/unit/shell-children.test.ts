// The servers a start script runs as its child (models/process/shellChildren.ts, DDG324): the last
// command that runs, without exec, not in a pipeline, a subshell, a loop, a function or the background;
// the shell reader's marks it rests on (subshell, function body, loop).
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { ProcessSource } from '../../server/src/analysis/models/process/model';
import { shellChildren } from '../../server/src/analysis/models/process/shellChildren';
import { MappedText, tokenize } from '../../server/src/analysis/readers/shell';

const source: ProcessSource = { kind: 'shell', file: '/w/start', label: 'start', production: true, containerized: false, env: new Map() };

function children(text: string): string[] {
  return shellChildren(tokenize(MappedText.slice('/w/start', text)), source).map((c) => `${c.program}${c.trap ? ' (trap)' : ''}`);
}

describe('the shell reader marks subshells, function bodies and loops', () => {
  const cmds = tokenize(
    MappedText.slice('/w/s', 'a\n( b; c )\nd\nf() {\n  e\n}\nwhile true; do\n  g\ndone\nfor x in 1 2; do h; done\nk\n'),
  );
  const by = (w: string) => cmds.find((c) => c.words[0]?.text === w)!;
  it('reads each mark where it applies', () => {
    assert.equal(by('a').subshell, undefined);
    assert.equal(by('b').subshell, true);
    assert.equal(by('c').subshell, true);
    assert.equal(by('d').subshell, undefined);
    assert.equal(by('e').inFunction, true);
    assert.equal(by('g').loop, true);
    assert.equal(by('h').loop, true);
    assert.equal(by('k').loop, undefined);
    assert.equal(by('k').inFunction, undefined);
    assert.equal(by('k').subshell, undefined);
  });
});

describe('a start script whose last command is the server', () => {
  it('reports it without exec, in any of its forms', () => {
    assert.deepEqual(children('set -e\npython manage.py migrate\ngunicorn app.wsgi\n'), ['gunicorn']);
    assert.deepEqual(children('PORT=80 python -m uvicorn app.asgi:application\n'), ['uvicorn']);
    assert.deepEqual(children('newrelic-admin run-program gunicorn app.wsgi\n'), ['gunicorn']);
    assert.deepEqual(children('supervisord -n -c /etc/supervisord.conf\n'), ['supervisord']);
    assert.deepEqual(children("trap 'echo bye' TERM\nuwsgi --ini uwsgi.ini\n"), ['uwsgi (trap)']);
  });
  it('reports each branch of an if that ends the script', () => {
    assert.deepEqual(children('if [ "$A" = 1 ]; then\n  daphne app.asgi:application\nelse\n  gunicorn app.wsgi\nfi\n'), [
      'daphne',
      'gunicorn',
    ]);
  });
  it('not with exec, nor when something runs after it', () => {
    assert.deepEqual(children('exec gunicorn app.wsgi\n'), []);
    assert.deepEqual(children('FOO=1 exec gunicorn app.wsgi\n'), []);
    assert.deepEqual(children('exec newrelic-admin run-program gunicorn app.wsgi\n'), []);
    assert.deepEqual(children('gunicorn app.wsgi\necho stopped\n'), []);
    assert.deepEqual(children('gunicorn app.wsgi || echo failed\n'), []);
    assert.deepEqual(children('if [ "$A" = 1 ]; then\n  gunicorn app.wsgi\nfi\necho done\n'), []);
  });
  it('not in a pipeline, a subshell, a loop, a function or the background', () => {
    assert.deepEqual(children('gunicorn app.wsgi 2>&1 | tee /var/log/app.log\n'), []);
    assert.deepEqual(children('python manage.py check | gunicorn app.wsgi\n'), []);
    assert.deepEqual(children('(cd /app && gunicorn app.wsgi)\n'), []);
    assert.deepEqual(children('while true; do\n  gunicorn app.wsgi\ndone\n'), []);
    assert.deepEqual(children('start() {\n  gunicorn app.wsgi\n}\n'), []);
    assert.deepEqual(children('gunicorn app.wsgi &\nwait\n'), []);
    assert.deepEqual(children('gunicorn app.wsgi &\n'), []);
  });
  it('not a server inside `sh -c "…"` nor the development server', () => {
    assert.deepEqual(children('su -c "gunicorn app.wsgi" www\n'), []);
    assert.deepEqual(children('python manage.py runserver 0.0.0.0:8000\n'), []);
  });
});
