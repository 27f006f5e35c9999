// The TextMate grammars for Procfiles and .env files (issue 5, part 4): well-formed JSON with the
// scope names package.json registers, every pattern a valid regular expression, every include
// pointing at a repository entry. (Their highlighting was checked with vscode-textmate.)
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { describe, it } from 'node:test';
import { REPO } from '../helpers/paths';

interface Rule {
  match?: string;
  begin?: string;
  end?: string;
  include?: string;
  patterns?: Rule[];
  name?: string;
}

function rulesOf(g: { patterns: Rule[]; repository: Record<string, Rule> }): Rule[] {
  const out: Rule[] = [];
  const visit = (r: Rule): void => {
    out.push(r);
    r.patterns?.forEach(visit);
  };
  g.patterns.forEach(visit);
  Object.values(g.repository).forEach(visit);
  return out;
}

/** Oniguruma syntax JavaScript lacks (\G, \h) replaced by near equivalents, to compile-check the rest. */
function asJs(re: string): RegExp {
  return new RegExp(re.replace(/\\G/g, '^').replace(/\(\?i:/g, '(?:'));
}

for (const [file, scope, sample] of [
  ['procfile.tmLanguage.json', 'source.procfile', 'web: gunicorn app --bind "0.0.0.0:${PORT:-8000}" # c'],
  ['dotenv.tmLanguage.json', 'source.dotenv', 'export KEY="value ${OTHER}" # c'],
] as const) {
  describe(`grammar ${file}`, () => {
    const g = JSON.parse(readFileSync(path.join(REPO, 'syntaxes', file), 'utf8'));

    it(`is named ${scope}`, () => {
      assert.equal(g.scopeName, scope);
      assert.ok(g.name);
    });

    it('has valid patterns and resolvable includes', () => {
      const rules = rulesOf(g);
      assert.ok(rules.length > 5);
      for (const r of rules) {
        for (const re of [r.match, r.begin, r.end]) if (re) assert.doesNotThrow(() => asJs(re), re);
        if (r.include)
          assert.ok(r.include === '$self' || r.include === '$base' || g.repository[r.include.slice(1)], `missing ${r.include}`);
        if (r.begin) assert.ok(r.end, `begin without end: ${r.begin}`);
      }
    });

    it('recognises its top-level line', () => {
      const top = rulesOf(g).find((r) => r.begin && asJs(r.begin).test(sample));
      assert.ok(top, `no rule starts ${sample}`);
    });
  });
}

describe('language configurations', () => {
  for (const file of ['procfile.language-configuration.json', 'dotenv.language-configuration.json']) {
    it(`${file} gives "#" line comments (toggle comment) and balanced pairs`, () => {
      const c = JSON.parse(readFileSync(path.join(REPO, 'syntaxes', file), 'utf8')) as {
        comments: { lineComment: string };
        brackets: [string, string][];
        autoClosingPairs: { open: string; close: string }[];
      };
      assert.equal(c.comments.lineComment, '#');
      for (const [open, close] of c.brackets) assert.ok(open.length > 0 && close.length > 0);
      for (const p of c.autoClosingPairs) assert.ok(p.open.length > 0 && p.close.length > 0);
    });
  }
});
