// Parity with Django itself (issue 16, item 6). Every fixture of a rule that mirrors a Django check
// (a rule with `django` ids) is also loaded by the real Django — Debian's python3-django, 3.2 — whose
// `check --deploy` runs on the production settings module the product chose, under the product's
// defaults semantics (empty environment, defaults taken, required variables filled; see driver.py).
// The Django ids of the two must be equal, over every id some rule mirrors and every security.* and
// caches.* id (not only the fixture's rule: a fixture is a whole settings module, and Django judges
// all of it).
//
// What Django 3.2 cannot say (checks it does not have: 4_0.E001, security.W025, security.E024,
// mail.E001; semantics that changed after it) is marked per case in the rule's fixture folder, in
// parity.json: { "<case>": { "skip": { "<id>": "why" }, "env": { "NAME": "value" } } }. A skipped id
// is left out on both sides by this test only; the product still reports it. "env" gives a required
// variable a value of the deployment's where the driver's filler would not do; "skipCase": "why"
// leaves out a case Django cannot load at all (a module outside the workspace, a newer backend).
// Disagreements that are not version differences are listed in KNOWN below, each with its reason: the
// test fails on any other disagreement, and on a listed one that changed (fixed: remove its entry).
//
// Needs /usr/bin/python3 with Django 3.2 (test/parity/setup.mjs installs it; DDH_PARITY_PYTHON picks
// another Python). Without it the cases are skipped, except under CI=true, where that is a failure.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { loadParser } from '../../server/src/analysis/parse/treeSitter';
import type { FileSystem } from '../../server/src/analysis/files/fs';
import { RULES } from '../../server/src/analysis/rules/registry';
import type { Finding } from '../../server/src/analysis/rules/types';
import { analyzeCase, casesOf, FIXTURES, loadCase, type FixtureCase } from '../helpers/fixtures';
import { REPO } from '../helpers/paths';

const PYTHON = process.env.DDH_PARITY_PYTHON || '/usr/bin/python3';
const DRIVER = path.join(REPO, 'test/parity/driver.py');
const CI = process.env.CI === 'true';
/** The Django the markers in parity.json are written for. */
const DJANGO_SERIES = '3.2';

/** Every Django id some rule mirrors. */
const MIRRORED = new Set(RULES.flatMap((r) => r.django ?? []));
/**
 * The ids compared: the mirrored ones, and any of Django's security and cache checks (one no rule
 * mirrors is a disagreement too). Django's other ids (admin.E403 for a fixture without TEMPLATES…)
 * are not about deployment.
 */
const isCompared = (id: string): boolean => MIRRORED.has(id) || /^(security|caches)\./.test(id);

/**
 * Known disagreements between the product and Django 3.2 that are not version differences, keyed
 * `<CODE>/<case>`: the ids each side reports (after the case's skips), and why they differ.
 */
const KNOWN: Readonly<
  Record<string, { readonly django: readonly string[]; readonly product: readonly string[]; readonly reason: string }>
> = {
  'DDH201/good-env-empty-default.py': {
    django: ['security.W001', 'security.W002', 'security.W003', 'security.W020'],
    product: ['security.W001', 'security.W002', 'security.W003'],
    reason:
      'under defaults semantics os.environ.get("ALLOWED_HOSTS", "") yields an empty list and Django reports W020; the list fails closed until the deployment sets the variable, which is the form the quick fixes of DDH201/DDH202 write, so DDH201 reports nothing',
  },
};

interface Marker {
  readonly skip?: Readonly<Record<string, string>>;
  /** Why Django cannot judge this case at all (it cannot load the settings), if so. */
  readonly skipCase?: string;
  readonly env?: Readonly<Record<string, string>>;
}

interface DriverResult {
  readonly django?: string;
  readonly ids?: string[];
  readonly messages?: string[];
  readonly standins?: string[];
  readonly error?: string;
}

interface Prepared {
  readonly key: string;
  readonly marker: Marker;
  readonly findings: readonly Finding[];
  /** Why the case cannot be given to Django (no production module), if so. */
  readonly problem?: string;
  result?: DriverResult;
}

function markersOf(code: string): Record<string, Marker> {
  const file = path.join(FIXTURES, 'rules', code, 'parity.json');
  return existsSync(file) ? (JSON.parse(readFileSync(file, 'utf8')) as Record<string, Marker>) : {};
}

/** Writes the files of `fs` under `from` to the folder `to` (a fixture's virtual project included). */
function materialise(fs: FileSystem, from: string, to: string): void {
  mkdirSync(to, { recursive: true });
  for (const e of fs.readDir(from)) {
    const src = path.join(from, e.name);
    if (e.isDirectory) materialise(fs, src, path.join(to, e.name));
    else if (e.isFile) writeFileSync(path.join(to, e.name), fs.readText(src) ?? '');
  }
}

