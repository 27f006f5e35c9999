// Every quick fix on every bad fixture (and the example project), applied one at a time and all
// together (fix-all: safe fixes only), must leave files that parse and compile, remove the finding,
// add none, be stable when fixing again, and keep line endings and comments.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdirSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { analyzeWorkspace, type AnalysisOptions } from '../../server/src/analysis/engine/engine';
import { applyEdits, compatibleFixes } from '../../server/src/analysis/rules/fixes/edits';
import type { PyNode } from '../../server/src/analysis/parse/ast';
import { PythonDocument } from '../../server/src/analysis/parse/pythonDocument';
import { loadParser } from '../../server/src/analysis/parse/treeSitter';
import { MemoryFileSystem } from '../../server/src/analysis/files/fs';
import { RULES } from '../../server/src/analysis/rules/registry';
import type { Finding, Fix } from '../../server/src/analysis/rules/types';
import { Workspace } from '../../server/src/analysis/engine/workspace';
import { casesOf, loadCase, singleFileProject } from '../helpers/fixtures';
import { EXAMPLE } from '../helpers/paths';
import { tempDir } from '../helpers/tempDir';

interface Project {
  readonly name: string;
  readonly root: string;
  readonly files: Map<string, string>;
  readonly options: AnalysisOptions;
}

function readTree(root: string, dir = root, out = new Map<string, string>()): Map<string, string> {
  for (const n of readdirSync(dir)) {
    const p = path.join(dir, n);
    if (statSync(p).isDirectory()) readTree(root, p, out);
    else out.set(p, readFileSync(p, 'utf8'));
  }
  return out;
}

function fsOf(files: Map<string, string>): MemoryFileSystem {
  const fs = new MemoryFileSystem();
  for (const [f, t] of files) fs.write(f, t);
  return fs;
}

function analyze(p: Project, files: Map<string, string>): Finding[] {
  const ws = new Workspace(fsOf(files), [p.root]);
  return analyzeWorkspace(ws, p.options).projects.flatMap((x) => x.findings);
}

function apply(files: Map<string, string>, fixes: readonly Fix[]): Map<string, string> {
  const out = new Map(files);
  const byFile = new Map<string, Fix['edits'][number][]>();
  for (const fix of fixes) for (const e of fix.edits) byFile.set(e.file, [...(byFile.get(e.file) ?? []), e]);
  for (const [file, edits] of byFile) out.set(file, applyEdits(out.get(file) ?? '', edits));
  for (const fix of fixes) for (const c of fix.creates ?? []) if (!out.has(c.file)) out.set(c.file, c.text);
  return out;
}

function codes(findings: Finding[]): Map<string, number> {
  const m = new Map<string, number>();
  for (const f of findings) {
    m.set(f.code, (m.get(f.code) ?? 0) + 1);
    // a finding that says another rule's too (DDH101 with DDH102 on one line): both were reported
    for (const code of f.joined ?? []) m.set(code, (m.get(code) ?? 0) + 1);
  }
  return m;
}

const toCompile: { label: string; text: string }[] = [];

function commentsOf(text: string): string[] {
  const out: string[] = [];
  const doc = PythonDocument.parse(text);
  const visit = (n: PyNode, base: number): void => {
    if (n.type === 'comment') out.push(text.slice(base + n.start, base + n.end));
    n.children.forEach((c) => visit(c, base));
  };
  for (const c of doc.chunks) visit(c.node, c.base);
  return out;
}

function checkFiles(label: string, before: Map<string, string>, afterFiles: Map<string, string>): void {
  for (const [file, text] of afterFiles) {
    const old = before.get(file);
    if (old === text) continue;
    if (old !== undefined) {
      // line endings: a CRLF file stays CRLF
      if (old.includes('\r\n')) assert.doesNotMatch(text.replace(/\r\n/g, ''), /\n/, `${label}: ${file} gained LF line endings`);
      // comments survive
      if (file.endsWith('.py')) for (const c of commentsOf(old)) assert.ok(text.includes(c), `${label}: ${file} lost the comment ${c}`);
    }
    if (file.endsWith('.py')) {
      assert.ok(!PythonDocument.parse(text).hasError, `${label}: ${file} no longer parses:\n${text}`);
      toCompile.push({ label: `${label}: ${file}`, text });
    }
  }
}

