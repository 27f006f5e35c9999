// For the secrets property tests (issue 13.3): every string the secrets module recognises in the
// rule fixtures and the example, and the fixture cases laid out on disk as projects of one folder.
import { cpSync, mkdirSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';

import { RULES } from '../../server/src/analysis/rules/registry';
import { secretsInText } from '../../server/src/analysis/secrets/index';
import { casesOf, singleFileProject } from './fixtures';
import { EXAMPLE, FIXTURES } from './paths';

function walk(dir: string, out: string[] = []): string[] {
  for (const n of readdirSync(dir)) {
    const p = path.join(dir, n);
    const st = statSync(p);
    if (st.isDirectory()) walk(p, out);
    else if (st.isFile()) out.push(p);
  }
  return out;
}

function secretsOfFile(f: string): readonly string[] {
  if (statSync(f).size > 2 * 1024 * 1024) return [];
  return secretsInText(readFileSync(f, 'utf8'), path.basename(f));
}

/**
 * Every string the secrets module recognises in the fixtures and the example, with the file it
 * is in; less the product's own words (the rule documentation, which SARIF and hovers carry)
 * that a fixture happens to reuse, returned apart.
 */
export function fixtureSecrets(): { secrets: Map<string, string>; ownWords: string[]; ownFrom: string[] } {
  const secrets = new Map<string, string>();
  for (const f of [...walk(path.join(FIXTURES, 'rules')), ...walk(path.dirname(EXAMPLE))]) {
    // the snapshots beside the fixtures are expectations rendered from them, not fixtures
    if (f.endsWith('.snap')) continue;
    for (const s of secretsOfFile(f)) if (!secrets.has(s)) secrets.set(s, path.relative(path.dirname(FIXTURES), f));
  }
  const catalogue = JSON.stringify(RULES.map((r) => [r.title, r.docs]));
  const ownWords = [...secrets.keys()].filter((s) => appears(catalogue, s));
  // (each with the fixture it was found in, for the message of a test that counts them)
  const ownFrom = ownWords.map((s) => `${s} (${secrets.get(s)})`);
  for (const s of ownWords) secrets.delete(s);
  return { secrets, ownWords, ownFrom };
}

/** Whether a secret is in an output: anywhere when long, as a word of its own when short (`3f1c` may be part of a hash). */
export function appears(out: string, secret: string): boolean {
  if (secret.length >= 8) return out.includes(secret) || out.includes(JSON.stringify(secret).slice(1, -1));
  const esc = secret.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  return new RegExp(`(?<![A-Za-z0-9_])${esc}(?![A-Za-z0-9_])`).test(out);
}

/**
 * Lays the rule fixture cases out as projects under `root` (a single-file case in the project it
 * is analysed in, with its `# django:` version in a pyproject.toml), and the example; only the
 * cases holding a recognised secret when `onlyWithSecrets`. Returns how many projects it wrote.
 */
export function layOutFixtures(root: string, onlyWithSecrets = false): number {
  let n = 0;
  for (const rule of RULES) {
    for (const c of casesOf(rule.code)) {
      if (onlyWithSecrets && !(c.isDir ? walk(c.path) : [c.path]).some((f) => secretsOfFile(f).length > 0)) continue;
      const dest = path.join(root, `${rule.code}-${c.name.replace(/[^\w.-]/g, '_')}`);
      if (c.isDir) cpSync(c.path, dest, { recursive: true });
      else {
        const text = readFileSync(c.path, 'utf8');
        for (const [rel, content] of Object.entries(singleFileProject(c, rule.target, text).files)) {
          mkdirSync(path.dirname(path.join(dest, rel)), { recursive: true });
          writeFileSync(path.join(dest, rel), content);
        }
        const version = /#\s*django:\s*(\d+\.\d+)/.exec(text)?.[1];
        if (version) writeFileSync(path.join(dest, 'pyproject.toml'), `[tool.django-deploy-check]\ndjango-version = "${version}"\n`);
      }
      n++;
    }
  }
  cpSync(path.dirname(EXAMPLE), path.join(root, 'examples'), { recursive: true });
  return n + 1;
}
