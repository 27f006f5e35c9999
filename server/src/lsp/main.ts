// Entry point of the bundled language server (dist/server.js, also the `django-deploy-hygiene-lsp`
// executable for editors other than VS Code): stdio by default, or whatever transport the client
// asks for (--stdio, --node-ipc, --socket=N, --pipe=NAME). On stdio the input passes through a
// framing guard: a malformed Content-Length ends the server cleanly (see framing.ts); the output
// is written once per turn of the event loop (coalescing.ts).
import * as path from 'node:path';
import {
  createServerPipeTransport,
  createServerSocketTransport,
  IPCMessageReader,
  IPCMessageWriter,
  type MessageReader,
  type MessageWriter,
  StreamMessageReader,
  StreamMessageWriter,
} from 'vscode-languageserver/node';
import { CoalescingWriter } from './coalescing';
import { FramingGuard } from './framing';
import { ANALYSIS_DEADLINE_MS, Supervisor } from './supervisor';

declare const DDH_VERSION: string;

const args = process.argv.slice(2);
if (args.includes('--version') || args.includes('-v')) {
  process.stdout.write(`django-deploy-hygiene-lsp ${DDH_VERSION}\n`);
  process.exit(0);
}
if (args.includes('--help') || args.includes('-h')) {
  process.stdout.write(
    'Usage: django-deploy-hygiene-lsp [--stdio | --node-ipc | --socket=PORT | --pipe=NAME]\n' +
      'The Django Deploy Hygiene language server; speaks LSP over stdio unless told otherwise.\n' +
      'Configuration: initializationOptions { "settings": { productionSettingsModule, djangoVersion, disabledRules, severityOverrides } },\n' +
      'workspace/configuration (section "djangoDeployHygiene") or workspace/didChangeConfiguration.\n' +
      '--pass-budget=SECONDS: how long one analysis pass may take, finding the projects included (default 60);\n' +
      'what a pass leaves out is named in the log and looked at again on the next pass.\n' +
      `--analysis-deadline=SECONDS: the analysis runs in a worker thread, stopped and replaced when it does not\n` +
      `come back within this long (default ${ANALYSIS_DEADLINE_MS / 1000}); the file it was on gets an "analysis stopped" warning.\n` +
      "--analysis-heap=MB: the worker's heap limit (default 2048); a worker past it is replaced.\n" +
      '--in-process: run the analysis on the protocol thread, with no worker and no deadline (debugging).\n',
  );
  process.exit(0);
}

function seconds(flag: string): number | undefined {
  const v = args.find((a) => a.startsWith(`${flag}=`))?.slice(flag.length + 1);
  if (v === undefined) return undefined;
  if (!/^\d+(\.\d+)?$/.test(v)) {
    process.stderr.write(`django-deploy-hygiene-lsp: ${flag} must be a number of seconds (0 or more)\n`);
    process.exit(2);
  }
  return Number(v) * 1000;
}
const passBudgetMs = seconds('--pass-budget');
const deadlineMs = seconds('--analysis-deadline');
const heapMb = args.find((a) => a.startsWith('--analysis-heap='))?.slice('--analysis-heap='.length);
if (heapMb !== undefined && !/^[1-9]\d*$/.test(heapMb)) {
  process.stderr.write('django-deploy-hygiene-lsp: --analysis-heap must be a whole number of megabytes\n');
  process.exit(2);
}

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

if (args.includes('--in-process')) {
  // The worker's bundle, run on this thread (through its launcher, with its code cache): this
  // bundle holds no analysis, so that the worker starts without this thread evaluating it first.
  const worker = require(path.join(__dirname, 'server-worker.js')) as typeof import('./worker');
  worker.serveInProcess(stdio, passBudgetMs);
} else {
  let transport: [MessageReader, MessageWriter];
  if (stdio) transport = [new StreamMessageReader(stdio.input), new StreamMessageWriter(stdio.output)];
  else if (args.includes('--node-ipc')) transport = [new IPCMessageReader(process), new IPCMessageWriter(process)];
  else if (flagValue('--socket') !== undefined) transport = createServerSocketTransport(Number(flagValue('--socket')));
  else transport = createServerPipeTransport(flagValue('--pipe') ?? '');
  new Supervisor(transport[0], transport[1], {
    workerFile: path.join(__dirname, 'server-worker.js'),
    deadlineMs,
    passBudgetMs,
    resourceLimits: heapMb ? { maxOldGenerationSizeMb: Number(heapMb) } : undefined,
    onExit: (code) => flushAndExit(code),
  }).listen();
}
