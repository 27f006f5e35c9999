// The library catalogue and the evaluator against the real libraries (issue 56): seeded generated
// cases run by the versions Debian 12 packages (test/libdiff/driver.py under Debian's python3;
// test/libdiff/setup.mjs installs them) and compared with what the catalogue says they do:
//   - WhiteNoise 6.0: the Cache-Control and Access-Control-Allow-Origin of a static file without a
//     hash in its name, and the settings that follow DEBUG (catalogue/libraries/whitenoise.ts);
//   - django-cors-headers 3.14: the CORS headers of a response and of a preflight, by path
//     (CORS_URLS_REGEX), origin, allow-all (and its pre-3.5 name), the allow-list, its regexes,
//     credentials (their default off) and CORS_ALLOW_METHODS (its default, and the methods a
//     preflight is answered with) (corsHeaders.ts);
//   - django-csp 3.7: the header without CSP_* settings (default-src 'self') and CSP_REPORT_ONLY's
//     default (djangoCsp.ts);
//   - pydantic 1.10's BaseSettings: generated settings classes (fields of bool, int, float, str, list
//     and Optional types, defaults, Field(env=…), env_prefix, case_sensitive) under generated
//     environments; every field the evaluator knows (eval/library/pydantic.ts) must equal the
//     instance's value, and a field pydantic rejects must not be known. Variable names are written
//     as declared, upper- or lower-cased (the evaluator's lookup does not list the environment, so
//     mixed-case spellings pydantic 1.x also matches are not generated).
//   - dynaconf 3.1.7: generated settings modules ending with `settings = dynaconf.DjangoDynaconf(__name__)`
//     under generated environments (DJANGO_<NAME> and DYNACONF_<NAME> variables of bool, int, str and
//     list values in its TOML syntax, for names the module sets or not); the value Django ends up
//     with against the evaluator's answer for each setting (models/settings/query.ts): a known value
//     must be the real one, one "as written unless overridden" must be when none of the variables
//     it names is set, and a setting the analysis says is never set must not be set;
//   - django-axes 5.39.0: AXES_HANDLER as the real axes.conf leaves it under generated settings
//     (axes.ts's default), and that the handlers axes.ts calls cache handlers keep a cache and the
//     default does not;
//   - django-storages 1.13.2 (with Debian's boto3 backends): every dotted path storages.ts names
//     imports, or is listed below as absent from Debian's version (storages.backends.s3 is 1.14's,
//     the Google Cloud and Azure backends are not packaged); the "hashed" ones have ManifestFilesMixin
//     in their MRO and the "plain" ones do not.
//   - Django 3.2's logging over Python 3.11's dictConfig: generated LOGGING dicts (loggers for django,
//     django.request, the root and others, handlers that mail or not, levels, propagate, filters,
//     disable_existing_loggers, LOGGING_CONFIG None), configured as django.setup() does in a fresh
//     process, then the error Django logs for a 500: whether ADMINS gets a mail, against
//     models/settings/errorMail.ts (catalogue/djangoLogging.ts's facts).
// LIBDIFF_ITERATIONS (default 200) cases of each kind (a quarter as many dynaconf modules, 20 axes settings) from LIBDIFF_SEED (default 1). Without the
// Python and packages the test is skipped, except under CI=true.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as path from 'node:path';
import { before, describe, it } from 'node:test';
import {
  AXES,
  CORS_BEHAVIOUR,
  CORS_HEADERS,
  CORS_RENAMED_SETTINGS,
  DJANGO_CSP,
  DJANGO_CSP_FACTS,
  DYNACONF_DJANGO,
  productionDefault,
  SETTINGS_CLASS,
  STORAGES_LIB,
  WHITENOISE,
  WHITENOISE_STATIC,
} from '../../server/src/analysis/catalogue/libraries';
import type { LibrarySetting } from '../../server/src/analysis/catalogue/libraries/types';
import { Workspace } from '../../server/src/analysis/engine/workspace';
import { anchorOf } from '../../server/src/analysis/engine/production';
import { Evaluator } from '../../server/src/analysis/eval/evaluator';
import { MemoryFileSystem } from '../../server/src/analysis/files/fs';
import { Settings } from '../../server/src/analysis/models/settings/settings';
import { errorMail } from '../../server/src/analysis/models/settings/errorMail';
import { loadParser } from '../../server/src/analysis/parse/treeSitter';
import { pick, rng } from '../helpers/random';
import { REPO } from '../helpers/paths';
import { js, ROOT, SKELETON } from '../unit/evalHarness';

const PYTHON = process.env.DDH_LIBDIFF_PYTHON || '/usr/bin/python3';
const DRIVER = path.join(REPO, 'test/libdiff/driver.py');
const CI = process.env.CI === 'true';
const ITERATIONS = Number(process.env.LIBDIFF_ITERATIONS ?? 200);
const SEED = Number(process.env.LIBDIFF_SEED ?? 1);

type Json = null | boolean | number | string | Json[] | { [k: string]: Json };
type Case = Record<string, Json>;

function probe(): string | undefined {
  const r = spawnSync(
    PYTHON,
    [
      '-c',
      'import django, whitenoise, corsheaders, csp, pydantic, dynaconf, axes, storages, boto3; assert pydantic.VERSION.startswith("1.")',
    ],
    {
      encoding: 'utf8',
      timeout: 60_000,
    },
  );
  if (r.error) return `${PYTHON} cannot run (${r.error.message}); run node test/libdiff/setup.mjs`;
  if (r.status !== 0) return `${PYTHON} lacks a library (${r.stderr.trim().split('\n').pop()}); run node test/libdiff/setup.mjs`;
  return undefined;
}

