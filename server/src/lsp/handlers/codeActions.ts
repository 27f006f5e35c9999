// Code actions: a published diagnostic's quick fixes, its `# noqa` and its documentation, and
// source.fixAll (every safe fix that stays in the document). The fixes are built only when asked
// for: the projects owning the file analysed again with fixes on, once per state of the workspace.
import * as path from 'node:path';
import { CodeActionKind, type CodeAction, type CodeActionParams, type Diagnostic, type WorkspaceEdit } from 'vscode-languageserver';
import { analyzeProject, type ProjectAnalysis } from '../../analysis/engine/engine';
import { analyzeMigrations } from '../../analysis/engine/migrations';
import type { Loc } from '../../analysis/eval/values';
import { classify } from '../../analysis/files/scan';
import { migrationGitFacts } from '../../analysis/models/migrations/changes';
import { compatibleFixes } from '../../analysis/rules/fixes/edits';
import { Fixer } from '../../analysis/rules/fixes/fixer';
import type { Finding, Fix } from '../../analysis/rules/types';
import { type DiagnosticData, FIX_ALL_KIND, pathToUri, SHOW_DOCS_COMMAND, SOURCE, uriToPath } from '../protocolCommon';
import type { Scheduler } from '../scheduler';
import type { ServerState } from '../serverState';

/** An analysis again with fixes, for the generation and the analysis it was built from. */
interface WithFixes {
  generation: number;
  based: ProjectAnalysis;
  analysis: ProjectAnalysis;
}

export class CodeActions {
  /** The analyses again with fixes, built on demand for code actions (see fixedFindings). */
  private readonly withFixes = new Map<string, WithFixes>();
  private readonly migrationsWithFixes = new Map<string, WithFixes>();

  constructor(
    private readonly s: ServerState,
    private readonly scheduler: Scheduler,
  ) {}

  codeActions(p: CodeActionParams): CodeAction[] {
    const only = p.context.only;
    const wantsFixAll = only?.some((k) => FIX_ALL_KIND.startsWith(k) && k.startsWith(CodeActionKind.SourceFixAll));
    if (wantsFixAll) return this.fixAll(p.textDocument.uri);
    if (only && !only.some((k) => CodeActionKind.QuickFix.startsWith(k))) return [];
    const actions: CodeAction[] = [];
    const seen = new Set<string>();
    const file = uriToPath(p.textDocument.uri);
    for (const d of p.context.diagnostics) {
      if (d.source !== SOURCE) continue;
      const data = d.data as DiagnosticData | undefined;
      if (!data) continue;
      const finding = file ? this.fixedFindings(file).find((f) => f.code === d.code && this.sameRange(f, d.range)) : undefined;
      for (const fix of finding?.fixes ?? []) {
        const key = fix.title;
        if (seen.has(key)) continue;
        const edit = this.workspaceEdit([fix]);
        if (!edit) continue;
        seen.add(key);
        actions.push({
          title: fix.title,
          kind: CodeActionKind.QuickFix,
          diagnostics: [d],
          edit,
          isPreferred: fix.safety === 'safe' && !fix.companion,
        });
      }
      const noqa = file ? this.noqaFor(file, d) : undefined;
      const noqaEdit = noqa ? this.workspaceEdit([noqa]) : undefined;
      if (noqa && noqaEdit) actions.push({ title: noqa.title, kind: CodeActionKind.QuickFix, diagnostics: [d], edit: noqaEdit });
      if (data.docs && !seen.has(`docs:${d.code}`)) {
        seen.add(`docs:${d.code}`);
        actions.push({
          title: `Show documentation for ${d.code}`,
          kind: CodeActionKind.QuickFix,
          command: { title: `Show documentation for ${d.code}`, command: SHOW_DOCS_COMMAND, arguments: [data.docs] },
        });
      }
    }
    return actions;
  }

  /** source.fixAll: every safe fix for findings in this document whose edits stay in it. */
  private fixAll(docUri: string): CodeAction[] {
    const file = uriToPath(docUri);
    if (!file) return [];
    const fixes = this.fixedFindings(file)
      .flatMap((f) => f.fixes)
      .filter((x) => x.safety === 'safe' && !x.companion && !x.bundle && !x.creates?.length && x.edits.every((e) => e.file === file));
    const chosen = compatibleFixes(fixes);
    if (chosen.length === 0) return [];
    const edit = this.workspaceEdit(chosen);
    return edit ? [{ title: `Fix all safe Django Deploy Hygiene problems (${chosen.length})`, kind: FIX_ALL_KIND, edit }] : [];
  }

