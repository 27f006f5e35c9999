// Never freeze (issue 29.3): every reader of the files the product reads is fed hostile strings and
// must finish them. The strings: the attack strings recheck reported for the super-linear patterns
// of a702a6c (test/fixtures/redos/attacks.json, their pumps repeated 30 times and REDOS_REPEAT
// times), runs of each character class a reader splits on and of pairs of them (REDOS_RUN_LENGTH
// characters), each also embedded in every file kind where that kind's reader reads it; what parses
// Python or analyses a whole project gets shorter ones (REDOS_PROJECT_*). Each reader runs in a
// worker thread, a few inputs to a batch; a batch not finished by the deadline (REDOS_DEADLINE_MS,
// 20 s) is stopped, and the test fails naming the reader and the input that was running (and, for
// a reader of many files, the file kinds that stop it alone). A reader that throws fails it too.
// No time is asserted: each reader's slowest call, and the slowest of all, are printed for the
// record. In the unit stage the runs are 5,000 characters (2,000 for Python and projects) and the
// pumps repeated 500 times (an exponential pattern still never finishes; a quadratic reader stays
// far inside the deadline on a loaded machine); `npm run fuzz` runs longer ones, with every pair.
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { after, describe, it } from 'node:test';
import { isMainThread, parentPort, Worker, workerData } from 'node:worker_threads';
import { buildChecklist } from '../../server/src/analysis/outputs/checklist/checklist';
import { readProjectConfig } from '../../server/src/analysis/models/project/config';
import { analyzeWorkspace, type AnalysisOptions, type WorkspaceAnalysis } from '../../server/src/analysis/engine/engine';
import { pinnedGunicorn } from '../../server/src/analysis/models/appServer/model';
import { readGraphNode, readMigration } from '../../server/src/analysis/readers/python/migration';
import { NoqaLines, noqaCodesAt } from '../../server/src/analysis/engine/noqa';
import { isLexicallyClosed, PythonDocument } from '../../server/src/analysis/parse/pythonDocument';
import { loadParser } from '../../server/src/analysis/parse/treeSitter';
import { parseGunicornArgs, recognise } from '../../server/src/analysis/readers/process/commands';
import { parseCompose } from '../../server/src/analysis/readers/container/compose';
import { parseDockerfile, parseInstructions } from '../../server/src/analysis/readers/container/dockerfile';
import { parseProcfile } from '../../server/src/analysis/readers/process/procfile';
import { splitWords, tokenize } from '../../server/src/analysis/readers/shell';
import { parseSystemdService } from '../../server/src/analysis/readers/process/systemd';
import { MappedText } from '../../server/src/analysis/readers/text';
import { parseYaml } from '../../server/src/analysis/readers/yaml';
import { parsePep508, poetryToPep440, readRequirementsText } from '../../server/src/analysis/readers/python/dependencies';
import { MemoryFileSystem, NodeFileSystem } from '../../server/src/analysis/files/fs';
import { discover } from '../../server/src/analysis/models/project/model';
import { repositoryOf } from '../../server/src/analysis/models/project/repository';
import { classify, scanWorkspace, type FileKind } from '../../server/src/analysis/files/scan';
import { detectVersions, newestAllowed, readConstraint } from '../../server/src/analysis/models/project/version';
import {
  credentialIn,
  isFalseFriend,
  isPlaceholder,
  keyFormat,
  redact,
  secretKind,
  secretParts,
  secretsInText,
  stripUrlCredentials,
  urlPassword,
} from '../../server/src/analysis/secrets/index';
import { Workspace } from '../../server/src/analysis/engine/workspace';
import { FIXTURES } from '../helpers/paths';

// ---- the inputs ----------------------------------------------------------------------------------

/** How long a batch of calls may take before its worker is stopped: a bound on freezing, not a timing. */
const DEADLINE_MS = Number(process.env.REDOS_DEADLINE_MS ?? 20_000);
/** recheck's pumps are repeated SMALL times (enough for an exponential pattern) and this many. */
const SMALL = 30;
const REPEAT = Number(process.env.REDOS_REPEAT ?? 500);
/** The length of the runs of one character class (or of a pair of them). */
const RUN_LENGTH = Number(process.env.REDOS_RUN_LENGTH ?? 5_000);
/** The same for what parses Python or analyses a whole project (see PROJECT). */
const PROJECT_REPEAT = Number(process.env.REDOS_PROJECT_REPEAT ?? 500);
const PROJECT_RUN_LENGTH = Number(process.env.REDOS_PROJECT_RUN_LENGTH ?? 2_000);
/** Runs of every pair of classes, not only the chosen ones; pairs in the project analyses too (`npm run fuzz`). */
const ALL_PAIRS = process.env.REDOS_PAIRS === 'all';
/** A cap on the whole run for `npm run fuzz`, shared equally by the readers (inputs past a reader's share are left out, and said). */
const SECONDS = Number(process.env.REDOS_SECONDS ?? Number.POSITIVE_INFINITY);
/**
 * Calls a worker is given at once: the deadline bounds each such batch. About the same work in each
 * whatever the lengths: 8 runs of 5,000 characters, one of 50,000 (the YAML reader takes 4–5 s on
 * one such run of `[\n` or `,\n`), 2 projects of 2,000-character runs, one of 20,000.
 */
const DIRECT_BATCH = Math.max(1, Math.round(40_000 / RUN_LENGTH));
const PROJECT_BATCH = Math.max(1, Math.round(4_000 / PROJECT_RUN_LENGTH));
/** The stops of one reader whose file kinds are looked for (each look runs the reader once per kind). */
const DIAGNOSED = 5;
/** Only the readers, and the inputs, whose names contain these (to look at one failure). */
const ONLY_READER = process.env.REDOS_READER;
const ONLY_INPUT = process.env.REDOS_INPUT;

