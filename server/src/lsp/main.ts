// Entry point of the bundled language server (dist/server.js, also the `django-deploy-hygiene-lsp`
// executable for editors other than VS Code): stdio by default, or whatever transport the client
// asks for (--stdio, --node-ipc, --socket=N, --pipe=NAME).
import { createConnection, ProposedFeatures } from 'vscode-languageserver/node';
import { loadParser } from '../analysis/parse/treeSitter';
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
      'workspace/configuration (section "djangoDeployHygiene") or workspace/didChangeConfiguration.\n',
  );
  process.exit(0);
}
// Editors that start a server with no transport flag (Helix, Zed, Sublime LSP with a bare command)
// speak stdio; vscode-languageserver needs to be told.
if (!args.some((a) => /^--(stdio|node-ipc|socket|pipe)(=|$)/.test(a))) process.argv.push('--stdio');

// The grammar's WebAssembly compiles off the main thread while the client and the server shake hands.
loadParser().catch(() => undefined); // initialize() awaits the same promise and reports a failure

const connection = createConnection(ProposedFeatures.all);
new DeployHygieneServer(connection);
connection.listen();
