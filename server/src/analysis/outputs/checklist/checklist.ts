// Builds the production checklist of a project from its analysis: each item's status comes from the
// outcomes of the rules that feed it (failing / needs attention / unknown / passed; failing only for
// findings whose every link is certain, the others to review with what keeps them uncertain), deployment
// items from the files that can show them, manual items from the person (ticks live in the editor).
import type { Loc } from '../../eval/values';
import type { ProjectAnalysis } from '../../engine/engine';
import { RULES } from '../../rules/registry';
import { stripUrlCredentials } from '../../secrets/index';
import { EXPLAINED_REASON, GROUPS, isCertain, type Finding, type Rule } from '../../rules/types';
import type { FileView } from '../../files/view';
import { deploymentFacts } from './deployment';
import { NO_STATICFILES_APP } from '../../models/settings/appKind';
import { CHECKLIST_ITEMS, isChecklistItem, type ChecklistGroupId, type ChecklistItemDef } from '../../catalogue/checklistItems';
import { projectSummary, type ProjectSummary } from './summary';
import { settingsModulesWhy } from './modules';
import type { RequestPathView } from '../../models/requestPath/view';

export type ItemStatus = 'failing' | 'attention' | 'unknown' | 'passed' | 'manual';

export interface ChecklistEntry {
  readonly label: string;
  readonly loc?: Loc;
  readonly code?: string;
  readonly severity?: Finding['severity'];
  /** For a finding that rests on something uncertain: the links that keep it so ("if docker-compose.yml is the production one"). */
  readonly uncertain?: string;
  /** The finding this one follows from (DEBUG on → the toolbar): the editor nests it under that one. */
  readonly follows?: { readonly code: string; readonly loc: Loc };
  /** The places the finding names (its related places), each a row under it. */
  readonly related?: readonly { readonly label: string; readonly loc: Loc }[];
}

export interface ChecklistItem {
  readonly id: string;
  readonly group: ChecklistGroupId;
  readonly title: string;
  readonly status: ItemStatus;
  /** One short line shown beside the title. */
  readonly description: string;
  /** Longer explanation (tooltip): reasons for unknown, which rules were checked. */
  readonly detail: string;
  readonly entries: ChecklistEntry[];
  readonly manual: boolean;
  /** Rule codes feeding the item, and Django check ids they mirror. */
  readonly rules: string[];
  readonly django: string[];
  /**
   * Why the item does not apply to this project (the gunicorn items when uWSGI serves the app): its
   * status is then 'passed' (it fails nothing; counts and exit codes are as before), and the
   * outputs say "not applicable" with this reason instead of "passed".
   */
  readonly notApplicable?: string;
  /**
   * Passed because each finding of the item was set aside as explained by the maintainer's comment
   * (engine/intent.ts): its entries name the comments, and the outputs say so beside the title.
   */
  readonly explained?: boolean;
}

export interface ChecklistGroup {
  readonly id: ChecklistGroupId;
  readonly title: string;
  readonly items: ChecklistItem[];
}

export interface Checklist {
  readonly root: string;
  readonly name: string;
  readonly production?: { readonly module: string; readonly file: string; readonly reason: string };
  readonly noProductionReason?: string;
  readonly djangoVersion: { readonly version: string; readonly source: string; readonly assumed: boolean };
  /** Each settings module with why it is, or is not, production (the module picker's words). */
  readonly settingsModules: { readonly name: string; readonly file: string; readonly production: boolean; readonly why: string }[];
  /** The production module and its evidence, the selecting environment, versions, what could not be read. */
  readonly summary: ProjectSummary;
  readonly groups: ChecklistGroup[];
  readonly counts: Record<ItemStatus, number>;
  /** The hops in front of the production app and what each does (models/requestPath/view.ts). */
  readonly requestPath?: RequestPathView;
}

/** The item a rule feeds: its own `checklist` id, or the first automatic item of its group. */
export function itemOfRule(rule: Rule): string | undefined {
  if (isChecklistItem(rule.checklist)) return rule.checklist;
  if (rule.group === 'analysis') return undefined;
  return CHECKLIST_ITEMS.find((i) => i.group === rule.group && !i.manual)?.id;
}

function plural(n: number, word: string): string {
  return `${n} ${word}${n === 1 ? '' : 's'}`;
}

