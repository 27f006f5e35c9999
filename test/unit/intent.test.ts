// Issue 56: the maintainer's stated intent. A comment beside a value or just above its statement that
// gives a reason explains the choice; a label, a link or a provisional note does not.
import assert from 'node:assert/strict';
import { before, describe, it } from 'node:test';
import { analyzeWorkspace } from '../../server/src/analysis/engine/engine';
import { explanationAt, explanationInLines, givesReason, hashCommented } from '../../server/src/analysis/engine/intent';
import { Workspace } from '../../server/src/analysis/engine/workspace';
import { MemoryFileSystem } from '../../server/src/analysis/files/fs';
import { buildChecklist, itemOfRule } from '../../server/src/analysis/outputs/checklist/checklist';
import { checklistText } from '../../server/src/analysis/outputs/checklist/render';
import { ruleByCode } from '../../server/src/analysis/rules/registry';
import { PythonDocument } from '../../server/src/analysis/parse/pythonDocument';
import { loadParser } from '../../server/src/analysis/parse/treeSitter';

const FILE = '/p/settings.py';

function explain(text: string, needle: string): string | undefined {
  const doc = PythonDocument.parse(text);
  const start = text.indexOf(needle);
  assert.ok(start >= 0, needle);
  return explanationAt(doc, { file: FILE, start, end: start + needle.length })?.text;
}

