// Seeded fuzzing of the whole analysis: mutated fixtures must never throw, must return (every phase
// has its budget; a hang fails the test by its timeout), keep every range inside its document, and
// never put a secret from the input into a message, the CLI's JSON or its SARIF. A fixed number of
// iterations, so a loaded machine runs the same cases more slowly instead of fewer of them (no
// wall-clock assertion); `npm run fuzz` runs longer (FUZZ_ITERATIONS, FUZZ_SEED; FUZZ_SECONDS caps a
// long local run).
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { before, describe, it } from 'node:test';
import { analyzeWorkspace } from '../../server/src/analysis/engine/engine';
import { loadParser } from '../../server/src/analysis/parse/treeSitter';
import { MemoryFileSystem } from '../../server/src/analysis/files/fs';
import { Workspace } from '../../server/src/analysis/engine/workspace';
import { CLI, EXAMPLE, FIXTURES } from '../helpers/paths';
import { pick, rng } from '../helpers/random';

const ITERATIONS = Number(process.env.FUZZ_ITERATIONS ?? 150);
const SECONDS = Number(process.env.FUZZ_SECONDS ?? Number.POSITIVE_INFINITY);
const SEED = Number(process.env.FUZZ_SEED ?? 1337);
const BUDGET_MS = 1000;

function corpus(): string[] {
  const out: string[] = [
    readFileSync(path.join(EXAMPLE, 'mysite/settings.py'), 'utf8'),
    readFileSync(path.join(EXAMPLE, 'gunicorn.conf.py'), 'utf8'),
  ];
  const walk = (dir: string): void => {
    for (const n of readdirSync(dir)) {
      const p = path.join(dir, n);
      if (statSync(p).isDirectory()) walk(p);
      else if (n.endsWith('.py') && statSync(p).size < 20_000) out.push(readFileSync(p, 'utf8'));
    }
  };
  walk(path.join(FIXTURES, 'rules'));
  return out;
}

const TOKENS = [
  '(',
  ')',
  '[',
  ']',
  '{',
  '}',
  ':',
  ',',
  '=',
  '==',
  '+',
  '*',
  '"',
  "'",
  '"""',
  '#',
  '\\',
  '\n',
  '    ',
  'if DEBUG:\n    ',
  'else:\n',
  'from .base import *\n',
  'import os\n',
  'os.environ.get("X", "y")',
  'env("A", default=True)',
  'lambda: 0',
  'None',
  'True',
  '0x10',
  '1e9',
  'f"{x}"',
  '😀',
  '\u0000',
  '\ufeff',
  'é',
  'exec("x")',
  'globals().update(X)',
  'for a in b:\n    ',
  'while True:\n    ',
  'del X\n',
  'MIDDLEWARE.insert(0, "x")\n',
  'DATABASES["default"]["X"] = 1\n',
  // issue 17's shapes: control characters, noqa comments, long lines of findings, split-settings includes
  '\u001b[31m',
  '\r',
  '\u202e',
  '  # noqa: DDH202, DDH107',
  `ALLOWED_HOSTS = [${Array(300).fill('"*"').join(', ')}]\n`,
  'include("../../../etc/passwd")\n',
  'include("/etc/passwd")\n',
];

/** Process files of the hostile kinds: backslash continuations, long lines, control characters. */
function processFile(r: () => number, kind: 'procfile' | 'service'): string {
  const cont = ' \\\n  --workers 3'.repeat(Math.floor(r() * 200));
  const junk = pick(r, ['', '\u001b]0;x\u0007', '\\\\\\', '"', "'", '$(', '`']);
  return kind === 'procfile'
    ? `web: gunicorn mysite.wsgi${cont}${junk}\nrelease: python manage.py migrate\n`
    : `[Service]\nExecStart=/srv/bin/gunicorn mysite.wsgi${cont}${junk}\n`;
}

/** Values that grow without bound (issue 17.1): a start line and a line repeated up to 80 times. */
const GROWTH: readonly (readonly [string, string])[] = [
  ['A = [1]', 'A = A + A'],
  ['A = [0] * 1000', 'A = A * 1000'],
  ['A = [1]', 'A += A'],
  ['A = [1]', 'A.extend(A)'],
  ['A = [1]', 'A = [*A, *A]'],
  ['A = [1]', 'A = [x for x in A for y in (1, 2)]'],
  ['S = "x"', 'S = S + S'],
  ['S = "0" * 1000', 'S = S * 1000'],
  ['S = "x"', 'S = f"{S}{S}"'],
  ['S = "x"', 'S = "%s%s" % (S, S)'],
  ['S = "x"', 'S = "".join([S, S])'],
  ['T = (1,)', 'T = (T, T)'],
];

