// The typing differential on real projects: for each project of the extracted development corpus
// (../shared/corpus, extracted with its extract.sh), every Python module the production settings
// evaluation reads is typed into (a character just inside each string literal, then taken back),
// and after each keystroke the analysis reusing kept evaluations (the language server's) is
// compared with a full evaluation of the same text (scripts/corpusTyping.ts). It prints, per
// module, how many keystrokes were patched and why the others were not, and exits 1 when any
// keystroke's analysis differed from the full evaluation. Then every other file of the project the
// analysis found (deployment files, app server configs, manage.py, wsgi.py) is edited as saved on disk, a
// character at the start of each line and taken back, each analysis compared with a fresh
// workspace's. A script, not a test: the corpus is not part of the repository.
//
//   node scripts/corpus-typing.mjs [--dest /tmp/corpus-dev] [--manifest ../shared/corpus/dev-manifest.tsv] [--only ID,ID] [--max 100]
//
// --max: at most this many string literals per module, or lines per other file (spread over it), default all.
import { cpSync, existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import * as esbuild from 'esbuild';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const arg = (name, def) => {
  const i = process.argv.indexOf(name);
  return i >= 0 ? process.argv[i + 1] : def;
};
const dest = resolve(arg('--dest', '/tmp/corpus-dev'));
const manifest = resolve(arg('--manifest', join(root, '../shared/corpus/dev-manifest.tsv')));
const max = Number(arg('--max', 'Infinity'));
const only = arg('--only', '') ? new Set(arg('--only', '').split(',')) : undefined;

const work = mkdtempSync(join(tmpdir(), 'ddh-corpus-typing-'));
let failed = false;
try {
  const bundle = join(work, 'corpus-typing.cjs');
  await esbuild.build({
    entryPoints: [join(root, 'scripts/corpusTyping.ts')],
    bundle: true,
    platform: 'node',
    format: 'cjs',
    outfile: bundle,
    logLevel: 'error',
    external: ['vscode'],
    alias: { 'web-tree-sitter': join(root, 'node_modules/web-tree-sitter/web-tree-sitter.cjs') },
    define: { 'import.meta.url': '"file:///"' },
  });
  for (const wasm of ['tree-sitter-python.wasm', 'web-tree-sitter.wasm']) {
    const from = [
      join(root, 'dist', wasm),
      join(root, 'node_modules/web-tree-sitter', wasm),
      join(root, 'node_modules/tree-sitter-python', wasm),
    ].find(existsSync);
    if (from) cpSync(from, join(work, wasm));
  }
  const { checkProject } = createRequire(import.meta.url)(bundle);
  const rows = readFileSync(manifest, 'utf8')
    .trim()
    .split('\n')
    .slice(1)
    .map((l) => l.split('\t'));
  for (const [id, , , projectRoot, module] of rows) {
    if (only && !only.has(id)) continue;
    const dir = join(dest, id, projectRoot);
    if (!existsSync(dir)) continue;
    const settings = module && !module.includes('<') && module !== 'n/a' ? module : undefined;
    await checkProject(dir, settings, max, (r) => {
      if (r.keystrokes === 0) return;
      console.log(
        `${id.padEnd(32)} ${relative(dir, r.file).padEnd(44)} ${String(r.keystrokes).padStart(4)} keystrokes  ${String(r.patched ?? '-').padStart(4)} patched  ${r.differing} differing`,
      );
      for (const [why, n] of [...r.declined].sort((a, b) => b[1] - a[1])) console.log(`    ${String(n).padStart(4)} in full: ${why}`);
      for (const d of r.differences) console.log(`    DIFFERS ${d}`);
      if (r.differing > 0) failed = true;
    });
  }
} finally {
  rmSync(work, { recursive: true, force: true });
}
process.exit(failed ? 1 : 0);
