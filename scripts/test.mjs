// The whole test suite, as `npm test` runs it (and CI through .ci/run):
//   0. format and lint (Biome: npm run format fixes the formatting)
//   1. type-check (tsc --noEmit; the end-to-end .mjs files through their JSDoc, test/e2e/tsconfig.json)
//   2. the regex gate: recheck over every regular expression of server/src (scripts/regex-gate.mjs)
//   3. build the bundles and the tests
//   4. unit tests on fixtures
//   5. LSP tests over a real JSON-RPC connection
//   6. generated files are in sync with the rule catalogue
//   7. install paths: npm pack, npm install -g, pre-commit
//   8. parity: Django's own check --deploy on the rule fixtures (Debian's python3-django)
//   8b. pydiff: the evaluator against CPython on generated settings and our fixtures (test/pydiff)
//   8c. libdiff: the library catalogue and the evaluator against the real libraries Debian packages
//      (WhiteNoise, django-cors-headers, django-csp, pydantic 1.x, dynaconf, django-axes,
//      django-storages) on generated cases (test/libdiff)
//   8d. proxy: the nginx and Caddyfile readers against Debian's nginx (`nginx -t`) and Caddy (`caddy adapt`),
//      and the loopback lab (nginx in front of gunicorn and Django 4.2 from bookworm-backports, unpacked
//      into .cache/, not installed: parity and pydiff keep Debian 12's Django 3.2)
//   9. end-to-end tests in a real VS Code (code-server)
// `node scripts/test.mjs unit` (or lsp, e2e, …) runs one stage after the build; `regex` runs alone.
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const buildDir = process.env.DDH_BUILD_DIR || root;
const only = process.argv[2];

function run(title, cmd, args, opts = {}) {
  const started = Date.now();
  process.stdout.write(`\n=== ${title}\n`);
  const r = spawnSync(cmd, args, { cwd: root, stdio: 'inherit', ...opts });
  const secs = ((Date.now() - started) / 1000).toFixed(1);
  if (r.status !== 0) {
    process.stdout.write(`=== ${title}: FAILED after ${secs}s\n`);
    process.exit(r.status ?? 1);
  }
  process.stdout.write(`=== ${title}: ok (${secs}s)\n`);
}

function testFiles(dir) {
  if (!existsSync(dir)) return [];
  const out = [];
  for (const name of readdirSync(dir)) {
    const full = join(dir, name);
    if (statSync(full).isDirectory()) out.push(...testFiles(full));
    else if (name.endsWith('.test.js')) out.push(full);
  }
  return out.sort();
}

function nodeTests(title, dir, concurrency = 2) {
  const files = testFiles(join(buildDir, 'out/test', dir));
  if (files.length === 0) return;
  run(title, process.execPath, ['--enable-source-maps', '--test', `--test-concurrency=${concurrency}`, ...files]);
}

const stages = {
  lint: () =>
    run('format and lint (Biome)', process.execPath, [join(root, 'node_modules/@biomejs/biome/bin/biome'), 'ci', '--error-on-warnings']),
  typecheck: () => {
    run('type-check', process.execPath, [join(root, 'node_modules/typescript/bin/tsc'), '--noEmit', '-p', '.']);
    // the end-to-end scripts are JavaScript, checked from their JSDoc (test/e2e/tsconfig.json)
    run('type-check (end-to-end scripts)', process.execPath, [join(root, 'node_modules/typescript/bin/tsc'), '--noEmit', '-p', 'test/e2e']);
  },
  // no super-linear pattern: every literal and RegExp construction of server/src, checked by recheck
  regex: () => run('regex gate (recheck)', process.execPath, [join(root, 'scripts/regex-gate.mjs')]),
  unit: () => nodeTests('unit tests', 'unit'),
  lsp: () => nodeTests('LSP tests', 'lsp'),
  docs: () => nodeTests('generated files in sync', 'docs'),
  // one file at a time: `npm pack` rebuilds dist/, which the Neovim test starts the server from
  install: () => nodeTests('install paths (npm pack, npm install -g, pre-commit)', 'install', 1),
  // Debian's python3-django (3.2), installed when missing (as root; under CI=true a failure otherwise)
  parity: () => {
    run('parity setup: Debian python3-django and what the fixtures import', process.execPath, [join(root, 'test/parity/setup.mjs')]);
    nodeTests("parity with Django's check --deploy", 'parity');
  },
  // the evaluator against CPython: every known setting equals Python's value (test/pydiff)
  pydiff: () => {
    run('pydiff setup: Debian python3-django and the environment libraries', process.execPath, [join(root, 'test/pydiff/setup.mjs')]);
    nodeTests('the evaluator against CPython', 'pydiff');
  },
  // the library catalogue against WhiteNoise, django-cors-headers, django-csp and pydantic as Debian
  // packages them (installed when missing, as root; under CI=true a failure otherwise)
  libdiff: () => {
    run('libdiff setup: Debian python3-django and the libraries', process.execPath, [join(root, 'test/libdiff/setup.mjs')]);
    nodeTests('the library catalogue against the real libraries', 'libdiff');
  },
  // Debian's nginx-light, caddy, gunicorn and python3-django, installed when missing, and the lab's Django 4.2
  // from bookworm-backports unpacked into .cache/debian-backports (as root; under CI=true a failure otherwise)
  proxy: () => {
    run('proxy setup: Debian nginx, caddy, gunicorn, Django (and 4.2 from bookworm-backports for the lab)', process.execPath, [
      join(root, 'test/proxy/setup.mjs'),
    ]);
    nodeTests('the proxy readers against nginx -t and caddy adapt; the loopback lab', 'proxy');
  },
  e2e: () => {
    if (!existsSync(join(root, 'test/e2e/run.mjs'))) return;
    run('end-to-end tests (code-server)', process.execPath, [join(root, 'test/e2e/run.mjs')]);
  },
};

if (only && !stages[only]) {
  console.error(`unknown stage ${only}; one of ${Object.keys(stages).join(', ')}`);
  process.exit(2);
}
if (!only) {
  stages.lint();
  stages.typecheck();
  stages.regex();
}
// the gate reads the sources, not the build
if (only === 'regex') stages.regex();
else {
  run('build', process.execPath, [join(root, 'scripts/build.mjs'), '--tests']);
  if (only) stages[only]();
  else for (const s of ['unit', 'lsp', 'docs', 'install', 'parity', 'pydiff', 'libdiff', 'proxy', 'e2e']) stages[s]();
}
