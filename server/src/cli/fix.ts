// --fix / --unsafe-fixes / --diff: applies the findings' fixes (safe ones, plus unsafe ones when
// asked) without overlapping edits, re-analyses, and repeats until nothing changes (at most a few
// rounds), as ruff does. With `write: false` the files are left alone and a unified diff is returned.
import * as path from 'node:path';
import { analyzeProject, analyzeWorkspace, type AnalysisOptions, type WorkspaceAnalysis } from '../analysis/engine/engine';
import { applyEdits, compatibleFixes, unifiedDiff } from '../analysis/rules/fixes/edits';
import { isWithin, NodeFileSystem, OverlayFileSystem, type FileSystem } from '../analysis/files/fs';
import type { Fix } from '../analysis/rules/types';
import { redactDiff, secretsInText, shortCredentialsInText, sortSecrets } from '../analysis/secrets/index';
import { Workspace } from '../analysis/engine/workspace';
import { escapeControl } from '../analysis/base/controlChars';
import { whyNotWritable, writeFixedFile } from './write';

const MAX_ROUNDS = 5;

export interface FixResult {
  fixed: number;
  files: string[];
  diff: string;
  skippedUnsafe: number;
  /** Files no fix was made in, with the reason (outside the folder, a symlink, not UTF-8…). */
  refused: Map<string, string>;
}

export function applyFixes(
  root: string,
  ws: Workspace,
  first: WorkspaceAnalysis,
  options: AnalysisOptions,
  opts: { unsafe: boolean; write: boolean },
  /** How each project is analysed again after a round of fixes (the migrations command's own). */
  analyse: Parameters<typeof analyzeWorkspace>[2] = analyzeProject,
): FixResult {
  const original = new Map<string, string | undefined>();
  const current = new Map<string, string>();
  const fs: FileSystem = new OverlayFileSystem(ws.fs, (p) => current.get(p));
  let analysis = first;
  let fixed = 0;
  let skippedUnsafe = 0;
  const refused = new Map<string, string>();
  const writable = (fix: Fix): boolean => {
    for (const file of [...fix.edits.map((e) => e.file), ...(fix.creates ?? []).map((c) => c.file)]) {
      // the disk is asked only about the real file system (tests run fixes over memory ones)
      const why = refused.has(file)
        ? refused.get(file)
        : ws.fs instanceof NodeFileSystem
          ? whyNotWritable(file, ws.folders)
          : ws.folders.some((r) => isWithin(r, file))
            ? undefined
            : 'it is outside the analysed folder';
      if (why) {
        refused.set(file, why);
        return false;
      }
    }
    return true;
  };
  for (let round = 0; round < MAX_ROUNDS; round++) {
    const findings = analysis.projects.flatMap((p) => p.findings);
    const eligible: Fix[] = [];
    let unsafeHere = 0;
    for (const f of findings) {
      const main = f.fixes.find((x) => !x.companion && !x.bundle && x.safety !== 'display-only' && (x.safety === 'safe' || opts.unsafe));
      if (!main) {
        if (f.fixes.some((x) => x.safety === 'unsafe')) unsafeHere++;
        continue;
      }
      eligible.push(main);
      // companions (.env.example) go with their fix
      eligible.push(...f.fixes.filter((x) => x.companion && (x.safety === 'safe' || opts.unsafe)));
    }
    if (round === 0) skippedUnsafe = opts.unsafe ? 0 : unsafeHere;
    const chosen = compatibleFixes(eligible.filter(writable));
    if (chosen.length === 0) break;
    const byFile = new Map<string, Fix['edits'][number][]>();
    for (const fix of chosen) for (const e of fix.edits) byFile.set(e.file, [...(byFile.get(e.file) ?? []), e]);
    for (const [file, edits] of byFile) {
      const text = current.get(file) ?? ws.fs.readText(file) ?? '';
      if (!original.has(file)) original.set(file, ws.fs.readText(file));
      current.set(file, applyEdits(text, edits));
    }
    for (const fix of chosen) {
      for (const c of fix.creates ?? []) {
        if (current.has(c.file) || ws.fs.exists(c.file)) continue;
        original.set(c.file, undefined);
        current.set(c.file, c.text);
      }
    }
    fixed += chosen.filter((c) => !c.companion).length;
    analysis = analyzeWorkspace(new Workspace(fs, ws.folders), options, analyse);
  }
  const files = [...current.keys()].filter((f) => current.get(f) !== original.get(f)).sort();
  const secrets = diffSecrets(ws, [first, analysis], files, original, current);
  let diff = '';
  for (const file of files) {
    const rel = path.relative(root, file).split(path.sep).join('/');
    // a path's control characters are escaped (its header must stay one line); contents are as they are
    // (a credential too short to mask as a word, `"z9q"` under a signing key, is masked as a literal
    // of the file it was written in: the fix's removed line shows it)
    const before = original.has(file) ? original.get(file) : ws.fs.readText(file);
    const quoted = before === undefined ? [] : shortCredentialsInText(before, file);
    diff += redactDiff(unifiedDiff(escapeControl(rel), original.get(file) ?? '', current.get(file)!), secrets, quoted);
    if (opts.write) writeFixedFile(file, current.get(file)!, ws.folders);
  }
  return { fixed, files, diff, skippedUnsafe, refused };
}

/**
 * What the diff must not show (it goes into CI logs): the secrets of the analyses, and those the
 * secrets module recognises by name or shape in every file of the diff (before and after) and in
 * every module the evaluator read, including literals of base modules that production overrides.
 */
function diffSecrets(
  ws: Workspace,
  analyses: readonly WorkspaceAnalysis[],
  files: readonly string[],
  original: ReadonlyMap<string, string | undefined>,
  current: ReadonlyMap<string, string>,
): string[] {
  const out: string[] = [];
  const read = new Set<string>(files);
  for (const a of analyses) {
    for (const p of a.projects) {
      out.push(...p.secrets);
      for (const f of p.files) read.add(f);
    }
  }
  for (const f of read) {
    for (const text of [original.has(f) ? original.get(f) : ws.fs.readText(f), current.get(f)])
      if (text !== undefined) out.push(...secretsInText(text, f));
  }
  return sortSecrets(out);
}
