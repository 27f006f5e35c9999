// The production checklist: CHECKLIST_REQUEST (the checklists as the client's tree view shows them,
// with Django's own check --deploy results merged in) and CHECKLIST_MARKDOWN_REQUEST, from the
// analyses this worker keeps once the pending ones have run; and DJANGO_CHECK_RESULT, the results of
// "Run Django's check --deploy" the client hands over.
import * as path from 'node:path';
import type { ProjectAnalysis } from '../../analysis/engine/engine';
import { escapeControl, escapeControlDeep } from '../../analysis/base/controlChars';
import type { Loc } from '../../analysis/eval/values';
import { changeSetLine } from '../../analysis/models/migrations/changes';
import type { HopDoesView, RequestPathView } from '../../analysis/models/requestPath/view';
import { FileReferences } from '../../analysis/engine/related';
import { readableName } from '../../analysis/base/relPath';
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
  type WireHopDoes,
  type WireItem,
  type WireLink,
  type WireRequestPath,
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

  /** A place as a link (a file at a range). */
  private link(loc: Loc): WireLink {
    const l = this.wireLoc(loc);
    return { uri: l.uri!, ...(l.range ? { range: l.range } : {}) };
  }

  /**
   * The place a row's text names (`docker/cla_backend.ini:6`, `requirements/base.txt: django==4.2`):
   * its first file, at the line it gives, else at the first line holding `needle` (a variable's
   * name, a requirement), else at its top.
   */
  private linkIn(refs: FileReferences, text: string, needle?: string): WireLink | undefined {
    const first = refs.of(text)[0];
    if (!first) return undefined;
    let loc = first.loc;
    if (loc.start === 0 && loc.end === 0 && needle) {
      const body = this.s.ws().text(loc.file) ?? '';
      const at = body.indexOf(needle);
      if (at >= 0) {
        const lineStart = body.lastIndexOf('\n', at) + 1;
        let lineEnd = body.indexOf('\n', at);
        if (lineEnd < 0) lineEnd = body.length;
        const lead = body.slice(lineStart, lineEnd).length - body.slice(lineStart, lineEnd).trimStart().length;
        loc = { file: loc.file, start: lineStart + lead, end: lineEnd };
      }
    }
    return this.link(loc);
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
    const ws = this.s.ws();
    const refs = new FileReferences(
      [c.root, ...(c.summary.repositoryRoot ? [c.summary.repositoryRoot] : []), ...this.s.folders],
      (f) => ws.isOpen(f) || ws.fileExists(f),
      (f) => ws.text(f),
    );
    const sum = c.summary;
    const evidence = sum.production?.evidence;
    return {
      root: c.root,
      rootUri: pathToUri(c.root),
      name: c.name,
      production: c.production
        ? { module: c.production.module, uri: pathToUri(c.production.file), reason: c.production.reason }
        : undefined,
      noProductionReason: c.noProductionReason,
      djangoVersion: c.djangoVersion,
      settingsModules: c.settingsModules.map((m) => ({ name: m.name, uri: pathToUri(m.file), why: m.why, production: m.production })),
      summary: {
        evidence,
        // each clause of the reason with the place it names: "named by docker/cla_backend.ini:6 (…)"
        ...(evidence ? { evidenceParts: evidenceClauses(evidence).map((text) => ({ text, link: this.linkIn(refs, text) })) } : {}),
        environment: sum.environment.map((e) => ({ ...e, link: this.linkIn(refs, e.evidence, e.name) })),
        versions: sum.versions.map((v) => ({ ...v, link: this.linkIn(refs, v.source, v.source.split(': ').slice(1).join(': ')) })),
        repositoryRoot: sum.repositoryRoot,
        ...(sum.deployment
          ? {
              deployment: {
                files: [...sum.deployment.files],
                fileLinks: sum.deployment.files.map((f) => this.linkIn(refs, f.includes(' (') ? f.slice(0, f.indexOf(' (')) : f) ?? null),
                variables: sum.deployment.variables.map((v) => ({ ...v, link: this.linkIn(refs, v.evidence, v.name) })),
                ...(sum.deployment.ignored ? { ignored: sum.deployment.ignored } : {}),
              },
            }
          : {}),
        unread: [...sum.unread],
        unreadLinks: sum.unread.map((u) => this.linkIn(refs, u) ?? null),
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
      ...(c.requestPath ? { requestPath: this.wirePath(c.requestPath, c.root, refs) } : {}),
    };
  }

  /** The request path with links: each deployment and hop to its file, each answer to the place it names. */
  private wirePath(p: RequestPathView, root: string, refs: FileReferences): WireRequestPath {
    const fileLink = (rel: string): WireLink | undefined => {
      const file = path.resolve(root, rel);
      return this.s.ws().fileExists(file) || this.s.ws().isOpen(file) ? { uri: pathToUri(file) } : undefined;
    };
    const does = (d: HopDoesView, fallback: WireLink | undefined): WireHopDoes => ({
      state: d.state,
      text: readableName(d.text),
      ...((this.linkIn(refs, d.text) ?? fallback) ? { link: this.linkIn(refs, d.text) ?? fallback } : {}),
    });
    return {
      deployments: p.deployments.map((d) => {
        const dLink = fileLink(d.file);
        return {
          label: readableName(d.label, path.resolve(root, d.file)),
          ...(dLink ? { link: dLink } : {}),
          hops: d.hops.map((h) => {
            const hLink = fileLink(h.file);
            return {
              label: readableName(h.label, path.resolve(root, h.file)),
              ...(hLink ? { link: hLink } : {}),
              ...(h.presumed ? { presumed: h.presumed } : {}),
              tls: does(h.tls, hLink),
              does: {
                'https-redirect': does(h.does['https-redirect'], hLink),
                hsts: does(h.does.hsts, hLink),
                'access-log': does(h.does['access-log'], hLink),
              },
            };
          }),
        };
      }),
      proxy: { ...p.proxy },
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
        ...(e.follows ? { follows: { code: e.follows.code, ...this.link(e.follows.loc) } } : {}),
        ...(e.related?.length ? { related: e.related.map((r) => ({ label: r.label, ...this.link(r.loc) })) } : {}),
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
      ...(item.notApplicable !== undefined && status === 'passed' ? { notApplicable: item.notApplicable } : {}),
      ...(item.explained && status === 'passed' ? { explained: true } : {}),
    };
  }
}

/**
 * The clauses of the production module's reason, each a row: "named by docker/cla_backend.ini:6
 * (DJANGO_SETTINGS_MODULE), the environment of …; other deployment files name …" → the part before
 * the first ", the " and each part after a "; ".
 */
export function evidenceClauses(reason: string): string[] {
  const out: string[] = [];
  for (const part of reason.split('; ')) {
    const i = part.indexOf(', the ');
    if (out.length === 0 && i > 0) out.push(part.slice(0, i), part.slice(i + 2));
    else out.push(part);
  }
  return out.filter((p) => p.trim() !== '');
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
