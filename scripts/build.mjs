// Builds the extension: one esbuild run producing the client, server and CLI bundles in dist/,
// the two tree-sitter .wasm files copied beside them, and (with --tests) the test bundles in out/.
import * as esbuild from 'esbuild';
import { chmodSync, copyFileSync, mkdirSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
// DDH_BUILD_DIR moves dist/ and out/ elsewhere, so that parallel builds do not clobber each other.
const buildDir = process.env.DDH_BUILD_DIR || root;
const distDir = join(buildDir, 'dist');
const outDir = join(buildDir, 'out');
const args = new Set(process.argv.slice(2));
const withTests = args.has('--tests');
const production = args.has('--production');

const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8'));
const IMPORT_META_SHIM = 'var __ddh_import_meta_url = require("url").pathToFileURL(__filename).href;';

const WASM = ['node_modules/web-tree-sitter/web-tree-sitter.wasm', 'node_modules/tree-sitter-python/tree-sitter-python.wasm'];

function copyWasm(toDir) {
  mkdirSync(toDir, { recursive: true });
  for (const file of WASM) copyFileSync(join(root, file), join(toDir, file.split('/').pop()));
}

// The language server's libraries require node:crypto, node:net and node:child_process when they
// load, for transports and helpers the server does not use on its threads (a random pipe name, a
// socket or pipe transport, finding npm's global folder). Loading those built-in modules (net brings
// stream_base, child_process brings dgram, crypto two dozen internal modules) cost each thread ~20 ms
// of the server's cold start, the analysis worker included, which reaches them only over its port.
// Here each is loaded at its first use instead: the modules read them only as `X_1.name(...)` at
// call time. A require of them left in another form fails the build, so that a new version of a
// library does not load them eagerly again unnoticed.
const LAZY_BUILTIN = /^const (\w+) = require\("(crypto|net|child_process)"\);$/gm;
const LAZY_LOADER =
  'function __ddhLazy(load) { let m; const get = () => (m ??= load()); return new Proxy({}, { get: (_, k) => get()[k], has: (_, k) => k in get() }); }\n';
const lazyBuiltins = {
  name: 'lazy-builtins',
  setup(build) {
    build.onLoad({ filter: /[\\/](vscode-jsonrpc|vscode-languageserver)[\\/]lib[\\/]node[\\/](main|ril|files)\.js$/ }, (args) => {
      const text = readFileSync(args.path, 'utf8').replace(
        LAZY_BUILTIN,
        (_, name, id) => `const ${name} = __ddhLazy(() => require("${id}"));`,
      );
      if (/require\("(crypto|net|child_process)"\)/.test(text.replace(/__ddhLazy\(\(\) => require\("\w+"\)\)/g, '')))
        throw new Error(`build: ${args.path} requires crypto, net or child_process in a form LAZY_BUILTIN does not know`);
      return { contents: LAZY_LOADER + text, loader: 'js' };
    });
  },
};

const common = {
  bundle: true,
  platform: 'node',
  target: 'node20',
  format: 'cjs',
  sourcemap: production ? false : 'linked',
  minify: production,
  logLevel: 'warning',
  // web-tree-sitter probes for these in browsers only.
  external: ['vscode', 'fs/promises', 'module'],
  // Its CommonJS build: the ESM one does `await import("module")`, which starts Node's ESM loader
  // and costs ~100 ms at every CLI start.
  alias: { 'web-tree-sitter': './node_modules/web-tree-sitter/web-tree-sitter.cjs' },
  // web-tree-sitter's ESM build reads import.meta.url; give the CommonJS bundles one.
  define: { 'import.meta.url': '__ddh_import_meta_url', DDH_VERSION: JSON.stringify(pkg.version) },
  banner: { js: IMPORT_META_SHIM },
  plugins: [lazyBuiltins],
};

// The bundles the launcher starts (server/src/launch.ts) are written already wrapped as the function
// Node's module loader would make of them (Module.wrap), on the banner's line so that no line moves:
// the launcher compiles the file's text as it was read, outside V8's heap, where wrapping it at run
// time made a new 2 MB string inside the heap.
const launched = {
  banner: { js: `(function (exports, require, module, __filename, __dirname) { ${IMPORT_META_SHIM}` },
  footer: { js: '\n});' },
};

// esbuild escapes every non-ASCII character of the code (charset ascii) but copies the comments it
// keeps as they are: one '…' in a comment made Node decode the whole bundle from UTF-8 into a
// two-byte string (the CLI's 1.9 MB: ~4.5 ms at every start, ~1.5 ms when the file is ASCII). The
// bundles Node loads get those characters written as \u escapes. In these bundles they all sit in
// comments that end their line, so no code moves and the source maps stay exact.
function asciiComments(file) {
  const text = readFileSync(file, 'utf8');
  if (/^[\x00-\x7f]*$/.test(text)) return;
  writeFileSync(
    file,
    text.replace(/[^\x00-\x7f]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`),
  );
}

// `import * as path from 'node:path'` becomes `var path = __toESM(require("node:path"))` in each
// importing module: a fresh object with one getter per export of the built-in module, made when the
// bundle starts (47 of them in the CLI, 4 of node:fs with ~100 exports each), ~0.5 MB of objects
// thrown away before the first file is read (with the package.json below, enough young garbage that
// V8 ended the small example's run with a full garbage collection), and a getter call at every use.
// The module object itself answers every `path.join` the same way; only `.default` (a default
// import) needs the wrapper, so a variable that is ever read as X.default keeps it.
function directBuiltins(file) {
  const text = readFileSync(file, 'latin1');
  const out = text.replace(/^var ([\w$]+) = __toESM\d*\(require\("(node:[\w/]+)"\)\);$/gm, (line, name, id) =>
    text.includes(`${name}.default`) ? line : `var ${name} = require("${id}");`,
  );
  if (out !== text) writeFileSync(file, out, 'latin1');
}

function findTests(dir, out = []) {
  for (const name of readdirSync(dir)) {
    const full = join(dir, name);
    if (name === 'node_modules' || name === 'fixtures' || name === 'e2e') continue;
    if (statSync(full).isDirectory()) findTests(full, out);
    else if (name.endsWith('.test.ts')) out.push(full);
  }
  return out;
}

const started = Date.now();
rmSync(distDir, { recursive: true, force: true });
await Promise.all([
  esbuild.build({ ...common, entryPoints: { client: 'client/src/extension.ts' }, outdir: distDir, absWorkingDir: root }),
  // The server and the CLI: small launchers (dist/server.js, dist/cli.js, the `bin`) that start the
  // real bundles with a V8 code cache (server/src/launch.ts).
  esbuild.build({ ...common, ...launched, entryPoints: { 'server-main': 'server/src/lsp/main.ts' }, outdir: distDir, absWorkingDir: root }),
  // the analysis worker the server's protocol thread starts (server/src/lsp/supervisor.ts), started
  // by a launcher of its own (dist/server-worker.js) with a code cache of its own: compiling the
  // bundle in each new worker was most of the server's cold start
  esbuild.build({
    ...common,
    ...launched,
    entryPoints: { 'server-worker-main': 'server/src/lsp/worker.ts' },
    outdir: distDir,
    absWorkingDir: root,
  }),
  esbuild.build({ ...common, ...launched, entryPoints: { 'cli-main': 'server/src/cli/main.ts' }, outdir: distDir, absWorkingDir: root }),
  ...[
    { name: 'server', target: 'server-main.js', shortLived: false, banner: '#!/usr/bin/env node' },
    { name: 'server-worker', target: 'server-worker-main.js', shortLived: false, banner: '' },
    { name: 'cli', target: 'cli-main.js', shortLived: true, banner: '#!/usr/bin/env node' },
  ].map((l) =>
    esbuild.build({
      ...common,
      entryPoints: { [l.name]: 'server/src/launch.ts' },
      outdir: distDir,
      absWorkingDir: root,
      sourcemap: false,
      banner: { js: l.banner },
      define: { ...common.define, DDH_LAUNCH_TARGET: JSON.stringify(l.target), DDH_LAUNCH_SHORT_LIVED: String(l.shortLived) },
    }),
  ),
]);
for (const name of ['cli-main.js', 'server-main.js', 'server-worker-main.js', 'client.js']) asciiComments(join(distDir, name));
for (const name of ['cli.js', 'cli-main.js', 'server.js', 'server-main.js', 'server-worker.js', 'server-worker-main.js'])
  directBuiltins(join(distDir, name));
// Node reads the package.json nearest to the file it starts, for its module type: the extension's
// own is 70 KB (its contributions), parsed at every CLI start (~1.5 ms, 0.25 MB of strings).
writeFileSync(join(distDir, 'package.json'), '{ "type": "commonjs" }\n');
copyWasm(distDir);
chmodSync(join(distDir, 'cli.js'), 0o755);
chmodSync(join(distDir, 'server.js'), 0o755);

if (withTests) {
  rmSync(outDir, { recursive: true, force: true });
  const entries = findTests(join(root, 'test'));
  await esbuild.build({
    ...common,
    sourcemap: 'inline',
    entryPoints: entries.map((e) => ({ in: e, out: relative(join(root, 'test'), e).replace(/\.ts$/, '') })),
    outdir: join(outDir, 'test'),
    absWorkingDir: root,
    external: [...common.external, 'playwright-core'],
    // tests find the repository and the bundles through these, wherever the build went
    define: { ...common.define, DDH_TEST_REPO: JSON.stringify(root), DDH_TEST_DIST: JSON.stringify(distDir) },
  });
}
// On stderr: `npm pack` (which runs this as `prepare`) prints the tarball's name on stdout, and
// pre-commit reads that name from it.
console.error(`built in ${Date.now() - started} ms${withTests ? ' (with tests)' : ''}`);
