// Entry point of the bundled language server (dist/server.js): stdio by default, or whatever
// transport the client asks for (--stdio, --node-ipc, --socket=N).
import { createConnection, ProposedFeatures } from 'vscode-languageserver/node';
import { DeployHygieneServer } from './server';

const connection = createConnection(ProposedFeatures.all);
new DeployHygieneServer(connection);
connection.listen();
