// What the benchmark scripts share: an LSP client that starts the server the way the VS Code client
// does and times diagnostics, the statistics they report, and where typing lands in a module.
import { spawn } from 'node:child_process';
import { createRequire } from 'node:module';
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { pathToFileURL } from 'node:url';

const require = createRequire(import.meta.url);
const rpc = require('vscode-languageserver-protocol/node');

export function stats(xs) {
  const s = [...xs].sort((a, b) => a - b);
  const q = (p) => s[Math.min(s.length - 1, Math.floor(p * s.length))];
  return { median: q(0.5), p95: q(0.95), n: s.length };
}

/**
 * Positions just after the opening quote of string literals in `text`: where typing lands. On each
 * line holding an `=` outside string literals and comments, the first double-quoted literal opening
 * after it (a quote closing a literal, or one inside a single-quoted literal, is not a target: typing
 * there would write a syntax error, not a character of a string). Triple quotes are skipped.
 */
export function stringTargets(text) {
  const targets = [];
  const lines = text.split('\n');
  let offset = 0;
  lines.forEach((l, n) => {
    let quote = '';
    let equals = false;
    for (let i = 0; i < l.length; i++) {
      const ch = l[i];
      if (quote) {
        if (ch === '\\') i++;
        else if (ch === quote) quote = '';
        continue;
      }
      if (ch === '#') break;
      if (ch === '=') equals = true;
      else if (ch === "'" || ch === '"') {
        if (l.startsWith(ch.repeat(3), i)) break;
        if (ch === '"' && equals) {
          targets.push({ line: n, character: i + 1, offset: offset + i + 1 });
          break;
        }
        quote = ch;
      }
    }
    offset += l.length + 1;
  });
  return targets;
}

/**
 * The Node options the VS Code client of the build starts `server` with: the SERVER_EXEC_ARGV array
 * of the client's bundle in the same folder (older builds gave --max-semi-space-size=32, the
 * current one none). The server forces a collection for its memory figures without --expose-gc
 * (server.ts, MEMORY_REQUEST); builds before it need BENCH_NODE_ARGS=--expose-gc for them.
 */
export function clientExecArgv(server) {
  const extra = (process.env.BENCH_NODE_ARGS ?? '').split(' ').filter(Boolean);
  let text = '';
  try {
    text = readFileSync(join(dirname(server), 'client.js'), 'utf8');
  } catch {
    throw new Error(`bench: no client bundle beside ${server}: build it first`);
  }
  const m = /SERVER_EXEC_ARGV = (\[[^\]]*\])/.exec(text);
  if (!m) throw new Error(`bench: SERVER_EXEC_ARGV not found in ${join(dirname(server), 'client.js')}`);
  return [...JSON.parse(m[1]), ...extra];
}

/**
 * Starts `server` (dist/server.js) over stdio on `folder` with the options the client gives it;
 * `settings` answers workspace/configuration. waitFor(test) resolves with the time the first
 * publishDiagnostics passing `test` arrived, and rejects after 60 s. Like the VS Code client, it
 * asks for the checklist each time the server says it changed (`checklist` counts those requests).
 */