/** The real libraries' answers to the cases, in order. */
function runDriver(cases: readonly Case[]): Record<string, Json>[] {
  const r = spawnSync(PYTHON, [DRIVER], { input: JSON.stringify(cases), encoding: 'utf8', timeout: 300_000, maxBuffer: 64 << 20 });
  assert.equal(r.status, 0, `driver failed: ${r.error?.message ?? r.stderr}`);
  const out = JSON.parse(r.stdout) as Record<string, Json>[];
  assert.equal(out.length, cases.length);
  out.forEach((o, i) => assert.equal(o.error, undefined, `case ${i} ${JSON.stringify(cases[i])}: ${o.error}`));
  return out;
}

/** A setting's value in generated settings, or its default (the first of its names that is set). */
function read(settings: Record<string, Json>, s: LibrarySetting, debug: boolean): Json {
  for (const n of [s.name, ...(s.fallbacks ?? [])]) if (n in settings) return settings[n]!;
  if ('value' in s.default) return s.default.value as Json;
  return debug ? null : (s.default.whenDebugOff as Json);
}

let unavailable: string | undefined;
before(async () => {
  unavailable = probe();
  await loadParser();
});

function skipOrFail(t: { skip: (m: string) => void }): boolean {
  if (!unavailable) return false;
  if (!CI) {
    t.skip(unavailable);
    return true;
  }
  assert.fail(`${unavailable} (under CI=true the differential test against the libraries is never skipped)`);
}

