// The production checklist tree: project → group → item → findings/evidence. The server computes
// it; this only renders it, remembers manual ticks per workspace, and opens files on click.
import * as vscode from 'vscode';
import { distinctNames } from './fileNames';
import { itemLabel } from './shortTitles';
import type {
  DjangoCheckResult,
  ItemStatus,
  WireChecklist,
  WireEntry,
  WireGroup,
  WireHopDoes,
  WireItem,
  WireLink,
} from '../../server/src/protocol';

const TICKS_KEY = 'djangoDeployHygiene.ticked';

type Node =
  | { kind: 'project'; checklist: WireChecklist }
  | {
      kind: 'info';
      checklist: WireChecklist;
      label: string;
      description?: string;
      tooltip?: string | vscode.MarkdownString;
      /** What a click opens: a file at a range. */
      link?: WireLink;
      icon: string;
      iconColor?: string;
      /** Rows under this one. */
      children?: Node[];
      /** Shown expanded (rows under the production row and the request path are folded). */
      expanded?: boolean;
      /** For the view's menus (`viewItem`): the production row has "Show the Production Settings". */
      contextValue?: string;
      /** A stable tree id, so that an expanded row stays expanded when the checklist is refreshed. */
      id?: string;
    }
  | { kind: 'group'; checklist: WireChecklist; group: WireGroup }
  | { kind: 'item'; checklist: WireChecklist; item: WireItem }
  | { kind: 'entry'; checklist: WireChecklist; entry: WireEntry; id: string };

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
        return [
          ...requestPathRows(node.checklist, node.group.id),
          ...node.group.items.map((item): Node => ({ kind: 'item', checklist: node.checklist, item })),
        ];
      case 'item':
        return node.item.entries.map((entry, i) => ({ kind: 'entry', checklist: node.checklist, entry, id: `${node.item.id}#${i}` }));
      case 'entry':
        return this.entryChildren(node);
      case 'info':
        return node.children ?? [];
      default:
        return [];
    }
  }

  /** Under a finding: the places its message names, and the findings that follow from it (DEBUG on → the toolbar's). */
  private entryChildren(node: Extract<Node, { kind: 'entry' }>): Node[] {
    const e = node.entry;
    const rows: Node[] = (e.related ?? [])
      .filter((r) => !(e.follows && r.uri === e.follows.uri && sameStart(r, e.follows)))
      .map((r) => ({
        kind: 'info',
        checklist: node.checklist,
        label: r.label,
        description: 'named in the finding',
        tooltip: `Open ${r.label}`,
        link: r,
        icon: 'go-to-file',
      }));
    for (const [i, f] of followersOf(node.checklist, e).entries())
      rows.push({ kind: 'entry', checklist: node.checklist, entry: { ...f, related: [] }, id: `${node.id}>${i}` });
    return rows;
  }

  /**
   * The checklist opens on the checklist: one row for the production module ("Production:
   * cla_backend.settings", why in its description), the evidence folded under it, then the run of
   * Django's own check when there is one, then the groups.
   */
  private projectChildren(c: WireChecklist): Node[] {
    const info: Node[] = [];
    info.push(
      c.production
        ? {
            kind: 'info',
            checklist: c,
            label: `Production: ${c.production.module}`,
            description: `because ${firstClause(c)}`,
            tooltip: productionTooltip(c),
            link: { uri: c.production.uri },
            icon: 'settings-gear',
            children: summaryRows(c),
            expanded: false,
            // its inline action shows every setting as Django will see it in production
            contextValue: 'productionSettings',
            id: `${c.root}#production`,
          }
        : {
            kind: 'info',
            checklist: c,
            label: 'No production settings module',
            description: c.noProductionReason,
            tooltip: `${c.noProductionReason ?? ''}\n\nChoose one with "Django Deploy Hygiene: Choose the Production Settings Module".`,
            icon: 'warning',
            children: summaryRows(c),
            expanded: false,
            id: `${c.root}#production`,
          },
    );
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
          node.children?.length
            ? node.expanded === false
              ? vscode.TreeItemCollapsibleState.Collapsed
              : vscode.TreeItemCollapsibleState.Expanded
            : vscode.TreeItemCollapsibleState.None,
        );
        if (node.id) t.id = node.id;
        t.description = node.description;
        t.tooltip = node.tooltip ?? (node.description ? `${node.label}: ${node.description}` : node.label);
        t.iconPath = new vscode.ThemeIcon(node.icon, node.iconColor ? new vscode.ThemeColor(node.iconColor) : undefined);
        // without it VS Code reads out the tooltip ("Why: named by wsgi.py:11 …") instead of what the row says
        t.accessibilityInformation = {
          label: node.description ? `${node.label}${node.description.startsWith('because ') ? ',' : ':'} ${node.description}` : node.label,
        };
        if (node.link) t.command = openCommand(node.link);
        t.contextValue = node.contextValue;
        return t;
      }
      case 'group': {
        const statuses = node.group.items.map((i) => this.statusOf(node.checklist, i));
        const worst = RANK.find((r) => statuses.includes(r)) ?? 'passed';
        const na = node.group.items.filter((i) => i.notApplicable !== undefined).length;
        const t = new vscode.TreeItem(
          node.group.title,
          worst === 'passed' ? vscode.TreeItemCollapsibleState.Collapsed : vscode.TreeItemCollapsibleState.Expanded,
        );
        const failing = statuses.filter((s) => s === 'failing').length;
        const attention = statuses.filter((s) => s === 'attention').length;
        const passed = statuses.filter((s) => s === 'passed').length - na;
        t.description = [
          failing && `${failing} failing`,
          attention && `${attention} to review`,
          `${passed}/${statuses.length - na} passed`,
          na && `${na} n/a`,
        ]
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
        // the short name (at the default side-bar width the sentence was cut); the sentence is in the
        // tooltip and the screen reader's label
        const t = new vscode.TreeItem(
          itemLabel(item),
          item.entries.length > 0 ? vscode.TreeItemCollapsibleState.Collapsed : vscode.TreeItemCollapsibleState.None,
        );
        t.id = `${checklist.root}#item:${item.id}`;
        // a finding Django's own check also reported: said on the item, as the findings' long labels hide their descriptions
        const confirmed = item.entries.some((e) => e.django === 'confirmed');
        const na = item.notApplicable !== undefined;
        t.description = item.manual
          ? ticked
            ? 'done'
            : 'check by hand'
          : na
            ? item.description
            : status === 'passed'
              ? item.explained
                ? 'explained by a comment'
                : undefined
              : [item.description, confirmed && 'confirmed by Django'].filter(Boolean).join(' · ');
        t.iconPath = item.manual
          ? new vscode.ThemeIcon(
              ticked ? 'pass-filled' : 'circle-large-outline',
              ticked ? new vscode.ThemeColor('testing.iconPassed') : undefined,
            )
          : na
            ? new vscode.ThemeIcon('circle-slash', new vscode.ThemeColor('disabledForeground'))
            : icon(status);
        const md = new vscode.MarkdownString(
          `**${item.title}** — ${na ? 'not applicable' : STATUS_WORD[status]}\n\n${item.detail.replace(/\n/g, '  \n')}`,
        );
        if (item.django.length) md.appendMarkdown(`\n\nDjango checks: ${item.django.map((d) => `\`${d}\``).join(', ')}`);
        t.tooltip = md;
        t.contextValue = item.manual ? (ticked ? 'manualItemTicked' : 'manualItem') : 'item';
        // a manual item's description already says its state ("check by hand", "done"): read it once
        t.accessibilityInformation = {
          label: item.manual
            ? `${item.title}: ${ticked ? 'done' : STATUS_WORD.manual}`
            : na
              ? `${item.title}: ${item.description}`
              : `${item.title}: ${STATUS_WORD[status]}${t.description ? ', ' + t.description : ''}`,
        };
        if (item.manual) t.command = { title: 'Toggle', command: 'djangoDeployHygiene.toggleManualItem', arguments: [node] };
        else {
          const first = item.entries.find((e) => e.uri);
          if (first?.uri) t.command = openCommand({ uri: first.uri, range: first.range });
        }
        return t;
      }
      case 'entry': {
        const e = node.entry;
        const followers = followersOf(node.checklist, e);
        const children = (e.related ?? []).length + followers.length;
        // the sidebar is narrow: the row says the gist (the message's first clause), the tooltip all of it
        const t = new vscode.TreeItem(
          shortLabel(e.label),
          children > 0 ? vscode.TreeItemCollapsibleState.Collapsed : vscode.TreeItemCollapsibleState.None,
        );
        t.id = `${node.checklist.root}#entry:${node.id}`;
        const where = e.uri
          ? vscode.workspace.asRelativePath(vscode.Uri.parse(e.uri)) + (e.range ? `:${e.range.start.line + 1}` : '')
          : undefined;
        const follows = e.follows ? `follows from ${e.follows.code}` : undefined;
        t.description = [
          follows,
          e.django === 'confirmed' ? 'confirmed by Django' : e.django === 'django' ? 'from Django' : undefined,
          followers.length > 0 ? `${followers.length} more follow from it` : undefined,
          where,
        ]
          .filter(Boolean)
          .join(' · ');
        t.tooltip = where ? `${e.label}\n\n${where}` : e.label;
        t.accessibilityInformation = { label: t.description ? `${e.label}, ${t.description}` : e.label };
        t.iconPath = new vscode.ThemeIcon(
          e.severity === 'error'
            ? 'error'
            : e.severity === 'warning'
              ? 'warning'
              : e.django
                ? 'symbol-event'
                : e.severity === 'hint'
                  ? 'lightbulb'
                  : e.severity
                    ? 'info'
                    : 'file',
        );
        if (e.uri) t.command = openCommand({ uri: e.uri, range: e.range });
        return t;
      }
    }
  }

  summary(c: WireChecklist): string {
    const counts: Record<ItemStatus, number> = { failing: 0, attention: 0, unknown: 0, passed: 0, manual: 0 };
    let na = 0;
    for (const g of c.groups)
      for (const i of g.items) {
        if (i.notApplicable !== undefined) na++;
        else counts[this.statusOf(c, i)]++;
      }
    return [
      counts.failing && `${counts.failing} failing`,
      counts.attention && `${counts.attention} to review`,
      counts.unknown && `${counts.unknown} unknown`,
      `${counts.passed} passed`,
      na && `${na} not applicable`,
    ]
      .filter(Boolean)
      .join(' · ');
  }

  /**
   * The message above the tree: the production module, then the counts ("Production:
   * polling_stations.settings.production — 3 failing · 20 passed"). The message wraps where a row is
   * cut, so a long module name stays readable at the default side-bar width.
   */
  headline(c: WireChecklist): string {
    return `${c.production ? `Production: ${c.production.module}` : 'No production settings module'} — ${this.summary(c)}`;
  }

  /** Failing items across all projects (for the status bar). */
  failingCount(): number {
    let n = 0;
    for (const c of this.lists ?? []) for (const g of c.groups) for (const i of g.items) if (this.statusOf(c, i) === 'failing') n++;
    return n;
  }
}