/** Which migrations the analysis checked (the change set in words), for the migrations item. */
export interface MigrationScope {
  /** Whether the migration rules ran at all (else the item stays one to review by hand). */
  readonly checked: boolean;
  /** How many migration files were checked. */
  readonly count: number;
  /** "2 of 14 migrations checked: added or changed since the merge base with main (1a2b3c4)". */
  readonly description: string;
}

/** The deployment item the migration rules feed. */
export const MIGRATIONS_ITEM = 'migrations-reviewed';

export function buildChecklist(ws: FileView, analysis: ProjectAnalysis, migrations?: MigrationScope): Checklist {
  const project = analysis.project;
  const deployment = deploymentFacts(ws, project);
  const rulesByItem = new Map<string, Rule[]>();
  for (const r of RULES) {
    const item = itemOfRule(r);
    if (item) rulesByItem.set(item, [...(rulesByItem.get(item) ?? []), r]);
  }
  const items: ChecklistItem[] = CHECKLIST_ITEMS.map((def) =>
    def.id === MIGRATIONS_ITEM
      ? migrationsItem(def, rulesByItem.get(def.id) ?? [], analysis, migrations)
      : buildItem(def, rulesByItem.get(def.id) ?? [], analysis, deployment),
  );
  const groups: ChecklistGroup[] = [];
  for (const item of items) {
    let g = groups.find((x) => x.id === item.group);
    if (!g) {
      g = { id: item.group, title: GROUPS[item.group], items: [] };
      groups.push(g);
    }
    g.items.push(item);
  }
  const counts: Record<ItemStatus, number> = { failing: 0, attention: 0, unknown: 0, passed: 0, manual: 0 };
  for (const i of items) counts[i.status]++;
  const prod = project.production;
  return {
    root: project.root,
    name: project.name,
    production: prod ? { module: prod.module.name, file: prod.module.file, reason: prod.reason } : undefined,
    noProductionReason: project.noProductionReason,
    djangoVersion: {
      version: project.djangoVersion.version,
      source: stripUrlCredentials(project.djangoVersion.source),
      assumed: project.djangoVersion.assumed,
    },
    settingsModules: settingsModulesWhy(project, analysis.evaluation),
    summary: projectSummary(analysis),
    groups,
    counts,
    ...(analysis.requestPath ? { requestPath: analysis.requestPath } : {}),
  };
}

/**
 * "Migrations reviewed: no destructive changes" (issue 20.5): computed from the migration rules'
 * findings on the migrations checked (the change set) when they ran: failing with the findings
 * under it, passed saying which migrations were checked; a manual item when they did not run.
 */
function migrationsItem(def: ChecklistItemDef, rules: Rule[], analysis: ProjectAnalysis, scope: MigrationScope | undefined): ChecklistItem {
  if (!scope?.checked || rules.length === 0) return buildItem({ ...def, manual: true }, rules, analysis, {});
  const item = buildItem({ ...def, manual: false }, rules, analysis, {});
  if (item.status !== 'passed') return { ...item, detail: `${scope.description}.\n${item.detail}` };
  // passed: no finding, no unknown (or no migration to check at all); it applies, whatever the
  // migration rules said of a project without migrations
  const { notApplicable: _na, ...applies } = item;
  return {
    ...applies,
    description: scope.count === 0 ? 'no new migrations' : 'no destructive change found',
    detail: `${scope.description}.`,
  };
}

/** A deployment item, from the files that show it (the migrations item is computed from its rules' findings instead). */
function deploymentItem(
  base: Omit<ChecklistItem, 'status' | 'description' | 'detail' | 'entries'>,
  fact: ReturnType<typeof deploymentFacts>[string] | undefined,
): ChecklistItem {
  const evidence = fact?.evidence ?? [];
  return evidence.length > 0
    ? {
        ...base,
        status: 'passed',
        description: evidence[0]!.label,
        detail: evidence.map((e) => e.label).join('\n'),
        entries: evidence.map((e) => ({ label: e.label, loc: e.loc })),
      }
    : {
        ...base,
        status: 'attention',
        description: 'not found',
        detail: `Nothing in ${fact?.lookedIn ?? 'the project files'} shows this.`,
        entries: [],
      };
}