  /**
   * The findings of a file with their fixes: the projects owning it analysed again with fixes on,
   * once per state of the workspace (a code action request usually comes in bursts as the cursor
   * moves, and fix-all on save follows).
   */
  private fixedFindings(file: string): Finding[] {
    const out: Finding[] = [];
    const generation = this.scheduler.generation;
    for (const [root, a] of this.s.analyses) {
      if (!a.findings.some((f) => f.loc.file === file)) continue;
      let cached = this.withFixes.get(root);
      if (!cached || cached.generation !== generation || cached.based !== a) {
        try {
          cached = {
            generation,
            based: a,
            analysis: analyzeProject(this.s.ws(), a.project, { ...this.s.options(), fixes: true, reuseModules: true }),
          };
        } catch (e) {
          this.s.connection.console.error(`Django Deploy Hygiene: building fixes for ${root} failed: ${(e as Error).stack ?? e}`);
          continue;
        }
        this.withFixes.set(root, cached);
      }
      for (const f of cached.analysis.findings) if (f.loc.file === file) out.push(f);
    }
    for (const [root, m] of this.s.migrationAnalyses) {
      if (!m.analysis.findings.some((f) => f.loc.file === file)) continue;
      let cached = this.migrationsWithFixes.get(root);
      if (!cached || cached.generation !== generation || cached.based !== m.analysis) {
        try {
          cached = {
            generation,
            based: m.analysis,
            analysis: analyzeMigrations(this.s.ws(), m.analysis.project, m.files, {
              ...this.s.options(),
              migrationGit: migrationGitFacts(this.s.changeSets.get(root)),
              fixes: true,
            }),
          };
        } catch (e) {
          this.s.connection.console.error(`Django Deploy Hygiene: building migration fixes for ${root} failed: ${(e as Error).stack ?? e}`);
          continue;
        }
        this.migrationsWithFixes.set(root, cached);
      }
      for (const f of cached.analysis.findings) if (f.loc.file === file) out.push(f);
    }
    return out;
  }

  /**
   * The `# noqa` fix of the published finding a diagnostic of `file` shows, when a trailing comment
   * can be put on its line. Made when code actions are asked for: made for every diagnostic
   * published, it was a third of what each keystroke sent.
   */
  private noqaFor(file: string, d: Diagnostic): Fix | undefined {
    for (const a of this.s.allAnalyses()) {
      const f = a.findings.find((x) => x.loc.file === file && x.code === d.code && this.sameRange(x, d.range));
      if (!f) continue;
      if (!takesTrailingComment(this.s.ws().fs.readText(file), f.loc)) return undefined;
      return new Fixer(this.s.ws(), a.project, new Map(), a.project.production?.module.file).noqa(f.loc, f.code);
    }
    return undefined;
  }

  /** A WorkspaceEdit for fixes, versioned for open documents (a stale edit is then refused). */
  private workspaceEdit(fixes: readonly Fix[]): WorkspaceEdit | undefined {
    const byFile = new Map<string, Fix['edits'][number][]>();
    for (const fix of fixes) for (const e of fix.edits) byFile.set(e.file, [...(byFile.get(e.file) ?? []), e]);
    const documentChanges: NonNullable<WorkspaceEdit['documentChanges']> = [];
    for (const fix of fixes) {
      for (const c of fix.creates ?? []) {
        const u = pathToUri(c.file);
        documentChanges.push({ kind: 'create', uri: u, options: { ignoreIfExists: true } });
        documentChanges.push({
          textDocument: { uri: u, version: null },
          edits: [{ range: { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } }, newText: c.text }],
        });
      }
    }
    for (const [file, edits] of byFile) {
      const ranges = [];
      for (const e of edits) {
        const start = this.s.positionAt(file, e.start);
        const end = this.s.positionAt(file, e.end);
        if (!start || !end) return undefined;
        ranges.push({ range: { start, end }, newText: e.newText });
      }
      documentChanges.push({ textDocument: { uri: pathToUri(file), version: this.s.open.get(file)?.text.version ?? null }, edits: ranges });
    }
    return { documentChanges };
  }

  private sameRange(f: Finding, range: Diagnostic['range']): boolean {
    const start = this.s.positionAt(f.loc.file, f.loc.start);
    const end = this.s.positionAt(f.loc.file, f.loc.end);
    return (
      !!start &&
      !!end &&
      start.line === range.start.line &&
      start.character === range.start.character &&
      end.line === range.end.line &&
      end.character === range.end.character
    );
  }
}

/**
 * Whether `# noqa` can be appended to the finding's line without changing what the file does.
 * Dockerfiles and systemd units have no trailing comments: the text would end up in the command
 * (an exec-form CMD falls back to shell form, ExecStart passes `#` to the server); YAML block
 * scalars and backslash-continued lines would swallow it too.
 */
export function takesTrailingComment(text: string | undefined, loc: Loc): boolean {
  const kind = classify(path.basename(loc.file));
  if (kind === 'dockerfile' || kind === 'systemd') return false;
  if (text === undefined) return false;
  let end = text.indexOf('\n', loc.start);
  if (end < 0) end = text.length;
  const line = text.slice(text.lastIndexOf('\n', loc.start - 1) + 1, end).replace(/\r$/, '');
  if (/\\$/.test(line)) return false;
  if (kind === 'compose') {
    // only a line that is itself `key: value` or `- item` (not the inside of a block or quoted scalar)
    if (!/^\s*(?:-\s+|[\w.-]+\s*:\s+)/.test(line) || /:\s*[|>][-+]?\s*$/.test(line)) return false;
    const start = text.lastIndexOf('\n', loc.start - 1) + 1;
    const before = text.slice(0, start);
    // the previous line opens a block scalar: this line belongs to it
    const prev =
      before
        .replace(/\r?\n$/, '')
        .split(/\r?\n/)
        .pop() ?? '';
    if (/:\s*[|>][-+]?\s*$/.test(prev) && /^\s*/.exec(line)![0].length > /^\s*/.exec(prev)![0].length) return false;
  }
  return true;
}
