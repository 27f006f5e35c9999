// What the analysis keeps around the evaluation from one analysis to the next never changes a
// result: after each keystroke (or each change of a deployment file), the analysis of the workspace
// that keeps it must say what a fresh workspace's analysis of the same files says — findings,
// suppressed findings, outcomes, notes, files, the secrets masked and the deployment evidence.
// Covered here: the secrets in the keywords of the calls the settings make (secrets.ts, kept per
// call and keyword while the value is the same object), the guarded assignments found per top-level statement tree (skippedAssignment.ts,
// kept while the statement's tree is the same object) and the process model checked against the
// file system once per analysis (models/process/index.ts, duringOneAnalysis).
import assert from 'node:assert/strict';
import { before, describe, it } from 'node:test';
import { analyzeWorkspace, type AnalysisOptions, type WorkspaceAnalysis } from '../../server/src/analysis/engine/engine';
import { loadParser } from '../../server/src/analysis/parse/treeSitter';
import { PythonDocument } from '../../server/src/analysis/parse/pythonDocument';
import { MemoryFileSystem } from '../../server/src/analysis/files/fs';
import { Workspace } from '../../server/src/analysis/engine/workspace';

/** Everything an analysis says, as plain data. */
function view(a: WorkspaceAnalysis): unknown {
  return {
    messages: a.messages,
    failed: a.failed?.map((p) => p.root),
    projects: a.projects.map((p) => ({
      root: p.project.root,
      findings: p.findings,
      suppressed: p.suppressed,
      outcomes: [...p.outcomes],
      notes: p.notes,
      files: [...p.files].sort(),
      secrets: p.secrets,
      deployment: p.deployment,
    })),
  };
}

/** The analysis of `files` in a workspace of its own (nothing kept from another analysis), without reuse. */
function fresh(files: Record<string, string>, root: string, options: AnalysisOptions): unknown {
  return view(analyzeWorkspace(new Workspace(new MemoryFileSystem(files, root), [root]), options));
}

const typing: AnalysisOptions = { fixes: false, reuseModules: true };

const PROJECT = (production: string): Record<string, string> => ({
  'manage.py': 'import os\nos.environ.setdefault("DJANGO_SETTINGS_MODULE", "mysite.settings")\n',
  'mysite/__init__.py': '',
  'mysite/settings.py': production,
});

