// Regenerates docs/rules.md, the rule table in README.md and the rule settings in package.json from
// the rule catalogue, and docs/hops.md from the hop catalogue (catalogue/hops.ts): `npm run docs`.
// The docs test fails when these files are out of date.
import * as esbuild from 'esbuild';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const tmp = mkdtempSync(join(tmpdir(), 'ddh-docs-'));
const out = join(tmp, 'docs.cjs');
await esbuild.build({
  stdin: {
    contents:
      "export * from './server/src/analysis/outputs/docs'; export { renderHopsMarkdown } from './server/src/analysis/outputs/hopsDocs';",
    resolveDir: root,
    loader: 'ts',
  },
  bundle: true,
  platform: 'node',
  format: 'cjs',
  outfile: out,
  logLevel: 'warning',
});
const docs = createRequire(import.meta.url)(out);
rmSync(tmp, { recursive: true, force: true });

writeFileSync(join(root, 'docs/rules.md'), docs.renderRulesMarkdown());
writeFileSync(join(root, 'docs/hops.md'), docs.renderHopsMarkdown());

const readmePath = join(root, 'README.md');
const readme = readFileSync(readmePath, 'utf8');
const a = readme.indexOf(docs.README_BEGIN);
const b = readme.indexOf(docs.README_END);
if (a < 0 || b < 0) throw new Error('README.md lacks the rules:begin/rules:end markers');
writeFileSync(readmePath, readme.slice(0, a) + docs.renderReadmeTable() + readme.slice(b + docs.README_END.length));

const pkgPath = join(root, 'package.json');
const pkg = JSON.parse(readFileSync(pkgPath, 'utf8'));
Object.assign(pkg.contributes.configuration.properties, docs.settingsSchema());
writeFileSync(pkgPath, JSON.stringify(pkg, null, 2) + '\n');
console.log('docs/rules.md, docs/hops.md, README.md and package.json regenerated');