interface AttackPart {
  readonly text: string;
  /** recheck's repetition count: the part is a pump, repeated as many times as the test scales it. */
  readonly repeat?: number;
}

interface Attack {
  readonly origin: string;
  readonly complexity: 'polynomial' | 'exponential';
  readonly parts: readonly AttackPart[];
}

interface Input {
  readonly name: string;
  readonly text: string;
}

/** What one reader splits on, one character or a sequence. */
const CLASSES: readonly (readonly [string, string])[] = [
  ['space', ' '],
  ['tab', '\t'],
  ['LF', '\n'],
  ['CRLF', '\r\n'],
  ['CR', '\r'],
  ['#', '#'],
  ["'", "'"],
  ['"', '"'],
  ['`', '`'],
  ['\\', '\\'],
  ['=', '='],
  [':', ':'],
  ['/', '/'],
  ['@', '@'],
  ['-', '-'],
  ['_', '_'],
  ['.', '.'],
  [',', ','],
  [';', ';'],
  ['digit', '7'],
  ['letter', 'a'],
  ['capital', 'A'],
  ['$', '$'],
  ['{', '{'],
  ['}', '}'],
  ['(', '('],
  [')', ')'],
  ['[', '['],
  [']', ']'],
  ['%', '%'],
  ['*', '*'],
  ['<', '<'],
  ['>', '>'],
  ['!', '!'],
  ['~', '~'],
  ['|', '|'],
  ['&', '&'],
  ['+', '+'],
  ['NUL', '\u0000'],
  ['é', 'é'],
  ['nbsp', '\u00a0'],
  ['U+2028', '\u2028'],
  ['emoji', '😀'],
];

/** Alternations of two classes that readers split on together. */
const PAIRS: readonly string[] = [
  'a=',
  '--a',
  "'\\",
  '"\\',
  '\\\n',
  'a ',
  ' #',
  '\t#',
  '#\n',
  '#\t',
  ' \n',
  '\n ',
  '\n\t',
  '=\n',
  'a:',
  ': ',
  '- ',
  '-\n',
  '/a',
  'a@',
  'a.',
  '0.',
  '0/',
  '0,',
  'A_',
  '_a',
  '${',
  '{%',
  '%(',
  ', ',
  ',\n',
  '" ',
  "' ",
  '[\n',
  '(a',
  '$(',
  'a;',
  'a&',
  'é ',
];

function attacks(): Attack[] {
  return (JSON.parse(readFileSync(path.join(FIXTURES, 'redos/attacks.json'), 'utf8')) as { attacks: Attack[] }).attacks;
}

function scaled(a: Attack, n: number): string {
  return a.parts.map((p) => (p.repeat === undefined ? p.text : p.text.repeat(n))).join('');
}

function run(unit: string, length: number): string {
  return unit.repeat(Math.max(1, Math.ceil(length / unit.length))).slice(0, length);
}

/** The sizes of one list of inputs. */
interface Sizes {
  /** recheck's pumps are repeated SMALL times and this many. */
  readonly repeat: number;
  readonly run: number;
  readonly pairs: 'chosen' | 'all' | 'none';
}

/** The inputs of the readers of one string or one file. */
const DIRECT: Sizes = { repeat: REPEAT, run: RUN_LENGTH, pairs: ALL_PAIRS ? 'all' : 'chosen' };
/**
 * The inputs of what parses Python (tree-sitter) or analyses a whole project: a project holds the
 * string in about a hundred places of thirty files, and tree-sitter's error recovery is slower than
 * linear on some runs up to its 3 s limit per parse (a run of `#\n` or of backslash-newlines after
 * a statement), so shorter strings, and pairs only in `npm run fuzz`: the whole run stays well under
 * a minute once the patterns are linear.
 */
const PROJECT: Sizes = { repeat: PROJECT_REPEAT, run: PROJECT_RUN_LENGTH, pairs: ALL_PAIRS ? 'chosen' : 'none' };

/** Every input of one size, in a fixed order (the worker builds the same list and is told indices). */
function allInputs(sizes: Sizes): Input[] {
  const out: Input[] = [];
  const byText = new Map<string, number>();
  const add = (name: string, text: string): void => {
    const at = byText.get(text);
    if (at !== undefined) {
      // the same string from several patterns (`/+$/` in five places): one input, every origin named
      const prev = out[at]!;
      out[at] = { name: `${prev.name}, ${name.replace(/^recheck ×\d+ \w+: /, '')}`, text };
      return;
    }
    byText.set(text, out.length);
    out.push({ name, text });
  };
  for (const n of [SMALL, sizes.repeat])
    for (const a of attacks()) add(`recheck ×${n} ${a.complexity}: ${a.origin.replace(/^server\/src\/analysis\//, '')}`, scaled(a, n));
  for (const [name, unit] of CLASSES) add(`run of ${name} (${sizes.run})`, run(unit, sizes.run));
  const pairs =
    sizes.pairs === 'all'
      ? [...PAIRS, ...CLASSES.flatMap(([, a]) => CLASSES.filter(([, b]) => b !== a).map(([, b]) => a + b))]
      : sizes.pairs === 'chosen'
        ? PAIRS
        : [];
  for (const p of pairs) add(`run of ${JSON.stringify(p)} (${sizes.run})`, run(p, sizes.run));
  return out;
}

// ---- the inputs embedded in each file kind ---------------------------------------------------------

