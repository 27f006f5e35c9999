// The production checklist tree: project → group → item → findings/evidence. The server computes
// it; this only renders it, remembers manual ticks per workspace, and opens files on click.
import * as vscode from 'vscode';
import type { DjangoCheckResult, ItemStatus, WireChecklist, WireEntry, WireGroup, WireItem } from '../../server/src/protocol';

const TICKS_KEY = 'djangoDeployHygiene.ticked';

type Node =
  | { kind: 'project'; checklist: WireChecklist }
  | {
      kind: 'info';
      checklist: WireChecklist;
      label: string;
      description?: string;
      tooltip?: string;
      uri?: string;
      icon: string;
      /** Rows under this one (what could not be read), shown expanded. */
      children?: Node[];
      /** For the view's menus (`viewItem`): the production row has "Show the Production Settings". */
      contextValue?: string;
    }
  | { kind: 'group'; checklist: WireChecklist; group: WireGroup }
  | { kind: 'item'; checklist: WireChecklist; item: WireItem }
  | { kind: 'entry'; checklist: WireChecklist; entry: WireEntry };

const STATUS_ICON: Record<ItemStatus, [string, string | undefined]> = {
  failing: ['error', 'testing.iconFailed'],
  attention: ['warning', 'list.warningForeground'],
  unknown: ['question', 'disabledForeground'],
  passed: ['pass', 'testing.iconPassed'],
  manual: ['circle-large-outline', undefined],
};

const STATUS_WORD: Record<ItemStatus, string> = {
  failing: 'failing',
  attention: 'needs attention',
  unknown: 'unknown',
  passed: 'passed',
  manual: 'to check by hand',
};

const RANK: ItemStatus[] = ['failing', 'attention', 'unknown', 'manual', 'passed'];

function icon(status: ItemStatus): vscode.ThemeIcon {
  const [id, color] = STATUS_ICON[status];
  return new vscode.ThemeIcon(id, color ? new vscode.ThemeColor(color) : undefined);
}

export class ChecklistView implements vscode.TreeDataProvider<Node> {
  private readonly changed = new vscode.EventEmitter<Node | undefined>();
  readonly onDidChangeTreeData = this.changed.event;
  private lists: WireChecklist[] | undefined;

  /** `djangoRun(root)`: the last result of "Run Django's check --deploy" the client sent for a project. */
  constructor(
    private readonly state: vscode.Memento,
    private readonly djangoRun: (root: string) => DjangoCheckResult | undefined = () => undefined,
  ) {}

  set(lists: WireChecklist[]): void {
    this.lists = lists;
    this.changed.fire(undefined);
  }

  get checklists(): WireChecklist[] | undefined {
    return this.lists;
  }

  ticked(): Set<string> {
    return new Set(this.state.get<string[]>(TICKS_KEY, []));
  }

  isTicked(c: WireChecklist, item: WireItem): boolean {
    return this.ticked().has(`${c.root}#${item.id}`);
  }

  /** Ticks (`done` true), unticks (false) or toggles (undefined) a manual item; kept in the workspace's state. */
  async setDone(c: WireChecklist, item: WireItem, done?: boolean): Promise<void> {
    const t = this.ticked();
    const key = `${c.root}#${item.id}`;
    if (done ?? !t.has(key)) t.add(key);
    else t.delete(key);
    await this.state.update(TICKS_KEY, [...t]);
    this.changed.fire(undefined);
  }

  /** Status of an item as shown: a ticked manual item counts as passed. */
  statusOf(c: WireChecklist, item: WireItem): ItemStatus {
    return item.manual && this.isTicked(c, item) ? 'passed' : item.status;
  }

  getChildren(node?: Node): Node[] {
    const lists = this.lists ?? [];
    if (!node) {
      if (lists.length === 1) return this.projectChildren(lists[0]!);
      return lists.map((checklist) => ({ kind: 'project', checklist }));
    }
    switch (node.kind) {
      case 'project':
        return this.projectChildren(node.checklist);
      case 'group':
        return node.group.items.map((item) => ({ kind: 'item', checklist: node.checklist, item }));
      case 'item':
        return node.item.entries.map((entry) => ({ kind: 'entry', checklist: node.checklist, entry }));
      case 'info':
        return node.children ?? [];
      default:
        return [];
    }
  }

