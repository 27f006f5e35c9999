// The typing differential on real projects (scripts/corpus-typing.mjs bundles and runs this): for
// one project, every Python module its production settings evaluation reads is opened in turn, and
// a character is typed just inside each of its string literals (found by the parser: strings in
// function bodies, dict keys, f-strings and calls included) and taken back. After each keystroke
// the analysis that reuses kept evaluations (the language server's) must equal a full evaluation of
// the same text: findings, notes, outcomes, and every production value with its provenance and
// location (test/helpers/analysisView.ts). It prints, per module, the keystrokes, how many were
// patched (the others were evaluated in full) and why not, and the differences.
import { isDeepStrictEqual } from 'node:util';
import { analyzeWorkspace, moduleCache, type AnalysisOptions } from '../server/src/analysis/engine';
import type { PyNode } from '../server/src/analysis/parse/ast';
import { PythonDocument } from '../server/src/analysis/parse/pythonDocument';
import { loadParser } from '../server/src/analysis/parse/treeSitter';
import { NodeFileSystem } from '../server/src/analysis/project/fs';
import { Workspace } from '../server/src/analysis/workspace';
import { view } from '../test/helpers/analysisView';

export interface FileResult {
  readonly file: string;
  readonly keystrokes: number;
  readonly patched: number;
  /** Keystrokes whose analysis differed from a full evaluation, and the first few of them. */
  readonly differing: number;
  readonly differences: readonly string[];
  readonly declined: ReadonlyMap<string, number>;
}

/** The offsets just after the opening quote of each string literal of a document. */
function stringStarts(doc: PythonDocument): number[] {
  const out: number[] = [];
  const walk = (n: PyNode, base: number): void => {
    if (n.type === 'string_start') out.push(base + n.end);
    for (const c of n.children) walk(c, base);
  };
  for (const c of doc.chunks) walk(c.node, c.base);
  return out;
}

/** The first paths at which two plain values differ, as text. */
function differences(a: unknown, b: unknown, path: string, out: string[]): void {
  if (out.length >= 4 || isDeepStrictEqual(a, b)) return;
  if (a && b && typeof a === 'object' && typeof b === 'object') {
    for (const k of new Set([...Object.keys(a), ...Object.keys(b)]))
      differences((a as Record<string, unknown>)[k], (b as Record<string, unknown>)[k], `${path}.${k}`, out);
    return;
  }
  out.push(`${path}: ${JSON.stringify(a)?.slice(0, 160)} (reused) against ${JSON.stringify(b)?.slice(0, 160)} (full)`);
}

export async function checkProject(
  root: string,
  productionSettingsModule: string | undefined,
  maxPerFile: number,
  onFile: (r: FileResult) => void,
): Promise<void> {
  await loadParser();
  const ws = new Workspace(new NodeFileSystem(), [root]);
  const full: AnalysisOptions = { ...(productionSettingsModule ? { productionSettingsModule } : {}), fixes: false };
  const typing: AnalysisOptions = { ...full, reuseModules: true };
  const first = analyzeWorkspace(ws, full);
  const modules = [...new Set(first.projects.flatMap((p) => [...(p.evaluation?.files ?? [])]))].filter(
    (f) => f.endsWith('.py') && f.startsWith(root),
  );
  for (const file of modules) {
    const text = ws.text(file);
    if (text === undefined) continue;
    const doc = PythonDocument.parse(text, { incremental: true });
    ws.setOpenDocument(file, doc);
    const result = { file, keystrokes: 0, patched: 0, differing: 0, differences: [] as string[], declined: new Map<string, number>() };
    try {
      analyzeWorkspace(ws, typing);
      const patches = (): number => first.projects.reduce((n, p) => n + moduleCache(ws, p.project).patches, 0);
      let before = patches();
      const starts = stringStarts(doc);
      const step = Math.max(1, Math.ceil(starts.length / maxPerFile));
      // (offsets in the original text: each keystroke is taken back before the next)
      for (let s = 0; s < starts.length; s += step) {
        for (const [del, ins] of [
          [0, 'x'],
          [1, ''],
        ] as const) {
          const at = starts[s]!;
          doc.applyEdit(at, at + del, ins);
          const a = analyzeWorkspace(ws, typing);
          result.keystrokes++;
          const now = patches();
          if (now > before) result.patched++;
          else {
            const why = a.projects.map((p) => moduleCache(ws, p.project).why ?? '').join('; ') || '(none given)';
            result.declined.set(why, (result.declined.get(why) ?? 0) + 1);
          }
          before = now;
          const out: string[] = [];
          differences(view(a), view(analyzeWorkspace(ws, full)), '', out);
          if (out.length === 0) continue;
          if (result.differing++ < 3) result.differences.push(`typing ${JSON.stringify(ins)} at ${at}: ${out.join('; ')}`);
        }
      }
    } finally {
      ws.closeDocument(file);
      doc.dispose();
    }
    onFile(result);
  }
}