/** The first clause of what chose the production module, for the row's description ("named by docker/cla_backend.ini:6"). */
function firstClause(c: WireChecklist): string {
  const first = c.summary?.evidenceParts?.[0]?.text ?? c.production?.reason ?? '';
  return first.replace(/ \(DJANGO_SETTINGS_MODULE\)$/, '');
}

function productionTooltip(c: WireChecklist): vscode.MarkdownString {
  const md = new vscode.MarkdownString();
  md.appendMarkdown(`**Production settings: \`${c.production!.module}\`**\n\n`);
  md.appendText(`Why: ${c.production!.reason}`);
  md.appendMarkdown(
    '\n\nA click opens the module; expand the row for the evidence, the deployment files and the variables production gets.',
  );
  return md;
}

/**
 * The evidence under the production row (folded there, so that the checklist comes first): what
 * chose the module, clause by clause, each opening the place it names; the variables that select
 * what it loads; the deployment files read and the variables production gets from them that the
 * project reads; the versions and their source; the other settings modules and why they are not
 * production; the repository read around the folder; what could not be read.
 */
function summaryRows(c: WireChecklist): Node[] {
  const s = c.summary;
  const rows: Node[] = [];
  const info = (label: string, description: string | undefined, icon: string, link?: WireLink | null, tooltip?: string): Node => ({
    kind: 'info',
    checklist: c,
    label,
    description,
    tooltip: tooltip ?? (description ? `${label}: ${description}` : label),
    icon,
    ...(link ? { link } : {}),
  });
  const folder = (id: string, label: string, description: string, icon: string, children: Node[], tooltip?: string): Node => ({
    kind: 'info',
    checklist: c,
    label,
    description,
    tooltip: tooltip ?? `${label}: ${description}`,
    icon,
    children,
    expanded: false,
    id: `${c.root}#summary:${id}`,
  });
  if (c.production) {
    const parts = s?.evidenceParts ?? (s?.evidence ? [{ text: s.evidence }] : [{ text: c.production.reason }]);
    for (const p of parts) rows.push(info(p.text, undefined, 'info', p.link, p.text));
  }
  for (const e of s?.environment ?? []) rows.push(info(`${e.name}=${e.value}`, e.evidence, 'symbol-variable', e.link));
  // the deployment files read as the processes production runs, and the variables they give it
  if (s?.deployment && s.deployment.files.length > 0) {
    const files = s.deployment.files;
    rows.push(
      folder(
        'files',
        'Deployment files',
        `${files.length} read`,
        'server-process',
        // the file's name first (with the folders that tell two of one name apart: a chart's five
        // deployment.yaml), the rest of its folder after it (as the Problems panel and the explorer
        // do): at the default side-bar width five rows "helm_deploy/app/templates/…" were cut alike
        deploymentFileRows(files).map((r, i) => {
          const description = [r.folder, r.kind].filter(Boolean).join(' · ') || undefined;
          return info(r.name, description, 'file', s.deployment!.fileLinks?.[i], files[i]);
        }),
        files.join('\n'),
      ),
    );
  }
  const vars = s?.deployment?.variables ?? [];
  if (vars.length > 0 || s?.deployment?.ignored) {
    const ignored = s?.deployment?.ignored ? ` (${s.deployment.ignored} more the project does not read: not listed)` : '';
    rows.push(
      folder(
        'variables',
        'Variables',
        `${vars.length} the settings or the app server read`,
        'symbol-variable',
        vars.map((v) =>
          info(
            v.name,
            v.known ? v.evidence : `value not in the files · ${v.evidence}`,
            'symbol-variable',
            v.link,
            `${v.name}: ${v.known ? '' : 'its value is not in the files; '}set by ${v.evidence}`,
          ),
        ),
        `The environment production gets from the deployment files that the settings, the app server or a rule read${ignored}.`,
      ),
    );
  }
  const versions = s?.versions ?? [{ name: 'Django', ...c.djangoVersion }];
  for (const v of versions) {
    const django = v.name === 'Django';
    const assumedWhy = django && v.assumed && !s ? 'assumed (no dependency file names it)' : `assumed: ${v.source}`;
    rows.push(
      info(
        `${v.name} ${v.version}`,
        v.assumed ? assumedWhy : v.source,
        v.assumed ? 'question' : 'versions',
        'link' in v ? v.link : undefined,
        v.source,
      ),
    );
  }
  const others = c.settingsModules.filter((m) => m.name !== c.production?.module);
  if (others.length > 0)
    rows.push(
      folder(
        'modules',
        'Other settings modules',
        `${others.length}, not production`,
        'files',
        others.map((m) => info(m.name, m.why, 'file-code', { uri: m.uri }, m.why ? `${m.name}: ${m.why}` : m.name)),
      ),
    );
  if (s?.repositoryRoot)
    rows.push(
      info(
        'Repository read',
        s.repositoryRoot,
        'repo',
        undefined,
        `Files of the repository around the folder were read too: ${s.repositoryRoot}`,
      ),
    );
  // the production settings' own absence is the row above ("No production settings module")
  const unread = (s?.unread ?? [])
    .map((u, i) => ({ u, link: s?.unreadLinks?.[i] }))
    .filter(({ u }, i) => !(i === 0 && !c.production && u.startsWith('the production settings')));
  if (unread.length > 0)
    rows.push(
      folder(
        'unread',
        'Could not read',
        `${unread.length} ${unread.length === 1 ? 'thing' : 'things'}`,
        'warning',
        unread.map(({ u, link }) => info(u, undefined, 'circle-small', link, u)),
        unread.map(({ u }) => u).join('\n'),
      ),
    );
  return rows;
}

