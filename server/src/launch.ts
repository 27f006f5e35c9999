// The launcher built as dist/cli.js (the `django-deploy-check` executable) and dist/server.js (the
// language server the client starts): runs the real bundle (cli-main.js, server-main.js) with a V8
// code cache, so that a start skips compiling the functions the previous start used. A CLI run is
// short and touches a lot of code once, and so is the server's first analysis: compiling was about
// a third of the time above Node's own start. The cache lives in the user's cache folder (private
// to the user: V8 trusts a cache that matches the source, so a folder others can write to is never
// used) and is keyed by the bundle's name, version, size and time. Anything that goes wrong with the
// cache falls back to a plain start. DDH_NO_CODE_CACHE=1 turns it off.
import { isAscii } from 'node:buffer';
import * as fs from 'node:fs';
import Module from 'node:module';
import * as os from 'node:os';
import * as path from 'node:path';
import * as v8 from 'node:v8';
import * as vm from 'node:vm';
import { CODE_CACHE_HOOK } from './codeCacheHook';

declare const DDH_VERSION: string;
/** The bundle this launcher starts, beside it in dist/. */
declare const DDH_LAUNCH_TARGET: string;
/** Whether the process is short-lived (the CLI): see run(). */
declare const DDH_LAUNCH_SHORT_LIVED: boolean;

const bundle = path.join(__dirname, DDH_LAUNCH_TARGET);

/** The cache file for this bundle, in a folder only this user can write; undefined when there is none. */
function cacheFile(stat: fs.Stats): string | undefined {
  if (process.env.DDH_NO_CODE_CACHE === '1') return undefined;
  try {
    const base = process.env.XDG_CACHE_HOME || path.join(os.homedir(), '.cache');
    const dir = path.join(base, 'django-deploy-hygiene');
    fs.mkdirSync(dir, { recursive: true, mode: 0o700 });
    const st = fs.statSync(dir);
    const uid = process.getuid?.();
    if (uid !== undefined && (st.uid !== uid || (st.mode & 0o022) !== 0)) return undefined;
    return path.join(dir, `${DDH_LAUNCH_TARGET.replace(/\.js$/, '')}-${DDH_VERSION}-${stat.size}-${Math.trunc(stat.mtimeMs)}.v8cache`);
  } catch {
    return undefined;
  }
}

function run(): void {
  // A CLI run parses a few files once: the grammar's baseline WebAssembly code is enough. With
  // tier-up, V8 optimises hot parser functions on a background thread, and the process cannot exit
  // before that job ends (up to ~100 ms after the output is written). The server keeps tier-up.
  if (DDH_LAUNCH_SHORT_LIVED) v8.setFlagsFromString('--liftoff-only');
  // It also runs most of its regular expressions only a few times. V8 compiles a regular expression
  // to machine code from its second run (tens of microseconds each: 138 of them on the small example,
  // ~7 ms of its CPU time); from its hundredth run, only the hot ones are (9 there), and the rest
  // stay in V8's regexp interpreter, which finds the same matches and is stopped by the deadline in
  // the same way. A subject of 1,000 characters or more is compiled at once, as before.
  if (DDH_LAUNCH_SHORT_LIVED) v8.setFlagsFromString('--regexp-tier-up-ticks=100');
  // And JavaScript functions are handed to the optimising compiler after four times the usual
  // amount of interpretation (--interrupt-budget, default 67,584): on the small example V8 started
  // 7 or 8 optimising jobs (5–15 ms of CPU on its threads, for functions such as path's
  // normalizeString whose optimised code barely ran before the exit), 3 now; a run over many
  // projects still has its hot functions optimised, a little later.
  if (DDH_LAUNCH_SHORT_LIVED) v8.setFlagsFromString('--interrupt-budget=270336');
  const stat = fs.statSync(bundle);
  const file = cacheFile(stat);
  let cached: Buffer | undefined;
  if (file) {
    try {
      cached = fs.readFileSync(file);
    } catch {
      cached = undefined;
    }
  }
  // The build writes the bundle in ASCII (scripts/build.mjs), and Node decodes a large Latin-1 text
  // into an external string, kept outside V8's heap; decoded as UTF-8 it becomes a string inside the
  // heap (2 MB for the CLI). The build also wrote it already wrapped as a module function, so V8
  // compiles that string as it is: Module.wrap(source) made a new one, copied into the heap again.
  // Those copies were 4 MB of the CLI's heap, all kept to the exit. A bundle that is not ASCII
  // (never built so) is decoded as UTF-8, the same text.
  const bytes = fs.readFileSync(bundle);
  const source = isAscii(bytes) ? bytes.toString('latin1') : bytes.toString('utf8');
  const script = new vm.Script(source, { filename: bundle, cachedData: cached });
  const mod = new Module(bundle, module);
  mod.filename = bundle;
  if (file && (!cached || script.cachedDataRejected)) {
    // After the run, the cache also holds the functions compiled lazily while it ran. The server
    // writes it once its first analyses are surely done (it may be killed rather than exit).
    let written = false;
    const write = (): void => {
      if (written) return;
      written = true;
      try {
        const tmp = `${file}.${process.pid}.tmp`;
        fs.writeFileSync(tmp, script.createCachedData(), { mode: 0o600 });
        fs.renameSync(tmp, file);
        // Caches of earlier builds are never read again, but another installation (the extension's
        // CLI and a global one) may still use its own: remove only those not written for a week.
        const dir = path.dirname(file);
        const weekAgo = Date.now() - 7 * 24 * 3600 * 1000;
        for (const old of fs.readdirSync(dir)) {
          const full = path.join(dir, old);
          if (old.endsWith('.v8cache') && full !== file && fs.statSync(full).mtimeMs < weekAgo) fs.rmSync(full, { force: true });
        }
      } catch {
        // no cache this time
      }
    };
    if (DDH_LAUNCH_SHORT_LIVED) {
      // the CLI says when it analysed a project (cli/main.ts); the cache is written at exit, so that
      // it also holds what writing the report compiled
      let worth = false;
      (globalThis as Record<string, unknown>)[CODE_CACHE_HOOK] = (): void => {
        worth = true;
      };
      process.once('exit', () => {
        if (worth) write();
      });
    } else {
      // the server says when its first analysis of a project is done (lsp/server.ts); it may be
      // killed rather than exit, so it writes then
      (globalThis as Record<string, unknown>)[CODE_CACHE_HOOK] = write;
    }
  }
  const wrapper = script.runInThisContext() as (
    exports: unknown,
    require: NodeJS.Require,
    module: Module,
    filename: string,
    dirname: string,
  ) => void;
  wrapper.call(mod.exports, mod.exports, Module.createRequire(bundle), mod, bundle, __dirname);
  // what the bundle exports, for a launcher that is required rather than run (main.ts's --in-process)
  module.exports = mod.exports;
}

run();
