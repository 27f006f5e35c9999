// The protocol thread's transport and supervisor (main.ts starts the first worker, then this):
// stdio by default, or whatever transport the client asks for (--stdio, --node-ipc, --socket=N,
// --pipe=NAME). On stdio the input passes through a framing guard: a malformed Content-Length ends
// the server cleanly (see framing.ts); the output is framed as each message is written
// (FrameWriter) and written once per turn of the event loop (coalescing.ts).
import * as path from 'node:path';
import {
  createServerPipeTransport,
  createServerSocketTransport,
  IPCMessageReader,
  IPCMessageWriter,
  type MessageReader,
  type MessageWriter,
  StreamMessageReader,
} from 'vscode-languageserver/node';
import { CoalescingWriter } from './coalescing';
import { FrameWriter, FramingGuard } from './framing';
import { Supervisor } from './supervisor';
import type { StartedWorker, WorkerStartOptions } from './workerStart';

export type ServeOptions =
  | { readonly inProcess: true; readonly passBudgetMs?: number }
  | { readonly inProcess: false; readonly workerOptions: WorkerStartOptions; readonly firstWorker?: StartedWorker };

export function serve(args: readonly string[], options: ServeOptions): void {
  // Editors that start a server with no transport flag (Helix, Zed, Sublime LSP with a bare command)
  // speak stdio, as does --stdio.
  const flagValue = (name: string): string | undefined => {
    const i = args.findIndex((a) => a === name || a.startsWith(`${name}=`));
    if (i < 0) return undefined;
    return args[i]!.includes('=') ? args[i]!.slice(name.length + 1) : args[i + 1];
  };
  const otherTransport = args.some((a) => /^--(node-ipc|socket|pipe)(=|$)/.test(a));
  /** Ends the process once what was written to stdout has left. */
  let flushAndExit = (code: number): void => process.exit(code);
  let stdio: { input: NodeJS.ReadableStream; output: CoalescingWriter } | undefined;
  if (!otherTransport) {
    // the messages of one turn of the event loop leave in one write (coalescing.ts)
    const output = new CoalescingWriter(process.stdout);
    const input = process.stdin.pipe(
      new FramingGuard((message) => {
        process.stderr.write(`Django Deploy Hygiene language server: stopping on malformed input: ${message}\n`);
        // what was answered before goes out first
        output.flush(() => process.stdout.write('', () => process.exit(1)));
      }),
    );
    process.stdin.on('end', () => input.end());
    stdio = { input, output };
    flushAndExit = (code) => output.flush(() => process.stdout.write('', () => process.exit(code)));
  }

  if (options.inProcess) {
    // The worker's bundle, run on this thread (through its launcher, with its code cache): this
    // bundle holds no analysis, so that the worker starts without this thread evaluating it first.
    const worker = require(path.join(__dirname, 'server-worker.js')) as typeof import('./worker');
    worker.serveInProcess(stdio, options.passBudgetMs);
  } else {
    let transport: [MessageReader, MessageWriter];
    if (stdio) transport = [new StreamMessageReader(stdio.input), new FrameWriter(stdio.output)];
    else if (args.includes('--node-ipc')) transport = [new IPCMessageReader(process), new IPCMessageWriter(process)];
    else if (flagValue('--socket') !== undefined) transport = createServerSocketTransport(Number(flagValue('--socket')));
    else transport = createServerPipeTransport(flagValue('--pipe') ?? '');
    new Supervisor(transport[0], transport[1], {
      ...options.workerOptions,
      firstWorker: options.firstWorker,
      onExit: (code) => flushAndExit(code),
    }).listen();
  }
}
