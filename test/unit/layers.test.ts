// The layers of the product, enforced: which folder of server/src may import which (ARCHITECTURE.md's
// code map). Every relative import counts, type-only ones too: a type that points up a layer is the
// first step of a dependency that does. Inside a folder anything goes; across folders only downwards.
// A new folder has to be placed here before it can import or be imported.
import assert from 'node:assert/strict';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import * as path from 'node:path';
import { describe, it } from 'node:test';
import { REPO } from '../helpers/paths';
import { importsOf } from '../helpers/imports';

/**
 * Each unit (a folder of server/src/analysis, or of server/src) with the units it may import, lowest
 * first. A unit may always import itself. Keep in step with ARCHITECTURE.md.
 */
const LAYERS: ReadonlyArray<readonly [string, readonly string[]]> = [
  ['analysis/base', []],
  ['analysis/parse', ['analysis/base']],
  ['analysis/files', ['analysis/base', 'analysis/parse']],
  ['analysis/catalogue', ['analysis/base']],
  ['analysis/eval', ['analysis/base', 'analysis/parse', 'analysis/catalogue']],
  // incremental reuse: a layer around the evaluator, which the evaluator does not know (eval/hooks.ts)
  ['analysis/reuse', ['analysis/base', 'analysis/parse', 'analysis/catalogue', 'analysis/eval']],
  ['analysis/secrets', ['analysis/base', 'analysis/catalogue', 'analysis/eval', 'analysis/reuse']],
  ['analysis/readers', ['analysis/base', 'analysis/parse', 'analysis/files', 'analysis/catalogue', 'analysis/eval', 'analysis/reuse']],
  [
    'analysis/models/project',
    ['analysis/base', 'analysis/parse', 'analysis/files', 'analysis/catalogue', 'analysis/eval', 'analysis/reuse', 'analysis/readers'],
  ],
  [
    'analysis/models/process',
    [
      'analysis/base',
      'analysis/parse',
      'analysis/files',
      'analysis/catalogue',
      'analysis/eval',
      'analysis/reuse',
      // (what a secret's name or a credential is: a committed template's placeholder, envTemplates.ts)
      'analysis/secrets',
      'analysis/readers',
      'analysis/models/project',
    ],
  ],
  [
    'analysis/models/appServer',
    [
      'analysis/base',
      'analysis/parse',
      'analysis/files',
      'analysis/catalogue',
      'analysis/eval',
      'analysis/reuse',
      'analysis/readers',
      'analysis/models/project',
      'analysis/models/process',
    ],
  ],
  [
    'analysis/models/requestPath',
    [
      'analysis/base',
      'analysis/parse',
      'analysis/files',
      'analysis/catalogue',
      'analysis/eval',
      'analysis/reuse',
      'analysis/readers',
      'analysis/models/project',
      'analysis/models/process',
      'analysis/models/appServer',
    ],
  ],
  [
    'analysis/models/settings',
    [
      'analysis/base',
      'analysis/parse',
      'analysis/files',
      'analysis/catalogue',
      'analysis/eval',
      'analysis/reuse',
      // (a committed template's placeholder, filled in where it is deployed: secrets/templateValues.ts)
      'analysis/secrets',
      'analysis/readers',
      'analysis/models/project',
    ],
  ],
  [
    'analysis/models/migrations',
    [
      'analysis/base',
      'analysis/parse',
      'analysis/files',
      'analysis/catalogue',
      'analysis/eval',
      'analysis/reuse',
      'analysis/readers',
      'analysis/models/project',
      'analysis/models/settings',
    ],
  ],
];
const BELOW_RULES = LAYERS.map(([u]) => u);
const ALL_LAYERS: ReadonlyArray<readonly [string, readonly string[]]> = [
  ...LAYERS,
  ['analysis/rules', BELOW_RULES],
  ['analysis/engine', [...BELOW_RULES, 'analysis/rules']],
  ['analysis/outputs', [...BELOW_RULES, 'analysis/rules', 'analysis/engine']],
  // the adapters: thin layers over the analysis; neither knows the other
  ['cli', [...BELOW_RULES, 'analysis/rules', 'analysis/engine', 'analysis/outputs', 'root']],
  ['lsp', [...BELOW_RULES, 'analysis/rules', 'analysis/engine', 'analysis/outputs', 'root']],
  // protocol.ts (the messages the server and the client share), launch.ts, codeCacheHook.ts
  ['root', []],
];

const SRC = path.join(REPO, 'server/src');

function sources(dir: string, out: string[] = []): string[] {
  for (const name of readdirSync(dir)) {
    const full = path.join(dir, name);
    if (statSync(full).isDirectory()) sources(full, out);
    else if (name.endsWith('.ts') && !name.endsWith('.d.ts')) out.push(full);
  }
  return out;
}

/** The unit a file of server/src belongs to: the longest declared folder holding it. */
export function unitOf(file: string, units: readonly string[]): string | undefined {
  const rel = path.relative(SRC, file).split(path.sep).join('/');
  if (!rel.includes('/')) return 'root';
  let best: string | undefined;
  for (const u of units) if (rel.startsWith(`${u}/`) && (!best || u.length > best.length)) best = u;
  return best;
}

describe('layers', () => {
  const allowed = new Map(ALL_LAYERS.map(([u, deps]) => [u, new Set([u, ...deps])]));
  const units = [...allowed.keys()];

  it('declares each unit once, and only units below itself', () => {
    const seen = new Set<string>();
    for (const [u, deps] of ALL_LAYERS) {
      assert.ok(!seen.has(u), `${u} declared twice`);
      for (const d of deps) assert.ok(seen.has(d) || d === 'root', `${u} may import ${d}, which is not declared below it`);
      seen.add(u);
    }
  });

  it('every file of server/src belongs to a declared unit', () => {
    const homeless = sources(SRC)
      .filter((f) => unitOf(f, units) === undefined)
      .map((f) => path.relative(SRC, f));
    assert.deepEqual(homeless, [], 'files in a folder the layers do not place');
  });

  it('no import goes up a layer or across to a unit not declared below', () => {
    const found: string[] = [];
    for (const f of sources(SRC)) {
      const from = unitOf(f, units)!;
      for (const dep of importsOf(f, readFileSync(f, 'utf8'))) {
        const to = unitOf(dep, units);
        if (to && !allowed.get(from)!.has(to)) found.push(`${path.relative(SRC, f)} (${from}) -> ${path.relative(SRC, dep)} (${to})`);
      }
    }
    assert.deepEqual(found, []);
  });

  it('no file below the engine imports the workspace: lower layers take a read-only file view', () => {
    const workspace = path.join(SRC, 'analysis/engine/workspace.ts');
    const found = sources(SRC)
      .filter((f) => BELOW_RULES.includes(unitOf(f, units)!) || unitOf(f, units) === 'analysis/rules')
      .filter((f) => importsOf(f, readFileSync(f, 'utf8')).includes(workspace))
      .map((f) => path.relative(SRC, f));
    assert.deepEqual(found, []);
  });
});