function projects(): Project[] {
  const out: Project[] = [{ name: 'examples/mysite', root: EXAMPLE, files: readTree(EXAMPLE), options: {} }];
  for (const rule of RULES) {
    for (const c of casesOf(rule.code).filter((c) => c.kind === 'bad')) {
      const loaded = loadCase(c, rule.target);
      const files = new Map<string, string>();
      if (c.isDir) for (const [f, t] of readTree(c.path)) files.set(f, t);
      else
        for (const f of Object.keys(singleFileProject(c, rule.target).files)) {
          const full = path.posix.join(loaded.root, f);
          const t = loaded.fs.readText(full);
          if (t !== undefined) files.set(full, t);
        }
      out.push({ name: `${rule.code}/${c.name}`, root: loaded.root, files, options: loaded.options });
      // the same project with CRLF line endings
      out.push({
        name: `${rule.code}/${c.name} (CRLF)`,
        root: loaded.root,
        files: new Map([...files].map(([f, t]) => [f, t.replace(/\r?\n/g, '\r\n')])),
        options: loaded.options,
      });
    }
  }
  return out;
}

describe('quick fixes', () => {
  before(async () => {
    await loadParser();
  });

  let applied = 0;
  for (const p of projects()) {
    it(`${p.name}: each fix and fix-all`, () => {
      const findings = analyze(p, p.files);
      const beforeCodes = codes(findings);
      for (const finding of findings) {
        for (const fix of finding.fixes) {
          const label = `${p.name} ${finding.code} "${fix.title}"`;
          const fixed = apply(p.files, [fix]);
          checkFiles(label, p.files, fixed);
          const after = analyze(p, fixed);
          const afterCodes = codes(after);
          if (!fix.companion)
            assert.ok((afterCodes.get(finding.code) ?? 0) < (beforeCodes.get(finding.code) ?? 0), `${label}: the finding is still there`);
          for (const [code, n] of afterCodes)
            assert.ok(
              n <= (beforeCodes.get(code) ?? 0),
              `${label}: introduced ${code}: ${after
                .filter((f) => f.code === code)
                .map((f) => f.message)
                .join(' | ')}`,
            );
          // fixing again: the same fix is not offered any more
          assert.ok(!after.some((f) => f.fixes.some((x) => x.title === fix.title)), `${label}: offered again after it was applied`);
          applied++;
        }
      }
      // fix-all as source.fixAll applies it: safe fixes only, non-overlapping, without companions
      // (.env.example) or bundles, which are offered beside a fix and never applied on their own
      const fixAll = (fs: Finding[]): Fix[] =>
        compatibleFixes(fs.flatMap((f) => f.fixes).filter((f) => f.safety === 'safe' && !f.companion && !f.bundle));
      const safe = fixAll(findings);
      if (safe.length > 0) {
        const fixed = apply(p.files, safe);
        checkFiles(`${p.name} fix-all`, p.files, fixed);
        const after = analyze(p, fixed);
        for (const [code, n] of codes(after)) assert.ok(n <= (beforeCodes.get(code) ?? 0), `${p.name} fix-all introduced ${code}`);
        const again = fixAll(after);
        const twice = apply(fixed, again);
        assert.deepEqual(
          [...twice.entries()].filter(([f, t]) => fixed.get(f) !== t).map(([f]) => f),
          [],
          `${p.name}: fix-all again changed files`,
        );
      }
    });
  }

  it('offers fixes at all (sanity)', () => {
    assert.ok(applied > 5, `only ${applied} fixes were exercised`);
  });

  after(() => {
    if (toCompile.length === 0) return;
    const dir = tempDir('ddh-fixed-');
    const files = toCompile.map((c, i) => {
      const f = path.join(dir, `f${i}.py`);
      mkdirSync(dir, { recursive: true });
      writeFileSync(f, c.text);
      return f;
    });
    const r = spawnSync(
      'python3',
      [
        '-c',
        'import py_compile,sys\nbad=[]\nfor f in sys.argv[1:]:\n  try: py_compile.compile(f, doraise=True)\n  except Exception as e: bad.append(f)\nprint("\\n".join(bad))',
        ...files,
      ],
      { encoding: 'utf8' },
    );
    assert.equal(r.status, 0, r.stderr);
    const bad = r.stdout.trim().split('\n').filter(Boolean);
    assert.deepEqual(
      bad.map((f) => toCompile[files.indexOf(f)]!.label),
      [],
      'python3 -m py_compile rejected fixed files',
    );
  });
});