const PY_ESCAPES: Readonly<Record<string, string>> = { '\\': '\\\\', "'": "\\'", '\n': '\\n', '\r': '\\r' };

/** A Python string literal whose value is `s` (tabs and non-ASCII as they are). */
function py(s: string): string {
  const escaped = s.replace(
    /[\\'\n\r\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f]/g,
    (c) => PY_ESCAPES[c] ?? `\\x${c.charCodeAt(0).toString(16).padStart(2, '0')}`,
  );
  return `'${escaped}'`;
}

/** A double-quoted string of JSON, TOML and YAML whose value is `s`. */
const dq = (s: string): string => JSON.stringify(s);

const MANAGE =
  'import os\nimport sys\n\nif __name__ == "__main__":\n    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "mysite.settings")\n';
const WSGI =
  'import os\nfrom django.core.wsgi import get_wsgi_application\n\nos.environ.setdefault("DJANGO_SETTINGS_MODULE", "mysite.settings")\napplication = get_wsgi_application()\n';

/** settings.py holding `s` as the value of settings the secrets and the rules read, then in comments. */
function settingsText(s: string): string {
  const v = py(s);
  return [
    'import os',
    'DEBUG = True',
    "ALLOWED_HOSTS = ['*']",
    `API_SECRET = ${v}`,
    `SECRET_KEY = ${v}`,
    `SENTRY_DSN = 'https://' + ${v} + '@o1.ingest.sentry.io/1'`,
    `DATABASES = {'default': {'ENGINE': 'django.db.backends.postgresql', 'NAME': ${v}, 'PASSWORD': ${v}, 'HOST': ${v}}}`,
    `CACHES = {'default': {'BACKEND': 'django.core.cache.backends.redis.RedisCache', 'LOCATION': ${v}}}`,
    `RATELIMIT_RATE = ${v}`,
    `CSRF_TRUSTED_ORIGINS = [${v}]`,
    `MIDDLEWARE = ['django.middleware.security.SecurityMiddleware', ${v}]`,
    `TEMPLATES = [{'BACKEND': 'django.template.backends.django.DjangoTemplates', 'OPTIONS': {'debug': ${v}}}]`,
    `STATIC_ROOT = ${v}`,
    `EMAIL_URL = os.environ.get('EMAIL_URL', ${v})`,
    `NOTE = 1  # noqa: ${s}`,
    `# ${s}`,
    '',
  ].join('\n');
}

function migrationText(s: string): string {
  const v = py(s);
  return [
    'from django.db import migrations, models',
    '',
    '',
    'class Migration(migrations.Migration):',
    `    dependencies = [('mysite', ${v})]`,
    '    operations = [',
    `        migrations.RunSQL(${v}, reverse_sql=${v}),`,
    `        migrations.AddField(model_name='thing', name='x', field=models.CharField(max_length=10, default=${v})),`,
    `        migrations.RenameField(model_name=${v}, old_name='a', new_name=${v}),`,
    '    ]',
    `# ${s}`,
    '',
  ].join('\n');
}

/** A migration holding `s` in its operations, in its dependencies as written, and alone. */
function migrationTexts(s: string): string[] {
  return [migrationText(s), `class Migration(migrations.Migration):\n    dependencies = [${s}]\n`, s];
}

let lastFiles: { s: string; files: Readonly<Record<string, string>> } | undefined;

/** The whole project of FILE_TEXTS for `s` (the last one is kept: several readers ask for it in a row). */
function projectFiles(s: string): Readonly<Record<string, string>> {
  if (lastFiles?.s !== s) lastFiles = { s, files: makeProjectFiles(s) };
  return lastFiles.files;
}

/** Each file of the project, holding `s` where its reader reads it (escaped where the format quotes, raw where it does not). */
const FILE_TEXTS: Readonly<Record<string, (s: string) => string>> = {
  'manage.py': () => MANAGE,
  'mysite/__init__.py': () => '',
  'mysite/wsgi.py': (s) => `${WSGI}# ${s}\n`,
  'mysite/settings.py': (s) => settingsText(s),
  'mysite/urls.py': (s) => {
    const v = py(s);
    return `from django.urls import path\n\nurlpatterns = [path(${v}, lambda r: None)]\n# ${s}\n`;
  },
  'mysite/migrations/__init__.py': () => '',
  'mysite/migrations/0001_initial.py': (s) => migrationText(s),
  'gunicorn.conf.py': (s) => {
    const v = py(s);
    return `bind = ${v}\nworkers = ${v}\nworker_class = ${v}\nraw_env = [${v}]\nforwarded_allow_ips = ${v}\n# ${s}\n`;
  },
  Procfile: (s) =>
    `web: gunicorn mysite.wsgi -c gunicorn.conf.py --bind ${s}\nrelease: python manage.py migrate ${s}\nworker: ${s}\n${s}\n`,
  Dockerfile: (s) => {
    const q = dq(s);
    return [
      'FROM python:3.12-slim',
      `ENV DJANGO_SETTINGS_MODULE=mysite.settings API_KEY=${s}`,
      `ARG BUILD=${s}`,
      `RUN pip install django==4.2 ${s}`,
      `RUN --mount=type=cache,target=/root/.cache/pip ${s}`,
      `# ${s}`,
      `CMD ["gunicorn", "mysite.wsgi", "--bind", ${q}]`,
      `CMD gunicorn mysite.wsgi --bind ${s}`,
      s,
      '',
    ].join('\n');
  },
  'docker-compose.yml': (s) => {
    const q = dq(s);
    return [
      'services:',
      '  web:',
      '    build: .',
      `    command: ${q}`,
      '    environment:',
      `      API_KEY: ${q}`,
      `      DJANGO_SETTINGS_MODULE: ${q}`,
      '  worker:',
      '    build: .',
      `    command: ["celery", "-A", "mysite", "worker", ${q}]`,
      '    environment:',
      `      - ${dq(`API_KEY=${s}`)}`,
      '',
    ].join('\n');
  },
  'docker-compose.raw.yml': (s) =>
    `services:\n  web:\n    command: ${s}\n    environment:\n      API_KEY: ${s}\n  ${s}:\n    image: x\n# ${s}\n`,
  'deploy/mysite.service': (s) =>
    [
      '[Service]',
      `Environment="API_KEY=${s}"`,
      `EnvironmentFile=${s}`,
      `ExecStart=/srv/venv/bin/gunicorn mysite.wsgi --bind ${s}`,
      s,
      '',
    ].join('\n'),
  '.env': (s) => `API_KEY=${s}\nSECRET_KEY="${s}"\n${s}\n# ${s}\n`,
  '.env.production': (s) => `DJANGO_SETTINGS_MODULE=${s}\nDATABASE_URL=postgres://u:${s}@db/x\n`,
  'bin/start.sh': (s) => `#!/bin/sh\nexport API_KEY=${s}\npython manage.py migrate ${s}\nexec gunicorn mysite.wsgi --bind ${s}\n${s}\n`,
  'requirements.txt': (s) => `Django==4.2.1\n${s}\ngunicorn==21.2.0 ; ${s}\nrequests  # ${s}\ndjango${s}\n`,
  'pyproject.toml': (s) => {
    const q = dq(s);
    return [
      '[project]',
      'name = "mysite"',
      `dependencies = ["django>=4.2", ${q}, ${dq(`gunicorn${s}`)}]`,
      '[tool.poetry.dependencies]',
      `django = ${q}`,
      '[tool.django-deploy-check]',
      `django-version = ${q}`,
      '[tool.setuptools.packages.find]',
      `where = [${q}]`,
      `# ${s}`,
      '',
    ].join('\n');
  },
  Pipfile: (s) => {
    const q = dq(s);
    return `[packages]\ndjango = ${q}\ngunicorn = ${dq(`==${s}`)}\n# ${s}\n`;
  },
  'setup.cfg': (s) =>
    `[metadata]\nname = mysite\n[options]\ninstall_requires =\n    django${s}\n    ${s}\npackage_dir =\n    =${s}\n[options.packages.find]\nwhere = ${s}\n`,
  'setup.py': (s) => {
    const v = py(s);
    return `from setuptools import setup\n\nsetup(name='mysite', install_requires=['django' + ${v}, ${v}])\n# ${s}\n`;
  },
  'poetry.lock': (s) => {
    const q = dq(s);
    return `[[package]]\nname = "django"\nversion = ${q}\n\n[[package]]\nname = ${q}\nversion = "1"\n# ${s}\n`;
  },
  'tox.ini': (s) =>
    `[tox]\nenvlist = py312\n[testenv]\ndeps =\n    django${s}\n    ${s}\nsetenv =\n    DJANGO_SETTINGS_MODULE=${s}\ncommands = python manage.py makemigrations --check ${s}\n`,
  '.github/workflows/ci.yml': (s) => {
    const q = dq(s);
    return `jobs:\n  check:\n    steps:\n      - run: ${q}\n      - run: python manage.py makemigrations ${s} --check\n`;
  },
  '.pre-commit-config.yaml': (s) => {
    const q = dq(s);
    return `repos:\n  - repo: local\n    hooks:\n      - id: check\n        entry: ${q}\n`;
  },
  'fly.toml': (s) => {
    const q = dq(s);
    return `[deploy]\nrelease_command = ${q}\n[env]\nAPI_KEY = ${q}\n# ${s}\n`;
  },
  'app.json': (s) => JSON.stringify({ scripts: { postdeploy: s }, env: { API_KEY: { value: s } }, formation: { worker: { command: s } } }),
  Makefile: (s) => `deploy:\n\tpython manage.py migrate ${s}\n`,
  'README.md': (s) => `# Rollback ${s}\n\n${s}\n`,
};

function makeProjectFiles(s: string): Record<string, string> {
  return Object.fromEntries(Object.entries(FILE_TEXTS).map(([f, text]) => [f, text(s)]));
}

/** One file of projectFiles (without building the others). */
function fileOf(name: string, s: string): string {
  return FILE_TEXTS[name]!(s);
}

/** The file kinds of projectFiles, for saying which one a stopped project analysis was stopped in. */
const FILE_GROUPS: readonly (readonly [string, readonly string[]])[] = [
  ['settings.py', ['mysite/settings.py']],
  ['wsgi.py, urls.py', ['mysite/wsgi.py', 'mysite/urls.py']],
  ['migration', ['mysite/migrations/0001_initial.py']],
  ['gunicorn.conf.py', ['gunicorn.conf.py']],
  ['Procfile', ['Procfile']],
  ['Dockerfile', ['Dockerfile']],
  ['compose', ['docker-compose.yml', 'docker-compose.raw.yml']],
  ['systemd unit', ['deploy/mysite.service']],
  ['.env', ['.env', '.env.production']],
  ['shell script', ['bin/start.sh']],
  ['requirements.txt', ['requirements.txt']],
  ['pyproject.toml', ['pyproject.toml']],
  ['Pipfile', ['Pipfile']],
  ['setup.cfg', ['setup.cfg']],
  ['setup.py', ['setup.py']],
  ['poetry.lock', ['poetry.lock']],
  ['tox.ini', ['tox.ini']],
  ['CI, pre-commit, Makefile', ['.github/workflows/ci.yml', '.pre-commit-config.yaml', 'Makefile']],
  ['platform configs', ['fly.toml', 'app.json']],
  ['README.md', ['README.md']],
];

/** Every file of projectFiles but settings.py (which a reader of its own holds). */
const OTHER_FILES = FILE_GROUPS.flatMap(([, files]) => files).filter((f) => f !== 'mysite/settings.py');

/** What the files not under test hold instead of the string: the production settings are still mysite.settings. */
const PLAIN = 'mysite.settings';
let plainFiles: Readonly<Record<string, string>> | undefined;

/** The project of projectFiles with only `files` hostile (the others as a plain project has them). */
function onlyHostile(s: string, files: readonly string[]): Record<string, string> {
  const hostile = projectFiles(s);
  plainFiles ??= makeProjectFiles(PLAIN);
  return Object.fromEntries(Object.entries(plainFiles).map(([f, t]) => [f, files.includes(f) ? hostile[f]! : t]));
}

// ---- the readers ---------------------------------------------------------------------------------

const F = '/p/file';

/**
 * Analyses a project as the CLI does, and builds what the editor asks for besides (fixes, the
 * checklist): on disk, or from memory (the same readers, without reading each file again per fix).
 */
function analyse(files: Record<string, string>, onDisk: boolean): WorkspaceAnalysis {
  const dir = onDisk ? mkdtempSync(path.join(tmpdir(), 'ddh-redos-')) : '/p';
  try {
    if (onDisk)
      for (const [f, t] of Object.entries(files)) {
        mkdirSync(path.dirname(path.join(dir, f)), { recursive: true });
        writeFileSync(path.join(dir, f), t);
      }
    const ws = new Workspace(onDisk ? new NodeFileSystem() : new MemoryFileSystem(files, dir), [dir]);
    // every phase may take as long as it needs (the default budget would skip rules after a slow
    // one): only the test's deadline stops a call, so every reader on the path reads the input
    const options: AnalysisOptions = { budgetMs: DEADLINE_MS, migrations: 'all', fixes: true };
    const analysis = analyzeWorkspace(ws, options);
    // a project whose analysis threw is reported by analyzeWorkspace, not thrown: say it here
    if (analysis.failed && analysis.failed.length > 0) throw new Error(analysis.messages.join('; '));
    for (const p of analysis.projects) buildChecklist(ws, p);
    return analysis;
  } finally {
    if (onDisk) rmSync(dir, { recursive: true, force: true });
  }
}

function memoryScan(files: Readonly<Record<string, string>>): { fs: MemoryFileSystem; scan: ReturnType<typeof scanWorkspace> } {
  const fs = new MemoryFileSystem({ ...files }, '/p');
  return { fs, scan: scanWorkspace(fs, '/p') };
}

function shellCommands(text: string): void {
  for (const c of tokenize(MappedText.slice(F, text))) {
    recognise(c);
    parseGunicornArgs(c.words);
  }
}

const DEPENDENCY_FILES: readonly (readonly [FileKind, string, (s: string) => string])[] = [
  ['requirements', 'requirements.txt', (s) => fileOf('requirements.txt', s)],
  ['pyproject', 'pyproject.toml', (s) => fileOf('pyproject.toml', s)],
  ['pyproject', 'pyproject.toml', (s) => `[project]\ndependencies = [\n${s}\n]\n`],
  ['pipfile', 'Pipfile', (s) => fileOf('Pipfile', s)],
  ['pipfile', 'Pipfile', (s) => `[packages]\n${s}\n`],
  ['setupcfg', 'setup.cfg', (s) => fileOf('setup.cfg', s)],
  ['setuppy', 'setup.py', (s) => fileOf('setup.py', s)],
  ['lockfile', 'poetry.lock', (s) => fileOf('poetry.lock', s)],
  ['lockfile', 'poetry.lock', (s) => `[[package]]\n${s}\n`],
  ['dockerfile', 'Dockerfile', (s) => fileOf('Dockerfile', s)],
];

interface Reader {
  readonly name: string;
  /** Which inputs: DIRECT, or PROJECT's (shorter runs) for what parses Python or a whole project. */
  readonly sizes: Sizes;
  run(s: string): void;
  /**
   * The same call with only `files` of projectFiles hostile, for each of `groups` (labels of
   * FILE_GROUPS): when the deadline stops the reader on an input, these say which file kind did it.
   */
  readonly only?: { readonly groups: readonly string[]; run(s: string, files: readonly string[]): void };
}

const READERS: readonly Reader[] = [
  {
    name: 'secrets: one settings value (credentialIn, secretKind, secretParts, urlPassword, keyFormat…)',
    sizes: DIRECT,
    run(s) {
      for (const [named, name] of [
        [true, 'API_SECRET'],
        [true, 'RATELIMIT_RATE'],
        [false, 'STATIC_ROOT'],
        [true, undefined],
      ] as const) {
        credentialIn(s, named, name);
        secretKind(s, named, name);
        secretParts(s, named, name);
        secretParts(`https://user:${s}@example.com/x`, named, name);
        secretParts(`postgres://${s}@db/x`, named, name);
      }
      urlPassword(s);
      keyFormat(s);
      isPlaceholder(s);
      isFalseFriend(s);
      stripUrlCredentials(s);
      stripUrlCredentials(`see https://u:${s}@h/ and ${s}`);
      redact(s, ['x', s.slice(0, 20)]);
      redact(`value ${s} here`, [s]);
    },
  },
  {
    name: 'secrets: written in file texts (secretsInText on settings.py, .env, Procfile, Dockerfile, compose, unit, gunicorn.conf.py)',
    sizes: DIRECT,
    run(s) {
      const files = projectFiles(s);
      for (const f of [
        'mysite/settings.py',
        'gunicorn.conf.py',
        'Procfile',
        'Dockerfile',
        'docker-compose.yml',
        'docker-compose.raw.yml',
        'deploy/mysite.service',
        '.env',
        'bin/start.sh',
      ])
        secretsInText(files[f]!, `/p/${f}`);
      secretsInText(s, '/p/settings.py');
      secretsInText(s, '/p/.env');
    },
  },
  {
    name: 'Python comments and # noqa (noqaCodesAt, NoqaLines)',
    sizes: DIRECT,
    run(s) {
      for (const text of [`X = 1  # noqa: ${s}`, `X = 1  # noqa${s}\nY = 2`, `# ${s}\nX = 1  # noqa: DDH107`, s]) {
        noqaCodesAt(text, 0);
        noqaCodesAt(text, text.length);
        const lines = new NoqaLines(text);
        lines.codesAt(0);
        lines.codesAt(text.length - 1);
      }
    },
  },
  {
    name: 'Python documents (PythonDocument.parse, isLexicallyClosed)',
    sizes: PROJECT,
    run(s) {
      PythonDocument.parse(`X = ${py(s)}\n# ${s}\n`);
      PythonDocument.parse(s);
      isLexicallyClosed(settingsText(s));
      isLexicallyClosed(s);
    },
  },
  {
    name: 'shell command lines (tokenize, splitWords, recognise, parseGunicornArgs)',
    sizes: DIRECT,
    run(s) {
      shellCommands(s);
      shellCommands(`gunicorn mysite.wsgi --bind ${s}`);
      shellCommands(`python manage.py migrate && gunicorn -c ${s} mysite.wsgi`);
      shellCommands(`API_KEY=${s} celery -A mysite worker`);
      shellCommands(`sh -c "${s}"`);
      splitWords(MappedText.slice(F, s), 'systemd');
      splitWords(MappedText.slice(F, `/srv/gunicorn --bind ${s}`), 'split');
    },
  },
  {
    name: 'Procfile (parseProcfile and its commands)',
    sizes: DIRECT,
    run(s) {
      for (const text of [fileOf('Procfile', s), s, `web: ${s}`]) for (const e of parseProcfile(F, text)) shellCommands(e.command.text);
    },
  },
  {
    name: 'Dockerfile (parseInstructions, parseDockerfile)',
    sizes: DIRECT,
    run(s) {
      for (const text of [fileOf('Dockerfile', s), s, `FROM python\nCMD [${s}]`]) {
        parseInstructions(F, text);
        parseDockerfile(`${F}-${text.length}`, text);
      }
    },
  },
  {
    name: 'compose YAML (parseYaml, parseCompose)',
    sizes: DIRECT,
    run(s) {
      for (const text of [fileOf('docker-compose.yml', s), fileOf('docker-compose.raw.yml', s), s]) {
        parseYaml(F, text);
        parseCompose(`${F}-${text.length}`, text);
      }
    },
  },
  {
    name: 'systemd unit (parseSystemdService)',
    sizes: DIRECT,
    run(s) {
      for (const text of [fileOf('deploy/mysite.service', s), s, `[Service]\nExecStart=${s}`]) parseSystemdService(F, text);
    },
  },
  {
    name: 'dependency files and the Django version (detectVersions per file kind, readProjectConfig, pinnedGunicorn)',
    sizes: DIRECT,
    run(s) {
      for (const [kind, name, make] of DEPENDENCY_FILES) {
        const text = make(s);
        const fs = new MemoryFileSystem({ [name]: text }, '/p');
        detectVersions(fs, [{ path: `/p/${name}`, kind }], '/p');
        pinnedGunicorn(kind, `${text}\ngunicorn`);
        if (name === 'pyproject.toml') readProjectConfig(fs, '/p');
      }
      readRequirementsText(s, '/p/requirements.txt', 'django');
      parsePep508(s);
      parsePep508(`django${s}`, 'django');
      poetryToPep440(s);
      readConstraint(s);
      newestAllowed(s);
    },
  },
  {
    name: 'source roots and repository (repositoryOf: setup.cfg, pyproject.toml)',
    sizes: DIRECT,
    run(s) {
      for (const f of ['setup.cfg', 'pyproject.toml']) {
        const { fs, scan } = memoryScan({ 'manage.py': MANAGE, [f]: fileOf(f, s) });
        repositoryOf(fs, scan);
      }
      const { fs, scan } = memoryScan({ 'manage.py': MANAGE, 'setup.cfg': `[options]\npackage_dir =\n${s}\n`, 'pyproject.toml': s });
      repositoryOf(fs, scan);
    },
  },
  {
    name: 'project discovery (scan, discover: settings mentions in process files, .env, selectors)',
    sizes: DIRECT,
    run(s) {
      const { fs, scan } = memoryScan(projectFiles(s));
      discover(fs, scan);
    },
    only: {
      groups: FILE_GROUPS.map(([label]) => label),
      run(s, files) {
        const { fs, scan } = memoryScan(onlyHostile(s, files));
        discover(fs, scan);
      },
    },
  },
  {
    name: 'migration graph (readGraphNode)',
    sizes: DIRECT,
    run(s) {
      for (const text of migrationTexts(s)) readGraphNode('/p/mysite/migrations/0002_x.py', text);
    },
  },
  {
    name: 'migrations (readMigration of the parsed module)',
    sizes: PROJECT,
    run(s) {
      for (const text of migrationTexts(s)) readMigration('/p/mysite/migrations/0002_x.py', PythonDocument.parse(text));
    },
  },
  {
    name: 'file names (classify)',
    sizes: DIRECT,
    run(s) {
      // a path is at most PATH_MAX (4,096 bytes on Linux) long
      const name = s.replace(/\u0000/g, '').slice(0, 4000);
      for (const rel of [name, `docs/${name}.md`, `${name}/compose.yml`, `compose${name}.yml`, `requirements/${name}.txt`]) classify(rel);
    },
  },
  {
    name: 'settings analysis: settings.py holding the string as values and in comments (analyzeWorkspace, as the CLI)',
    sizes: PROJECT,
    run(s) {
      analyse(onlyHostile(s, ['mysite/settings.py']), true);
    },
  },
  {
    name: 'project analysis: the string in every other file kind (analyzeWorkspace with migrations and fixes, the checklist)',
    sizes: PROJECT,
    run(s) {
      analyse(onlyHostile(s, OTHER_FILES), false);
    },
    only: {
      groups: FILE_GROUPS.map(([label]) => label).filter((label) => label !== 'settings.py'),
      run(s, files) {
        analyse(onlyHostile(s, files), false);
      },
    },
  },
];

/** The reader with one file kind hostile at a time, by label: which kind stops a reader of many. */
function onlyReaders(reader: Reader): [string, Reader][] {
  const only = reader.only;
  if (!only) return [];
  return FILE_GROUPS.filter(([label]) => only.groups.includes(label)).map(([label, files]) => [
    label,
    { name: `${reader.name}, only ${label} hostile`, sizes: reader.sizes, run: (s: string) => only.run(s, files) },
  ]);
}

const ALL_READERS = new Map(READERS.flatMap((r) => [r, ...onlyReaders(r).map(([, k]) => k)]).map((r) => [r.name, r]));

// ---- the worker ----------------------------------------------------------------------------------

type ToWorker = { readonly reader: string; readonly inputs: readonly number[] };

type FromWorker =
  | { readonly type: 'ready' }
  | { readonly type: 'start'; readonly input: number }
  | { readonly type: 'end'; readonly input: number; readonly ms: number; readonly error?: string }
  | { readonly type: 'batch' };

function workerMain(): void {
  const port = parentPort!;
  void loadParser().then(() => {
    const lists = new Map<Sizes, Input[]>();
    port.on('message', (m: ToWorker) => {
      const reader = ALL_READERS.get(m.reader)!;
      const sizes = reader.sizes;
      if (!lists.has(sizes)) lists.set(sizes, allInputs(sizes));
      const inputs = lists.get(sizes)!;
      for (const i of m.inputs) {
        port.postMessage({ type: 'start', input: i } satisfies FromWorker);
        const t = performance.now();
        let error: string | undefined;
        try {
          reader.run(inputs[i]!.text);
        } catch (e) {
          error = (e as Error)?.stack ?? String(e);
        }
        port.postMessage({ type: 'end', input: i, ms: performance.now() - t, error } satisfies FromWorker);
      }
      port.postMessage({ type: 'batch' } satisfies FromWorker);
    });
    port.postMessage({ type: 'ready' } satisfies FromWorker);
  });
}

interface Outcome {
  readonly stopped: { input: number; why: string }[];
  readonly errors: { input: number; error: string }[];
  readonly times: { input: number; ms: number }[];
  /** Inputs not given to the reader: its share of REDOS_SECONDS ran out. */
  left: number;
}

/** Runs batches in one worker at a time; a worker the deadline stops is terminated and replaced. */
class Runner {
  private worker: Worker | undefined;
  private ready: Promise<void> | undefined;

  private start(): Promise<void> {
    const w = new Worker(__filename, { workerData: { redosFuzz: true }, resourceLimits: { maxOldGenerationSizeMb: 2048 } });
    this.worker = w;
    // a worker that dies between batches: the next batch sees it exit
    w.on('error', () => {});
    return new Promise((resolve, reject) => {
      const onMessage = (m: FromWorker): void => {
        if (m.type !== 'ready') return;
        w.off('message', onMessage);
        w.off('error', reject);
        resolve();
      };
      w.on('message', onMessage);
      w.once('error', reject);
    });
  }

  /** Calls `reader` on each input; `into` collects what happened. */
  async batch(reader: string, inputs: readonly number[], into: Outcome): Promise<void> {
    let rest = [...inputs];
    while (rest.length > 0) {
      this.ready ??= this.start();
      await this.ready;
      const w = this.worker!;
      const done = await new Promise<number | undefined>((resolve) => {
        let current: number | undefined;
        let finished = 0;
        let finishedMs = 0;
        const finish = (stoppedAt: number | undefined, why?: string): void => {
          clearTimeout(timer);
          w.off('message', onMessage);
          w.off('error', onError);
          w.off('exit', onExit);
          if (stoppedAt !== undefined) into.stopped.push({ input: stoppedAt, why: why! });
          resolve(stoppedAt === undefined ? undefined : finished);
        };
        const onMessage = (m: FromWorker): void => {
          if (m.type === 'start') current = m.input;
          else if (m.type === 'end') {
            current = undefined;
            finished++;
            finishedMs += m.ms;
            into.times.push({ input: m.input, ms: m.ms });
            if (m.error !== undefined) into.errors.push({ input: m.input, error: m.error });
          } else if (m.type === 'batch') finish(undefined);
        };
        const onError = (e: Error): void => finish(current ?? rest[finished]!, `the worker died: ${e.message}`);
        const onExit = (code: number): void => finish(current ?? rest[finished]!, `the worker exited (${code})`);
        const timer = setTimeout(() => {
          const before = finished > 0 ? ` (after the ${finished} calls before it in its batch, ${(finishedMs / 1000).toFixed(1)} s)` : '';
          finish(current ?? rest[finished]!, `the deadline (${DEADLINE_MS / 1000} s) stopped it${before}`);
        }, DEADLINE_MS);
        w.on('message', onMessage);
        w.once('error', onError);
        w.once('exit', onExit);
        w.postMessage({ reader, inputs: rest } satisfies ToWorker);
      });
      if (done === undefined) return;
      // stopped: a fresh worker goes on after the input it was stopped in
      this.worker = undefined;
      this.ready = undefined;
      await w.terminate();
      rest = rest.slice(done + 1);
    }
  }

  async close(): Promise<void> {
    const w = this.worker;
    this.worker = undefined;
    this.ready = undefined;
    await w?.terminate();
  }
}

/** An error's message without the input it may quote whole. */
function short(text: string): string {
  return text.length > 300 ? `${text.slice(0, 200)}…(${text.length} characters)…${text.slice(-100)}` : text;
}

// ---- the test ------------------------------------------------------------------------------------

if (!isMainThread && (workerData as { redosFuzz?: boolean } | undefined)?.redosFuzz) workerMain();
else if (isMainThread) {
  const lists = new Map<Sizes, Input[]>([DIRECT, PROJECT].map((sizes) => [sizes, allInputs(sizes)]));
  const runner = new Runner();
  const slowest: { reader: string; input: string; ms: number }[] = [];
  const total = { calls: 0, ms: 0 };

  const runReader = async (reader: Reader, which?: readonly number[]): Promise<Outcome> => {
    const inputs = lists.get(reader.sizes)!;
    const chosen = which ?? inputs.flatMap((input, i) => (ONLY_INPUT === undefined || input.name.includes(ONLY_INPUT) ? [i] : []));
    const out: Outcome = { stopped: [], errors: [], times: [], left: 0 };
    // a batch: what takes well under a second once the patterns are linear (the deadline is the batch's)
    const size = reader.sizes === DIRECT ? DIRECT_BATCH : PROJECT_BATCH;
    const until = Date.now() + (SECONDS * 1000) / READERS.length;
    for (let i = 0; i < chosen.length; i += size) {
      if (Date.now() > until) {
        out.left = chosen.length - i;
        break;
      }
      await runner.batch(reader.name, chosen.slice(i, i + size), out);
    }
    for (const t of out.times) {
      total.calls++;
      total.ms += t.ms;
      if (slowest.length < 10 || t.ms > slowest[slowest.length - 1]!.ms) {
        slowest.push({ reader: reader.name, input: inputs[t.input]!.name, ms: t.ms });
        slowest.sort((a, b) => b.ms - a.ms).splice(10);
      }
    }
    return out;
  };

  const counts = [...lists.values()].map((l) => l.length).join(' and ');
  describe(`hostile strings: every reader finishes them (${READERS.length} readers, ${counts} inputs, deadline ${DEADLINE_MS / 1000} s a batch)`, () => {
    after(async () => {
      await runner.close();
      console.log(`${total.calls} calls finished in ${(total.ms / 1000).toFixed(1)} s of the workers' time; the slowest:`);
      for (const s of slowest.slice(0, 5)) console.log(`  ${s.ms.toFixed(0)} ms: ${s.reader}, on ${s.input}`);
    });

    it('the project the readers fill is analysed: mysite.settings is production, DEBUG is reported', async () => {
      await loadParser();
      for (const onDisk of [false, true]) {
        const [p] = analyse(onlyHostile(PLAIN, []), onDisk).projects;
        assert.equal(p?.project.production?.module.name, 'mysite.settings');
        assert.ok(
          p.findings.some((f) => f.code === 'DDH107'),
          p.findings.map((f) => f.code).join(),
        );
      }
    });

    for (const reader of READERS.filter((r) => ONLY_READER === undefined || r.name.includes(ONLY_READER)))
      it(reader.name, async (t) => {
        const inputs = lists.get(reader.sizes)!;
        const out = await runReader(reader);
        const top = out.times.reduce((a, b) => (b.ms > a.ms ? b : a), { input: -1, ms: 0 });
        const sum = out.times.reduce((a, b) => a + b.ms, 0);
        t.diagnostic(
          `${out.times.length} calls finished in ${(sum / 1000).toFixed(1)} s${top.input >= 0 ? `, the slowest ${top.ms.toFixed(0)} ms on ${inputs[top.input]!.name}` : ''}${out.left > 0 ? `; ${out.left} inputs left out (REDOS_SECONDS)` : ''}`,
        );
        const lines = out.stopped.map((s) => `${s.why}: ${inputs[s.input]!.name}`);
        // a reader of many files stopped: the file kinds that stop it alone
        for (const [n, s] of out.stopped.entries()) {
          if (!reader.only) break;
          if (n === DIAGNOSED) {
            lines.push(`  (the file kinds of the stops after the first ${DIAGNOSED} are not looked for)`);
            break;
          }
          const kinds: string[] = [];
          for (const [label, k] of onlyReaders(reader)) if ((await runReader(k, [s.input])).stopped.length > 0) kinds.push(label);
          lines.push(`  ${inputs[s.input]!.name}: stopped again with only ${kinds.join(', ') || '(no one file kind alone)'} hostile`);
        }
        for (const e of out.errors) lines.push(`threw on ${inputs[e.input]!.name}: ${short(e.error.split('\n').slice(0, 3).join(' | '))}`);
        assert.deepEqual(lines, [], `${reader.name}:\n${lines.join('\n')}`);
      });
  });
}