describe('what the analysis keeps between analyses', () => {
  before(async () => {
    await loadParser();
  });

  it('typing into guarded assignments of settings production leaves unset (their names, values and conditions) says what a fresh analysis says', () => {
    const root = '/guarded';
    const file = `${root}/mysite/settings.py`;
    const text = [
      'import os',
      '# SESSION_COOKIE_SECURE and SECURE_HSTS_SECONDS are set below, in branches',
      'SECRET_KEY = os.environ["SECRET_KEY"]',
      'DEBUG = False',
      'ALLOWED_HOSTS = ["example.com"]',
      'INSTALLED_APPS = ["django.contrib.sessions", "django.contrib.messages"]',
      'MIDDLEWARE = [',
      '    "django.middleware.security.SecurityMiddleware",',
      '    "django.contrib.sessions.middleware.SessionMiddleware",',
      '    "django.middleware.csrf.CsrfViewMiddleware",',
      ']',
      'ENABLE_SSL = os.environ.get("ENABLE_SSL", "") == "1"',
      'USE_HSTS = False',
      'if ENABLE_SSL:',
      '    SECURE_SSL_REDIRECT = True',
      '    SESSION_COOKIE_SECURE = True',
      'if USE_HSTS:',
      '    SECURE_HSTS_SECONDS = 3600',
      'else:',
      '    X = 1',
      'import sentry_sdk',
      'sentry_sdk.init(dsn="https://abcdef0123456789@o1.ingest.sentry.io/1", environment="production")',
      'sentry_sdk.init(dsn="https://fedcba9876543210@o2.ingest.sentry.io/2", environment="staging")',
      'try:',
      '    import local',
      'except ImportError:',
      '    if ENABLE_SSL:',
      '        CSRF_COOKIE_SECURE = True',
      '',
    ].join('\n');
    const files = PROJECT(text);
    const fs = new MemoryFileSystem(files, root);
    const ws = new Workspace(fs, [root]);
    let current = text;
    const doc = PythonDocument.parse(current, { incremental: true });
    ws.setOpenDocument(file, doc);
    // keystrokes: in an assigned name (which then names another setting), in a condition, in a
    // value, a new guarded assignment typed, a whole `if` removed, then each undone
    const at = (s: string): number => current.indexOf(s);
    const edits: [() => number, number, string][] = [
      [() => at('SECURE_SSL_REDIRECT') + 6, 0, 'X'],
      [() => at('SECUREX_SSL_REDIRECT') + 6, 1, ''],
      [() => at('if ENABLE_SSL:') + 3, 0, 'not '],
      [() => at('if not ENABLE_SSL:') + 3, 4, ''],
      // replacements of the same length (the statement's text changes, not its extent)
      [() => at('    SESSION_COOKIE_SECURE') + 19, 6, 'DOMAIN'],
      [() => at('    SESSION_COOKIE_DOMAIN') + 19, 6, 'SECURE'],
      [() => at('    SECURE_HSTS_SECONDS') + 22, 1, 'X'],
      [() => at('    SECURE_HSTS_SECONDX') + 22, 1, 'S'],
      [() => at('if ENABLE_SSL:') + 3, 10, 'USE_HSTS  '],
      [() => at('if USE_HSTS  :') + 3, 10, 'ENABLE_SSL'],
      // a keyword two calls give, typed into in the second (the secrets masked follow it)
      [() => at('fedcba9876543210'), 0, '7'],
      [() => at('7fedcba9876543210'), 1, ''],
      [() => at('abcdef0123456789@o1'), 16, '0123456789abcdef'],
      [() => at('0123456789abcdef@o1'), 16, 'abcdef0123456789'],
      [() => at('3600'), 4, '0'],
      [() => at('    SECURE_HSTS_SECONDS = 0'), 27, '    SECURE_HSTS_SECONDS = 3600'],
      [() => at('    X = 1') + 4, 0, 'SECURE_CONTENT_TYPE_NOSNIFF = True\n    '],
      [() => at('SECURE_CONTENT_TYPE_NOSNIFF'), 'SECURE_CONTENT_TYPE_NOSNIFF = True\n    '.length, ''],
      [() => at('        CSRF_COOKIE_SECURE') + 8, 4, 'SESSION'],
      [() => at('        SESSION_COOKIE_SECURE') + 8, 7, 'CSRF'],
      [() => at('if USE_HSTS:'), 'if USE_HSTS:\n    SECURE_HSTS_SECONDS = 3600\nelse:\n    X = 1\n'.length, ''],
      [() => at('import sentry_sdk'), 0, 'if USE_HSTS:\n    SECURE_HSTS_SECONDS = 3600\nelse:\n    X = 1\n'],
    ];
    let skippedSaid = 0;
    let secretsSeen = 0;
    try {
      analyzeWorkspace(ws, typing);
      for (const [where, del, ins] of edits) {
        const offset = where();
        assert.ok(offset >= 0, `edit ${JSON.stringify(ins)} found its place`);
        doc.applyEdit(offset, offset + del, ins);
        current = current.slice(0, offset) + ins + current.slice(offset + del);
        fs.write(file, current);
        ws.invalidate(file);
        const a = analyzeWorkspace(ws, typing);
        assert.deepEqual(
          view(a),
          fresh({ ...files, 'mysite/settings.py': current }, root, { fixes: false }),
          `after typing ${JSON.stringify(ins)} at ${offset}`,
        );

        secretsSeen = Math.max(secretsSeen, a.projects[0]!.secrets.length);
        // (an oracle of its own: the memos are module-wide, shared with the fresh analysis)
        for (const m of current.matchAll(/dsn="https:\/\/([\w-]+)@/g))
          assert.ok(
            a.projects[0]!.secrets.some((x) => x.includes(m[1]!)),
            `the DSN key ${m[1]} is masked after typing ${JSON.stringify(ins)} at ${offset}`,
          );
        skippedSaid += a.projects[0]!.findings.filter((f) =>
          /production skips|only in a branch|if (not )?ENABLE_SSL/.test(f.message),
        ).length;
      }
    } finally {
      ws.closeDocument(file);
      doc.dispose();
    }
    assert.equal(current, text, 'the edits were undone');
    // the test reaches the findings that say where a skipped assignment is
    assert.ok(skippedSaid > 0, 'findings placed on assignments production skips');
    assert.ok(secretsSeen >= 2, `the DSNs of both calls are masked (${secretsSeen} secrets)`);
  });

  it('a deployment file changed between two analyses (with or without the workspace told) is read again: the environment it gives production, and the evidence', () => {
    const root = '/deployed';
    const settings = [
      'import os',
      'SECRET_KEY = os.environ["SECRET_KEY"]',
      'DEBUG = os.environ.get("DJANGO_DEBUG", "False") == "True"',
      'ALLOWED_HOSTS = ["example.com"]',
      'REGION = os.environ.get("REGION", "none")',
      '',
    ].join('\n');
    const fly = (debug: string, region: string): string =>
      `app = "shop"\n[env]\n  DJANGO_DEBUG = "${debug}"\n  REGION = "${region}"\n[processes]\n  app = "gunicorn mysite.wsgi --bind 0.0.0.0:8080"\n[http_service]\n  internal_port = 8080\n`;
    const files: Record<string, string> = { ...PROJECT(settings), 'fly.toml': fly('False', 'eu') };
    const fs = new MemoryFileSystem(files, root);
    const ws = new Workspace(fs, [root]);
    const steps: [string, string, boolean][] = [
      ['True', 'eu', false],
      ['True', 'us', true],
      ['False', 'us', false],
      ['False', 'us', false],
      ['True', 'eu', true],
    ];
    const said = new Set<string>();
    analyzeWorkspace(ws, typing);
    analyzeWorkspace(ws, typing);
    for (const [debug, region, tell] of steps) {
      files['fly.toml'] = fly(debug, region);
      fs.write(`${root}/fly.toml`, files['fly.toml']);
      if (tell) ws.invalidate(`${root}/fly.toml`);
      const a = analyzeWorkspace(ws, typing);
      const expected = fresh(files, root, { fixes: false });
      assert.deepEqual(view(a), expected, `fly.toml with DJANGO_DEBUG=${debug}, REGION=${region}`);
      said.add(JSON.stringify(a.projects[0]!.findings.map((f) => f.code)));
    }
    // the environment changed what the analysis says (DEBUG on, then off)
    assert.ok(said.size > 1, 'the findings followed the deployment file');
  });

  it('a middleware class of the project edited while the settings are unchanged is read again (on disk, and open in the editor)', () => {
    // MIDDLEWARE names the project's own class; whether it derives from SessionMiddleware decides
    // the session middleware rules. The settings' evaluation is kept unchanged from one analysis to
    // the next (the same object), so what was read of the class must not be kept with it.
    const root = '/mwclass';
    const settings = [
      'import os',
      'SECRET_KEY = os.environ["SECRET_KEY"]',
      'DEBUG = False',
      'ALLOWED_HOSTS = ["example.com"]',
      'INSTALLED_APPS = ["django.contrib.auth", "django.contrib.contenttypes", "django.contrib.sessions", "django.contrib.messages"]',
      'MIDDLEWARE = [',
      '    "django.middleware.security.SecurityMiddleware",',
      '    "mysite.middleware.Sessions",',
      '    "django.middleware.csrf.CsrfViewMiddleware",',
      '    "django.contrib.auth.middleware.AuthenticationMiddleware",',
      '    "django.contrib.messages.middleware.MessageMiddleware",',
      ']',
      '',
    ].join('\n');
    const derived = 'from django.contrib.sessions.middleware import SessionMiddleware\nclass Sessions(SessionMiddleware):\n    pass\n';
    const plain = 'class Sessions:\n    def __init__(self, get_response):\n        self.get_response = get_response\n';
    const files = { ...PROJECT(settings), 'mysite/middleware.py': derived };
    const classFile = `${root}/mysite/middleware.py`;
    const fs = new MemoryFileSystem(files, root);
    const ws = new Workspace(fs, [root]);
    const settingsDoc = PythonDocument.parse(settings, { incremental: true });
    ws.setOpenDocument(`${root}/mysite/settings.py`, settingsDoc);
    const said = new Set<string>();
    try {
      analyzeWorkspace(ws, typing);
      analyzeWorkspace(ws, typing);
      for (const text of [plain, derived, plain, derived]) {
        fs.write(classFile, text);
        ws.invalidate(classFile);
        const a = analyzeWorkspace(ws, typing);
        assert.deepEqual(view(a), fresh({ ...files, 'mysite/middleware.py': text }, root, { fixes: false }), `on disk: ${text}`);
        said.add(JSON.stringify(a.projects[0]!.findings.map((f) => f.code)));
      }
      // open in the editor, its class line edited
      const classDoc = PythonDocument.parse(derived, { incremental: true });
      ws.setOpenDocument(classFile, classDoc);
      analyzeWorkspace(ws, typing);
      let current = derived;
      for (const [from, to] of [
        ['class Sessions(SessionMiddleware):', 'class Sessions(object):           '],
        ['class Sessions(object):           ', 'class Sessions(SessionMiddleware):'],
      ]) {
        const at = current.indexOf(from);
        classDoc.applyEdit(at, at + from.length, to);
        current = current.slice(0, at) + to + current.slice(at + from.length);
        const a = analyzeWorkspace(ws, typing);
        assert.deepEqual(view(a), fresh({ ...files, 'mysite/middleware.py': current }, root, { fixes: false }), `open: ${current}`);
      }
      ws.closeDocument(classFile);
      classDoc.dispose();
    } finally {
      ws.closeDocument(`${root}/mysite/settings.py`);
      settingsDoc.dispose();
    }
    assert.ok(said.size > 1, 'the findings followed the class');
  });
});
