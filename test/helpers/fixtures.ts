// Rule fixtures: test/fixtures/rules/<CODE>/ holds cases named bad*/good*. A case is either a
// folder (a whole project, analysed as it is) or a single file placed where the rule's target lives
// (a settings module as mysite/settings.py, a gunicorn config as gunicorn.conf.py, a Procfile…).
// Expected findings are marked in the fixture with `# expect: CODE` (or `# expect: CODE, CODE`) on
// the line where the finding starts. Single files can set the Django version with `# django: 4.2`.
// A migration rule's single file is a migration of the app `blog` (blog/migrations/0002_change.py,
// after an initial migration creating Order), checked alone; `# vendor: sqlite` (mysql, unknown;
// PostgreSQL by default) picks the production database; `# git: untracked, models-changed` gives the
// run git's facts (the case is not in git; its app's models changed; either word alone, or `# git:
// tracked` for neither), which a real run takes from its change set. A migration rule's folder case is a whole
// project whose every migration is checked.
// A bad case's snapshot (bad-x.py.snap, bad-y.snap beside the folder) is not a case.
import { DJANGO_NEWEST_VERSION } from '../../server/src/analysis/catalogue/djangoDefaults';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import * as path from 'node:path';
import { analyzeWorkspace, type AnalysisOptions, type WorkspaceAnalysis } from '../../server/src/analysis/engine/engine';
import { MemoryFileSystem, NodeFileSystem, type FileSystem } from '../../server/src/analysis/files/fs';
import type { RuleTarget } from '../../server/src/analysis/rules/types';
import { Workspace } from '../../server/src/analysis/engine/workspace';

import { FIXTURES } from './paths';

export { FIXTURES };

export interface FixtureCase {
  readonly name: string;
  readonly kind: 'bad' | 'good';
  readonly path: string;
  readonly isDir: boolean;
}

export function casesOf(code: string): FixtureCase[] {
  const dir = path.join(FIXTURES, 'rules', code);
  if (!existsSync(dir)) return [];
  return readdirSync(dir)
    .filter((n) => (n.startsWith('bad') || n.startsWith('good')) && !n.endsWith('.snap'))
    .sort()
    .map((name) => {
      const p = path.join(dir, name);
      return { name, kind: name.startsWith('bad') ? 'bad' : 'good', path: p, isDir: statSync(p).isDirectory() };
    });
}

/** Where a single-file fixture is placed in its virtual project, by the rule's target and file name. */
function placement(target: RuleTarget, name: string): string {
  if (/procfile/i.test(name)) return 'Procfile';
  if (/dockerfile/i.test(name)) return 'Dockerfile';
  if (/compose/i.test(name)) return 'docker-compose.yml';
  if (/\.service$/.test(name)) return 'deploy/mysite.service';
  if (/\.conf$/.test(name)) return 'deploy/nginx/mysite.conf';
  if (/\.sh$/.test(name)) return 'entrypoint.sh';
  if (target === 'migration') return MIGRATION_FIXTURE;
  if (target === 'gunicorn' || /gunicorn/.test(name)) return 'gunicorn.conf.py';
  return 'mysite/settings.py';
}

const SKELETON: Record<string, string> = {
  'manage.py': 'import os\nos.environ.setdefault("DJANGO_SETTINGS_MODULE", "mysite.settings")\n',
  'mysite/__init__.py': '',
  'mysite/wsgi.py':
    'import os\nfrom django.core.wsgi import get_wsgi_application\nos.environ.setdefault("DJANGO_SETTINGS_MODULE", "mysite.settings")\napplication = get_wsgi_application()\n',
};

/** Where a migration rule's single-file case is placed. */
const MIGRATION_FIXTURE = 'blog/migrations/0002_change.py';

/** The app a migration fixture belongs to: its package and an initial migration creating Order. */
const MIGRATION_SKELETON: Record<string, string> = {
  'blog/__init__.py': '',
  'blog/migrations/__init__.py': '',
  'blog/migrations/0001_initial.py': `from django.db import migrations, models


class Migration(migrations.Migration):
    initial = True

    dependencies = []

    operations = [
        migrations.CreateModel(
            name="Order",
            fields=[
                ("id", models.BigAutoField(primary_key=True, serialize=False)),
                ("number", models.CharField(max_length=20)),
                ("total", models.IntegerField(default=0)),
                ("note", models.TextField(blank=True)),
                ("customer", models.CharField(max_length=100)),
            ],
        ),
    ]
`,
};