/**
 * What keeps a finding uncertain, in words (the clauses of its uncertain links), or undefined: a
 * finding counts as failing only when everything it rests on is certain; the others are to review.
 */
function uncertainOf(f: Finding): string | undefined {
  const links = (f.basis ?? []).filter((l) => !isCertain(l));
  return links.length > 0 ? links.map((l) => l.clause ?? `${l.kind} ${l.subject}: ${l.how}`).join('; ') : undefined;
}

/** An item none of whose checks applies: passed, saying why (each reason once) and which rules said so. */
function notApplicableItem(
  base: Omit<ChecklistItem, 'status' | 'description' | 'detail' | 'entries'>,
  reasons: readonly string[],
): ChecklistItem {
  const why = [...new Set(reasons)];
  return {
    ...base,
    status: 'passed',
    notApplicable: why.join('; '),
    description: `not applicable: ${why[0]}`,
    detail: `Not applicable: ${why.join('; ')} (${base.rules.join(', ')}).`,
    entries: [],
  };
}

/** A finding as a row under its item: what keeps it uncertain, what it follows from, the places it names. */
function findingEntry(f: Finding): ChecklistEntry {
  const uncertain = uncertainOf(f);
  return {
    label: `${f.code} ${f.message}`,
    loc: f.loc,
    code: f.code,
    severity: f.severity,
    ...(uncertain ? { uncertain } : {}),
    ...(f.follows ? { follows: f.follows } : {}),
    ...(f.related?.length ? { related: f.related.map((r) => ({ label: r.message, loc: r.loc })) } : {}),
  };
}

