// What the protocol thread (supervisor.ts) and the analysis worker (server.ts, worker.ts) share:
// the constants, the answer to `initialize`, the internal notifications between them and the URI
// helpers. It imports nothing of the analysis: the protocol thread's bundle is made of this, the
// supervisor and LSP's plumbing, so that it starts the worker without evaluating the analysis.
import { fileURLToPath, pathToFileURL } from 'node:url';
import {
  CodeActionKind,
  type ConfigurationItem,
  type InitializeParams,
  type InitializeResult,
  type Range,
  TextDocumentSyncKind,
} from 'vscode-languageserver';

declare const DDH_VERSION: string | undefined;

export const SOURCE = 'Django Deploy Hygiene';
export const CONFIG_SECTION = 'djangoDeployHygiene';
export const FIX_ALL_KIND = `${CodeActionKind.SourceFixAll}.${CONFIG_SECTION}`;
export const SHOW_DOCS_COMMAND = 'djangoDeployHygiene.showDocumentation';
/** workspace/executeCommand → ChecklistResult: the checklist for editors that cannot send custom requests. */
export const CHECKLIST_COMMAND = 'djangoDeployHygiene.getChecklist';
/** workspace/executeCommand → string: the checklist as Markdown; argument: MarkdownParams (optional). */
export const CHECKLIST_MARKDOWN_COMMAND = 'djangoDeployHygiene.getChecklistMarkdown';

/**
 * What a published diagnostic carries for code actions. The fixes themselves are built when code
 * actions are asked for (see fixedFindings): building them after every keystroke cost more than
 * the rest of the analysis on large modules, for actions that are rarely opened; so is the
 * `# noqa` action (noqaFor).
 */
export interface DiagnosticData {
  django: string | null;
  docs: string;
  /** The other rules whose findings this one says together (their documentation shows on hover too). */
  joined?: string[];
  /** What the finding rests on, as the hover shows it (hover.ts basisMarkdown). */
  restsOn?: string;
}

/**
 * Supervisor → worker (supervisor.ts): the projects (roots; '*' for every one) a stopped worker was
 * analysing, which this one leaves alone until one of their files is edited.
 */
export const QUARANTINE_NOTIFICATION = 'djangoDeployHygiene/internal/quarantine';

/**
 * Worker → supervisor (supervisor.ts), never sent on to the client: for a project, where each
 * setting's name is written in the settings modules and what it is in production (the hover text),
 * so that the protocol thread answers hovers with no analysis of its own.
 */
export const SETTING_HOVERS_NOTIFICATION = 'djangoDeployHygiene/internal/settingHovers';

/**
 * Worker → supervisor (worker.ts), never sent on to the client: each rule's hover text and
 * documentation address, sent once when the worker starts (before any diagnostics), so that the
 * protocol thread answers hovers over findings without the rule catalogue in its own bundle.
 */
export const RULE_DOCS_NOTIFICATION = 'djangoDeployHygiene/internal/ruleDocs';

/**
 * Worker → supervisor (worker.ts): a message the protocol thread forwards to the client unchanged
 * (a file's diagnostics, an answer to a request), handed over as its JSON text. The protocol
 * thread writes that text as the message's body; as an object, the message was copied by a
 * structured clone in the worker, read back on the protocol thread and serialised there again.
 */
export interface SerializedMessage {
  /** The message, as JSON. */
  readonly serialized: string;
  /** A publishDiagnostics notification's document. */
  readonly uri?: string;
  /** A response's id. */
  readonly id?: number | string | null;
}

export function isSerializedMessage(m: unknown): m is SerializedMessage {
  return typeof m === 'object' && m !== null && typeof (m as { serialized?: unknown }).serialized === 'string';
}

export interface SettingHoversParams {
  root: string;
  files: { uri: string; hovers: { range: Range; markdown: string }[] }[];
}
export interface QuarantineParams {
  roots: string[];
}
export interface RuleDocsParams {
  /** By rule code: the hover text (rulesHoverMarkdown) and the documentation's address. */
  rules: Record<string, { markdown: string; docs: string }>;
}

export function uriToPath(uri: string): string | undefined {
  if (!uri.startsWith('file:')) return undefined;
  try {
    return fileURLToPath(uri);
  } catch {
    return undefined;
  }
}

export function pathToUri(file: string): string {
  return pathToFileURL(file).href;
}

/** The workspace folders an `initialize` names, as paths: its workspaceFolders, else its rootUri. */
export function initialFolders(params: InitializeParams): string[] {
  const folders = params.workspaceFolders?.map((f) => uriToPath(f.uri)).filter((f): f is string => !!f) ?? [];
  if (folders.length === 0 && params.rootUri) {
    const root = uriToPath(params.rootUri);
    if (root) folders.push(root);
  }
  return folders;
}

/** What the server asks of the client's configuration: the window's settings, then each folder's. */
export function configurationItems(folders: readonly string[]): ConfigurationItem[] {
  return [{ section: CONFIG_SECTION }, ...folders.map((f) => ({ scopeUri: pathToUri(f), section: CONFIG_SECTION }))];
}

/** What the server answers to `initialize` (the supervisor answers it too, before its worker is up). */
export function initializeResult(): InitializeResult {
  return {
    capabilities: {
      textDocumentSync: { openClose: true, change: TextDocumentSyncKind.Incremental },
      hoverProvider: true,
      codeActionProvider: { codeActionKinds: [CodeActionKind.QuickFix, FIX_ALL_KIND] },
      executeCommandProvider: { commands: [SHOW_DOCS_COMMAND, CHECKLIST_COMMAND, CHECKLIST_MARKDOWN_COMMAND] },
      workspace: { workspaceFolders: { supported: true, changeNotifications: true } },
    },
    serverInfo: { name: 'django-deploy-hygiene', version: typeof DDH_VERSION === 'string' ? DDH_VERSION : undefined },
  };
}
