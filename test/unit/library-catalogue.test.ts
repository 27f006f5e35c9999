// The library catalogue (server/src/analysis/catalogue/libraries): every fact cites the library's
// source with its words, and rules and models read the libraries' names only through it — no rule,
// model or engine file spells a setting, app or middleware name the catalogue holds as a string of
// its own (a name inside a longer text, a message or the docs, is not a reading of it).
import assert from 'node:assert/strict';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { createRequire } from 'node:module';
import * as path from 'node:path';
import { describe, it } from 'node:test';
import * as catalogue from '../../server/src/analysis/catalogue/libraries';
import { catalogueNames, LIBRARIES, librarySettings, type Source } from '../../server/src/analysis/catalogue/libraries';
import { REPO } from '../helpers/paths';

type Node = {
  kind: number;
  text?: string;
  parent?: Node & { name?: { text?: string } };
  getStart(): number;
  forEachChild(cb: (n: Node) => void): void;
};
interface TS {
  createSourceFile(
    name: string,
    text: string,
    target: number,
    setParents: boolean,
  ): Node & { getLineAndCharacterOfPosition(p: number): { line: number } };
  SyntaxKind: Record<string, number>;
  ScriptTarget: Record<string, number>;
}
const ts = createRequire(path.join(REPO, 'package.json'))('typescript') as TS;

const ANALYSIS = path.join(REPO, 'server/src/analysis');
/** Where the names must not be spelled: the layers that ask the catalogue. */
const READERS = ['rules', 'models', 'engine'].map((d) => path.join(ANALYSIS, d));

function sources(dir: string, out: string[] = []): string[] {
  for (const name of readdirSync(dir)) {
    const full = path.join(dir, name);
    if (statSync(full).isDirectory()) sources(full, out);
    else if (name.endsWith('.ts')) out.push(full);
  }
  return out;
}

function sourcesOf(v: unknown, out: Source[] = []): Source[] {
  if (!v || typeof v !== 'object') return out;
  const o = v as Record<string, unknown>;
  if (typeof o.url === 'string' && typeof o.quote === 'string') out.push(o as unknown as Source);
  else for (const x of Object.values(o)) sourcesOf(x, out);
  return out;
}

describe('library catalogue', () => {
  it('cites a source with the library’s words for every setting, and says which release it read', () => {
    for (const l of LIBRARIES) assert.ok(l.readAt, `${l.distribution} says which release it was read at`);
    for (const s of librarySettings()) {
      assert.match(s.source.url, /^https:\/\//, `${s.name}: a source URL`);
      assert.ok(s.source.quote.length > 10, `${s.name}: the library's words`);
      assert.match(s.name, /^[A-Z][A-Z0-9_]*$/, `${s.name} is a setting name`);
    }
  });

  it('pins every GitHub source to a commit or a tag', () => {
    const all = sourcesOf(LIBRARIES);
    for (const v of Object.values(catalogue)) sourcesOf(v, all);
    assert.ok(all.length > 30, `${all.length} sources`);
    for (const s of all) {
      if (!s.url.startsWith('https://github.com/')) continue;
      assert.match(s.url, /\/blob\/([0-9a-f]{40}|v?\d[\w.]*)\//, `${s.url} names a commit or a tag`);
    }
  });

  it('is the only place the libraries’ setting, app and middleware names are spelled', () => {
    const names = catalogueNames();
    assert.ok(names.has('CORS_ALLOW_ALL_ORIGINS') && names.has('whitenoise.middleware.WhiteNoiseMiddleware'));
    const found: string[] = [];
    const STRING = ts.SyntaxKind.StringLiteral!;
    const TEMPLATE = ts.SyntaxKind.NoSubstitutionTemplateLiteral!;
    const PROPERTY = ts.SyntaxKind.PropertyAssignment!;
    // a rule's checklist item ('csp') is an id of ours, not a library's app
    const isChecklistId = (n: Node): boolean => n.parent?.kind === PROPERTY && n.parent.name?.text === 'checklist';
    for (const dir of READERS) {
      for (const file of sources(dir)) {
        const sf = ts.createSourceFile(file, readFileSync(file, 'utf8'), ts.ScriptTarget.Latest!, true);
        const visit = (n: Node): void => {
          if ((n.kind === STRING || n.kind === TEMPLATE) && n.text !== undefined && names.has(n.text) && !isChecklistId(n))
            found.push(`${path.relative(REPO, file)}:${sf.getLineAndCharacterOfPosition(n.getStart()).line + 1} '${n.text}'`);
          n.forEachChild(visit);
        };
        visit(sf);
      }
    }
    assert.deepEqual(found, [], 'ask server/src/analysis/catalogue/libraries for these names');
  });
});
