// Generated files must match the rule catalogue (run `npm run docs` to regenerate them).
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { describe, it } from 'node:test';
import { README_BEGIN, README_END, renderReadmeTable, renderRulesMarkdown, settingsSchema } from '../../server/src/analysis/outputs/docs';
import { renderHopsMarkdown } from '../../server/src/analysis/outputs/hopsDocs';
import { RULES } from '../../server/src/analysis/rules/registry';

import { REPO as root } from '../helpers/paths';
const read = (p: string): string => readFileSync(path.join(root, p), 'utf8');

describe('generated documentation', () => {
  it('docs/rules.md matches the catalogue', () => {
    assert.equal(read('docs/rules.md'), renderRulesMarkdown(), 'docs/rules.md is out of date: run `npm run docs`');
  });

  it('docs/hops.md matches the hop catalogue', () => {
    assert.equal(read('docs/hops.md'), renderHopsMarkdown(), 'docs/hops.md is out of date: run `npm run docs`');
  });

  it('the README rule table matches the catalogue', () => {
    const readme = read('README.md');
    const table = readme.slice(readme.indexOf(README_BEGIN), readme.indexOf(README_END) + README_END.length);
    assert.equal(table, renderReadmeTable(), 'README.md rule table is out of date: run `npm run docs`');
  });

  it('the settings schema in package.json matches the catalogue', () => {
    const pkg = JSON.parse(read('package.json'));
    const props = pkg.contributes.configuration.properties;
    for (const [key, value] of Object.entries(settingsSchema()))
      assert.deepEqual(props[key], value, `${key} in package.json is out of date: run \`npm run docs\``);
  });

  it('every rule is documented in full', () => {
    const codes = new Set<string>();
    const names = new Set<string>();
    for (const r of RULES) {
      assert.match(
        r.code,
        /^DD[HGMX]\d{3}$/,
        `${r.code}: codes are DDHnnn (settings), DDGnnn (app server), DDMnnn (migrations) or DDXnnn (reverse proxy)`,
      );
      assert.ok(!codes.has(r.code), `duplicate code ${r.code}`);
      assert.ok(!names.has(r.name), `duplicate name ${r.name}`);
      codes.add(r.code);
      names.add(r.name);
      assert.match(r.name, /^[a-z0-9]+(-[a-z0-9]+)*$/, `${r.code}: name must be kebab-case`);
      for (const key of ['what', 'why', 'example', 'fix'] as const)
        assert.ok(r.docs[key].trim().length > 10, `${r.code}: docs.${key} is empty`);
      assert.ok(r.docs.references.length > 0, `${r.code}: needs at least one reference`);
      for (const id of r.django ?? [])
        assert.match(id, /^(security|caches|4_0|async|mail)\.[EW]\d{3}$/, `${r.code}: Django check id ${id}`);
    }
  });
});