  private projectChildren(c: WireChecklist): Node[] {
    const info: Node[] = [];
    info.push(
      c.production
        ? {
            kind: 'info',
            checklist: c,
            label: 'Production settings',
            description: c.production.module,
            tooltip: `Why: ${c.production.reason}`,
            uri: c.production.uri,
            icon: 'settings-gear',
            // its inline action shows every setting as Django will see it in production
            contextValue: 'productionSettings',
          }
        : {
            kind: 'info',
            checklist: c,
            label: 'No production settings module',
            description: c.noProductionReason,
            tooltip: 'Choose one with "Django Deploy Hygiene: Choose the Production Settings Module".',
            icon: 'warning',
          },
    );
    info.push(...summaryRows(c));
    if (c.djangoCheck) info.push(djangoRunRow(c, this.djangoRun(c.root)));
    return [...info, ...c.groups.map((group) => ({ kind: 'group' as const, checklist: c, group }))];
  }

  getTreeItem(node: Node): vscode.TreeItem {
    switch (node.kind) {
      case 'project': {
        const c = node.checklist;
        const t = new vscode.TreeItem(c.name, vscode.TreeItemCollapsibleState.Expanded);
        t.description = this.summary(c);
        t.iconPath = new vscode.ThemeIcon('project');
        t.tooltip = c.root;
        return t;
      }
      case 'info': {
        const t = new vscode.TreeItem(
          node.label,
          node.children?.length ? vscode.TreeItemCollapsibleState.Expanded : vscode.TreeItemCollapsibleState.None,
        );
        t.description = node.description;
        t.tooltip = node.tooltip;
        t.iconPath = new vscode.ThemeIcon(node.icon);
        // without it VS Code reads out the tooltip ("Why: named by wsgi.py:11 …") instead of what the row says
        t.accessibilityInformation = { label: node.description ? `${node.label}: ${node.description}` : node.label };
        if (node.uri) t.command = { title: 'Open', command: 'vscode.open', arguments: [vscode.Uri.parse(node.uri)] };
        t.contextValue = node.contextValue;
        return t;
      }
      case 'group': {
        const statuses = node.group.items.map((i) => this.statusOf(node.checklist, i));
        const worst = RANK.find((r) => statuses.includes(r)) ?? 'passed';
        const t = new vscode.TreeItem(
          node.group.title,
          worst === 'passed' ? vscode.TreeItemCollapsibleState.Collapsed : vscode.TreeItemCollapsibleState.Expanded,
        );
        const failing = statuses.filter((s) => s === 'failing').length;
        const attention = statuses.filter((s) => s === 'attention').length;
        const passed = statuses.filter((s) => s === 'passed').length;
        t.description = [failing && `${failing} failing`, attention && `${attention} to review`, `${passed}/${statuses.length} passed`]
          .filter(Boolean)
          .join(' · ');
        t.iconPath = icon(worst);
        // group and item ids share one namespace on the server (e.g. group and item "security-headers"),
        // and VS Code refuses a second tree element with the same id, so each kind gets its own prefix
        t.id = `${node.checklist.root}#group:${node.group.id}`;
        return t;
      }
      case 'item': {
        const { item, checklist } = node;
        const status = this.statusOf(checklist, item);
        const ticked = item.manual && this.isTicked(checklist, item);
        const t = new vscode.TreeItem(
          item.title,
          item.entries.length > 0 ? vscode.TreeItemCollapsibleState.Collapsed : vscode.TreeItemCollapsibleState.None,
        );
        t.id = `${checklist.root}#item:${item.id}`;
        // a finding Django's own check also reported: said on the item, as the findings' long labels hide their descriptions
        const confirmed = item.entries.some((e) => e.django === 'confirmed');
        t.description = item.manual
          ? ticked
            ? 'done'
            : 'check by hand'
          : status === 'passed'
            ? undefined
            : [item.description, confirmed && 'confirmed by Django'].filter(Boolean).join(' · ');
        t.iconPath = item.manual
          ? new vscode.ThemeIcon(
              ticked ? 'pass-filled' : 'circle-large-outline',
              ticked ? new vscode.ThemeColor('testing.iconPassed') : undefined,
            )
          : icon(status);
        const md = new vscode.MarkdownString(`**${item.title}** — ${STATUS_WORD[status]}\n\n${item.detail.replace(/\n/g, '  \n')}`);
        if (item.django.length) md.appendMarkdown(`\n\nDjango checks: ${item.django.map((d) => `\`${d}\``).join(', ')}`);
        t.tooltip = md;
        t.contextValue = item.manual ? (ticked ? 'manualItemTicked' : 'manualItem') : 'item';
        // a manual item's description already says its state ("check by hand", "done"): read it once
        t.accessibilityInformation = {
          label: item.manual
            ? `${item.title}: ${ticked ? 'done' : STATUS_WORD.manual}`
            : `${item.title}: ${STATUS_WORD[status]}${t.description ? ', ' + t.description : ''}`,
        };
        if (item.manual) t.command = { title: 'Toggle', command: 'djangoDeployHygiene.toggleManualItem', arguments: [node] };
        else {
          const first = item.entries.find((e) => e.uri);
          if (first?.uri) t.command = openCommand(first);
        }
        return t;
      }
      case 'entry': {
        const e = node.entry;
        const t = new vscode.TreeItem(e.label, vscode.TreeItemCollapsibleState.None);
        const where = e.uri
          ? vscode.workspace.asRelativePath(vscode.Uri.parse(e.uri)) + (e.range ? `:${e.range.start.line + 1}` : '')
          : undefined;
        t.description = [e.django === 'confirmed' ? 'confirmed by Django' : e.django === 'django' ? 'from Django' : undefined, where]
          .filter(Boolean)
          .join(' · ');
        // the sidebar is narrow: the long label hides the description, so the tooltip names the place too
        t.tooltip = where ? `${e.label}\n\n${where}` : e.label;
        t.accessibilityInformation = { label: t.description ? `${e.label}, ${t.description}` : e.label };
        t.iconPath = new vscode.ThemeIcon(
          e.severity === 'error'
            ? 'error'
            : e.severity === 'warning'
              ? 'warning'
              : e.django
                ? 'symbol-event'
                : e.severity
                  ? 'info'
                  : 'file',
        );
        if (e.uri) t.command = openCommand(e);
        return t;
      }
    }
  }

  summary(c: WireChecklist): string {
    const counts: Record<ItemStatus, number> = { failing: 0, attention: 0, unknown: 0, passed: 0, manual: 0 };
    for (const g of c.groups) for (const i of g.items) counts[this.statusOf(c, i)]++;
    return [
      counts.failing && `${counts.failing} failing`,
      counts.attention && `${counts.attention} to review`,
      counts.unknown && `${counts.unknown} unknown`,
      `${counts.passed} passed`,
    ]
      .filter(Boolean)
      .join(' · ');
  }

  /** Failing items across all projects (for the status bar). */
  failingCount(): number {
    let n = 0;
    for (const c of this.lists ?? []) for (const g of c.groups) for (const i of g.items) if (this.statusOf(c, i) === 'failing') n++;
    return n;
  }
}

/**
 * The project summary under the production module row, as the CLI prints it above its findings:
 * what chose the module, the variables that select what it loads, the versions and where they come
 * from, the repository read around the folder, and what could not be read. A server without the
 * summary (an older one) gets the Django version row alone, as before.
 */
function summaryRows(c: WireChecklist): Node[] {
  const s = c.summary;
  const rows: Node[] = [];
  const info = (label: string, description: string | undefined, icon: string, tooltip?: string): Node => ({
    kind: 'info',
    checklist: c,
    label,
    description,
    tooltip: tooltip ?? (description ? `${label}: ${description}` : label),
    icon,
  });
  if (s?.evidence && c.production) rows.push(info('Chosen because', s.evidence, 'info'));
  for (const e of s?.environment ?? [])
    rows.push(info(`${e.name}=${e.value}`, e.evidence, 'symbol-variable', `${e.name}=${e.value}: ${e.evidence}`));
  // the deployment files read as the processes production runs, and the variables they give it
  if (s?.deployment && s.deployment.files.length > 0) {
    const files = s.deployment.files;
    const row = info('Deployment read', files.length === 1 ? files[0] : `${files.length} files`, 'server-process', files.join('\n'));
    if (files.length > 1 && row.kind === 'info') row.children = files.map((f) => info(f, undefined, 'file'));
    rows.push(row);
    const vars = s.deployment.variables;
    if (vars.length > 0) {
      const env = info(
        'Production environment',
        `${vars.length} variable${vars.length === 1 ? '' : 's'} from the deployment`,
        'symbol-variable',
        vars.map((v) => `${v.name}: ${v.known ? '' : 'value not in the files; '}${v.evidence}`).join('\n'),
      );
      if (env.kind === 'info')
        env.children = vars.map((v) => info(v.name, v.known ? v.evidence : `value not in the files (${v.evidence})`, 'symbol-variable'));
      rows.push(env);
    }
  }
  const versions = s?.versions ?? [{ name: 'Django', ...c.djangoVersion }];
  for (const v of versions) {
    const django = v.name === 'Django';
    const assumedWhy = django && v.assumed && !s ? 'assumed (no dependency file names it)' : `assumed: ${v.source}`;
    rows.push(info(`${v.name} ${v.version}`, v.assumed ? assumedWhy : v.source, v.assumed ? 'question' : 'versions', v.source));
  }
  if (s?.repositoryRoot)
    rows.push(
      info('Repository read', s.repositoryRoot, 'repo', `Files of the repository around the folder were read too: ${s.repositoryRoot}`),
    );
  // the production settings' own absence is the row above ("No production settings module")
  const unread = (s?.unread ?? []).filter((u, i) => !(i === 0 && !c.production && u.startsWith('the production settings')));
  if (unread.length > 0) {
    const row = info('Could not read', unread.length === 1 ? unread[0] : `${unread.length} things`, 'warning', unread.join('\n'));
    if (unread.length > 1 && row.kind === 'info') row.children = unread.map((u) => info(u, undefined, 'circle-small'));
    rows.push(row);
  }
  return rows;
}

/**
 * The row of the last "Run Django's check --deploy". Its description counts what Django reported, from
 * the result the client sent (the server's summary repeats the command's name, which is the label);
 * the icon says whether Django found something, not merely that it ran.
 */
function djangoRunRow(c: WireChecklist, run: DjangoCheckResult | undefined): Node {
  const check = c.djangoCheck!;
  const tooltip = `Ran ${new Date(check.ranAt).toLocaleString()}. What Django reported is merged into the items below; what no item covers is under "Django's check --deploy" at the end.`;
  if (!check.ok)
    return {
      kind: 'info',
      checklist: c,
      label: "Django's check --deploy",
      description: run?.error ? `could not run: ${run.error}` : check.summary,
      tooltip,
      icon: 'error',
    };
  if (!run) return { kind: 'info', checklist: c, label: "Django's check --deploy", description: check.summary, tooltip, icon: 'check-all' };
  const n = run.messages.length;
  const counted = n === 0 ? 'no issues' : `${n} issue${n === 1 ? '' : 's'} reported`;
  if (check.stale) {
    const staleTip = `Ran ${new Date(check.ranAt).toLocaleString()}, before the latest changes: its answer is no longer merged into the items. Run it again to confirm the current files.`;
    return {
      kind: 'info',
      checklist: c,
      label: "Django's check --deploy",
      description: `${counted} before your changes: run again`,
      tooltip: staleTip,
      icon: 'history',
    };
  }
  return {
    kind: 'info',
    checklist: c,
    label: "Django's check --deploy",
    description: counted,
    tooltip,
    icon: n === 0 ? 'check-all' : 'warning',
  };
}

function openCommand(e: WireEntry): vscode.Command {
  const options: vscode.TextDocumentShowOptions = {};
  if (e.range) options.selection = new vscode.Range(e.range.start.line, e.range.start.character, e.range.end.line, e.range.end.character);
  return { title: 'Open', command: 'vscode.open', arguments: [vscode.Uri.parse(e.uri!), options] };
}

export type { Node as ChecklistNode };