/** Whether the Python has Django DJANGO_SERIES: undefined when it does, else why not. */
function probeDjango(): string | undefined {
  const r = spawnSync(PYTHON, ['-c', 'import django; print(django.get_version())'], { encoding: 'utf8', timeout: 60_000 });
  if (r.error) return `${PYTHON} cannot run (${r.error.message}); run node test/parity/setup.mjs`;
  if (r.status !== 0) return `${PYTHON} has no Django (${r.stderr.trim().split('\n').pop()}); run node test/parity/setup.mjs`;
  const version = r.stdout.trim();
  if (!version.startsWith(`${DJANGO_SERIES}.`))
    return `${PYTHON} has Django ${version}; the parity markers are written for Django ${DJANGO_SERIES}`;
  return undefined;
}

interface DriverCase {
  readonly root: string;
  readonly settings: string;
  readonly env: Readonly<Record<string, string>>;
}

/** Runs driver.py on the cases (one Python process; a fork per case). */
function runDriver(input: readonly DriverCase[]): DriverResult[] {
  const r = spawnSync(PYTHON, [DRIVER], {
    input: JSON.stringify(input),
    encoding: 'utf8',
    // the empty environment of defaults semantics (the driver empties os.environ as well)
    env: { PATH: '/usr/bin:/bin', LANG: 'C.UTF-8', PYTHONDONTWRITEBYTECODE: '1' },
    timeout: 15 * 60_000,
    maxBuffer: 64 * 1024 * 1024,
  });
  assert.equal(r.status, 0, `the driver failed (${r.error?.message ?? r.signal ?? r.status}):\n${r.stderr}`);
  return JSON.parse(r.stdout) as DriverResult[];
}

const sorted = (ids: Iterable<string>): string[] => [...new Set(ids)].sort();