export async function startServer(server, folder, env = {}, settings = {}) {
  // the Node options the client of the same build starts the server with (SERVER_EXEC_ARGV in
  // client/src/extension.ts, read from its bundle beside the server's); BENCH_SERVER_ARGS: more
  // arguments of the server (--in-process: no analysis worker, to measure the hand-off)
  const extra = (process.env.BENCH_SERVER_ARGS ?? '').split(' ').filter(Boolean);
  const proc = spawn(process.execPath, [...clientExecArgv(server), server, '--stdio', ...extra], {
    stdio: ['pipe', 'pipe', 'inherit'],
    env: { ...process.env, ...env },
  });
  const conn = rpc.createProtocolConnection(new rpc.StreamMessageReader(proc.stdout), new rpc.StreamMessageWriter(proc.stdin));
  const waiters = [];
  conn.onNotification('textDocument/publishDiagnostics', (p) => {
    for (const w of [...waiters])
      if (w.test(p)) {
        waiters.splice(waiters.indexOf(w), 1);
        w.resolve(performance.now());
      }
  });
  // as the VS Code client does (client/src/extension.ts): the checklist asked for again whenever the
  // server says it changed, a request the worker answers between keystrokes (BENCH_CHECKLIST=0: not
  // asked, as the scripts did before issue 31's eighth session)
  const checklist = { asked: 0, answered: 0 };
  if (process.env.BENCH_CHECKLIST !== '0')
    conn.onNotification('djangoDeployHygiene/checklistChanged', () => {
      checklist.asked++;
      conn.sendRequest('djangoDeployHygiene/checklist').then(
        () => checklist.answered++,
        () => undefined,
      );
    });
  conn.onRequest('workspace/configuration', (p) => p.items.map(() => settings));
  conn.onRequest('client/registerCapability', () => null);
  conn.listen();
  const waitFor = (test) =>
    new Promise((resolve, reject) => {
      const w = {
        test,
        resolve: (t) => {
          clearTimeout(timer);
          resolve(t);
        },
      };
      const timer = setTimeout(() => {
        waiters.splice(waiters.indexOf(w), 1);
        reject(new Error('bench: no diagnostics within 60 s'));
      }, 60_000);
      waiters.push(w);
    });
  const uri = pathToFileURL(folder).href;
  await conn.sendRequest('initialize', {
    processId: process.pid,
    rootUri: uri,
    workspaceFolders: [{ uri, name: 'bench' }],
    capabilities: { workspace: { configuration: true } },
  });
  await conn.sendNotification('initialized', {});
  return {
    proc,
    conn,
    waitFor,
    checklist,
    // shutdown and exit, as a client does (a profile the server was started with is written on a
    // clean exit only); killed if it has not exited within 5 s
    stop: async () => {
      const exited = new Promise((resolve) => proc.once('exit', resolve));
      try {
        await Promise.race([conn.sendRequest('shutdown'), new Promise((r) => setTimeout(r, 2000))]);
        await conn.sendNotification('exit');
      } catch {}
      await Promise.race([exited, new Promise((r) => setTimeout(r, 5000))]);
      conn.dispose();
      if (proc.exitCode === null) proc.kill();
    },
  };
}

/**
 * Types `count` single-character edits into the open document `uri` of server `s` (from
 * startServer), as typing does: a character inserted just after the opening quote of a string
 * literal (`targets`, from stringTargets), then deleted again, pair after pair over the file. Each
 * is timed until the diagnostics for its version arrive. `version` is the document's current
 * version. `gapMs` (BENCH_GAP_MS, default 0): the next keystroke is typed that long after the
 * diagnostics of the one before arrived, as a developer pauses between keystrokes (0: at once, the
 * harshest cadence). Returns the times (ms), the edits as offsets ({at, insert}) and the last version.
 */
export async function typeInStrings(s, uri, targets, count, version, gapMs = Number(process.env.BENCH_GAP_MS ?? 0)) {
  const times = [];
  const edits = [];
  for (let i = 0; i < count; i++) {
    if (gapMs > 0 && i > 0) await new Promise((resolve) => setTimeout(resolve, gapMs));
    const at = targets[(Math.floor(i / 2) * 37) % targets.length];
    const insert = i % 2 === 0;
    const v = ++version;
    const range = insert ? { start: at, end: at } : { start: at, end: { line: at.line, character: at.character + 1 } };
    const t0 = performance.now();
    const done = s.waitFor((p) => p.uri === uri && p.version === v);
    await s.conn.sendNotification('textDocument/didChange', {
      textDocument: { uri, version: v },
      contentChanges: [{ range, text: insert ? 'x' : '' }],
    });
    times.push((await done) - t0);
    edits.push({ at: at.offset, insert });
  }
  return { times, edits, version };
}
