// The regex gate itself (scripts/regex-gate.mjs, the `regex` stage): it must be able to fail. A
// known-bad pattern, a construction it cannot prove and a stale allow-list entry each fail it;
// constructions it can evaluate are checked value by value.
import assert from 'node:assert/strict';
import * as path from 'node:path';
import { describe, it } from 'node:test';
import { pathToFileURL } from 'node:url';
import { REPO } from '../helpers/paths';

interface Pattern {
  source: string;
  flags: string;
}
interface Result {
  status: 'safe' | 'vulnerable' | 'unknown';
  complexity?: string;
  attack?: string;
}
interface Site {
  file: string;
  line: number;
  code: string;
  kind: 'literal' | 'construction';
  patterns?: Pattern[];
  unproven?: string;
}
interface AllowEntry {
  file: string;
  code: string;
  bound: string;
}
interface Failure {
  site: Site;
  pattern?: Pattern;
  result?: Result;
  reason: string;
}
interface GateModule {
  checkPattern(source: string, flags: string): Promise<Result>;
  collectSites(files: { file: string; text: string }[]): Site[];
  gate(
    files: { file: string; text: string }[],
    opts?: { allowList?: AllowEntry[]; workers?: number },
  ): Promise<{ sites: Site[]; failures: Failure[]; allowed: { site: Site }[]; stale: AllowEntry[] }>;
  readAllowList(): AllowEntry[];
}

const load = (): Promise<GateModule> => import(pathToFileURL(path.join(REPO, 'scripts/regex-gate.mjs')).href);

