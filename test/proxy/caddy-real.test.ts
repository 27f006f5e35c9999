// The Caddyfile reader against Caddy itself (issue 33, item 4): every Caddyfile of the fixtures (the
// reader's own cases in test/fixtures/proxy/caddy/, and every Caddyfile of the rule cases) is read by
// the reader and adapted by Debian's Caddy (`caddy adapt`, which parses the file and builds its JSON
// configuration without serving anything). Both must accept it, or both refuse it. Caddy's messages
// are its own (and an extra `}` reads to it as a site address it cannot serve), so only the verdict
// is compared.
//
// Caddy replaces `{$VAR}` and `{$VAR:default}` with its environment when it reads the file: a
// Caddyfile whose placeholders have no default is adapted with them set (as its deployment must),
// and the site addresses the model reads through them (readers/proxy/caddy.ts caddyAddresses, given the same
// environment) are compared with the hosts and ports of Caddy's JSON, with the placeholders set and
// with only those without a default set.
//
// Needs caddy (test/proxy/setup.mjs installs it). Without it the test is skipped, except under
// CI=true, where that is a failure.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { after, describe, it } from 'node:test';
import { caddyAddresses, parseCaddyfile } from '../../server/src/analysis/readers/proxy/caddy';
import { isCaddyfile, templateAsCaddy } from '../../server/src/analysis/readers/proxy/configs';
import { isProxyTemplate } from '../../server/src/analysis/files/scan';
import { templateAsText } from '../../server/src/analysis/readers/jinja';
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

/** The environment variables a Caddyfile's `{$VAR}` placeholders name, with whether each has a default. */
function placeholders(text: string): Map<string, boolean> {
  const out = new Map<string, boolean>();
  for (const m of text.matchAll(/\{\$([A-Za-z_][A-Za-z0-9_]*)(:[^}]*)?\}/g))
    out.set(m[1]!, (out.get(m[1]!) ?? false) || m[2] !== undefined);
  return out;
}

/** An environment for the placeholders: those without a default set (all of them with `all`). */
function placeholderEnv(text: string, all: boolean): Map<string, string> {
  const env = new Map<string, string>();
  for (const [name, hasDefault] of placeholders(text))
    if (all || !hasDefault)
      // (a placeholder written as a port, `:{$PORT}`, holds a number; any other a host name)
      env.set(name, text.includes(`:{$${name}`) ? '8080' : `${name.toLowerCase().replace(/_/g, '-')}.example`);
  return env;
}

function adapt(file: string, env: ReadonlyMap<string, string>): ReturnType<typeof spawnSync> & { stdout: string; stderr: string } {
  const clean = Object.fromEntries(Object.entries(process.env).filter(([k]) => !placeholders(readFileSync(file, 'utf8')).has(k)));
  return spawnSync(CADDY, ['adapt', '--config', file, '--adapter', 'caddyfile'], {
    encoding: 'utf8',
    env: { ...clean, ...Object.fromEntries(env), HOME: '/tmp' },
  });
}

const rendered = mkdtempSync(path.join(tmpdir(), 'caddy-real-'));
after(() => rmSync(rendered, { recursive: true, force: true }));

/**
 * A template's text with each `{{ … }}` filled in, written to a file of its own: an e-mail address
 * after `tls` (Caddy checks its shape), a word of letters elsewhere (a host name, a path).
 */
function renderedCopy(text: string): string {
  const out = path.join(rendered, `Caddyfile-${readdirSync(rendered).length}`);
  writeFileSync(
    out,
    templateAsText(text.replace(/(\btls[ \t]+)\{\{[^{}\n]*\}\}/g, '$1admin@example.org'), (n) => 'a'.repeat(n)),
  );
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
      // (a template — an Ansible role's Caddyfile.j2 — as Caddy gets it once rendered: each `{{ … }}`
      // a word of its length; the reader reads the template itself, as the analysis does)
      const text = readFileSync(file, 'utf8');
      const template = isProxyTemplate(path.basename(file));
      // a Caddy v1 Caddyfile (its `proxy` directive; Caddy 2 calls it reverse_proxy): caddy adapt reads
      // Caddy 2 only, so the reader is held to reading it without errors
      if (/^[ \t]*proxy[ \t]/m.test(text)) {
        assert.deepEqual(
          parseCaddyfile(file, text).errors.map((e) => e.message),
          [],
        );
        return;
      }
      const rendered = template ? renderedCopy(text) : file;
      const r = adapt(rendered, placeholderEnv(text, false));
      const real = r.status === 0;
      const ours = parseCaddyfile(file, template ? templateAsCaddy(text) : text).errors;
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

/** The ports and hosts a site address listens on and matches, as Caddy reads it. */
function served(address: string): { port: number; host?: string } {
  let rest = address;
  let port = 443;
  if (rest.startsWith('http://')) {
    rest = rest.slice(7);
    port = 80;
  } else if (rest.startsWith('https://')) rest = rest.slice(8);
  rest = rest.split('/')[0]!;
  const colon = rest.lastIndexOf(':');
  if (colon >= 0) {
    port = Number(rest.slice(colon + 1));
    rest = rest.slice(0, colon);
  }
  return rest === '' ? { port } : { port, host: rest };
}

describe('the site addresses read through {$VAR} placeholders agree with caddy adapt', () => {
  const files = caddyfiles().filter((f) => placeholders(readFileSync(f, 'utf8')).size > 0);
  it('has cases', () => assert.ok(files.length > 0));
  for (const file of files)
    for (const all of [false, true])
      it(`${path.relative(FIXTURES, file)} (${all ? 'every placeholder set' : 'only those without a default set'})`, (t) => {
        if (missing) {
          if (CI) assert.fail(missing);
          return t.skip(missing);
        }
        const text = readFileSync(file, 'utf8');
        const env = placeholderEnv(text, all);
        const r = adapt(file, env);
        assert.equal(r.status, 0, r.stderr);
        const json = JSON.parse(r.stdout) as {
          apps?: { http?: { servers?: Record<string, { listen: string[]; routes?: { match?: { host?: string[] }[] }[] }> } };
        };
        const servers = Object.values(json.apps?.http?.servers ?? {});
        const realPorts = new Set(servers.flatMap((s) => s.listen.map((l) => Number(l.slice(l.lastIndexOf(':') + 1)))));
        const realHosts = new Set(servers.flatMap((s) => (s.routes ?? []).flatMap((x) => (x.match ?? []).flatMap((m) => m.host ?? []))));
        const ours = parseCaddyfile(file, text).sites.flatMap((site) =>
          site.addresses.flatMap((a) => {
            const got = caddyAddresses(a.text, env);
            assert.equal(got.state, 'known', `${a.text} with ${JSON.stringify(Object.fromEntries(env))}`);
            return got.state === 'known' ? got.addresses.map(served) : [];
          }),
        );
        assert.deepEqual(new Set(ours.map((x) => x.port)), realPorts);
        assert.deepEqual(new Set(ours.flatMap((x) => x.host ?? [])), realHosts);
      });
});
