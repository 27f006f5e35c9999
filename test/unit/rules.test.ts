// Every rule has bad and good fixtures; bad ones produce exactly the marked findings of that rule,
// good ones none. Messages never contain a secret from the fixture. A marked line may also pin what
// the finding says, how severe it is and what one of its fixes writes:
// `# expect: CODE  expect-message: text  expect-severity: warning  expect-fix: "False"` (or `none`).
// No finding's range spans more than one line: it is the name or key that causes it.
// Each bad case's findings and fixes are pinned in its snapshot (bad-x.py.snap; see
// test/helpers/snapshots.ts: `UPDATE_SNAPSHOTS=1 npm run test:unit` rewrites them). Each good case
// states what the rule concludes there with `# outcome: passed` (or `not-applicable`, `unknown`, `disabled`,
// optionally `outcome-reason: text`), so a rule that gives up where it used to decide fails. A rule
// that throws fails its case (the engine would otherwise show it as unknown).
import assert from 'node:assert/strict';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import * as path from 'node:path';
import { before, describe, it } from 'node:test';
import type { ProjectAnalysis } from '../../server/src/analysis/engine/engine';
import { loadParser } from '../../server/src/analysis/parse/treeSitter';
import { clauseSentence } from '../../server/src/analysis/engine/basis';
import { RULES } from '../../server/src/analysis/rules/registry';
import type { Rule } from '../../server/src/analysis/rules/types';
import type { Workspace } from '../../server/src/analysis/engine/workspace';
import { analyzeCase, casesOf, FIXTURES, loadCase, type FixtureCase } from '../helpers/fixtures';
import { REPO } from '../helpers/paths';
import { outcomeMismatch, statedOutcomes } from '../helpers/outcomes';
import { checkSnapshot, handleOrphans, HOW_TO_UPDATE, renderSnapshot, snapshotPath } from '../helpers/snapshots';

interface Pinned {
  readonly line: number;
  readonly file: string;
  readonly message?: string;
  readonly severity?: string;
  /** The new text of one edit of one of the finding's fixes. */
  readonly fix?: string;
}

/** `expect-message:` / `expect-severity:` on the `# expect: CODE` lines of a case's files. */
function pinnedOf(c: FixtureCase, code: string, files: readonly string[]): Pinned[] {
  const out: Pinned[] = [];
  for (const file of files) {
    const text = readFileSync(c.isDir ? file : c.path, 'utf8');
    text.split(/\r?\n/).forEach((l, i) => {
      const m = /#\s*expect:\s*([A-Z]+[0-9]+)\b(.*)$/.exec(l);
      if (!m || m[1] !== code) return;
      const marker = (name: string): string | undefined => new RegExp(`expect-${name}:\\s*(.+?)\\s*(?:expect-[a-z]+:|$)`).exec(m[2]!)?.[1];
      const [message, severity, fix] = [marker('message'), marker('severity'), marker('fix')];
      if (message || severity || fix) out.push({ file, line: i + 1, message, severity, fix });
    });
  }
  return out;
}

/** Every file of a case (the fixture file, or all files under the folder). */
function filesOf(c: FixtureCase): string[] {
  if (!c.isDir) return [c.path];
  const out: string[] = [];
  const walk = (dir: string): void => {
    for (const n of readdirSync(dir).sort()) {
      const p = path.join(dir, n);
      if (statSync(p).isDirectory()) walk(p);
      else out.push(p);
    }
  };
  walk(c.path);
  return out;
}

function checkGoodOutcome(rule: Rule, c: FixtureCase, projects: readonly ProjectAnalysis[]): void {
  const problem = outcomeMismatch(rule.code, c.name, statedOutcomes(filesOf(c)), projects);
  assert.equal(problem, undefined, problem);
}

function checkBadSnapshot(rule: Rule, c: FixtureCase, root: string, ws: Workspace, projects: readonly ProjectAnalysis[]): void {
  const file = snapshotPath(c);
  const actual = renderSnapshot(rule.code, c, root, ws, projects);
  const verdict = checkSnapshot(file, actual);
  const rel = path.relative(REPO, file);
  if (verdict.kind === 'missing') assert.fail(`${rel} is missing (never written under CI=true): ${HOW_TO_UPDATE}`);
  if (verdict.kind === 'differs') assert.equal(actual, verdict.expected, `${rel} differs from what ${rule.code} reports: ${HOW_TO_UPDATE}`);
  if (verdict.kind === 'written') process.stderr.write(`wrote ${rel}: review it\n`);
}

