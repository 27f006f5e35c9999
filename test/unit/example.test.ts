// The whole catalogue over the bundled example project (examples/mysite): exactly these findings,
// each on the line that causes it, and none that repeats a secret written in the project. A rule
// added or changed shows up here as a reviewed change of this list.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { before, describe, it } from 'node:test';
import { analyzeWorkspace } from '../../server/src/analysis/engine/engine';
import { loadParser } from '../../server/src/analysis/parse/treeSitter';
import { NodeFileSystem } from '../../server/src/analysis/files/fs';
import { Workspace } from '../../server/src/analysis/engine/workspace';
import { EXAMPLE } from '../helpers/paths';

const EXPECTED = [
  'gunicorn.conf.py:5 DDG103', // workers = cpu_count() * 4
  'gunicorn.conf.py:6 DDG101', // worker = 8
  'gunicorn.conf.py:7 DDG101', // timout = 120
  'gunicorn.conf.py:8 DDG106', // reload = True
  'gunicorn.conf.py:9 DDG108', // loglevel = "debug"
  // never set: at the end of the production module (its last setting), as the module has no
  // SECURE_* or cookie line to put them beside; never on the MIDDLEWARE list or the first import
  'mysite/settings.py:131 DDH301', // SECURE_SSL_REDIRECT never set (security.W008)
  'mysite/settings.py:131 DDH302', // SECURE_HSTS_SECONDS never set (security.W004)
  'mysite/settings.py:131 DDH306', // SESSION_COOKIE_SECURE never set (security.W012)
  'mysite/settings.py:131 DDH308', // CSRF_COOKIE_SECURE never set (security.W016)
  'mysite/settings.py:131 DDH409', // no Content Security Policy (information): there too
  'mysite/settings.py:105 DDH602', // STATIC_ROOT never set: with the STATIC_* lines
  'mysite/settings.py:15 DDH101', // SECRET_KEY written in the settings, and a django-insecure- key: one finding with DDH102 (security.W009)
  'mysite/settings.py:18 DDH107', // DEBUG = True (security.W018)
  'mysite/settings.py:20 DDH202', // ALLOWED_HOSTS = ["*"]
  'mysite/settings.py:41 DDH502', // WhiteNoise below SessionMiddleware and CommonMiddleware
  'mysite/settings.py:72 DDH701', // no CONN_MAX_AGE
  'mysite/settings.py:72 DDH703', // remote PostgreSQL without sslmode
  'mysite/settings.py:72 DDH706', // no statement_timeout (hint)
  'mysite/settings.py:76 DDH705', // PASSWORD written in the settings
  'mysite/settings.py:105 DDH603', // CompressedStaticFilesStorage: no hashed names
  'mysite/settings.py:117 DDH801', // cached sessions in a LocMemCache
  'mysite/settings.py:122 DDH803', // console e-mail backend
  'mysite/settings.py:127 DDH205', // CORS_ALLOW_ALL_ORIGINS with credentials
  'mysite/settings.py:130 DDH905', // SENTRY_DSN written in the code
  'mysite/settings.py:131 DDH103', // STRIPE_API_KEY, a live secret key
  'mysite/settings.py:138 DDH904', // traces_sample_rate=1.0
  'mysite/settings.py:139 DDH903', // send_default_pii=True
  'requirements.txt:1 DDG322', // Django 4.2, past its extended support (April 2026)
  'requirements.txt:2 DDG114', // gunicorn 21.2.0: CVE-2024-1135, CVE-2024-6827
];

describe('the example project', () => {
  before(async () => {
    await loadParser();
  });

  it('gets exactly the expected findings, on the lines that cause them', () => {
    const ws = new Workspace(new NodeFileSystem(), [EXAMPLE]);
    const analysis = analyzeWorkspace(ws, {});
    assert.equal(analysis.projects.length, 1);
    const project = analysis.projects[0]!;
    assert.equal(project.project.production?.module.name, 'mysite.settings');
    const actual = project.findings
      .map(
        (f) =>
          `${path.relative(EXAMPLE, f.loc.file).split(path.sep).join('/')}:${(ws.positionAt(f.loc.file, f.loc.start)?.line ?? -1) + 1} ${f.code}`,
      )
      .sort((a, b) => a.localeCompare(b, 'en', { numeric: true }));
    assert.deepEqual(
      actual,
      [...EXPECTED].sort((a, b) => a.localeCompare(b, 'en', { numeric: true })),
    );
  });

  it('gives the same findings without building fixes (the CLI without --fix or --diff)', () => {
    const key = (fixes: boolean): string[] =>
      analyzeWorkspace(new Workspace(new NodeFileSystem(), [EXAMPLE]), { fixes })
        .projects.flatMap((p) => p.findings)
        .map((f) => `${f.loc.file}:${f.loc.start}-${f.loc.end} ${f.code} ${f.severity} ${f.message} ${f.fixes.length > 0}`);
    const withFixes = key(true);
    assert.ok(
      withFixes.some((k) => k.endsWith(' true')),
      'the example offers fixes',
    );
    assert.deepEqual(
      key(false),
      withFixes.map((k) => k.replace(/ true$/, ' false')),
    );
  });

  it('never repeats a secret written in the project', () => {
    const settings = readFileSync(path.join(EXAMPLE, 'mysite/settings.py'), 'utf8');
    const secrets = ['SECRET_KEY', 'PASSWORD', 'SENTRY_DSN', 'STRIPE_API_KEY'].map(
      (name) => new RegExp(`"?${name}"?\\s*[:=]\\s*"([^"]+)"`).exec(settings)?.[1],
    );
    assert.ok(
      secrets.every((s) => s && s.length > 8),
      'the example writes its secrets as the test expects',
    );
    const ws = new Workspace(new NodeFileSystem(), [EXAMPLE]);
    for (const f of analyzeWorkspace(ws, {}).projects.flatMap((p) => p.findings)) {
      for (const s of secrets) assert.ok(!f.message.includes(s!), `${f.code} repeats a secret`);
    }
  });
});
