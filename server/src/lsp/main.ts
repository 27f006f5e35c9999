// Entry point of the bundled language server (dist/server.js, also the `django-deploy-hygiene-lsp`
// executable for editors other than VS Code): stdio by default, or whatever transport the client
// asks for (--stdio, --node-ipc, --socket=N, --pipe=NAME). On stdio the input passes through a
// framing guard: a malformed Content-Length ends the server cleanly (see framing.ts); the output
// is written once per turn of the event loop (coalescing.ts).
import * as path from 'node:path';
import { ANALYSIS_DEADLINE_MS, startWorker, type WorkerStartOptions } from './workerStart';

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

const inProcess = args.includes('--in-process');
const workerOptions: WorkerStartOptions = {
  workerFile: path.join(__dirname, 'server-worker.js'),
  deadlineMs,
  passBudgetMs,
  resourceLimits: heapMb ? { maxOldGenerationSizeMb: Number(heapMb) } : undefined,
};
// The analysis worker starts now, before the rest of this bundle (LSP's plumbing, the supervisor) is
// evaluated: a worker's start (a thread, Node's bootstrap, its own bundle) is most of the server's
// cold start, and it runs meanwhile, beside the handshake with the client.
const firstWorker = inProcess ? undefined : startWorker(workerOptions);
const protocol = require('./protocolThread') as typeof import('./protocolThread');
protocol.serve(args, inProcess ? { inProcess: true, passBudgetMs } : { inProcess: false, workerOptions, firstWorker });