describe('rule fixtures', () => {
  before(async () => {
    await loadParser();
  });

  for (const rule of RULES) {
    describe(`${rule.code} ${rule.name}`, () => {
      const cases = casesOf(rule.code);

      it('has bad and good fixtures', () => {
        assert.ok(
          cases.some((c) => c.kind === 'bad'),
          `test/fixtures/rules/${rule.code}/ needs a bad* case`,
        );
        assert.ok(
          cases.some((c) => c.kind === 'good'),
          `test/fixtures/rules/${rule.code}/ needs a good* case`,
        );
      });

      it('has no snapshot without its bad case', () => {
        const orphans = handleOrphans(path.join(FIXTURES, 'rules', rule.code));
        assert.deepEqual(
          orphans.map((f) => path.basename(f)),
          [],
          `snapshots of no bad case: ${HOW_TO_UPDATE}`,
        );
      });

      for (const c of cases) {
        it(`${c.name}`, () => {
          const loaded = loadCase(c, rule.target);
          const { analysis, ws } = analyzeCase(loaded, { rethrowRuleErrors: true });
          const findings = analysis.projects
            .flatMap((p) => p.findings)
            .filter((f) => f.code === rule.code || f.joined?.includes(rule.code));
          const actual = findings
            .map((f) => {
              const pos = ws.positionAt(f.loc.file, f.loc.start) ?? { line: 0 };
              return `${f.loc.file}:${pos.line + 1}`;
            })
            .sort();
          const expected = loaded.expected
            .filter((e) => e.code === rule.code)
            .map((e) => `${e.file}:${e.line}`)
            .sort();
          if (c.kind === 'bad') assert.ok(expected.length > 0, `${c.name} marks no "# expect: ${rule.code}" line`);
          else assert.equal(expected.length, 0, `good case ${c.name} must not expect ${rule.code}`);
          assert.deepEqual(actual, expected, `findings: ${findings.map((f) => f.message).join(' | ')}`);
          const files = [...new Set(loaded.expected.map((e) => e.file))];
          for (const p of pinnedOf(c, rule.code, files)) {
            const f = findings.find((x) => x.loc.file === p.file && (ws.positionAt(x.loc.file, x.loc.start)?.line ?? -1) + 1 === p.line);
            assert.ok(f, `no ${rule.code} finding on line ${p.line}`);
            if (p.message) assert.ok(f.message.includes(p.message), `line ${p.line}: message lacks "${p.message}": ${f.message}`);
            if (p.severity) assert.equal(f.severity, p.severity, `line ${p.line}: severity`);
            if (p.fix === 'none')
              assert.deepEqual(
                f.fixes.map((x) => x.title),
                [],
                `line ${p.line}: expected no fix`,
              );
            else if (p.fix) {
              const written = f.fixes.flatMap((x) => x.edits.map((e) => e.newText.trim()));
              assert.ok(written.includes(p.fix), `line ${p.line}: no fix writes ${p.fix}; fixes write ${JSON.stringify(written)}`);
            }
          }
          for (const f of findings) {
            // the rule's own message (the clauses of its uncertain links, which the engine adds, aside)
            const own = f.message.slice(0, f.message.length - clauseSentence(f.basis ?? []).length);
            assert.ok(own.length > 10 && own.length < 400, `message length: ${f.message}`);
            // on the name or key that causes it, never a whole multi-line literal (issue 58)
            const [from, to] = [ws.positionAt(f.loc.file, f.loc.start), ws.positionAt(f.loc.file, f.loc.end)];
            assert.equal(from?.line, to?.line, `${rule.code} underlines lines ${from?.line}-${to?.line}: ${f.message}`);
            assert.doesNotMatch(f.message, /django-insecure-[^"]|hunter2|sk_live_\w{6}/, 'a message leaks a secret');
          }
          if (c.kind === 'bad') checkBadSnapshot(rule, c, loaded.root, ws, analysis.projects);
          else checkGoodOutcome(rule, c, analysis.projects);
        });
      }
    });
  }
});
