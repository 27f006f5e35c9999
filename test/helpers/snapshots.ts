// Snapshot files for rule fixtures, as ruff keeps them: next to each bad fixture
// (test/fixtures/rules/<CODE>/bad-x.py → bad-x.py.snap, a folder bad-y/ → bad-y.snap), a reviewed,
// human-readable record of what the rule reports there: each finding's range, severity, code,
// Django id, the source line it points at and its message, and each of its fixes with title, safety
// and the unified diff the fix makes (masked as `--diff` masks it).
//
// `UPDATE_SNAPSHOTS=1 npm run test:unit` rewrites the snapshots that differ and deletes those of
// fixtures that no longer exist. Without it a difference fails the test; a missing snapshot is
// written (and reported) on a developer's machine, and fails under CI=true: a snapshot is never
// written where nobody reviews it.
import { existsSync, readdirSync, readFileSync, unlinkSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import type { ProjectAnalysis } from '../../server/src/analysis/engine/engine';
import { redact } from '../../server/src/analysis/secrets/index';
import { applyEdits, unifiedDiff } from '../../server/src/analysis/rules/fixes/edits';
import type { Finding, Fix } from '../../server/src/analysis/rules/types';
import type { Workspace } from '../../server/src/analysis/engine/workspace';
import type { FixtureCase } from './fixtures';

export const SNAPSHOT_EXT = '.snap';

const UPDATE_COMMAND = 'UPDATE_SNAPSHOTS=1 npm run test:unit';

export function snapshotPath(c: FixtureCase): string {
  return c.path + SNAPSHOT_EXT;
}

/** Snapshot files in a rule's fixture folder whose fixture is gone or is not a bad case. */
export function orphanSnapshots(dir: string): string[] {
  if (!existsSync(dir)) return [];
  const names = new Set(readdirSync(dir));
  return [...names]
    .filter((n) => n.endsWith(SNAPSHOT_EXT))
    .filter((n) => {
      const fixture = n.slice(0, -SNAPSHOT_EXT.length);
      return !fixture.startsWith('bad') || !names.has(fixture);
    })
    .map((n) => path.join(dir, n));
}

/** Shows a carriage return, which a snapshot (read on any platform) must not hold raw. */
const visible = (s: string): string => s.replace(/\r/g, '␍');

function indent(text: string, by: string): string {
  return text
    .replace(/\n$/, '')
    .split('\n')
    .map((l) => (l === '' ? by.trimEnd() : by + l))
    .join('\n');
}

/** The source line a finding starts on, with carets under its range (on that line); a long line is cut to a window around the range's start. */
function excerpt(text: string | undefined, start: number, end: number): string[] {
  if (text === undefined) return [];
  const lineStart = text.lastIndexOf('\n', start - 1) + 1;
  let lineEnd = text.indexOf('\n', start);
  if (lineEnd < 0) lineEnd = text.length;
  const line = text.slice(lineStart, lineEnd).replace(/\r$/, '');
  const from = Math.min(start - lineStart, line.length);
  const to = Math.max(from + 1, Math.min(end - lineStart, line.length));
  const WIDTH = 120;
  const winStart = line.length <= WIDTH || from < WIDTH - 40 ? 0 : from - 40;
  const winEnd = Math.min(line.length, winStart + WIDTH);
  const before = winStart > 0 ? '…' : '';
  const after = winEnd < line.length ? '…' : '';
  const caretFrom = before.length + from - winStart;
  const caretTo = before.length + Math.min(to, winEnd) - winStart;
  return [
    `  | ${before}${line.slice(winStart, winEnd)}${after}`,
    `  | ${' '.repeat(caretFrom)}${'^'.repeat(Math.max(1, caretTo - caretFrom))}`,
  ];
}

function fixFlags(fix: Fix): string {
  const flags: string[] = [fix.safety];
  if (fix.preferred) flags.push('preferred');
  if (fix.companion) flags.push('companion');
  if (fix.bundle) flags.push(`bundle ${fix.bundle}`);
  return flags.join(', ');
}

/** What applying one fix alone does to the files, as `--diff` would print it. */
function fixDiff(fix: Fix, ws: Workspace, root: string, secrets: readonly string[]): string {
  const rel = (f: string): string => path.relative(root, f).split(path.sep).join('/');
  const byFile = new Map<string, Fix['edits'][number][]>();
  for (const e of fix.edits) byFile.set(e.file, [...(byFile.get(e.file) ?? []), e]);
  let out = '';
  for (const file of [...byFile.keys()].sort()) {
    const before = ws.fs.readText(file) ?? '';
    let after: string;
    try {
      after = applyEdits(before, byFile.get(file)!);
    } catch (e) {
      out += `(${rel(file)}: the fix's edits cannot be applied: ${(e as Error).message})\n`;
      continue;
    }
    out += unifiedDiff(rel(file), before, after) || `(${rel(file)}: no change)\n`;
  }
  for (const c of fix.creates ?? []) {
    if (ws.fs.exists(c.file)) out += `(${rel(c.file)} exists: not created)\n`;
    else out += unifiedDiff(rel(c.file), '', c.text);
  }
  return redact(out, secrets);
}

function findingBlock(f: Finding, ws: Workspace, root: string, secrets: readonly string[]): string {
  const rel = path.relative(root, f.loc.file).split(path.sep).join('/');
  const pos = (offset: number): string => {
    const p = ws.positionAt(f.loc.file, offset);
    return p ? `${p.line + 1}:${p.character + 1}` : '?:?';
  };
  const joined = f.joined?.length ? ` (with ${f.joined.join(', ')})` : '';
  const lines = [`${rel}:${pos(f.loc.start)}-${pos(f.loc.end)} ${f.severity} ${f.code}${joined} ${f.django ?? '(no Django id)'}`];
  lines.push(...excerpt(ws.fs.readText(f.loc.file), f.loc.start, f.loc.end));
  lines.push(`  message: ${f.message.split('\n').join('\n           ')}`);
  // the links that keep the finding uncertain (the certain ones are not pinned here: see basis.test.ts)
  for (const l of f.basis ?? []) if (l.state !== 'known') lines.push(`  rests on: ${l.kind} ${l.subject}, ${l.state}: ${l.how}`);
  // the places the editor links the finding to (the files its message names, what it follows from)
  for (const r of f.related ?? []) {
    const at = ws.positionAt(r.loc.file, r.loc.start);
    lines.push(`  related: ${path.relative(root, r.loc.file).split(path.sep).join('/')}:${at ? at.line + 1 : '?'} (${r.message})`);
  }
  if (f.fixes.length === 0) lines.push('  no fix');
  for (const fix of f.fixes) {
    lines.push(`  fix (${fixFlags(fix)}): ${fix.title}`);
    lines.push(indent(fixDiff(fix, ws, root, secrets), '    '));
  }
  return lines.map(visible).join('\n');
}

/** The snapshot text of a bad case: the rule's findings in it, in file and position order. */
export function renderSnapshot(code: string, c: FixtureCase, root: string, ws: Workspace, projects: readonly ProjectAnalysis[]): string {
  const secrets = [...new Set(projects.flatMap((p) => p.secrets))].sort((a, b) => b.length - a.length);
  const findings = projects
    .flatMap((p) => p.findings)
    .filter((f) => f.code === code || f.joined?.includes(code))
    .sort((a, b) =>
      a.loc.file < b.loc.file
        ? -1
        : a.loc.file > b.loc.file
          ? 1
          : a.loc.start - b.loc.start || a.loc.end - b.loc.end || (a.message < b.message ? -1 : 1),
    );
  const head = [
    `# ${code} ${c.name}: ${findings.length} finding${findings.length === 1 ? '' : 's'}`,
    `# Written by \`${UPDATE_COMMAND}\`; review every change to it.`,
  ];
  return [head.join('\n'), ...findings.map((f) => findingBlock(f, ws, root, secrets))].join('\n\n') + '\n';
}

export type SnapshotVerdict =
  | { kind: 'same' }
  | { kind: 'written'; file: string }
  | { kind: 'differs'; expected: string }
  | { kind: 'missing' };

/** Compares a rendered snapshot with the file, writing it when asked (or when new, outside CI). */
export function checkSnapshot(file: string, actual: string, env: NodeJS.ProcessEnv = process.env): SnapshotVerdict {
  const update = env.UPDATE_SNAPSHOTS === '1' || env.UPDATE_SNAPSHOTS === 'true';
  const ci = !!env.CI && env.CI !== 'false' && env.CI !== '0';
  if (!existsSync(file)) {
    if (ci && !update) return { kind: 'missing' };
    writeFileSync(file, actual);
    return { kind: 'written', file };
  }
  const expected = readFileSync(file, 'utf8').replace(/\r\n/g, '\n');
  if (expected === actual) return { kind: 'same' };
  if (update) {
    writeFileSync(file, actual);
    return { kind: 'written', file };
  }
  return { kind: 'differs', expected };
}

/** Removes snapshots whose fixture is gone, when updating; otherwise returns them. */
export function handleOrphans(dir: string, env: NodeJS.ProcessEnv = process.env): string[] {
  const orphans = orphanSnapshots(dir);
  if (env.UPDATE_SNAPSHOTS === '1' || env.UPDATE_SNAPSHOTS === 'true') {
    for (const f of orphans) unlinkSync(f);
    return [];
  }
  return orphans;
}

export const HOW_TO_UPDATE = `run \`${UPDATE_COMMAND}\` and review the changed .snap files`;
