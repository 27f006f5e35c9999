// Custom LSP messages between the VS Code client and the server, with their types. Both sides
// import this file; nothing here may import vscode or the analysis core.

/** Request: the production checklist of every project → ChecklistResult. */
export const CHECKLIST_REQUEST = 'djangoDeployHygiene/checklist';
/** Notification (server → client): the checklist changed; the client asks again. */
export const CHECKLIST_CHANGED = 'djangoDeployHygiene/checklistChanged';
/** Request: the checklist as Markdown (for a pull request) → string. Params: MarkdownParams. */
export const CHECKLIST_MARKDOWN_REQUEST = 'djangoDeployHygiene/checklistMarkdown';
/**
 * Request: the settings of a project's production module as Django will see them, as the CLI's
 * `settings` command prints them → SettingsViewResult. Params: SettingsViewParams.
 */
export const SETTINGS_VIEW_REQUEST = 'djangoDeployHygiene/settingsView';
/** Request (benchmarks, tests, diagnostics): the server's memory after a GC when available, and how many analyses it ran → MemoryStats. */
export const MEMORY_REQUEST = 'djangoDeployHygiene/memory';
/** Notification (client → server): what Django's own `check --deploy` said. Params: DjangoCheckResult. */
export const DJANGO_CHECK_RESULT = 'djangoDeployHygiene/djangoCheckResult';

export type ItemStatus = 'failing' | 'attention' | 'unknown' | 'passed' | 'manual';

export interface WirePosition {
  line: number;
  character: number;
}

export interface WireRange {
  start: WirePosition;
  end: WirePosition;
}

export interface WireEntry {
  label: string;
  uri?: string;
  range?: WireRange;
  code?: string;
  severity?: 'error' | 'warning' | 'information' | 'hint';
  /** Set when Django's check --deploy confirmed it ('confirmed') or reported it alone ('django'). */
  django?: 'confirmed' | 'django';
}

export interface WireItem {
  id: string;
  title: string;
  status: ItemStatus;
  description: string;
  detail: string;
  entries: WireEntry[];
  manual: boolean;
  rules: string[];
  django: string[];
}

export interface WireGroup {
  id: string;
  title: string;
  items: WireItem[];
}

export interface WireChecklist {
  root: string;
  rootUri: string;
  name: string;
  production?: { module: string; uri: string; reason: string };
  noProductionReason?: string;
  djangoVersion: { version: string; source: string; assumed: boolean };
  settingsModules: { name: string; uri: string }[];
  /** The project summary the CLI prints above its findings (issue 15.7); absent from older servers. */
  summary?: WireSummary;
  groups: WireGroup[];
  counts: Record<ItemStatus, number>;
  /** The last `check --deploy` merged into this checklist, if any. */
  /** The last "Run Django's check --deploy"; `stale` when the project's files changed since it ran. */
  djangoCheck?: { ranAt: string; ok: boolean; summary: string; stale?: boolean };
}

/** What chose the production module, what selects what it loads, the versions and what could not be read. */
export interface WireSummary {
  /** The evidence that chose the production module ("named by wsgi.py:11…"), when there is one. */
  evidence?: string;
  /** Variables that select what the production module loads, production's value and where it comes from. */
  environment: { name: string; value: string; evidence: string }[];
  /** Django, then gunicorn and uvicorn when a dependency file names them. */
  versions: { name: string; version: string; source: string; assumed: boolean }[];
  /** The repository root above the analysed folder, when its files were read too. */
  repositoryRoot?: string;
  /** The deployment files read as processes, and the variables production gets from them (names only). */
  deployment?: { files: string[]; variables: { name: string; evidence: string; known: boolean }[] };
  /** What could not be read (the production settings themselves first, when they could not be). */
  unread: string[];
}

export interface ChecklistResult {
  checklists: WireChecklist[];
}

export interface MarkdownParams {
  /** Ticked manual items, as `${root}#${itemId}`. */
  ticked: string[];
}

export interface MemoryStats {
  heapUsed: number;
  rss: number;
  /** WASM memory of tree-sitter (bytes), when known. */
  external: number;
  openDocuments: number;
  /** How many settings and migration analyses the server has run since it started (on edits, not for code actions). */
  analyses: { settings: number; migrations: number };
}

export interface DjangoCheckMessage {
  /** e.g. security.W004 */
  id: string;
  level: string;
  message: string;
}

export interface DjangoCheckResult {
  root: string;
  /** True when the command ran and Django printed its report (even with issues). */
  ok: boolean;
  messages: DjangoCheckMessage[];
  /** Why it could not run, when !ok. */
  error?: string;
  ranAt: string;
}

export interface SettingsViewParams {
  /** The project (its root, as in WireChecklist.root); every project when absent. */
  root?: string;
  /** Only what differs from Django's defaults (`settings --diff`). */
  diff?: boolean;
}

export interface SettingsViewResult {
  /** One block a project: a heading line, then one setting a line (`NAME = value  # state: file:line; why`). */
  text: string;
  /** How many projects it shows (0: no project with that root, or none in the workspace). */
  projects: number;
}
