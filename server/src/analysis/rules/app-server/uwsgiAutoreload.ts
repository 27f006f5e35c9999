// DDG315: uWSGI's Python auto-reload switched on in a production configuration.
import { uwsgiInt, uwsgiOption } from '../../readers/process/appConfigs';
import { uwsgiInstances } from '../../models/process/index';
import { subLoc } from '../../readers/text';
import type { Loc } from '../../eval/values';
import type { Rule } from '../types';

/** uWSGI's names for the Python auto-reloader (`-` and `_` are the same in its option names). */
const AUTORELOAD = ['py-autoreload', 'python-autoreload', 'py-auto-reload', 'python-auto-reload'];

export const uwsgiAutoreload: Rule = {
  code: 'DDG315',
  name: 'uwsgi-py-autoreload',
  title: 'uWSGI reloads on code changes in production',
  severity: 'warning',
  group: 'app-server',
  checklist: 'process',
  target: 'process',
  fixSafety: 'safe',
  docs: {
    what: 'Reports `py-autoreload` (also spelled `python-autoreload`, `py-auto-reload`) set to a number of seconds above 0 in a production uWSGI configuration (`.ini` `[uwsgi]` section or a YAML `uwsgi:` mapping) or on a production uWSGI command line (`uwsgi --py-autoreload 1` in a Procfile, Dockerfile, compose command, script, manifest or supervisord program, with the `--ini` file it loads), as DDG106 does for gunicorn’s `--reload`.',
    why: 'The auto-reloader scans every loaded Python module every N seconds and restarts all workers when one changes. It is a development aid: in production it costs a scan per interval, and a deploy, a log rotation or a `.pyc` rewrite touching a module restarts the workers mid-request. uWSGI’s documentation says it should never be used in production.',
    example: '[uwsgi]\nmodule = mysite.wsgi:application\npy-autoreload = 1',
    fix: 'Remove `py-autoreload` from the production configuration (the quick fix sets it to 0, which turns it off); restart uWSGI deliberately on deploy (`touch-reload` on a file the deploy touches, or a new container).',
    good: '[uwsgi]\nmodule = mysite.wsgi:application\ntouch-reload = /srv/app/reload',
    references: [
      { title: 'uWSGI: py-autoreload', url: 'https://uwsgi-docs.readthedocs.io/en/latest/Options.html#py-autoreload' },
      {
        title: 'uWSGI: the art of graceful reloading',
        url: 'https://uwsgi-docs.readthedocs.io/en/latest/articles/TheArtOfGracefulReloading.html',
      },
    ],
  },
  check(ctx) {
    const uwsgi = uwsgiInstances(ctx.appServer.processes);
    if (uwsgi.length === 0) return ctx.notApplicable('the project has no uWSGI configuration or command line');
    // one finding per place, naming every process that reads it (a file two command lines load)
    const found = new Map<string, { loc: Loc; labels: string[]; written: string; seconds: number; fix: string | undefined }>();
    for (const u of uwsgi) {
      if (!u.source.production) continue;
      const o = uwsgiOption(u.config, ...AUTORELOAD);
      // inside `if-env = DEV_ENV` … `endif`: development's, as far as the file says
      const seconds = o && !o.value.dynamic && !o.when ? uwsgiInt(o.value.text) : 0;
      if (!o || seconds === 0) continue;
      // the number uWSGI reads, without what follows it on the line
      const at = o.value.text.search(/\d/);
      const loc = subLoc(o.value, at, at + String(seconds).length);
      // written on a command line (`--py-autoreload 1`) or in a configuration file (`py-autoreload = 1`)
      const inFile = !u.invocation || (u.config.loads ?? []).includes(o.keyLoc.file);
      const key = `${loc.file}:${loc.start}:${loc.end}`;
      const f = found.get(key);
      if (f) {
        if (!f.labels.includes(u.label)) f.labels.push(u.label);
        continue;
      }
      const exact =
        loc.end - loc.start === String(seconds).length && o.value.text.slice(at, at + String(seconds).length) === String(seconds);
      found.set(key, {
        loc,
        labels: [u.label],
        written: inFile ? `${o.key} = ${seconds}` : `--${o.key} ${seconds}`,
        seconds,
        fix: exact ? `Set ${inFile ? `${o.key} = ` : `--${o.key} `}0 (off)` : undefined,
      });
    }
    for (const f of found.values())
      ctx.report({
        loc: f.loc,
        message: `${f.written} in ${f.labels.join(' and ')} makes uWSGI scan the loaded modules every ${f.seconds} s and restart every worker when one changes: it is a development feature; remove it in production.`,
        fixes: ctx.wantsFixes && f.fix ? [{ title: f.fix, safety: 'safe', preferred: true, edits: [{ ...f.loc, newText: '0' }] }] : [],
      });
  },
};