describe('regex gate', () => {
  it('recheck finds the classic exponential pattern and passes its linear rewrite', async () => {
    const g = await load();
    const bad = await g.checkPattern('(a+)+$', '');
    assert.equal(bad.status, 'vulnerable');
    assert.equal(bad.complexity, 'exponential');
    assert.ok(bad.attack);
    assert.equal((await g.checkPattern('\\/+$', '')).status, 'vulnerable');
    assert.equal((await g.checkPattern('(?<!\\/)\\/+$', '')).status, 'safe');
    assert.equal((await g.checkPattern('^a+$', '')).status, 'safe');
    // a sticky pattern is tried where lastIndex is: checked anchored there
    assert.equal((await g.checkPattern('\\s*=', 'y')).status, 'safe');
    assert.equal((await g.checkPattern('\\s*=', '')).status, 'vulnerable');
    assert.equal((await g.checkPattern('(a+)+$', 'y')).status, 'vulnerable');
  });

  it('evaluates constructions from constants, value by value', async () => {
    const g = await load();
    const text = [
      "const WORDS = ['a.b', 'c+d'] as const;",
      "const esc = (s: string): string => s.replace(/[.*+?^${}()|[\\]\\\\]/g, '\\\\$&');",
      "export const ANY = new RegExp(`^(?:${WORDS.map(esc).join('|')})$`, 'i');",
      'const BASE = /x+y/;',
      "export const AGAIN = new RegExp(BASE.source, 'g' + BASE.flags);",
      'export function hex(e: string): RegExp {',
      "  const n = e === 'x' ? 2 : 4;",
      '  return new RegExp(`^[0-9a-f]{${n}}$`);',
      '}',
      'const line = (key: string): string => String.raw`(?<![^\\n])(?:(?!${key})[^\\n])*${key}`;',
      "export const FIRST = new RegExp(line(String.raw`\\bx\\b`), 'm');",
    ].join('\n');
    const sites = g.collectSites([{ file: 'virtual/constants.ts', text }]).filter((s) => s.kind === 'construction');
    assert.deepEqual(
      sites.map((s) => [s.line, s.unproven, s.patterns]),
      [
        [3, undefined, [{ source: '^(?:a\\.b|c\\+d)$', flags: 'i' }]],
        [5, undefined, [{ source: 'x+y', flags: 'g' }]],
        [
          8,
          undefined,
          [
            { source: '^[0-9a-f]{2}$', flags: '' },
            { source: '^[0-9a-f]{4}$', flags: '' },
          ],
        ],
        [11, undefined, [{ source: '(?<![^\\n])(?:(?!\\bx\\b)[^\\n])*\\bx\\b', flags: 'm' }]],
      ],
    );
  });

  it('fails on a vulnerable literal, a vulnerable value and a construction it cannot prove', async () => {
    const g = await load();
    const text = [
      'export const BAD = /(a+)+$/;',
      'export const ONE_BAD_ALTERNATIVE = /^x|\\s+$|y/;',
      'export const FINE = /^a+$/;',
      "const STAR = '(b+)+';",
      'export const BAD_TOO = new RegExp(`${STAR}$`);',
      'export function find(name: string, text: string): boolean {',
      '  return new RegExp(`^${name}=`, "m").test(text);',
      '}',
    ].join('\n');
    const r = await g.gate([{ file: 'virtual/bad.ts', text }]);
    assert.deepEqual(
      r.failures.map((f) => [f.site.line, f.reason, f.pattern?.source]),
      [
        [1, 'exponential', '(a+)+$'],
        [2, 'polynomial', '^x|\\s+$|y'],
        [5, 'exponential', '(b+)+$'],
        [7, 'unproven (a value known only at run time: name)', undefined],
      ],
    );
    assert.ok(r.failures[0]!.result!.attack, 'the failure shows the attack string');
    assert.equal((r.failures[1]!.result as { alternative?: string }).alternative, '\\s+$', 'and the alternative that fails');
  });

  it('proves run-time strings escaped into a pattern that repeats nothing, and nothing else run-time', async () => {
    const g = await load();
    const text = [
      "const esc = (s: string): string => s.replace(/[.*+?^${}()|[\\]\\\\]/g, '\\\\$&');",
      'export function f(words: string[], name: string): RegExp[] {',
      "  const alts = words.map((w) => `${/^\\w/.test(w) ? '(?<!\\\\w)' : ''}${esc(w)}`);",
      "  const any = new RegExp(alts.join('|'), 'g');",
      '  const repeated = new RegExp(`(?:${esc(name)})+`);',
      "  const raw = new RegExp(words.join('|'));",
      "  const halfEscaped = new RegExp(words.map((w) => w.replace(/[.]/g, '\\\\$&')).join('|'));",
      '  return [any, repeated, raw, halfEscaped];',
      '}',
    ].join('\n');
    const r = await g.gate([{ file: 'virtual/runtime.ts', text }]);
    const any = r.sites.find((s) => s.line === 4)!;
    assert.deepEqual(any.patterns, [{ source: '(?<!\\w)«…»|«…»', flags: 'g', proven: 'escaped run-time text, nothing repeated' }]);
    assert.deepEqual(
      r.failures.map((f) => [f.site.line, f.reason.replace(/:.*/, '')]),
      [
        [5, 'unproven (run-time text (escaped) in a pattern that repeats'],
        [6, 'unproven (a value known only at run time'],
        [7, 'unproven (a value known only at run time'],
      ],
    );
  });

  it('lets an allow-listed construction through, and fails on a stale entry', async () => {
    const g = await load();
    const text = "export const f = (word: string): RegExp => new RegExp(word);\nexport const g = new RegExp('a|b');\n";
    const code = 'new RegExp(word)';
    const allowList = [
      { file: 'virtual/allowed.ts', code, bound: 'a product word, at most 20 characters' },
      { file: 'virtual/allowed.ts', code: 'new RegExp(gone)', bound: 'a site that no longer exists' },
      { file: 'virtual/allowed.ts', code: "new RegExp('a|b')", bound: 'a site the gate proves: no entry needed' },
    ];
    const r = await g.gate([{ file: 'virtual/allowed.ts', text }], { allowList });
    assert.deepEqual(r.failures, []);
    assert.deepEqual(
      r.allowed.map((a) => a.site.code),
      [code],
    );
    assert.deepEqual(
      r.stale.map((e) => e.code),
      ['new RegExp(gone)', "new RegExp('a|b')"],
    );
  });

  it('every allow-list entry of the repository states its bound', async () => {
    const g = await load();
    for (const e of g.readAllowList()) assert.ok(e.bound.length > 20, `${e.file}: ${e.code}`);
  });
});