describe('the maintainer’s stated intent (issue 56)', () => {
  before(async () => {
    await loadParser();
  });

  it('a reason explains; a label, a link, a version note or a provisional note does not', () => {
    for (const reason of [
      "We don't enforce HSTS on subdomains as anything at subdomains is likely outside our control.",
      'SAMEORIGIN because the page editor previews pages in a frame',
      'the redirect is handled by the proxy',
      'DENY would break the admin popups',
      'deliberately long: exports run for minutes',
      'needed for the embedded widget on partner sites',
      'since the CDN caches everything for a minute',
      'The API is public and has no side effects; credentials are not allowed, so any origin may read it',
    ])
      assert.equal(givesReason(reason), true, reason);
    for (const label of [
      'HSTS',
      'https://docs.djangoproject.com/en/stable/ref/settings/#secure-hsts-include-subdomains',
      'Security settings',
      'since Django 4.0 the default is DENY',
      'TODO: turn on because HSTS should cover the subdomains',
      'for now, until the partners serve HTTPS',
      '30 days',
    ])
      assert.equal(givesReason(label), false, label);
  });

  it('a consequence explains: what another part already does, so that this setting is not needed', () => {
    for (const reason of [
      "the bundler content-hashes file names, so Django doesn't need ManifestStaticFilesStorage",
      'so Django does not need the manifest storage',
      'a second hash (which would change every import path the bundle writes)',
      'esbuild already hashes the asset names',
      'the load balancer handles the redirect to HTTPS',
      'the CDN takes care of caching headers',
      'a manifest storage is not needed because the names carry their hash',
      'not needed as the build step fingerprints every file',
      'no need for a manifest: the file names are hashed by the front-end build',
      'the platform terminates TLS instead of Django',
      'so we don’t need it',
    ])
      assert.equal(givesReason(reason), true, reason);
    for (const label of [
      'Static files',
      'Static files (CSS, JavaScript, Images)',
      'https://docs.djangoproject.com/en/stable/ref/contrib/staticfiles/#manifeststaticfilesstorage',
      'Storage backends',
      'TODO: not needed until we move the assets to S3',
      'for now the bundler handles hashing',
      'temporary: use the plain storage instead of the manifest one',
      'so',
      'which',
    ])
      assert.equal(givesReason(label), false, label);
  });

  it('a finding inside a dict written over several lines reads the comment above the assignment', () => {
    const text = [
      'DEBUG = False',
      '# The front-end build names its files with content hashes,',
      '# so Django does not need the manifest storage (which would',
      '# hash them a second time).',
      'STORAGES = {',
      '    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},',
      '    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},',
      '}',
      '',
    ].join('\n');
    assert.match(explain(text, '"django.contrib.staticfiles.storage.StaticFilesStorage"') ?? '', /^The front-end build names/);
    // a label above the dict explains nothing
    const labelled = text.replace(/# The front-end[\s\S]*second time\)\.\n/, '# Static files\n');
    assert.equal(explain(labelled, '"django.contrib.staticfiles.storage.StaticFilesStorage"'), undefined);
  });

  it('reads the comment beside the value, then the block just above the statement, not one a blank line away', () => {
    assert.equal(
      explain('X_FRAME_OPTIONS = "SAMEORIGIN"  # the editor frames its own pages, so DENY would break it\n', '"SAMEORIGIN"'),
      'the editor frames its own pages, so DENY would break it',
    );
    assert.equal(
      explain('A = 1\n# We do not cover subdomains:\n# they are outside our control.\nSECURE_HSTS_INCLUDE_SUBDOMAINS = False\n', 'False'),
      'We do not cover subdomains: they are outside our control.',
    );
    assert.equal(
      explain('# this is needed for partners because they frame us\n\nX_FRAME_OPTIONS = "SAMEORIGIN"\n', '"SAMEORIGIN"'),
      undefined,
    );
    // a `#` inside a string is no comment
    assert.equal(explain('X_FRAME_OPTIONS = "SAMEORIGIN # because"\n', '"SAMEORIGIN # because"'), undefined);
  });

  it('an element of a list or dict on lines of its own: the comment above it or after it explains, not one above another element', () => {
    const text = [
      'CSP_SCRIPT_SRC = (',
      '    "\'self\'",',
      '    # we need to allow unsafe-eval for the tag manager',
      '    # https://example.com/csp',
      '    "\'unsafe-eval\'",',
      '    "*.tagmanager.example",',
      '    "data:",  # needed for the inline loader',
      ')',
      '',
    ].join('\n');
    assert.match(explain(text, '"\'unsafe-eval\'"') ?? '', /^we need to allow unsafe-eval/);
    assert.equal(explain(text, '"*.tagmanager.example"'), undefined);
    assert.equal(explain(text, '"data:"'), 'needed for the inline loader');
    // the block above an element does not reach above the statement
    assert.equal(
      explain('# we need eval because of the tag manager\nX = (\n    "a",\n    "b",\n)\n', '"b"'),
      'we need eval because of the tag manager',
    );
    assert.equal(explain('# label\nX = (\n    "a",\n    "b",\n)\n', '"b"'), undefined);
  });

  it('"without <what the rule advises>" states the choice, for that rule\'s words only, and not when provisional', () => {
    const words = ['caching', 'hashing'];
    assert.equal(givesReason('compression without caching', words), true);
    assert.equal(givesReason('compression without caching', []), false);
    assert.equal(givesReason('compression without brotli', words), false);
    assert.equal(givesReason('TODO: compression without caching for now', words), false);
    assert.equal(givesReason('without cachingx', words), false);
  });

  it('inside a block, the statement the value is in is the one whose comment counts', () => {
    const text = [
      'import os',
      'if os.environ.get("PROD"):',
      '    # partners frame the checkout page, so DENY would break it',
      '    X_FRAME_OPTIONS = "SAMEORIGIN"',
      '    SECURE_HSTS_SECONDS = 300',
      '',
    ].join('\n');
    assert.match(explain(text, '"SAMEORIGIN"') ?? '', /partners frame/);
    assert.equal(explain(text, '300'), undefined);
  });
  it('the checklist item says which comment explained the choices it set aside, once for two rules', () => {
    const settings = [
      'import os',
      'SECRET_KEY = os.environ["SECRET_KEY"]',
      'DEBUG = False',
      'ALLOWED_HOSTS = ["example.com"]',
      'MIDDLEWARE = ["django.middleware.security.SecurityMiddleware"]',
      'SECURE_HSTS_SECONDS = 300',
      '# Subdomains are run by partners, outside our control.',
      'SECURE_HSTS_INCLUDE_SUBDOMAINS = False',
      '',
    ].join('\n');
    const ws = new Workspace(
      new MemoryFileSystem(
        {
          'mysite/__init__.py': '',
          'mysite/settings.py': settings,
          'mysite/wsgi.py': 'import os\nos.environ.setdefault("DJANGO_SETTINGS_MODULE", "mysite.settings")\n',
        },
        '/p',
      ),
      ['/p'],
    );
    const [a] = analyzeWorkspace(ws).projects;
    assert.deepEqual(
      a!.suppressed.map((f) => [f.code, f.explained?.text]),
      [
        ['DDH303', 'Subdomains are run by partners, outside our control.'],
        ['DDH304', 'Subdomains are run by partners, outside our control.'],
      ],
    );
    assert.ok(!a!.findings.some((f) => f.code === 'DDH303' || f.code === 'DDH304'));
    const checklist = buildChecklist(ws, a!);
    const item = checklist.groups.flatMap((g) => g.items).find((i) => i.id === itemOfRule(ruleByCode('DDH303')!))!;
    assert.equal(item.status, 'passed');
    assert.deepEqual(
      item.entries.map((e) => [e.label, e.loc?.start]),
      [['explained: “Subdomains are run by partners, outside our control.”', settings.indexOf('# Subdomains')]],
    );
    const text = checklistText([checklist], (l) => `${l.file.slice(3)}@${l.start}`);
    assert.match(
      text,
      /✓ HSTS is on, ramped up carefully — set aside as explained by the comment where it is set\n {6}mysite\/settings\.py@\d+: explained: “Subdomains/,
    );
  });
});

describe('a # comment in a process file', () => {
  const at = (text: string, needle: string) => {
    const start = text.indexOf(needle);
    return { file: 'Procfile', start, end: start + needle.length };
  };
  it('reads the comment block just above the line, or the comment after it', () => {
    const above =
      'web: gunicorn a.wsgi\n# only one worker: two schedulers would result in duplicate tasks\nworker: celery -A a worker -B\n';
    assert.equal(explanationInLines(above, at(above, '-B'))?.text, 'only one worker: two schedulers would result in duplicate tasks');
    const after = 'worker: celery -A a worker -B  # we want one scheduler, on purpose\n';
    assert.equal(explanationInLines(after, at(after, '-B'))?.text, 'we want one scheduler, on purpose');
  });
  it('explains nothing with a blank line between, a label, a to-do, or a # inside a word or quotes', () => {
    const gap = '# deliberately one worker\n\nworker: celery -A a worker -B\n';
    assert.equal(explanationInLines(gap, at(gap, '-B')), undefined);
    const todo = '# TODO: split beat out, it would result in duplicates\nworker: celery -A a worker -B\n';
    assert.equal(explanationInLines(todo, at(todo, '-B')), undefined);
    const quoted = "worker: sh -c 'celery -A a worker -B # because'\n";
    assert.equal(explanationInLines(quoted, at(quoted, '-B')), undefined);
    const word = 'worker: celery -A a#because worker -B\n';
    assert.equal(explanationInLines(word, at(word, '-B')), undefined);
  });
  it('is read in deployment and process files only', () => {
    for (const f of [
      'Procfile',
      'Procfile.dev',
      'Dockerfile',
      'docker/Dockerfile.prod',
      'docker-compose.yml',
      'k8s/app.yaml',
      'bin/start.sh',
      'fly.toml',
    ])
      assert.equal(hashCommented(f), true, f);
    for (const f of ['mysite/settings.py', 'package.json', 'README.md', 'nginx/site']) assert.equal(hashCommented(f), false, f);
  });
});