const PROTECTIONS: Record<string, readonly (readonly ['tls' | 'https-redirect' | 'hsts' | 'access-log', string])[]> = {
  'https-cookies': [
    ['https-redirect', 'HTTPS redirect'],
    ['hsts', 'HSTS'],
  ],
  proxy: [
    ['tls', 'TLS'],
    ['access-log', 'Request log'],
  ],
};

const ANSWER_ICON: Record<WireHopDoes['state'], [string, string]> = {
  yes: ['pass', 'testing.iconPassed'],
  no: ['circle-slash', 'list.warningForeground'],
  unknown: ['question', 'disabledForeground'],
};

/**
 * Under "HTTPS & cookies" and "Reverse proxy": what is in front of Django, deployment by deployment
 * (the request path), folded in one row: each hop with what it does of the group's protections and
 * from where (a click opens the file that says it), so that a finding kept or dropped because of a
 * hop can be traced to it.
 */
function requestPathRows(c: WireChecklist, group: string): Node[] {
  const shown = PROTECTIONS[group];
  const path = c.requestPath;
  if (!shown || !path || path.deployments.length === 0) return [];
  const short = (d: WireHopDoes): string => (d.state === 'yes' ? 'yes' : d.state === 'no' ? 'no' : '?');
  const deployments: Node[] = path.deployments.map((d, di) => {
    const hops: Node[] = d.hops.map((h, hi) => {
      const facts = { tls: h.tls, ...h.does };
      const answers: Node[] = shown.map(([key, what]) => {
        const a = facts[key];
        return {
          kind: 'info',
          checklist: c,
          label: what,
          description: a.state === 'unknown' ? `cannot be told: ${a.text}` : a.text,
          tooltip: `${what}: ${a.state === 'unknown' ? `cannot be told (${a.text})` : a.text}`,
          icon: ANSWER_ICON[a.state][0],
          iconColor: ANSWER_ICON[a.state][1],
          ...(a.link ? { link: a.link } : {}),
        };
      });
      return {
        kind: 'info',
        checklist: c,
        label: h.label,
        description: shown.map(([key, what]) => `${what} ${short(facts[key])}`).join(' · '),
        tooltip: [
          `${h.label}${h.presumed ? ` (presumed: ${h.presumed})` : ''}`,
          ...shown.map(([key, what]) => `${what}: ${facts[key].text}`),
        ].join('\n'),
        icon: 'arrow-right',
        children: answers,
        expanded: false,
        ...(h.link ? { link: h.link } : {}),
        id: `${c.root}#path:${group}:${di}:${hi}`,
      };
    });
    return {
      kind: 'info',
      checklist: c,
      label: d.label,
      description: d.hops.length === 0 ? 'nothing in front that the repository shows' : d.hops.map((h) => h.label).join(' → '),
      tooltip:
        d.hops.length === 0
          ? `${d.label}: nothing in front of it that the repository shows`
          : `${d.label}\nIn front: ${d.hops.map((h) => h.label).join(' → ')}`,
      icon: 'server-process',
      ...(hops.length > 0 ? { children: hops, expanded: false } : {}),
      ...(d.link ? { link: d.link } : {}),
      id: `${c.root}#path:${group}:${di}`,
    };
  });
  const notes = (group === 'https-cookies' ? [path.proxy['https-redirect'], path.proxy.hsts] : [path.proxy['access-log']])
    .filter((n) => n)
    .map((n): Node => ({ kind: 'info', checklist: c, label: n.replace(/^[^A-Za-z]+/, ''), icon: 'info', tooltip: n }));
  const withHops = path.deployments.filter((d) => d.hops.length > 0).length;
  return [
    {
      kind: 'info',
      checklist: c,
      label: 'In front of Django',
      description: `${path.deployments.length} deployment${path.deployments.length === 1 ? '' : 's'}, ${withHops} with a hop in front`,
      tooltip: `What each deployment of the production app has in front of it, and what each hop does (${shown.map(([, w]) => w).join(', ')}), from the files that say it.`,
      icon: 'globe',
      children: [...deployments, ...notes],
      expanded: false,
      id: `${c.root}#path:${group}`,
    },
  ];
}