describe('the library catalogue against the real libraries', () => {
  it('WhiteNoise: headers of a static file without a hashed name, and the settings that follow DEBUG', (t) => {
    if (skipOrFail(t)) return;
    const r = rng(SEED);
    const S = WHITENOISE.settings;
    const cases: Case[] = [];
    for (let i = 0; i < ITERATIONS; i++) {
      const settings: Record<string, Json> = { DEBUG: r() < 0.5 };
      const maxAge = pick(r, [undefined, 0, 60, 120, 3600]);
      if (maxAge !== undefined) settings[S.maxAge.name] = maxAge;
      const allowAll = pick(r, [undefined, true, false]);
      if (allowAll !== undefined) settings[S.allowAllOrigins.name] = allowAll;
      for (const s of [S.autorefresh, S.useFinders]) if (r() < 0.2) settings[s.name] = r() < 0.5;
      cases.push({ lib: 'whitenoise', settings });
    }
    // the defaults the catalogue states, as one case: DEBUG off, nothing set
    cases.push({ lib: 'whitenoise', settings: { DEBUG: false } });
    const out = runDriver(cases);
    let compared = 0;
    cases.forEach((c, i) => {
      const settings = c.settings as Record<string, Json>;
      const debug = settings.DEBUG === true;
      const got = out[i]!;
      const where = JSON.stringify(settings);
      assert.equal(got.status, 200, where);
      const maxAge = read(settings, S.maxAge, debug);
      if (maxAge !== null) {
        assert.equal(got.cacheControl, `max-age=${maxAge}, public`, where);
        compared++;
      }
      assert.equal(got.allowOrigin, read(settings, S.allowAllOrigins, debug) ? '*' : null, where);
      // a setting that follows DEBUG is DEBUG when not set
      for (const [s, key] of [
        [S.autorefresh, 'autorefresh'],
        [S.useFinders, 'useFinders'],
      ] as const)
        assert.equal(got[key], s.name in settings ? settings[s.name] : debug, `${s.name}: ${where}`);
    });
    const last = out[out.length - 1]!;
    assert.equal(last.cacheControl, `max-age=${productionDefault(S.maxAge)}, public`);
    assert.equal(WHITENOISE_STATIC.maxAge.value, productionDefault(S.maxAge));
    assert.equal(last.allowOrigin, WHITENOISE_STATIC.allowAllOrigins.value ? '*' : null);
    assert.ok(compared > ITERATIONS / 4);
  });

  it('django-cors-headers: which paths and origins get CORS headers, and which', (t) => {
    if (skipOrFail(t)) return;
    const r = rng(SEED + 1);
    const S = CORS_HEADERS.settings;
    const origins = ['https://a.example.com', 'https://b.example.com', 'http://a.example.com', 'https://evil.test', 'null'];
    const cases: Case[] = [];
    for (let i = 0; i < ITERATIONS; i++) {
      const settings: Record<string, Json> = {};
      const name = (s: LibrarySetting): string => (r() < 0.3 && s.fallbacks?.length ? s.fallbacks[0]! : s.name);
      if (r() < 0.5) settings[name(S.allowAllOrigins)] = r() < 0.7;
      if (r() < 0.6) settings[name(S.allowedOrigins)] = origins.filter(() => r() < 0.3);
      if (r() < 0.3) settings[name(S.allowedOriginRegexes)] = [pick(r, ['^https://\\w+\\.example\\.com$', '^http://.*$'])];
      if (r() < 0.6) settings[S.allowCredentials.name] = r() < 0.5;
      if (r() < 0.5) settings[S.urlsRegex.name] = pick(r, ['^/api/.*$', '^/(api|public)/', '^.*$']);
      if (r() < 0.4)
        settings[S.allowMethods.name] = pick(r, [
          ['GET', 'HEAD', 'OPTIONS'],
          ['GET', 'OPTIONS'],
          ['GET', 'POST', 'OPTIONS'],
        ]);
      cases.push({
        lib: 'corsheaders',
        settings,
        path: pick(r, ['/api/items/', '/public/x', '/accounts/login/', '/']),
        origin: pick(r, [...origins, null]),
        preflight: r() < 0.4 ? pick(r, ['GET', 'POST', 'DELETE']) : null,
      });
    }
    // the defaults the catalogue states (credentials off, every method of default_methods): allow-all
    // alone, a preflight from another origin
    cases.push({
      lib: 'corsheaders',
      settings: { [S.allowAllOrigins.name]: true },
      path: '/',
      origin: 'https://evil.test',
      preflight: 'POST',
    });
    const out = runDriver(cases);
    let answered = 0;
    let preflights = 0;
    cases.forEach((c, i) => {
      const settings = c.settings as Record<string, Json>;
      const origin = c.origin as string | null;
      const where = JSON.stringify(c);
      const allowAll = read(settings, S.allowAllOrigins, false) === true;
      const listed = read(settings, S.allowedOrigins, false) as string[];
      const regexes = read(settings, S.allowedOriginRegexes, false) as string[];
      const credentials = read(settings, S.allowCredentials, false) === true;
      // CORS_URLS_REGEX is applied with re.match: anchored at the start (catalogue: onlyMatchingPaths)
      const urls = read(settings, S.urlsRegex, false) as string;
      const pathMatches =
        !CORS_BEHAVIOUR.onlyMatchingPaths.value || new RegExp(urls.startsWith('^') ? urls : `^(?:${urls})`).test(c.path as string);
      // "null" only when listed itself (nullOriginListed); regexes with re.match
      const allowed =
        allowAll ||
        (origin === CORS_BEHAVIOUR.nullOriginListed.value
          ? listed.includes(origin)
          : origin !== null && (listed.includes(origin) || regexes.some((x) => new RegExp(x).test(origin))));
      const got = out[i]!;
      const preflight = c.preflight as string | null;
      if (origin === null || !pathMatches || !allowed) {
        assert.equal(got.allowOrigin, null, where);
        assert.equal(got.allowMethods, null, where);
        return;
      }
      answered++;
      const wildcard = CORS_BEHAVIOUR.allowAllIsWildcardWithoutCredentials.value && allowAll && !credentials;
      assert.equal(got.allowOrigin, wildcard ? '*' : origin, where);
      assert.equal(got.allowCredentials, credentials ? 'true' : null, where);
      // a preflight on a path CORS applies to is answered (200) with CORS_ALLOW_METHODS, whatever the
      // method asked: the browser, not the middleware, holds the request to them (preflightAllowsMethods)
      if (preflight) {
        preflights++;
        assert.equal(got.status, 200, where);
        const methods = read(settings, S.allowMethods, false) as string[];
        assert.equal(got.allowMethods, CORS_BEHAVIOUR.preflightAllowsMethods.value ? methods.join(', ') : null, where);
      } else assert.equal(got.allowMethods, null, where);
    });
    assert.ok(answered > ITERATIONS / 10, `only ${answered} cases answered with CORS headers`);
    assert.ok(preflights > ITERATIONS / 20, `only ${preflights} preflights answered`);
    // the defaults, as the last case: no credentials (a wildcard) and default_methods
    const last = out[out.length - 1]!;
    assert.equal(last.allowOrigin, '*');
    assert.equal(last.allowCredentials, productionDefault(S.allowCredentials) ? 'true' : null);
    assert.equal(last.allowMethods, (productionDefault(S.allowMethods) as readonly string[]).join(', '));
  });

  it('django-cors-headers: the pre-3.5 names, an allow-list written as one string, a host without a scheme', (t) => {
    if (skipOrFail(t)) return;
    const S = CORS_HEADERS.settings;
    // the 3.5.0 renaming the changelog states is the settings' fallbacks
    const fallbacks = new Map(Object.values(S).flatMap((s: LibrarySetting) => (s.fallbacks ? [[s.fallbacks[0]!, s.name] as const] : [])));
    assert.deepEqual(new Map(CORS_RENAMED_SETTINGS.value), fallbacks);
    const [whitelist] = S.allowedOrigins.fallbacks;
    const dev = 'http://localhost:8080';
    const cases: Case[] = [
      // `("localhost:8080")`: parentheses without a comma, a string
      { lib: 'corsheaders', settings: { [whitelist]: 'localhost:8080' }, path: '/', origin: dev, preflight: null, checks: true },
      { lib: 'corsheaders', settings: { [whitelist]: ['localhost:8080'] }, path: '/', origin: dev, preflight: null, checks: true },
      // the old name read when the new one is not set
      { lib: 'corsheaders', settings: { [whitelist]: [dev] }, path: '/', origin: dev, preflight: null, checks: true },
    ];
    const [asString, noScheme, listed] = runDriver(cases);
    // each character an origin: no origin allowed, one E013 a character (stringAllowList)
    assert.equal(asString!.allowOrigin, null);
    assert.deepEqual(asString!.checks, Array('localhost:8080'.length).fill(CORS_BEHAVIOUR.stringAllowList.value));
    // scheme and host compared (allowListMatchesSchemeAndHost): a host alone matches nothing, and is rejected
    assert.equal(noScheme!.allowOrigin === null, CORS_BEHAVIOUR.allowListMatchesSchemeAndHost.value);
    assert.deepEqual(noScheme!.checks, [CORS_BEHAVIOUR.entryWithoutScheme.value]);
    assert.equal(listed!.allowOrigin, dev);
    assert.deepEqual(listed!.checks, []);
  });

  it("django-csp 3.x: default-src 'self' without CSP_DEFAULT_SRC; CSP_REPORT_ONLY off by default", (t) => {
    if (skipOrFail(t)) return;
    const cases: Case[] = [
      { lib: 'csp', settings: {} },
      { lib: 'csp', settings: { [DJANGO_CSP.settings.legacyReportOnly.name]: true } },
      { lib: 'csp', settings: { CSP_SCRIPT_SRC: ["'self'", "'unsafe-eval'"] } },
    ];
    const [none, reportOnly, script] = runDriver(cases);
    const defaultSrc = `default-src ${DJANGO_CSP_FACTS.legacyDefaultSrc.value.join(' ')}`;
    assert.equal(
      none!.header,
      DJANGO_CSP.settings.legacyReportOnly.default.value ? 'Content-Security-Policy-Report-Only' : 'Content-Security-Policy',
    );
    assert.equal(none!.value, defaultSrc);
    assert.equal(reportOnly!.header, 'Content-Security-Policy-Report-Only');
    // (django-csp 3 joins the directives in no fixed order)
    const directives = (v: Json): string[] => (v as string).split('; ').sort();
    assert.deepEqual(directives(script!.value), [defaultSrc, "script-src 'self' 'unsafe-eval'"].sort());
  });
});

