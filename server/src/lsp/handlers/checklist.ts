// The production checklist: CHECKLIST_REQUEST (the checklists as the client's tree view shows them,
// with Django's own check --deploy results merged in) and CHECKLIST_MARKDOWN_REQUEST, from the
// analyses this worker keeps once the pending ones have run; and DJANGO_CHECK_RESULT, the results of
// "Run Django's check --deploy" the client hands over.
import * as path from 'node:path';
import type { ProjectAnalysis } from '../../analysis/engine/engine';
import { escapeControl, escapeControlDeep } from '../../analysis/base/controlChars';
import type { Loc } from '../../analysis/eval/values';
import { changeSetLine } from '../../analysis/models/migrations/changes';
import { buildChecklist, type Checklist, type ChecklistItem } from '../../analysis/outputs/checklist/checklist';
import { checklistMarkdown } from '../../analysis/outputs/checklist/render';
import { ruleByCode } from '../../analysis/rules/registry';
import {
  CHECKLIST_CHANGED,
  type ChecklistResult,
  type DjangoCheckResult,
  type MarkdownParams,
  type WireChecklist,
  type WireEntry,
  type WireGroup,
  type WireItem,
} from '../../protocol';
import { pathToUri } from '../protocolCommon';
import type { Scheduler } from '../scheduler';
import type { ServerState } from '../serverState';
import type { Hovers } from './hover';

export class ChecklistRequests {
  /** Django's own check --deploy results, per project root (run on request by the client). */
  private readonly djangoChecks = new Map<string, DjangoCheckResult>();

  constructor(
    private readonly s: ServerState,
    private readonly scheduler: Scheduler,
    private readonly hovers: Hovers,
  ) {}

  djangoCheckResult(p: DjangoCheckResult): void {
    this.djangoChecks.set(p.root, p);
    void this.s.connection.sendNotification(CHECKLIST_CHANGED);
  }

  private async checklists(): Promise<Checklist[]> {
    await this.scheduler.settled();
    // (the hovers go out first: a client that asked for the checklist once the analysis settled
    // finds them on the protocol thread too, as it did when they were sent after each analysis;
    // but not while the developer types: the VS Code client asks for the checklist as soon as the
    // first analysis is announced, and the hovers of a 5,000-line base took ~50 ms, which the next
    // keystroke waited for. They go out when typing pauses.)
    if (!this.s.typing()) this.hovers.flushSettingHovers();
    const projects = this.s.projects();
    const out: Checklist[] = [];
    for (const p of projects) {
      const a = this.s.analyses.get(p.root);
      if (!a) continue;
      // the migrations item is computed from the migration analysis (its rules' findings and outcomes)
      const m = this.s.migrationAnalyses.get(p.root)?.analysis;
      const cs = this.s.changeSets.get(p.root);
      const merged: ProjectAnalysis = m
        ? { ...a, findings: [...a.findings, ...m.findings], outcomes: new Map([...a.outcomes, ...m.outcomes]) }
        : a;
      const files = this.s.migrationFilesFor(p, projects);
      const open = files.filter((f) => !cs?.files.includes(f)).length;
      out.push(
        buildChecklist(this.s.ws(), merged, {
          checked: !!m || cs !== undefined,
          count: files.length,
          description: cs
            ? changeSetLine(cs, open)
            : `${open} open migration${open === 1 ? '' : 's'} checked (the change set is not known yet)`,
        }),
      );
    }
    return out;
  }

  async checklist(): Promise<ChecklistResult> {
    const lists = (await this.checklists()).map((c) => this.toWire(c));
    // labels and descriptions escaped as in every output; uris are looked up, not shown
    return { checklists: escapeControlDeep(lists, { multiline: ['detail'], verbatim: ['uri', 'rootUri', 'root'] }) };
  }

  async checklistMarkdown(p: MarkdownParams): Promise<string> {
    const lists = await this.checklists();
    // `<project root>#<item id>`, as the client remembers ticks
    const ticked = new Set<string>(p.ticked ?? []);
    const root = this.s.folders[0] ?? '';
    const where = (loc: Loc): string | undefined => {
      const pos = this.s.positionAt(loc.file, loc.start);
      const rel = path.relative(root, loc.file).split(path.sep).join('/');
      return escapeControl(pos ? `${rel}:${pos.line + 1}` : rel);
    };
    return checklistMarkdown(escapeControlDeep(lists, { multiline: ['detail'], verbatim: ['file', 'root'] }), where, ticked);
  }

  private wireLoc(loc: Loc | undefined): Pick<WireEntry, 'uri' | 'range'> {
    if (!loc) return {};
    const start = this.s.positionAt(loc.file, loc.start);
    const end = this.s.positionAt(loc.file, loc.end);
    return { uri: pathToUri(loc.file), range: start && end ? { start, end } : undefined };
  }