describe(`parity with Django ${DJANGO_SERIES}'s check --deploy`, () => {
  const rules = RULES.filter((r) => (r.django ?? []).length > 0);
  const cases = new Map<string, Prepared>();
  let unavailable: string | undefined;
  let work: string | undefined;

  before(async () => {
    unavailable = probeDjango();
    if (unavailable) return;
    await loadParser();
    work = mkdtempSync(path.join(tmpdir(), 'ddh-parity-'));
    const input: DriverCase[] = [];
    const order: Prepared[] = [];
    for (const rule of rules) {
      const markers = markersOf(rule.code);
      for (const c of casesOf(rule.code)) {
        const key = `${rule.code}/${c.name}`;
        const marker = markers[c.name] ?? {};
        if (marker.skipCase) continue;
        const loaded = loadCase(c, rule.target);
        const { analysis } = analyzeCase(loaded);
        const chosen = analysis.projects.filter((p) => p.project.production);
        if (chosen.length !== 1) {
          cases.set(key, { key, marker, findings: [], problem: `the product chose ${chosen.length} production modules` });
          continue;
        }
        const p = chosen[0]!;
        const folder = path.join(work, rule.code, c.name);
        materialise(loaded.fs, loaded.root, folder);
        const prepared: Prepared = { key, marker, findings: p.findings };
        cases.set(key, prepared);
        order.push(prepared);
        input.push({
          root: path.join(folder, path.relative(loaded.root, p.project.root)),
          settings: p.project.production!.module.name,
          env: { ...marker.env },
        });
      }
    }
    const results = runDriver(input);
    assert.equal(results.length, order.length);
    order.forEach((p, i) => (p.result = results[i]));
  });

  after(() => {
    if (work) rmSync(work, { recursive: true, force: true });
  });

  it(`has Django ${DJANGO_SERIES} to compare with`, (t) => {
    if (unavailable && !CI) return t.skip(unavailable);
    assert.equal(unavailable, undefined, `${unavailable} (under CI=true the parity test is never skipped)`);
  });

  it('the driver takes defaults, fills required variables and stands in for third-party apps', (t) => {
    if (unavailable && !CI) return t.skip(unavailable);
    assert.equal(unavailable, undefined, unavailable);
    const dir = path.join(work!, 'driver-self-test');
    mkdirSync(path.join(dir, 'mysite'), { recursive: true });
    writeFileSync(path.join(dir, 'mysite/__init__.py'), '');
    writeFileSync(
      path.join(dir, 'mysite/settings.py'),
      [
        'import os',
        'SECRET_KEY = os.environ["DJANGO_SECRET_KEY"]  # required: filled with a strong value, no W009',
        'DEBUG = os.environ.get("DJANGO_DEBUG", "1") == "1"  # the default: W018',
        'ALLOWED_HOSTS = os.environ["HOSTS"].split(",") if "HOSTS" in os.environ else []  # not set: W020',
        'SECURE_SSL_REDIRECT = os.getenv("SSL_REDIRECT") == "yes"  # required, the case gives "yes": no W008',
        'SECURE_HSTS_SECONDS = int(os.getenv("HSTS_SECONDS", "0"))  # the default: W004',
        'SESSION_COOKIE_SECURE = True',
        'CSRF_COOKIE_SECURE = True',
        'INSTALLED_APPS = ["django.contrib.sessions", "corsheaders", "thirdparty.apps.ThirdPartyConfig"]',
        'MIDDLEWARE = [',
        '    "django.middleware.security.SecurityMiddleware",',
        '    "django.contrib.sessions.middleware.SessionMiddleware",',
        '    "django.middleware.csrf.CsrfViewMiddleware",',
        '    "django.middleware.clickjacking.XFrameOptionsMiddleware",',
        ']',
        'print("what the settings print stays out of the results")',
        '',
      ].join('\n'),
    );
    const [r] = runDriver([{ root: dir, settings: 'mysite.settings', env: { SSL_REDIRECT: 'yes' } }]);
    assert.equal(r?.error, undefined, r?.error);
    assert.deepEqual(r?.ids, ['security.W004', 'security.W018', 'security.W020']);
    // django-cors-headers is a stand-in unless Debian's python3-django-cors-headers is installed (the
    // library tests install it)
    const corsInstalled = spawnSync('/usr/bin/python3', ['-c', 'import corsheaders'], { encoding: 'utf8' }).status === 0;
    assert.deepEqual(r?.standins, corsInstalled ? ['thirdparty'] : ['corsheaders', 'thirdparty']);
    assert.match(r?.django ?? '', new RegExp(`^${DJANGO_SERIES.replace('.', '\\.')}\\.`));
  });

  // also for rules without Django ids yet: markers written ahead of a rule's Django id stay checked
  it('every parity.json marks existing cases, with a reason for every skip', () => {
    for (const rule of RULES) {
      const names = new Set(casesOf(rule.code).map((c) => c.name));
      for (const [name, m] of Object.entries(markersOf(rule.code))) {
        assert.ok(names.has(name), `parity.json of ${rule.code} names ${name}, which is not one of its cases`);
        if (m.skipCase !== undefined) assert.ok(m.skipCase.length > 20, `${rule.code}/${name}: say why the case is skipped`);
        for (const [id, why] of Object.entries(m.skip ?? {})) {
          assert.ok(MIRRORED.has(id), `${rule.code}/${name} skips ${id}, which no rule mirrors`);
          assert.ok(why.length > 20, `${rule.code}/${name} skips ${id}: say why`);
        }
        for (const [k, v] of Object.entries(m.env ?? {}))
          assert.equal(typeof v, 'string', `${rule.code}/${name}: env ${k} must be a string`);
      }
    }
  });

  it('lists every known disagreement for a fixture that exists, with a reason', () => {
    for (const [key, k] of Object.entries(KNOWN)) {
      const [code, name] = key.split('/');
      assert.ok(
        casesOf(code!).some((c: FixtureCase) => c.name === name),
        `KNOWN names ${key}, which is not a fixture of a rule with Django ids`,
      );
      assert.ok(k.reason.length > 20, `KNOWN ${key}: give the reason`);
    }
  });

  for (const rule of rules) {
    const markers = markersOf(rule.code);
    const names = new Set(casesOf(rule.code).map((c) => c.name));
    describe(`${rule.code} ${rule.name}`, () => {
      for (const name of names) {
        const key = `${rule.code}/${name}`;
        it(name, (t) => {
          const skipCase = markers[name]?.skipCase;
          if (skipCase) return t.skip(skipCase);
          if (unavailable && !CI) return t.skip(unavailable);
          assert.equal(unavailable, undefined, unavailable);
          const p = cases.get(key);
          assert.ok(p, `${key} was not prepared`);
          assert.equal(p.problem, undefined, `${key}: ${p.problem}`);
          const result = p.result!;
          assert.equal(result.error, undefined, `Django could not load ${key}:\n${result.error}`);
          const skip = p.marker.skip ?? {};
          const compared = (ids: Iterable<string>): string[] => sorted([...ids].filter((id) => isCompared(id) && !(id in skip)));
          const django = compared(result.ids ?? []);
          const product = compared(p.findings.flatMap((f) => (f.django ? [f.django] : [])));
          // a skip neither side needs any more is stale: it would hide a future disagreement
          const reported = new Set([...(result.ids ?? []), ...p.findings.flatMap((f) => (f.django ? [f.django] : []))]);
          for (const id of Object.keys(skip))
            assert.ok(reported.has(id), `${key}: parity.json skips ${id}, which neither Django nor the product reports: remove the skip`);
          if (result.standins?.length) t.diagnostic(`stand-in packages for ${result.standins.join(', ')}`);
          const known = KNOWN[key];
          const detail = () =>
            `\n  Django ${result.django}: ${JSON.stringify(django)}\n    ${(result.messages ?? []).filter((m) => django.includes(m.split(':')[0]!)).join('\n    ')}` +
            `\n  product: ${JSON.stringify(product)}\n    ${p.findings
              .filter((f) => f.django && product.includes(f.django))
              .map((f) => `${f.code} ${f.django}: ${f.message}`)
              .join('\n    ')}`;
          if (known) {
            assert.deepEqual(
              { django, product },
              { django: sorted(known.django), product: sorted(known.product) },
              `${key} is a known disagreement (${known.reason}) whose ids changed; if it is fixed, remove it from KNOWN.${detail()}`,
            );
            return;
          }
          assert.deepEqual(product, django, `${key}: the product's Django ids differ from Django's.${detail()}`);
        });
      }
    });
  }
});