/** A generated pydantic 1.x settings class and an environment for it. */
function pydanticCase(r: () => number): {
  source: string;
  env: Record<string, string>;
  fields: string[];
  /** The field each variable is read for. */
  vars: Map<string, string>;
} {
  const prefix = pick(r, ['', '', 'APP_', 'dj_']);
  const caseSensitive = r() < 0.3;
  const bools = [...SETTINGS_CLASS.booleans.value.true, ...SETTINGS_CLASS.booleans.value.false, 'TRUE', 'No', 'On', 'maybe', '', '2'];
  const lines = ['from typing import List, Optional', 'from pydantic import BaseSettings, Field', 'class Settings(BaseSettings):'];
  const env: Record<string, string> = {};
  const fields: string[] = [];
  const vars = new Map<string, string>();
  const n = 1 + Math.floor(r() * 5);
  for (let i = 0; i < n; i++) {
    const name = pick(r, ['DEBUG', 'debug', 'SECRET_KEY', 'workers', 'RATE', 'HOSTS', 'Sentry_Dsn', 'USE_TLS']) + (i ? `_${i}` : '');
    const type = pick(r, ['bool', 'int', 'float', 'str', 'List[str]', 'Optional[str]', 'Optional[bool]']);
    const defaults: Record<string, string[]> = {
      bool: ['True', 'False'],
      int: ['0', '8000'],
      float: ['0.5', '2.0'],
      str: ['""', '"django-insecure-x"'],
      'List[str]': ['["example.com"]', '[]'],
      'Optional[str]': ['None', '"x"'],
      'Optional[bool]': ['None', 'True'],
    };
    const alias = r() < 0.2 ? pick(r, ['DATABASE_URL', 'Other_Name', 'port']) + (i ? `_${i}` : '') : undefined;
    const hasDefault = r() < 0.75;
    const def = hasDefault ? pick(r, defaults[type]!) : undefined;
    let rhs = '';
    if (alias) rhs = ` = Field(${def ?? '...'}, env=${JSON.stringify(alias)})`;
    else if (def !== undefined) rhs = ` = ${def}`;
    lines.push(`    ${name}: ${type}${rhs}`);
    fields.push(name);
    // the environment: the variable set (or not), spelled as declared, upper- or lower-case
    if (r() < 0.6) {
      const declared = alias ?? prefix + name;
      const spelled = caseSensitive ? declared : pick(r, [declared, declared.toUpperCase(), declared.toLowerCase()]);
      const values: Record<string, string[]> = {
        bool: bools,
        int: ['4', ' 12 ', '-1', 'x', '1.5'],
        float: ['0.25', '3', 'nan?', '1e3'],
        str: ['secret', '', 'with spaces'],
        'List[str]': ['["a.example.com"]', '[]', 'a.example.com', '["x", "y"]'],
        'Optional[str]': ['secret', ''],
        'Optional[bool]': bools,
      };
      env[spelled] = pick(r, values[type]!);
      vars.set(spelled.toLowerCase(), name);
    }
  }
  const config: string[] = [];
  if (prefix) config.push(`        env_prefix = ${JSON.stringify(prefix)}`);
  if (caseSensitive) config.push('        case_sensitive = True');
  if (config.length) lines.push('    class Config:', ...config);
  return { source: `${lines.join('\n')}\n`, env, fields, vars };
}

/** The evaluator's value of each field of `Settings()` under an environment. */
function evaluatorFields(source: string, env: Record<string, string>, fields: readonly string[]): Map<string, unknown> {
  const program = `${source}_s = Settings()\n${fields.map((f) => `V_${f} = _s.${f}`).join('\n')}\n`;
  const ws = new Workspace(new MemoryFileSystem({ ...SKELETON, 'mysite/settings.py': program }, ROOT), [ROOT]);
  const project = ws.projects({})[0]!;
  const prod = project.production!;
  const environment = new Map(Object.entries(env).map(([k, v]) => [k, { value: v }]));
  const mod = new Evaluator(ws.hostFor(project), { environment }).evaluate({
    name: prod.module.name,
    file: prod.module.file,
    isPackage: prod.module.isPackage,
  });
  const out = new Map<string, unknown>();
  for (const f of fields) {
    const v = mod.scope.get(`V_${f}`)?.value;
    if (v && v.kind !== 'unknown') out.set(f, js(v));
  }
  return out;
}

