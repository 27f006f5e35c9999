// Entry point of the bundled language server (dist/server.js, also the `django-deploy-hygiene-lsp`
// executable for editors other than VS Code): stdio by default, or whatever transport the client
// asks for (--stdio, --node-ipc, --socket=N, --pipe=NAME). On stdio the input passes through a
// framing guard: a malformed Content-Length ends the server cleanly (see framing.ts); the output
// is written once per turn of the event loop (coalescing.ts).
import { type Connection, createConnection, ProposedFeatures } from 'vscode-languageserver/node';
import { loadParser } from '../analysis/parse/treeSitter';
import { CoalescingWriter } from './coalescing';
import { FramingGuard } from './framing';
import { DeployHygieneServer } from './server';

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
      'what a pass leaves out is named in the log and looked at again on the next pass.\n',
  );
  process.exit(0);
}

// The grammar's WebAssembly compiles off the main thread while the client and the server shake hands.
loadParser().catch(() => undefined); // initialize() awaits the same promise and reports a failure

// Editors that start a server with no transport flag (Helix, Zed, Sublime LSP with a bare command)
// speak stdio, as does --stdio.
const otherTransport = args.some((a) => /^--(node-ipc|socket|pipe)(=|$)/.test(a));
let connection: Connection;
if (otherTransport) connection = createConnection(ProposedFeatures.all);
else {
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
  connection = createConnection(ProposedFeatures.all, input, output);
}
const server = new DeployHygieneServer(connection);
const budget = args.find((a) => a.startsWith('--pass-budget='))?.slice('--pass-budget='.length);
if (budget !== undefined) {
  if (!/^\d+(\.\d+)?$/.test(budget)) {
    process.stderr.write('django-deploy-hygiene-lsp: --pass-budget must be a number of seconds (0 or more)\n');
    process.exit(2);
  }
  server.passBudgetMs = Number(budget) * 1000;
}
connection.listen();
