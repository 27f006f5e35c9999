// workspace/executeCommand (the documentation link of a code action, and the checklist for editors
// that cannot send custom requests) and MEMORY_REQUEST (the worker's memory, for tests and benchmarks).
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import type { ExecuteCommandParams } from 'vscode-languageserver';
import type { MarkdownParams, MemoryStats } from '../../protocol';
import { CHECKLIST_COMMAND, CHECKLIST_MARKDOWN_COMMAND, SHOW_DOCS_COMMAND } from '../protocolCommon';
import type { ServerState } from '../serverState';
import type { ChecklistRequests } from './checklist';

export async function executeCommand(s: ServerState, checklist: ChecklistRequests, p: ExecuteCommandParams): Promise<unknown> {
  if (p.command === SHOW_DOCS_COMMAND && typeof p.arguments?.[0] === 'string') {
    await s.connection.window.showDocument({ uri: p.arguments[0], external: true }).catch(() => undefined);
  }
  if (p.command === CHECKLIST_COMMAND) return checklist.checklist();
  if (p.command === CHECKLIST_MARKDOWN_COMMAND)
    return checklist.checklistMarkdown((p.arguments?.[0] as MarkdownParams | undefined) ?? { ticked: [] });
  return null;
}

/** The worker's memory after a full collection, with how many documents are open and analyses ran. */
export function memoryStats(s: ServerState): MemoryStats {
  forcedGc()?.();
  const m = process.memoryUsage();
  return {
    heapUsed: m.heapUsed,
    rss: m.rss,
    external: m.external + m.arrayBuffers,
    openDocuments: s.open.size,
    analyses: { ...s.analysisCount },
  };
}

/**
 * V8's gc(), for MEMORY_REQUEST's figures after a full collection: the global one when the process
 * runs with --expose-gc, or else one taken from a new context once the flag is set at run time (the
 * server runs with no V8 flags, see SERVER_EXEC_ARGV in the client).
 */
function forcedGc(): (() => void) | undefined {
  const global = (globalThis as { gc?: () => void }).gc;
  if (global) return global;
  try {
    setFlagsFromString('--expose-gc');
    return runInNewContext('gc') as () => void;
  } catch {
    return undefined;
  }
}