  /** A checklist as the client shows it: locations as URIs and ranges, Django's answer merged in. */
  private toWire(c: Checklist): WireChecklist {
    const dj = this.djangoChecks.get(c.root);
    // Django answered about the files as they were: after a change that moved the findings, its
    // answer no longer confirms or overrides anything (the run row says to run it again).
    const stale = dj !== undefined && (this.s.changedAt.get(c.root) ?? 0) > Date.parse(dj.ranAt);
    const reported = new Map<string, string>();
    for (const m of dj?.ok && !stale ? dj.messages : []) reported.set(m.id, m.message);
    const mapped = new Set<string>();
    const groups: WireGroup[] = c.groups.map((g) => ({
      id: g.id,
      title: g.title,
      items: g.items.map((item) => this.wireItem(item, reported, mapped)),
    }));
    if (dj?.ok && !stale) {
      const other = [...reported].filter(([id]) => !mapped.has(id));
      if (other.length > 0) groups.push(otherDjangoFindings(other));
    }
    const counts = { failing: 0, attention: 0, unknown: 0, passed: 0, manual: 0 };
    for (const g of groups) for (const i of g.items) counts[i.status]++;
    return {
      root: c.root,
      rootUri: pathToUri(c.root),
      name: c.name,
      production: c.production
        ? { module: c.production.module, uri: pathToUri(c.production.file), reason: c.production.reason }
        : undefined,
      noProductionReason: c.noProductionReason,
      djangoVersion: c.djangoVersion,
      settingsModules: c.settingsModules.map((m) => ({ name: m.name, uri: pathToUri(m.file) })),
      summary: {
        evidence: c.summary.production?.evidence,
        environment: c.summary.environment.map((e) => ({ ...e })),
        versions: c.summary.versions.map((v) => ({ ...v })),
        repositoryRoot: c.summary.repositoryRoot,
        ...(c.summary.deployment
          ? { deployment: { files: [...c.summary.deployment.files], variables: c.summary.deployment.variables.map((v) => ({ ...v })) } }
          : {}),
        unread: [...c.summary.unread],
      },
      groups,
      counts,
      djangoCheck: dj
        ? {
            ranAt: dj.ranAt,
            ok: dj.ok,
            stale,
            summary: dj.ok
              ? `check --deploy reported ${dj.messages.length} issue${dj.messages.length === 1 ? '' : 's'}${stale ? ' before the latest changes' : ''}`
              : `check --deploy could not run: ${dj.error ?? 'unknown error'}`,
          }
        : undefined,
    };
  }

  /**
   * A checklist item for the client, with what Django reported (`reported`, by id) that the item
   * mirrors: its entries confirmed, or failing where the static analysis found nothing (the ids so
   * used are added to `mapped`).
   */
  private wireItem(item: ChecklistItem, reported: ReadonlyMap<string, string>, mapped: Set<string>): WireItem {
    const entries: WireEntry[] = item.entries.map((e) => {
      const rule = e.code ? ruleByCode(e.code) : undefined;
      const confirmed = rule?.django?.some((id) => reported.has(id));
      return {
        label: e.label,
        code: e.code,
        severity: e.severity,
        ...this.wireLoc(e.loc),
        django: confirmed ? 'confirmed' : undefined,
      };
    });
    let status = item.status;
    let description = item.description;
    // Django found something this item mirrors that the static analysis did not.
    for (const id of item.django) {
      if (!reported.has(id)) continue;
      mapped.add(id);
      if (entries.some((e) => e.django === 'confirmed' && e.code && ruleByCode(e.code)?.django?.includes(id))) continue;
      entries.push({ label: `Django ${id}: ${reported.get(id)}`, django: 'django' });
      if (status !== 'failing') {
        status = 'failing';
        description = `Django reports ${id}`;
      }
    }
    return {
      id: item.id,
      title: item.title,
      status,
      description,
      detail: item.detail,
      entries,
      manual: item.manual,
      rules: item.rules,
      django: item.django,
    };
  }
}

/** The group of what Django's check --deploy reported that no checklist item mirrors. */
function otherDjangoFindings(other: readonly (readonly [string, string])[]): WireGroup {
  return {
    id: 'django',
    title: "Django's check --deploy",
    items: [
      {
        id: 'django-other',
        title: 'Other findings of check --deploy',
        status: 'failing',
        description: `${other.length} more`,
        detail: other.map(([id, m]) => `${id}: ${m}`).join('\n'),
        entries: other.map(([id, m]) => ({ label: `${id}: ${m}`, django: 'django' as const })),
        manual: false,
        rules: [],
        django: other.map(([id]) => id),
      },
    ],
  };
}