function mutate(r: () => number, text: string): string {
  let t = text;
  const n = 1 + Math.floor(r() * 5);
  for (let i = 0; i < n; i++) {
    const at = Math.floor(r() * (t.length + 1));
    const len = Math.floor(r() * 40);
    switch (Math.floor(r() * 7)) {
      case 0:
        t = t.slice(0, at) + t.slice(at + len);
        break;
      case 1:
        t = t.slice(0, at) + t.slice(at, at + len) + t.slice(at);
        break;
      case 2:
      case 3:
        t = t.slice(0, at) + pick(r, TOKENS) + t.slice(at);
        break;
      case 4: {
        const lines = t.split('\n');
        const a = Math.floor(r() * lines.length);
        const b = Math.floor(r() * lines.length);
        [lines[a], lines[b]] = [lines[b]!, lines[a]!];
        t = lines.join('\n');
        break;
      }
      case 6: {
        // at a line start: a value that doubles (or grows a thousandfold) on each line
        const [start, grow] = pick(r, GROWTH);
        const lineStart = t.lastIndexOf('\n', at - 1) + 1;
        const block = [start, ...Array.from({ length: 1 + Math.floor(r() * 80) }, () => grow)].join('\n') + '\n';
        t = t.slice(0, lineStart) + block + t.slice(lineStart);
        break;
      }
      default:
        t = t.slice(0, at);
    }
  }
  return t;
}

function secretLines(r: () => number): { text: string; secrets: string[] } {
  const s = () => 's3cr3t' + Math.floor(r() * 1e12).toString(36) + Math.floor(r() * 1e12).toString(36);
  const secrets = [s(), s(), s(), s()];
  const text = [
    `SECRET_KEY = "${secrets[0]}"`,
    `DATABASES = {"default": {"ENGINE": "django.db.backends.postgresql", "HOST": "db.example.com", "PASSWORD": "${secrets[1]}"}}`,
    `STRIPE_API_KEY = "${secrets[2]}"`,
    `SENTRY_DSN = "https://${secrets[3]}@o1.ingest.sentry.io/1"`,
  ].join('\n');
  return { text, secrets };
}

describe(`fuzz (seed ${SEED}, ${ITERATIONS} iterations)`, () => {
  before(async () => {
    await loadParser();
  });

  it('no exception, no hang, ranges inside documents, no secret in any output', () => {
    const r = rng(SEED);
    const texts = corpus();
    const started = Date.now();
    let cliRuns = 0;
    for (let i = 0; i < ITERATIONS && Date.now() - started < SECONDS * 1000; i++) {
      const base = pick(r, texts);
      const { text: secretsText, secrets } = secretLines(r);
      // secrets go in before mutation, so that mutations also cut and move them
      const src = mutate(r, r() < 0.5 ? `${secretsText}\n${base}` : `${base}\n${secretsText}`);
      const files: Record<string, string> = {
        'manage.py': 'import os\nos.environ.setdefault("DJANGO_SETTINGS_MODULE", "mysite.settings")\n',
        'mysite/__init__.py': '',
        'mysite/settings.py': src,
        'gunicorn.conf.py': mutate(r, pick(r, texts)),
        Procfile: mutate(r, processFile(r, 'procfile')),
        'deploy/site.service': mutate(r, processFile(r, 'service')),
      };
      const ws = new Workspace(new MemoryFileSystem(files, '/f'), ['/f']);
      let analysis: ReturnType<typeof analyzeWorkspace>;
      try {
        analysis = analyzeWorkspace(ws, { budgetMs: BUDGET_MS });
      } catch (e) {
        assert.fail(`iteration ${i} threw ${(e as Error).stack}\n--- settings.py ---\n${src}`);
      }
      for (const f of analysis.projects.flatMap((p) => p.findings)) {
        const text = ws.document(f.loc.file)?.text ?? ws.fs.readText(f.loc.file) ?? '';
        assert.ok(
          f.loc.start >= 0 && f.loc.start <= f.loc.end && f.loc.end <= text.length,
          `iteration ${i}: ${f.code} range ${f.loc.start}-${f.loc.end} outside ${text.length}`,
        );
        for (const s of secrets) assert.ok(!f.message.includes(s), `iteration ${i}: ${f.code} leaks a secret: ${f.message}`);
        for (const fix of f.fixes) for (const s of secrets) assert.ok(!fix.title.includes(s), `iteration ${i}: a fix title leaks a secret`);
      }
      // now and then, the real CLI: JSON and SARIF must not contain the secrets either
      if (i % 40 === 0) {
        const dir = mkdtempSync(path.join(tmpdir(), 'ddh-fuzz-'));
        for (const [f, t] of Object.entries(files)) {
          mkdirSync(path.dirname(path.join(dir, f)), { recursive: true });
          writeFileSync(path.join(dir, f), t);
        }
        for (const format of ['json', 'sarif', 'text']) {
          const out = spawnSync(process.execPath, [CLI, dir, '--format', format], { encoding: 'utf8' });
          assert.ok(out.status === 0 || out.status === 1, `CLI exit ${out.status}: ${out.stderr}`);
          for (const s of secrets)
            assert.ok(!out.stdout.includes(s) && !out.stderr.includes(s), `iteration ${i}: the CLI's ${format} output leaks a secret`);
          // control characters from the input never reach the text output raw
          if (format === 'text')
            assert.ok(
              !/[\u0000-\u0008\u000b-\u001f\u007f\u202e]/.test(out.stdout),
              `iteration ${i}: a raw control character in the text output`,
            );
        }
        rmSync(dir, { recursive: true, force: true });
        cliRuns++;
      }
    }
    assert.ok(cliRuns > 0);
  });
});