describe('the evaluator against pydantic 1.x BaseSettings', () => {
  it('every field the evaluator knows equals the instance’s; a field pydantic rejects is not known', (t) => {
    if (skipOrFail(t)) return;
    const r = rng(SEED + 2);
    const generated = Array.from({ length: ITERATIONS }, () => pydanticCase(r));
    const out = runDriver(generated.map((g) => ({ lib: 'pydantic', source: g.source, env: g.env })));
    let known = 0;
    let total = 0;
    const disagreements: string[] = [];
    generated.forEach((g, i) => {
      const ours = evaluatorFields(g.source, g.env, g.fields);
      const py = out[i]!;
      // a ValidationError names the fields; a SettingsError (a list whose variable is not JSON) the variable
      const rejected = new Set((py.rejected as string[] | undefined) ?? []);
      if (typeof py.unparsed === 'string') rejected.add(g.vars.get(py.unparsed.toLowerCase()) ?? `(${py.unparsed})`);
      assert.ok(py.values || rejected.size > 0, JSON.stringify(py));
      for (const f of g.fields) {
        total++;
        if (!ours.has(f)) continue;
        known++;
        const where = `${g.source}under ${JSON.stringify(g.env)}: ${f}`;
        if (rejected.has(f)) disagreements.push(`${where}: ours ${JSON.stringify(ours.get(f))}, pydantic rejects it`);
        else if (py.values && JSON.stringify(ours.get(f)) !== JSON.stringify((py.values as Record<string, Json>)[f]))
          disagreements.push(
            `${where}: ours ${JSON.stringify(ours.get(f))}, pydantic ${JSON.stringify((py.values as Record<string, Json>)[f])}`,
          );
      }
    });
    t.diagnostic(`libdiff pydantic: ${known}/${total} fields known (${((100 * known) / total).toFixed(1)}%)`);
    assert.deepEqual(disagreements.slice(0, 5), []);
    assert.ok(known > total / 3, `only ${known} of ${total} fields known`);
  });
});

/** A generated settings module handed to dynaconf, and an environment for it. */
function dynaconfCase(r: () => number): { source: string; env: Record<string, string>; names: string[] } {
  // name -> [module values, variable values in dynaconf's syntax (TOML, or an @-cast)]
  const pool: Record<string, [string[], string[]]> = {
    DEBUG: [
      ['True', 'False'],
      ['true', 'false', 'True', '@bool false', '1', 'no'],
    ],
    SECURE_SSL_REDIRECT: [
      ['True', 'False'],
      ['true', 'false', '@bool true'],
    ],
    CONN_MAX_AGE: [
      ['0', '600', 'None'],
      ['60', '0', '@int 30', '"600"', '1.5'],
    ],
    SECRET_KEY: [
      ['"django-insecure-x"', '""'],
      ['abc', '"quoted"', '@str 123', '', "'single'"],
    ],
    ALLOWED_HOSTS: [
      ['["*"]', '[]', '["a.example.com", "b.example.com"]'],
      ['["a.example.com"]', '[]', '@json ["x"]', 'a.example.com'],
    ],
    SESSION_COOKIE_SECURE: [
      ['True', 'False'],
      ['false', 'true'],
    ],
    APP_FEATURE: [
      ['1', '"on"'],
      ['2', 'off', '[1, 2]'],
    ],
  };
  const global = DYNACONF_DJANGO.globalEnvPrefix.value;
  const prefix = DYNACONF_DJANGO.envPrefix.value;
  const names = Object.keys(pool);
  const lines = [pick(r, ['import os', '']), `BASE = ${pick(r, ['"x"', '1'])}`];
  const env: Record<string, string> = {};
  for (const n of names) {
    const [values, vars] = pool[n]!;
    if (r() < 0.6) lines.push(`${n} = ${pick(r, values)}`);
    if (r() < 0.35) env[`${prefix}_${n}`] = pick(r, vars);
    if (r() < 0.1) env[`${global}_${n}`] = pick(r, vars);
  }
  const [head, call] = pick(r, [
    ['import dynaconf  # noqa', 'dynaconf.DjangoDynaconf(__name__)'],
    ['from dynaconf import DjangoDynaconf', 'DjangoDynaconf(__name__)'],
  ]);
  lines.push(head, `settings = ${call}  # noqa`);
  return { source: `${lines.join('\n')}\n`, env, names };
}