/** The findings of the checklist that follow from `cause` (by the cause's code and place). */
function followersOf(c: WireChecklist, cause: WireEntry): WireEntry[] {
  if (!cause.uri || !cause.code || cause.follows) return [];
  const out: WireEntry[] = [];
  for (const g of c.groups)
    for (const i of g.items)
      for (const e of i.entries)
        if (e.follows && e.follows.code === cause.code && e.follows.uri === cause.uri && sameStart(e.follows, cause)) out.push(e);
  return out;
}

function sameStart(
  a: { range?: { start: { line: number; character: number } } },
  b: { range?: { start: { line: number; character: number } } },
): boolean {
  return a.range?.start.line === b.range?.start.line && a.range?.start.character === b.range?.start.character;
}

/** "docker/Dockerfile (Dockerfile, 1 process)" rows: each file's distinguishing name, its folder, its kind. */
function deploymentFileRows(files: readonly string[]): { name: string; folder: string | undefined; kind: string | undefined }[] {
  const split = files.map((f) => {
    const cut = f.indexOf(' (');
    return { file: cut > 0 ? f.slice(0, cut) : f, kind: cut > 0 ? f.slice(cut + 2, -1) : undefined };
  });
  const names = distinctNames(split.map((x) => x.file));
  return split.map((x, i) => ({ ...names[i]!, kind: x.kind }));
}

/** A finding's row label: its code and the message's first clause (up to its first ": "), the rest in the tooltip. */
export function shortLabel(label: string): string {
  const colon = label.indexOf(': ');
  const head = colon > 12 && colon < 110 ? label.slice(0, colon) : label;
  return head.length > 110 ? `${head.slice(0, 108)}…` : head;
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

function openCommand(l: WireLink): vscode.Command {
  const options: vscode.TextDocumentShowOptions = {};
  if (l.range) options.selection = new vscode.Range(l.range.start.line, l.range.start.character, l.range.end.line, l.range.end.character);
  return { title: 'Open', command: 'vscode.open', arguments: [vscode.Uri.parse(l.uri), options] };
}

export type { Node as ChecklistNode };