/** The production database of a migration fixture, by its `# vendor:` marker. */
function databasesFor(text: string): string {
  const vendor = /#\s*vendor:\s*(\w+)/.exec(text)?.[1] ?? 'postgresql';
  const engine =
    vendor === 'unknown'
      ? '__import__("os").environ["DB_ENGINE"]'
      : JSON.stringify(vendor === 'sqlite' ? 'django.db.backends.sqlite3' : `django.db.backends.${vendor}`);
  return `DATABASES = {"default": {"ENGINE": ${engine}, "NAME": "shop"}}\n`;
}

/** git's facts for a migration fixture, by its `# git:` marker (none without it: DDM012 is not applicable). */
function gitFactsFor(text: string, file: string): Pick<AnalysisOptions, 'migrationGit'> {
  const marker = /#[ \t]*git:[ \t]*([\w \t,-]+)/.exec(text)?.[1];
  if (marker === undefined) return {};
  const words = marker.split(/[\s,]+/);
  return {
    migrationGit: {
      untracked: words.includes('untracked') ? [file] : [],
      modelsChanged: words.includes('models-changed') ? [path.posix.dirname(path.posix.dirname(file))] : [],
    },
  };
}

/** A minimal production settings module used beside non-settings fixtures. */
const NEUTRAL_SETTINGS = 'SECRET_KEY = __import__("os").environ["DJANGO_SECRET_KEY"]\nDEBUG = False\nALLOWED_HOSTS = ["example.com"]\n';

export interface LoadedCase {
  readonly fs: FileSystem;
  readonly root: string;
  readonly options: AnalysisOptions;
  /** Expected (file, 1-based line, code) triples from `# expect:` markers. */
  readonly expected: { file: string; line: number; code: string }[];
}

const EXPECT_RE = /#\s*expect:\s*([A-Z]+[0-9]+(?:\s*,\s*[A-Z]+[0-9]+)*)/;

function expectationsIn(file: string, text: string): { file: string; line: number; code: string }[] {
  const out: { file: string; line: number; code: string }[] = [];
  text.split(/\r?\n/).forEach((l, i) => {
    const m = EXPECT_RE.exec(l);
    if (m) for (const code of m[1]!.split(/\s*,\s*/)) out.push({ file, line: i + 1, code });
  });
  return out;
}

function walk(dir: string, out: string[] = []): string[] {
  for (const n of readdirSync(dir)) {
    const p = path.join(dir, n);
    if (statSync(p).isDirectory()) walk(p, out);
    else out.push(p);
  }
  return out;
}

/** The files of the virtual project a single-file case is analysed in, and where the case is placed. */
export function singleFileProject(
  c: FixtureCase,
  target: RuleTarget,
  text = readFileSync(c.path, 'utf8'),
): { files: Record<string, string>; where: string } {
  const where = placement(target, c.name);
  const files: Record<string, string> = { ...SKELETON, ...(target === 'migration' ? MIGRATION_SKELETON : {}), [where]: text };
  if (where !== 'mysite/settings.py') files['mysite/settings.py'] = NEUTRAL_SETTINGS + (target === 'migration' ? databasesFor(text) : '');
  return { files, where };
}

export function loadCase(c: FixtureCase, target: RuleTarget): LoadedCase {
  if (c.isDir) {
    const expected = walk(c.path).flatMap((f) => expectationsIn(f, readFileSync(f, 'utf8')));
    return { fs: new NodeFileSystem(), root: c.path, options: target === 'migration' ? { migrations: 'all' } : {}, expected };
  }
  const text = readFileSync(c.path, 'utf8');
  const { files, where } = singleFileProject(c, target, text);
  const version = /#\s*django:\s*(\d+\.\d+)/.exec(text)?.[1];
  const root = '/fixture';
  return {
    fs: new MemoryFileSystem(files, root),
    root,
    // no dependency file in the skeleton: the newest Django unless the fixture says (an assumed version
    // would turn version-dependent findings into information, see engine/assumedVersion.ts)
    options: {
      djangoVersion: version ?? DJANGO_NEWEST_VERSION,
      ...(target === 'migration' ? { migrations: [path.posix.join(root, where)], ...gitFactsFor(text, path.posix.join(root, where)) } : {}),
    },
    expected: expectationsIn(path.posix.join(root, where), text),
  };
}

export function analyzeCase(loaded: LoadedCase, extra: AnalysisOptions = {}): { analysis: WorkspaceAnalysis; ws: Workspace } {
  const ws = new Workspace(loaded.fs, [loaded.root]);
  return { analysis: analyzeWorkspace(ws, { ...loaded.options, ...extra }), ws };
}