describe('the evaluator against dynaconf 3.1.7’s DjangoDynaconf', () => {
  it('a setting the analysis knows is the one Django gets; one as written unless overridden is, without its variables', (t) => {
    if (skipOrFail(t)) return;
    const r = rng(SEED + 3);
    // (a quarter as many: dynaconf takes some 25 ms to load a module, and each case asks 7 settings)
    const n = Math.max(10, Math.round(ITERATIONS / 4));
    const generated = Array.from({ length: n }, () => dynaconfCase(r));
    const out = runDriver(generated.map((g) => ({ lib: 'dynaconf', ...g })));
    const counts = { known: 0, overridable: 0, unset: 0, unknown: 0 };
    const disagreements: string[] = [];
    generated.forEach((g, i) => {
      const real = out[i]!.values as Record<string, Json>;
      const ws = new Workspace(new MemoryFileSystem({ ...SKELETON, 'mysite/settings.py': g.source }, ROOT), [ROOT]);
      const project = ws.projects({})[0]!;
      const prod = project.production!;
      const environment = new Map(Object.entries(g.env).map(([k, v]) => [k, { value: v }]));
      const mod = new Evaluator(ws.hostFor(project), { environment }).evaluate({
        name: prod.module.name,
        file: prod.module.file,
        isPackage: prod.module.isPackage,
      });
      const settings = new Settings(mod, project.djangoVersion, anchorOf(prod.module.file, g.source, ws.document(prod.module.file)));
      for (const n of g.names) {
        const a = settings.query(n);
        const where = `${g.source}under ${JSON.stringify(g.env)}: ${n} is ${a.state}`;
        const realValue = n in real ? JSON.stringify(real[n]) : '(not set)';
        if (a.state === 'known') {
          counts.known++;
          if (JSON.stringify(js(a.value)) !== realValue)
            disagreements.push(`${where} ${JSON.stringify(js(a.value))}, Django gets ${realValue}`);
        } else if (a.state === 'overridable') {
          counts.overridable++;
          const set = a.overriddenBy.filter((o) => o.kind === 'variable' && o.name in g.env);
          // every variable that replaced the value is one the answer names
          if (set.length === 0 && JSON.stringify(js(a.value)) !== realValue)
            disagreements.push(
              `${where} ${JSON.stringify(js(a.value))} unless ${a.overriddenBy.map((o) => o.name)}, Django gets ${realValue}`,
            );
        } else if (a.state === 'unset') {
          counts.unset++;
          if (n in real) disagreements.push(`${where}, Django gets ${realValue}`);
        } else counts.unknown++;
      }
    });
    t.diagnostic(`libdiff dynaconf: ${JSON.stringify(counts)}`);
    assert.deepEqual(disagreements.slice(0, 5), []);
    assert.ok(counts.overridable > n, `only ${counts.overridable} settings as written unless overridden`);
  });

  it('its YAML settings files: a setting the analysis knows is the one Django gets; one as written unless overridden is, without its variables', (t) => {
    if (skipOrFail(t)) return;
    const r = rng(SEED + 6);
    const n = Math.max(10, Math.round(ITERATIONS / 4));
    const generated = Array.from({ length: n }, () => dynaconfFilesCase(r));
    const out = runDriver(generated.map((g) => ({ lib: 'dynaconf', ...g })));
    const counts = { known: 0, overridable: 0, unset: 0, unknown: 0 };
    const disagreements: string[] = [];
    generated.forEach((g, i) => {
      const real = out[i]!.values as Record<string, Json>;
      const ws = new Workspace(new MemoryFileSystem({ ...SKELETON, 'mysite/settings.py': g.source, ...g.files }, ROOT), [ROOT]);
      const project = ws.projects({})[0]!;
      const prod = project.production!;
      const environment = new Map(Object.entries(g.env).map(([k, v]) => [k, { value: v }]));
      const mod = new Evaluator(ws.hostFor(project), { environment }).evaluate({
        name: prod.module.name,
        file: prod.module.file,
        isPackage: prod.module.isPackage,
      });
      const settings = new Settings(mod, project.djangoVersion, anchorOf(prod.module.file, g.source, ws.document(prod.module.file)));
      for (const name of g.names) {
        const a = settings.query(name);
        const where = `${g.source}${JSON.stringify(g.files)} under ${JSON.stringify(g.env)}: ${name} is ${a.state}`;
        const realValue = name in real ? JSON.stringify(real[name]) : '(not set)';
        if (a.state === 'known') {
          counts.known++;
          if (JSON.stringify(js(a.value)) !== realValue)
            disagreements.push(`${where} ${JSON.stringify(js(a.value))}, Django gets ${realValue}`);
        } else if (a.state === 'overridable') {
          counts.overridable++;
          // the files named are absent here, as they are in the real run: only a variable that is set replaces the value
          const set = a.overriddenBy.filter((o) => o.kind === 'variable' && o.name in g.env);
          if (set.length === 0 && JSON.stringify(js(a.value)) !== realValue)
            disagreements.push(
              `${where} ${JSON.stringify(js(a.value))} unless ${a.overriddenBy.map((o) => o.name)}, Django gets ${realValue}`,
            );
        } else if (a.state === 'unset') {
          counts.unset++;
          if (name in real) disagreements.push(`${where}, Django gets ${realValue}`);
        } else counts.unknown++;
      }
    });
    t.diagnostic(`libdiff dynaconf settings files: ${JSON.stringify(counts)}`);
    assert.deepEqual(disagreements.slice(0, 5), []);
    assert.ok(counts.known + counts.overridable > n, `only ${counts.known + counts.overridable} settings read from the files`);
  });
});

/**
 * A generated settings module ending with DjangoDynaconf(__name__, settings_files=[…]), its YAML
 * settings files (sections default, development, production, staging, global and the prefix's; a
 * .local. twin; a listed file absent), and an environment naming (or not) the environment and
 * setting some variables.
 */
function dynaconfFilesCase(r: () => number): {
  source: string;
  env: Record<string, string>;
  names: string[];
  files: Record<string, string>;
} {
  // name -> [module values, YAML values]
  const pool: Record<string, [string[], string[]]> = {
    DEBUG: [
      ['True', 'False'],
      ['true', 'false', 'True', 'FALSE', 'yes', '"false"'],
    ],
    SECRET_KEY: [['"module-key"'], ["'yaml-key'", 'plain-key', '"@str 123"', '~', "'@format plain'"]],
    CONN_MAX_AGE: [
      ['0', 'None'],
      ['60', '0', '012', '1.5', '-3', '0x10', '1e3', 'null'],
    ],
    ALLOWED_HOSTS: [['["module.example"]'], ["['*']", '[]', '[a.example, b.example]', '["dynaconf_merge", "c.example"]']],
    DATABASES: [
      ['{"default": {"ENGINE": "django.db.backends.sqlite3", "NAME": "db"}}'],
      ['{default: {ENGINE: django.db.backends.postgresql, NAME: app}}', '{dynaconf_merge: true, other: {NAME: x}}'],
    ],
    APP_FEATURE: [['1'], ['2', 'on', '[1, 2]', 'text with spaces']],
  };
  const names = Object.keys(pool);
  const prefix = pick(r, [undefined, 'APP']);
  const sections = ['default', 'development', 'production', 'staging', 'global', (prefix ?? 'DJANGO').toLowerCase()];
  const yamlOf = (p: number): string => {
    const lines: string[] = [];
    for (const sec of sections) {
      const body = names.filter(() => r() < p).map((n) => `  ${n}: ${pick(r, pool[n]![1])}`);
      if (body.length) lines.push(`${sec}:`, ...body);
    }
    return `${lines.join('\n')}\n`;
  };
  const files: Record<string, string> = { 'config/settings.yaml': yamlOf(0.35) };
  if (r() < 0.3) files['config/settings.local.yaml'] = yamlOf(0.15);
  const listed = ['BASE_DIR / "config" / "settings.yaml"'];
  if (r() < 0.5) listed.push(pick(r, ['BASE_DIR / "config" / ".secrets.yaml"', '"settings.yaml"', '".secrets.yaml"']));
  const lines = ['from pathlib import Path', 'BASE_DIR = Path(__file__).resolve().parent.parent'];
  for (const n of names) if (r() < 0.4) lines.push(`${n} = ${pick(r, pool[n]![0])}`);
  const kw = [`settings_files=[${listed.join(', ')}]`];
  if (prefix) kw.push(`envvar_prefix="${prefix}"`);
  if (r() < 0.15) kw.push(pick(r, ['environments=True', 'environments=False']));
  lines.push('import dynaconf  # noqa', `settings = dynaconf.DjangoDynaconf(__name__, ${kw.join(', ')})  # noqa`);
  const env: Record<string, string> = {};
  const which = pick(r, [undefined, undefined, 'production', 'development', 'staging', 'PRODUCTION']);
  if (which) env[pick(r, ['ENV_FOR_DYNACONF', 'ENV_FOR_DYNACONF', 'DJANGO_ENV'])] = which;
  if (r() < 0.15) env.DJANGO_ENV = pick(r, ['production', 'development']);
  for (const n of names) if (r() < 0.1) env[`${prefix ?? DYNACONF_DJANGO.envPrefix.value}_${n}`] = pick(r, ['"from-env"', '42', 'false']);
  return { source: `${lines.join('\n')}\n`, env, names: [...names, 'TIME_ZONE'], files };
}

