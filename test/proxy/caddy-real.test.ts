// The Caddyfile reader against Caddy itself (issue 33, item 4): every Caddyfile of the fixtures (the
// reader's own cases in test/fixtures/proxy/caddy/, and every Caddyfile of the rule cases) is read by
// the reader and adapted by Debian's Caddy (`caddy adapt`, which parses the file and builds its JSON
// configuration without serving anything). Both must accept it, or both refuse it. Caddy's messages
// are its own (and an extra `}` reads to it as a site address it cannot serve), so only the verdict
// is compared.
//
// Needs caddy (test/proxy/setup.mjs installs it). Without it the test is skipped, except under
// CI=true, where that is a failure.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import * as path from 'node:path';
import { after, describe, it } from 'node:test';
import { parseCaddyfile } from '../../server/src/analysis/proxy/caddy';
import { isCaddyfile } from '../../server/src/analysis/proxy/model';
import { FIXTURES } from '../helpers/paths';

const CADDY = process.env.DDH_CADDY || '/usr/bin/caddy';
const CI = process.env.CI === 'true';
const missing = existsSync(CADDY) ? undefined : `${CADDY} is missing (node test/proxy/setup.mjs installs it)`;

function caddyfiles(): string[] {
  const out: string[] = [];
  const own = path.join(FIXTURES, 'proxy/caddy');
  for (const n of readdirSync(own).sort()) out.push(path.join(own, n));
  const walk = (dir: string): void => {
    for (const n of readdirSync(dir).sort()) {
      const p = path.join(dir, n);
      if (statSync(p).isDirectory()) walk(p);
      else if (isCaddyfile(n) && !n.endsWith('.snap')) out.push(p);
    }
  };
  walk(path.join(FIXTURES, 'rules'));
  walk(path.join(FIXTURES, 'projects'));
  return out;
}

describe('the Caddyfile reader agrees with caddy adapt', () => {
  const files = caddyfiles();
  const tally = { agreed: 0, accepted: 0, refused: 0 };
  it('has cases both ways', () => {
    assert.ok(files.some((f) => path.basename(f).startsWith('valid')));
    assert.ok(files.some((f) => path.basename(f).startsWith('invalid')));
  });
  for (const file of files) {
    it(path.relative(FIXTURES, file), (t) => {
      if (missing) {
        if (CI) assert.fail(missing);
        return t.skip(missing);
      }
      const r = spawnSync(CADDY, ['adapt', '--config', file, '--adapter', 'caddyfile'], {
        encoding: 'utf8',
        env: { ...process.env, HOME: '/tmp' },
      });
      const real = r.status === 0;
      const ours = parseCaddyfile(file, readFileSync(file, 'utf8')).errors;
      assert.equal(
        ours.length === 0,
        real,
        `the reader says ${JSON.stringify(ours.map((e) => e.message))}, caddy adapt says ${real ? 'ok' : r.stderr.trim().split('\n').pop()}`,
      );
      const name = path.basename(file);
      if (name.startsWith('valid')) assert.equal(real, true, 'a valid-* case caddy refuses');
      if (name.startsWith('invalid')) assert.equal(real, false, 'an invalid-* case caddy accepts');
      tally.agreed++;
      if (real) tally.accepted++;
      else tally.refused++;
    });
  }
  after(() => {
    if (!missing)
      process.stdout.write(
        `# caddy adapt differential: ${files.length} files, ${tally.agreed} agreed (${tally.accepted} accepted, ${tally.refused} refused by both)\n`,
      );
  });
});
