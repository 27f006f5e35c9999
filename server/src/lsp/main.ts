// Entry point of the bundled language server (dist/server.js): stdio by default, or whatever
// transport the client asks for (--stdio, --node-ipc, --socket=N).
import { createConnection, ProposedFeatures } from 'vscode-languageserver/node';
import { loadParser } from '../analysis/parse/treeSitter';
import { DeployHygieneServer } from './server';

// The grammar's WebAssembly compiles off the main thread while the client and the server shake hands.
loadParser().catch(() => undefined); // initialize() awaits the same promise and reports a failure

const connection = createConnection(ProposedFeatures.all);
new DeployHygieneServer(connection);
connection.listen();
