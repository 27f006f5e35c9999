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

/** A place a row opens: a file, at a range when known. */
export interface WireLink {
  uri: string;
  range?: WireRange;
}

export interface WireEntry {
  label: string;
  uri?: string;
  range?: WireRange;
  code?: string;
  severity?: 'error' | 'warning' | 'information' | 'hint';
  /** Set when Django's check --deploy confirmed it ('confirmed') or reported it alone ('django'). */
  django?: 'confirmed' | 'django';
  /** The finding this one follows from (its code and place): the view nests this one under it. */
  follows?: { code: string } & WireLink;
  /** The places the finding names (a file and line its message gives), each a row under it. */
  related?: ({ label: string } & WireLink)[];
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
  /** Why the item does not apply (its status is then 'passed'): shown as "not applicable" with this. */
  notApplicable?: string;
  /** Passed because a comment where each choice is made explains it: said beside the title. */
  explained?: boolean;
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
  /** Each settings module with why it is, or is not, production (the module picker shows it). */
  settingsModules: { name: string; uri: string; why?: string; production?: boolean }[];
  /** The project summary the CLI prints above its findings (issue 15.7); absent from older servers. */
  summary?: WireSummary;
  groups: WireGroup[];
  counts: Record<ItemStatus, number>;
  /** The last "Run Django's check --deploy"; `stale` when the project's files changed since it ran. */
  djangoCheck?: { ranAt: string; ok: boolean; summary: string; stale?: boolean };
  /** The hops in front of each deployment of the production app and what each does (shown under HTTPS & cookies and Reverse proxy). */
  requestPath?: WireRequestPath;
}

/** What a hop does of one protection: yes, no or cannot be told, how and from where, and the place it is said. */
export interface WireHopDoes {
  state: 'yes' | 'no' | 'unknown';
  text: string;
  link?: WireLink;
}

/** The request path of a project (models/requestPath/view.ts), with links. */
export interface WireRequestPath {
  deployments: {
    label: string;
    link?: WireLink;
    hops: {
      label: string;
      link?: WireLink;
      presumed?: string;
      tls: WireHopDoes;
      does: { 'https-redirect': WireHopDoes; hsts: WireHopDoes; 'access-log': WireHopDoes };
    }[];
  }[];
  /** What the repository's nginx or Caddy tied to the app does ('' when nothing). */
  proxy: { 'https-redirect': string; hsts: string; 'access-log': string };
}

/** What chose the production module, what selects what it loads, the versions and what could not be read. */
export interface WireSummary {
  /** The evidence that chose the production module ("named by wsgi.py:11…"), when there is one. */
  evidence?: string;
  /** The evidence in its clauses, each with the place it names (the production row's children). */
  evidenceParts?: { text: string; link?: WireLink }[];
  /** Variables that select what the production module loads, production's value and where it comes from. */
  environment: { name: string; value: string; evidence: string; link?: WireLink }[];
  /** Django, then gunicorn and uvicorn when a dependency file names them. */
  versions: { name: string; version: string; source: string; assumed: boolean; link?: WireLink }[];
  /** The repository root above the analysed folder, when its files were read too. */
  repositoryRoot?: string;
  /** The deployment files read as processes, and the variables production gets from them (names only). */
  deployment?: {
    files: string[];
    /** The place each file is (in the order of `files`). */
    fileLinks?: (WireLink | null)[];
    /** Only those the settings, the app server or a rule read. */
    variables: { name: string; evidence: string; known: boolean; link?: WireLink }[];
    /** How many more the deployment files set that nothing of the project reads. */
    ignored?: number;
  };
  /** What could not be read (the production settings themselves first, when they could not be). */
  unread: string[];
  /** The place each unread line names, when it names one (in the order of `unread`). */
  unreadLinks?: (WireLink | null)[];
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
