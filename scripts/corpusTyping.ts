// The typing differential on real projects (scripts/corpus-typing.mjs bundles and runs this): for
// one project, every Python module its production settings evaluation reads is opened in turn, and
// a character is typed just inside each of its string literals (found by the parser: strings in
// function bodies, dict keys, f-strings and calls included) and taken back. After each keystroke
// the analysis that reuses kept evaluations (the language server's) must equal a full evaluation of
// the same text: findings, notes, outcomes, and every production value with its provenance and
// location (test/helpers/analysisView.ts). It prints, per module, the keystrokes, how many were
// patched (the others were evaluated in full) and why not, and the differences.
//
// Then every other file of the project the analysis found (the deployment's files, the app
// server's config, manage.py, wsgi.py) is edited as a save on disk would (a character typed at the start of each
// line, and taken back), with the settings unchanged: the analysis of the workspace that keeps
// what it can between analyses must equal a fresh workspace's analysis of the same files.
import { isDeepStrictEqual } from 'node:util';
import { analyzeWorkspace, type AnalysisOptions } from '../server/src/analysis/engine/engine';
import { moduleCache } from '../server/src/analysis/engine/production';
import { PythonDocument } from '../server/src/analysis/parse/pythonDocument';
import { stringStarts } from '../server/src/analysis/engine/practice';
import { loadParser } from '../server/src/analysis/parse/treeSitter';
import { NodeFileSystem, OverlayFileSystem } from '../server/src/analysis/files/fs';
import { Workspace } from '../server/src/analysis/engine/workspace';
import { view } from '../test/helpers/analysisView';

export interface FileResult {
  readonly file: string;
  readonly keystrokes: number;
  /** Keystrokes patched (undefined for the files edited as saved: not settings modules). */
  readonly patched?: number;
  /** Keystrokes whose analysis differed from a full evaluation, and the first few of them. */
  readonly differing: number;
  readonly differences: readonly string[];
  readonly declined: ReadonlyMap<string, number>;
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
  // texts saved over the files on disk (the other files' edits)
  const saved = new Map<string, string>();
  const files = (): OverlayFileSystem => new OverlayFileSystem(new NodeFileSystem(), (f) => saved.get(f));
  const ws = new Workspace(files(), [root]);
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
  const others = [...new Set(first.projects.flatMap((p) => [...p.files, ...p.project.files.map((f) => f.path)]))]
    .filter((f) => f.startsWith(root) && !modules.includes(f))
    .sort();
  for (const file of others) {
    const text = ws.text(file);
    if (text === undefined) continue;
    const result = { file, keystrokes: 0, differing: 0, differences: [] as string[], declined: new Map<string, number>() };
    analyzeWorkspace(ws, typing);
    // the first character of each line that is not blank
    const lines: number[] = [];
    let lineStart = true;
    for (let i = 0; i < text.length; i++) {
      const c = text[i]!;
      if (c === '\n') lineStart = true;
      else if (lineStart && c !== ' ' && c !== '\t' && c !== '\r') {
        lines.push(i);
        lineStart = false;
      }
    }
    const step = Math.max(1, Math.ceil(lines.length / maxPerFile));
    try {
      for (let l = 0; l < lines.length; l += step) {
        const at = lines[l]!;
        for (const edited of [text.slice(0, at) + 'x' + text.slice(at), text]) {
          saved.set(file, edited);
          ws.invalidate(file);
          const a = analyzeWorkspace(ws, typing);
          result.keystrokes++;
          const out: string[] = [];
          differences(view(a), view(analyzeWorkspace(new Workspace(files(), [root]), full)), '', out);
          if (out.length === 0) continue;
          if (result.differing++ < 3)
            result.differences.push(`typing "x" at ${at}${edited === text ? ', then taking it back' : ''}: ${out.join('; ')}`);
        }
      }
    } finally {
      saved.delete(file);
      ws.invalidate(file);
    }
    onFile(result);
  }
}
