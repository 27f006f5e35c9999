// An error is a promise (issue 57): a finding's severity follows from what it rests on. Every rule's
// bad fixtures are analysed again with one link of each finding's chain made uncertain (the
// production module chosen by its name only, every file presumed production's, every value
// overridable: AnalysisOptions.presume), and no error may survive where the finding has that link.
// Every error of a bad fixture must rest on at least one such link, so that none can escape the
// weighing; the chain's own arithmetic is pinned below.
import assert from 'node:assert/strict';
import { before, describe, it } from 'node:test';
import { clauseSentence, lowered, mergeBasis, weighedSeverity } from '../../server/src/analysis/engine/basis';
import type { Presumption } from '../../server/src/analysis/engine/types';
import { loadParser } from '../../server/src/analysis/parse/treeSitter';
import { RULES } from '../../server/src/analysis/rules/registry';
import type { BasisLink, Finding } from '../../server/src/analysis/rules/types';
import { analyzeCase, casesOf, loadCase } from '../helpers/fixtures';

const PRESUMPTIONS: readonly Presumption[] = ['module', 'file', 'value'];

const known = (kind: BasisLink['kind'], subject: string): BasisLink => ({ kind, subject, state: 'known', how: 'read' });
const presumed = (kind: BasisLink['kind'], subject: string, clause?: string): BasisLink => ({
  kind,
  subject,
  state: 'presumed',
  how: 'presumed',
  ...(clause ? { clause } : {}),
});

describe('the chain a finding rests on', () => {
  it('lowers the severity one step per uncertain link, never below information', () => {
    assert.equal(lowered('error'), 'warning');
    assert.equal(lowered('warning'), 'information');
    assert.equal(lowered('information'), 'information');
    assert.equal(lowered('hint'), 'hint');
    assert.equal(weighedSeverity('error', [known('module', 'a'), known('file', 'b')]), 'error');
    assert.equal(weighedSeverity('error', [presumed('module', 'a'), known('file', 'b')]), 'warning');
    assert.equal(weighedSeverity('error', [presumed('module', 'a'), { ...known('value', 'X'), state: 'overridable' }]), 'information');
    assert.equal(weighedSeverity('warning', [presumed('module', 'a'), presumed('file', 'b'), presumed('value', 'c')]), 'information');
  });

  it("says each uncertain link's clause once, at the end of the message", () => {
    assert.equal(clauseSentence([known('module', 'a')]), '');
    assert.equal(
      clauseSentence([
        presumed('file', 'docker-compose.yml', 'if docker-compose.yml is the production one'),
        presumed('value', 'X', 'unless X is set'),
      ]),
      ' (If docker-compose.yml is the production one; unless X is set.)',
    );
    assert.equal(
      clauseSentence([presumed('value', 'X', 'unless X is set'), presumed('value', 'Y', 'unless X is set')]),
      ' (Unless X is set.)',
    );
    // a clause the message already says is not said again
    assert.equal(
      clauseSentence(
        [presumed('value', 'local_settings.py', 'unless local_settings.py overrides it where it runs')],
        'SECRET_KEY is written in the settings (unless local_settings.py overrides it): rotate the key.',
      ),
      '',
    );
  });

  it("lets a rule's link replace the engine's of the same kind and subject", () => {
    const engine = [known('module', 'm'), presumed('value', 'X')];
    const merged = mergeBasis(engine, [known('value', 'X'), known('library', 'whitenoise')]);
    assert.deepEqual(
      merged.map((l) => `${l.kind} ${l.subject} ${l.state}`),
      ['module m known', 'value X known', 'library whitenoise known'],
    );
  });
});

describe('no error survives an uncertain link', () => {
  before(async () => {
    await loadParser();
  });

  let errors = 0;
  let lowered = 0;
  for (const rule of RULES) {
    const bad = casesOf(rule.code).filter((c) => c.kind === 'bad');
    for (const c of bad) {
      it(`${rule.code} ${c.name}`, () => {
        const loaded = loadCase(c, rule.target);
        const ofRule = (fs: readonly Finding[]): Finding[] => fs.filter((f) => f.code === rule.code || f.joined?.includes(rule.code));
        const where = (f: Finding): string => `${f.loc.file}:${f.loc.start}`;
        const base = ofRule(analyzeCase(loaded, { rethrowRuleErrors: true }).analysis.projects.flatMap((p) => p.findings));
        for (const f of base.filter((x) => x.severity === 'error')) {
          // a migration is the file it is: its findings rest on no module, file or value to presume
          if (rule.target === 'migration') continue;
          errors++;
          assert.ok(
            (f.basis ?? []).some((l) => l.kind === 'module' || l.kind === 'file' || l.kind === 'value'),
            `${where(f)}: an error that rests on no module, file or value: ${f.message}`,
          );
        }
        for (const p of PRESUMPTIONS) {
          const findings = ofRule(
            analyzeCase(loaded, { rethrowRuleErrors: true, presume: p }).analysis.projects.flatMap((x) => x.findings),
          );
          for (const f of findings) {
            const link = (f.basis ?? []).find((l) => l.kind === p);
            if (!link) continue;
            assert.notEqual(link.state, 'known', `${where(f)}: presume ${p} left ${link.subject} certain`);
            assert.notEqual(f.severity, 'error', `${where(f)}: an error survives its ${p} made uncertain: ${f.message}`);
            const before = base.find((b) => where(b) === where(f));
            if (before?.severity === 'error') lowered++;
          }
        }
      });
    }
  }

  it('weighed errors at all (the test is not vacuous)', () => {
    assert.ok(errors >= 20, `only ${errors} errors in the bad fixtures`);
    assert.ok(lowered >= errors, `${lowered} lowerings for ${errors} errors`);
  });
});