function buildItem(
  def: ChecklistItemDef,
  rules: Rule[],
  analysis: ProjectAnalysis,
  deployment: ReturnType<typeof deploymentFacts>,
  findingsDecide = false,
): ChecklistItem {
  const base = {
    id: def.id,
    group: def.group,
    title: def.title,
    manual: !!def.manual,
    rules: rules.map((r) => r.code),
    django: rules.flatMap((r) => r.django ?? []),
  };
  if (def.manual) {
    return {
      ...base,
      status: 'manual',
      description: 'tick when done',
      detail: 'Only a person can check this; tick it in the checklist view.',
      entries: [],
    };
  }
  // deployment items are read from the files that show them (the migrations item: see migrationsItem),
  // unless a rule of theirs reports something (a Django past its end of life, an Ingress in an API
  // Kubernetes no longer serves under "supported releases"): then its findings decide, as for any
  // item, with the evidence rows after them; otherwise an error in the Problems panel belonged to
  // no item and the item said "not found" beside it
  if (def.group === 'deployment' && def.id !== MIGRATIONS_ITEM && !findingsDecide) {
    const codes = new Set(base.rules);
    const fact = deployment[def.id];
    // nothing in the files shows collectstatic running, and there is no such command (the static
    // files app is not installed): the item says so, with the rule's reason and the place
    const na = rules.length > 0 ? rules.map((r) => analysis.outcomes.get(r.code)) : [];
    if (
      !(fact?.evidence.length ?? 0) &&
      na.length > 0 &&
      na.every((o) => o?.state === 'not-applicable' && o.reason?.startsWith(NO_STATICFILES_APP))
    ) {
      return notApplicableItem(
        base,
        na.map((o) => o!.reason ?? 'nothing to check'),
      );
    }
    if (!analysis.findings.some((f) => codes.has(f.code) && f.severity !== 'hint')) return deploymentItem(base, fact);
    const item = buildItem(def, rules, analysis, deployment, true);
    return { ...item, entries: [...item.entries, ...(fact?.evidence ?? []).map((e) => ({ label: e.label, loc: e.loc }))] };
  }
  if (rules.length === 0) {
    return { ...base, status: 'unknown', description: 'not checked', detail: 'No rule checks this item yet.', entries: [] };
  }
  const codes = new Set(base.rules);
  const findings = analysis.findings.filter((f) => codes.has(f.code));
  const entries = findings.map(findingEntry);
  const outcomes = base.rules.map((c) => analysis.outcomes.get(c)).filter((o) => o !== undefined);
  const settingsRules = rules.every((r) => r.target === 'settings');
  if (settingsRules && !analysis.settings) {
    return {
      ...base,
      status: 'unknown',
      description: 'no production settings',
      detail: analysis.project.noProductionReason ?? 'No production settings module was found.',
      entries,
    };
  }
  // hints are the editor's dots under the text: the Problems panel does not list them, so they
  // make no item fail or need attention, and no count says them as problems or suggestions
  const shown = findings.filter((f) => f.severity !== 'hint');
  const hints = findings.length - shown.length;
  const hintNote = hints > 0 ? ` (and ${plural(hints, 'hint')} in the editor)` : '';
  const review = shown.filter((f) => uncertainOf(f) !== undefined).length;
  const problems = shown.filter((f) => (f.severity === 'error' || f.severity === 'warning') && uncertainOf(f) === undefined).length;
  const toReview = review > 0 ? `${review} to review` : '';
  if (problems > 0) {
    return {
      ...base,
      status: 'failing',
      description:
        [plural(problems, 'problem'), toReview, plural(shown.length - problems - review, 'suggestion')]
          .filter((d) => d !== '' && !d.startsWith('0 '))
          .join(', ') + hintNote,
      detail: findings.map((f) => `${f.code} ${f.message}`).join('\n'),
      entries,
    };
  }
  if (shown.length > 0) {
    return {
      ...base,
      status: 'attention',
      description:
        [toReview, plural(shown.length - review, 'suggestion')].filter((d) => d !== '' && !d.startsWith('0 ')).join(', ') + hintNote,
      detail: findings.map((f) => `${f.code} ${f.message}`).join('\n'),
      entries,
    };
  }
  const unknown = outcomes.filter((o) => o.state === 'unknown');
  if (unknown.length > 0) {
    const reasons = [...new Set(unknown.map((o) => o.reason ?? 'cannot be read statically'))];
    return {
      ...base,
      status: 'unknown',
      description: reasons[0]!,
      detail: reasons.join('\n'),
      // (two rules of an item can be unknown for one reason at one place: said once)
      entries: [
        ...new Map(
          unknown
            .filter((o) => o.loc)
            .map((o) => [`${o.loc!.file}:${o.loc!.start}:${o.reason}`, { label: `unknown: ${o.reason}`, loc: o.loc }]),
        ).values(),
      ],
    };
  }
  const checked = outcomes.filter((o) => o.state === 'passed').length;
  const disabled = outcomes.filter((o) => o.state === 'disabled').length;
  // every rule that ran found nothing to check: the item does not apply, and says why
  const na = outcomes.filter((o) => o.state === 'not-applicable');
  if (checked === 0 && na.length > 0 && na.length + disabled === rules.length) {
    return notApplicableItem(
      base,
      na.map((o) => o.reason ?? 'nothing to check'),
    );
  }
  // choices the maintainer's comment explains (engine/intent.ts): said, and linked to the comment
  const explained = outcomes.filter((o) => o.state === 'disabled' && o.reason?.startsWith(EXPLAINED_REASON));
  if (explained.length > 0)
    return {
      ...base,
      status: 'passed',
      explained: true,
      description: `ok: ${explained[0]!.reason!}`,
      detail: `Checked by ${base.rules.join(', ')}; set aside as explained by the maintainer's comment:\n${[...new Set(explained.map((o) => o.reason))].join('\n')}`,
      entries: [
        // (two rules set aside by one comment: one row)
        ...new Map(
          explained.map((o) => [`${o.reason}@${o.loc?.file}:${o.loc?.start}`, { label: o.reason!, ...(o.loc ? { loc: o.loc } : {}) }]),
        ).values(),
        ...(hints > 0 ? entries : []),
      ],
    };
  return {
    ...base,
    status: 'passed',
    description: disabled === rules.length ? 'checks disabled' : hints > 0 ? `ok${hintNote}` : 'ok',
    detail: `Checked by ${base.rules.join(', ')}${checked < rules.length ? ` (${rules.length - checked} not applicable or disabled)` : ''}.${
      hints > 0
        ? `\nHints (shown in the editor, not in the Problems panel):\n${findings.map((f) => `${f.code} ${f.message}`).join('\n')}`
        : ''
    }`,
    // the hints stay reachable from the item
    entries: hints > 0 ? entries : [],
  };
}