/** A JSON value as a Python literal. */
function pyLiteral(v: Json): string {
  if (v === null) return 'None';
  if (v === true) return 'True';
  if (v === false) return 'False';
  if (typeof v === 'number' || typeof v === 'string') return JSON.stringify(v);
  if (Array.isArray(v)) return `[${v.map(pyLiteral).join(', ')}]`;
  return `{${Object.entries(v)
    .map(([k, x]) => `${JSON.stringify(k)}: ${pyLiteral(x)}`)
    .join(', ')}}`;
}

/** A generated LOGGING (every handler and filter it names is defined: dictConfig would raise otherwise). */
function loggingCase(r: () => number): { logging: Json; loggingConfig?: null } {
  if (r() < 0.08) return { logging: {} };
  const some = <T>(items: readonly T[], p: number): T[] => items.filter(() => r() < p);
  const conf: Record<string, Json> = { version: 1 };
  const disable = pick(r, [undefined, true, false]);
  if (disable !== undefined) conf.disable_existing_loggers = disable;
  const filters: Record<string, Json> = {};
  if (r() < 0.7) {
    filters.require_debug_false = { '()': 'django.utils.log.RequireDebugFalse' };
    filters.require_debug_true = { '()': 'django.utils.log.RequireDebugTrue' };
    filters.only_django = { name: 'django' };
    filters.only_app = { name: 'myapp' };
    conf.filters = filters;
  }
  const handlers: Record<string, Json> = {};
  for (const name of some(['console', 'null', 'mail_admins', 'mailer'], 0.6)) {
    const h: Record<string, Json> = {
      class: name === 'console' ? 'logging.StreamHandler' : name === 'null' ? 'logging.NullHandler' : 'django.utils.log.AdminEmailHandler',
    };
    const level = pick(r, [undefined, undefined, 'ERROR', 'CRITICAL', 'WARNING', 40, 50]);
    if (level !== undefined) h.level = level;
    const f = some(Object.keys(filters), 0.3);
    if (f.length) h.filters = f;
    handlers[name] = h;
  }
  if (Object.keys(handlers).length || r() < 0.3) conf.handlers = handlers;
  const logger = (): Record<string, Json> => {
    const l: Record<string, Json> = {};
    const hs = some(Object.keys(handlers), 0.5);
    if (hs.length || r() < 0.3) l.handlers = hs;
    const level = pick(r, [undefined, undefined, 'INFO', 'WARNING', 'ERROR', 'CRITICAL']);
    if (level !== undefined) l.level = level;
    const prop = pick(r, [undefined, undefined, true, false]);
    if (prop !== undefined) l.propagate = prop;
    if (r() < 0.1 && Object.keys(filters).length) l.filters = some(Object.keys(filters), 0.5);
    return l;
  };
  const loggers: Record<string, Json> = {};
  for (const name of some(['django', 'django.request', 'myapp', 'django.server'], 0.45)) loggers[name] = logger();
  const rootAs = pick(r, [undefined, undefined, 'key', 'key', 'root', '']);
  if (rootAs === 'key') conf.root = logger();
  else if (rootAs !== undefined) loggers[rootAs] = logger();
  if (Object.keys(loggers).length || r() < 0.2) conf.loggers = loggers;
  return r() < 0.08 ? { logging: conf, loggingConfig: null } : { logging: conf };
}

describe('Django’s logging against Django 3.2 and Python 3.11', () => {
  it('whether a 500 is mailed to ADMINS under a generated LOGGING', (t) => {
    if (skipOrFail(t)) return;
    const r = rng(SEED + 5);
    const generated = Array.from({ length: ITERATIONS }, () => loggingCase(r));
    const out = runDriver(generated.map((g) => ({ lib: 'logging', ...g })));
    const counts = { yes: 0, no: 0, unknown: 0 };
    const disagreements: string[] = [];
    generated.forEach((g, i) => {
      const source = `LOGGING = ${pyLiteral(g.logging)}\n${g.loggingConfig === null ? 'LOGGING_CONFIG = None\n' : ''}`;
      const ws = new Workspace(new MemoryFileSystem({ ...SKELETON, 'mysite/settings.py': source }, ROOT), [ROOT]);
      const project = ws.projects({})[0]!;
      const prod = project.production!;
      const mod = new Evaluator(ws.hostFor(project), {}).evaluate({
        name: prod.module.name,
        file: prod.module.file,
        isPackage: prod.module.isPackage,
      });
      const settings = new Settings(mod, project.djangoVersion, anchorOf(prod.module.file, source, ws.document(prod.module.file)));
      const got = errorMail(settings, () => 'settings.py');
      counts[got.state]++;
      const mailed = out[i]!.mailed;
      if (got.state !== 'unknown' && (got.state === 'yes') !== mailed)
        disagreements.push(`${source}: the analysis says ${got.state} (${got.why}), Django ${mailed ? 'mails' : 'does not mail'}`);
    });
    t.diagnostic(`libdiff logging: ${JSON.stringify(counts)}`);
    assert.deepEqual(disagreements.slice(0, 5), []);
    assert.ok(counts.yes > ITERATIONS / 10 && counts.no > ITERATIONS / 10, `too few decided: ${JSON.stringify(counts)}`);
    assert.ok(counts.unknown < ITERATIONS / 4, `too many unknown: ${JSON.stringify(counts)}`);
  });
});

describe('the library catalogue against django-axes 5.39.0 and django-storages 1.13.2', () => {
  it('AXES_HANDLER’s default, and which handlers keep their counts in the cache', (t) => {
    if (skipOrFail(t)) return;
    const r = rng(SEED + 4);
    const S = AXES.settings;
    const handlers = [S.handler.default.value, ...AXES.cacheHandlers, 'axes.handlers.dummy.AxesDummyHandler'];
    const cases: Case[] = [{ lib: 'axes', settings: {} }];
    for (let i = 0; i < 20; i++) {
      const settings: Record<string, Json> = {};
      if (r() < 0.6) settings[S.handler.name] = pick(r, handlers);
      if (r() < 0.5) settings.AXES_FAILURE_LIMIT = pick(r, [3, 5, 10]);
      if (r() < 0.3) settings.AXES_ENABLED = r() < 0.5;
      cases.push({ lib: 'axes', settings });
    }
    const out = runDriver(cases);
    cases.forEach((c, i) => {
      const settings = c.settings as Record<string, Json>;
      const got = out[i]!;
      const where = JSON.stringify(settings);
      const handler = read(settings, S.handler, false) as string;
      assert.equal(got.handler, handler, where);
      assert.equal(got.handlerClass, true, where);
      assert.equal(got.usesCache, (AXES.cacheHandlers as readonly string[]).includes(handler), where);
    });
    assert.equal(out[0]!.handler, productionDefault(S.handler));
  });

  it('every storage storages.ts names imports (or is absent from Debian’s version, as said), hashed ones are manifest storages', (t) => {
    if (skipOrFail(t)) return;
    // not in Debian 12's 1.13.2: storages.backends.s3 came with 1.14; the Google Cloud and Azure
    // backends are not packaged (python3-django-storages-{boto3,dropbox,ftp,libcloud,sftp} only)
    const absent = new Set([
      'storages.backends.s3.S3Storage',
      'storages.backends.s3.S3StaticStorage',
      'storages.backends.s3.S3ManifestStaticStorage',
      'storages.backends.gcloud.GoogleCloudStorage',
      'storages.backends.azure_storage.AzureStorage',
    ]);
    const L = STORAGES_LIB.storages;
    const twins = Object.entries(L.hashedTwin);
    const paths = [...new Set<string>([...L.hashed, ...L.plain, ...twins.flat()])];
    const [got] = runDriver([{ lib: 'storages', paths }]);
    const result = got!.paths as Record<string, { imports: boolean; manifest?: boolean; why?: string }>;
    let run = 0;
    for (const p of paths) {
      assert.ok(p.startsWith(STORAGES_LIB.backendsPrefix), p);
      const x = result[p]!;
      if (absent.has(p)) {
        assert.equal(x.imports, false, `${p} is listed as absent from Debian's django-storages but imports`);
        t.diagnostic(`libdiff storages: ${p} not in Debian's ${'1.13.2'} (${x.why}): read from ${STORAGES_LIB.readAt}'s source only`);
        continue;
      }
      assert.equal(x.imports, true, `${p}: ${x.why}`);
      run++;
      assert.equal(x.manifest, (L.hashed as readonly string[]).includes(p), `${p}: ManifestFilesMixin in its MRO`);
    }
    for (const [plain, hashed] of twins)
      if (!absent.has(plain)) assert.ok(result[plain]!.manifest === false && result[hashed]!.manifest === true);
    assert.ok(run >= 3, `only ${run} storages run`);
  });

  it('the storages storages.ts says sign their URLs do, by default only: not with AWS_QUERYSTRING_AUTH off nor behind a custom domain; the static one never', (t) => {
    if (skipOrFail(t)) return;
    const S = STORAGES_LIB.signedUrls;
    const unsigned = 'storages.backends.s3boto3.S3StaticStorage';
    const [got] = runDriver([{ lib: 'storages-signed', paths: [...S.backends, unsigned] }]);
    assert.ok(got && !got.error, `driver: ${got?.error}`);
    const result = got!.paths as Record<string, { imports: boolean; default?: boolean; noauth?: boolean; custom?: boolean }>;
    let run = 0;
    for (const p of S.backends) {
      const x = result[p]!;
      if (!x.imports) {
        t.diagnostic(`libdiff storages: ${p} not in Debian's 1.13.2: read from ${STORAGES_LIB.readAt}'s source only`);
        continue;
      }
      run++;
      assert.deepEqual(
        [x.default, x.noauth, x.custom],
        [S.querystringAuth.default, false, false],
        `${p}: signed by default, with ${S.querystringAuth.name} off, behind ${S.customDomain}`,
      );
    }
    assert.equal(result[unsigned]!.default, false, `${unsigned} never signs (querystring_auth = False)`);
    assert.ok(run >= 1, 'no signing storage could be run');
  });
});
