// The evaluator against CPython (issue 30, item 2). Settings packages are imported by the real
// Python (Debian's python3 with python3-django 3.2 and the environment libraries Debian 12 packages:
// django-environ 0.4.4, python-decouple 3.6, dj-database-url 0.5.0, django-split-settings 1.1.0;
// test/pydiff/setup.mjs installs them) and read by the product's settings view
// (analysis/settingsView.ts). Every setting the product calls known — or whose value it gives as an
// environment lookup's default — must equal Python's value, as JSON (tuples as lists, sets sorted,
// Path objects as their str); a name Python binds must not be one the product says is never set.
// Unknown is allowed, and counted: the known-value rate is printed.
//
// Each program runs twice: under an empty environment (the product's defaults semantics) and under
// a given one (the evaluator is told the variables, as the project model tells it the deployment's).
// Inputs:
//   - generated programs (generator.ts): PYDIFF_ITERATIONS of them (default 300, about 15 s) from seed
//     PYDIFF_SEED (default 1); `npm run fuzz` runs many more. A failure names the seed:
//     PYDIFF_SEED=<seed> PYDIFF_ITERATIONS=1 PYDIFF_KEEP=1 reproduces it and keeps the files.
//   - every settings fixture of ours: the projects of test/fixtures/projects, under an empty
//     environment and under the variables their process files set (engine.ts productionEnvironment),
//     and each rule fixture that is a settings module. Those Python cannot import (a third-party
//     package missing) are counted, not compared.
//
// Without the Python (not root, no apt-get) the test is skipped, except under CI=true.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { productionEnvironment } from '../../server/src/analysis/engine/deployment';
import { anchorOf } from '../../server/src/analysis/engine/production';
import { Evaluator } from '../../server/src/analysis/eval/evaluator';
import { loadParser } from '../../server/src/analysis/parse/treeSitter';
import { type FileSystem, NodeFileSystem } from '../../server/src/analysis/files/fs';
import { RULES } from '../../server/src/analysis/rules/registry';
import { Settings } from '../../server/src/analysis/rules/settings';
import { isSettingName, type JsonValue, type SettingEntry, settingsView } from '../../server/src/analysis/outputs/settingsView';
import { Workspace } from '../../server/src/analysis/engine/workspace';
import { casesOf, FIXTURES, loadCase } from '../helpers/fixtures';
import { REPO } from '../helpers/paths';
import { generateProgram } from './generator';

const PYTHON = process.env.DDH_PYDIFF_PYTHON || '/usr/bin/python3';
const DRIVER = path.join(REPO, 'test/pydiff/driver.py');
const CI = process.env.CI === 'true';
const ITERATIONS = Number(process.env.PYDIFF_ITERATIONS ?? 300);
const SEED = Number(process.env.PYDIFF_SEED ?? 1);
const KEEP = process.env.PYDIFF_KEEP === '1';

interface Job {
  readonly id: string;
  readonly root: string;
  /** The workspace folder the product opens (root or above it). */
  readonly workspace?: string;
  readonly module: string;
  readonly env: Record<string, string>;
  /** A generated program (its given environment must let it run). */
  readonly generated: boolean;
  readonly given: boolean;
  /** Python fills the variables the module requires (and the product is told the same ones). */
  readonly fill?: boolean;
}
interface PyResult {
  readonly id: string;
  readonly settings?: Record<string, JsonValue>;
  readonly error?: string;
  /** Names bound to django.conf.global_settings' own objects (a star import of it): Django's defaults. */
  readonly defaults?: string[];
  /** The environment the module was imported under (with the filled variables). */
  readonly env?: Record<string, string>;
}
interface Disagreement {
  readonly job: string;
  readonly name: string;
  readonly ours: string;
  readonly python: string;
  readonly why: string;
}

function probe(): string | undefined {
  const r = spawnSync(PYTHON, ['-c', 'import django, environ, decouple, dj_database_url, split_settings.tools'], {
    encoding: 'utf8',
    timeout: 60_000,
  });
  if (r.error) return `${PYTHON} cannot run (${r.error.message}); run node test/pydiff/setup.mjs`;
  if (r.status !== 0) return `${PYTHON} lacks a library (${r.stderr.trim().split('\n').pop()}); run node test/pydiff/setup.mjs`;
  return undefined;
}

function writeFiles(root: string, files: Record<string, string>): void {
  for (const [rel, text] of Object.entries(files)) {
    const full = path.join(root, rel);
    mkdirSync(path.dirname(full), { recursive: true });
    writeFileSync(full, text);
  }
}

function materialise(fs: FileSystem, from: string, to: string): void {
  mkdirSync(to, { recursive: true });
  for (const e of fs.readDir(from)) {
    const src = path.join(from, e.name);
    if (e.isDirectory) materialise(fs, src, path.join(to, e.name));
    else if (e.isFile) writeFileSync(path.join(to, e.name), fs.readText(src) ?? '');
  }
}

function runDriver(jobs: readonly Job[]): Map<string, PyResult> {
  const r = spawnSync(PYTHON, [DRIVER], {
    input: jobs
      .map((j) => JSON.stringify({ id: j.id, root: j.root, module: j.module, env: j.env, fill: j.fill === true, stubs: !j.generated }))
      .join('\n'),
    encoding: 'utf8',
    env: { PATH: '/usr/bin:/bin', LANG: 'C.UTF-8', PYTHONDONTWRITEBYTECODE: '1' },
    timeout: 10 * 60_000,
    maxBuffer: 256 * 1024 * 1024,
  });
  assert.equal(r.status, 0, `the driver failed (${r.error?.message ?? r.signal ?? r.status}):\n${r.stderr}`);
  const out = new Map<string, PyResult>();
  for (const line of r.stdout.split('\n')) {
    if (!line.trim()) continue;
    const res = JSON.parse(line) as PyResult;
    out.set(res.id, res);
  }
  return out;
}

interface Ours {
  readonly entries: ReadonlyMap<string, SettingEntry>;
  readonly mayHave: (name: string) => boolean;
}

/** The product's settings view of the project at root, under an environment. */
function ours(root: string, env: Record<string, string>): Ours | string {
  const ws = new Workspace(new NodeFileSystem(), [root]);
  const project = ws.projects({})[0];
  const prod = project?.production;
  if (!project || !prod) return `no production module (${project?.noProductionReason ?? 'no project'})`;
  const environment = new Map(Object.entries(env).map(([k, v]) => [k, { value: v }]));
  // the environment Python runs with is all there is: a variable it does not set is unset (a branch the
  // product presumes production's when a platform may set variables the repository does not show is not)
  const evaluator = new Evaluator(ws.hostFor(project), {
    environment,
    closedEnvironment: 'the environment the differential test runs Python with',
  });
  const mod = evaluator.evaluate({ name: prod.module.name, file: prod.module.file, isPackage: prod.module.isPackage });
  const settings = new Settings(
    mod,
    project.djangoVersion,
    anchorOf(prod.module.file, ws.text(prod.module.file), ws.document(prod.module.file)),
  );
  const entries = settingsView({
    root,
    settings,
    modules: evaluator.modules,
    secrets: [],
    lineOf: (file, offset) => ws.positionAt(file, offset)?.line,
  });
  return { entries: new Map(entries.map((e) => [e.name, e])), mayHave: (n) => mod.scope.mayHave(n) };
}

/** The project's production module and the variables its process files set. */
function deployment(root: string, copy = false): { module: string; env: Record<string, string>; root: string } | undefined {
  const ws = new Workspace(new NodeFileSystem(), [root]);
  const project = ws.projects({})[0];
  // (a Python 2 project is not compared: its imports are relative first, CPython 3's are absolute)
  if (!project?.production || project.python2) return undefined;
  // (only in the copy Python imports, never in the fixture itself)
  if (copy) {
    renderTemplates(root, project.renderedTemplates ?? []);
    // a production module the image's build renders from a committed template (settings.py.template
    // rendered by a console script), put where Python imports it, its text as written
    const m = project.production.module;
    const target = path.join(project.root, ...m.name.split('.')) + '.py';
    if (m.file !== target && /\.py\.(template|tmpl|example)$/.test(m.file) && !existsSync(target) && existsSync(path.dirname(target)))
      writeFileSync(target, readFileSync(m.file, 'utf8'));
  }
  return {
    module: project.production.module.name,
    root: project.root,
    // a variable set to a value the files do not show (a secret) gets one for Python; the evaluator calls it supplied
    env: Object.fromEntries([...productionEnvironment(project, ws)].map(([k, v]) => [k, v.value ?? `pydiff-set-${k.toLowerCase()}`])),
  };
}

/**
 * The plain top-level values of the role a template belongs to, as Ansible renders `{{ name }}` with
 * them: `<role>/defaults/main.yml`, then `<role>/vars/main.yml` over it (Ansible's precedence: role
 * vars above role defaults). Anything else a template names is filled with a word.
 */
function roleVariables(template: string): Map<string, string> {
  const out = new Map<string, string>();
  const parts = template.split(path.sep);
  const at = parts.lastIndexOf('templates');
  if (at < 1) return out;
  const role = parts.slice(0, at).join(path.sep);
  for (const level of ['defaults', 'vars']) {
    const file = path.join(role, level, 'main.yml');
    if (!existsSync(file)) continue;
    for (const line of readFileSync(file, 'utf8').split('\n')) {
      const m = /^([A-Za-z_][A-Za-z0-9_]*):[ \t]+([^#'"{\s][^#\n]*?)[ \t]*$/.exec(line);
      if (m) out.set(m[1]!, m[2]!);
    }
  }
  return out;
}

/**
 * The Python modules the deployment renders from a committed Jinja template (an Ansible `template:`
 * task), put in place in the copy Python imports, as the deployment does: each `{{ … }}` filled in
 * with the role's plain value where it has one (roleVariables), else with a word (the product calls
 * those values unknown, filled in when rendered; the rest of the template is what it compares). The `dest` is placed by its longest tail that names a folder of the copy.
 */
function renderTemplates(
  root: string,
  rendered: readonly { readonly template: string; readonly dest: string; readonly module?: string }[],
): void {
  for (const r of rendered) {
    const vars = roleVariables(r.template);
    const fill = (): string =>
      readFileSync(r.template, 'utf8').replace(/\{\{[^{}\n]{0,200}\}\}/g, (e) => vars.get(e.slice(2, -2).trim()) ?? 'pydiff-rendered');
    if (r.dest === '') {
      // written where a role outside the repository puts it: beside the module that imports it by the template's name
      const at = r.module ? importerOf(root, r.module) : undefined;
      if (at && !existsSync(path.join(path.dirname(at), `${r.module}.py`)))
        writeFileSync(path.join(path.dirname(at), `${r.module}.py`), fill());
      continue;
    }
    const tail = r.dest
      .slice(r.dest.lastIndexOf('}}') + 2)
      .replace(/^\/+/, '')
      .split('/');
    for (let k = 0; k < tail.length; k++) {
      const file = path.join(root, ...tail.slice(k));
      if (!existsSync(path.dirname(file)) || !file.startsWith(root)) continue;
      writeFileSync(file, fill());
      break;
    }
  }
}

/** The first Python file of the copy (a bounded walk) that imports `module` by its bare or relative name. */
function importerOf(root: string, module: string): string | undefined {
  const pending = [root];
  for (let seen = 0; pending.length > 0 && seen < 2000; seen++) {
    const dir = pending.shift()!;
    for (const name of readdirSync(dir).sort()) {
      const file = path.join(dir, name);
      if (statSync(file).isDirectory()) pending.push(file);
      else if (name.endsWith('.py') && readFileSync(file, 'utf8').includes(`${module} import`)) return file;
    }
  }
  return undefined;
}

/**
 * Where Debian 12's libraries differ from the releases the evaluator models, the JSON forms are
 * brought together (both sides, in parallel): a database dict (one with ENGINE) of dj-database-url
 * 0.5.0 / django-environ 0.4.4 has no CONN_HEALTH_CHECKS, OPTIONS, DISABLE_SERVER_SIDE_CURSORS and,
 * from django-environ, no CONN_MAX_AGE; names PostgreSQL's engine postgresql_psycopg2; and puts
 * ENGINE last. Those keys of ours are dropped when Python's dict lacks them, the engine names
 * are made one, and the keys of such a dict are compared in sorted order.
 */
const VERSION_KEYS = new Set(['CONN_HEALTH_CHECKS', 'OPTIONS', 'DISABLE_SERVER_SIDE_CURSORS', 'CONN_MAX_AGE']);
type Obj = { [key: string]: JsonValue };
const isObj = (v: JsonValue | undefined): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);
function normalise(ours: JsonValue, py: JsonValue): [JsonValue, JsonValue] {
  if (Array.isArray(ours) && Array.isArray(py) && ours.length === py.length) {
    const pairs = ours.map((o, i) => normalise(o, py[i]!));
    return [pairs.map((p) => p[0]), pairs.map((p) => p[1])];
  }
  if (!isObj(ours) || !isObj(py)) return [ours, py];
  const db = 'ENGINE' in ours && 'ENGINE' in py;
  const o: Obj = {};
  const p: Obj = {};
  const keys = Object.keys(ours).filter((k) => !(db && VERSION_KEYS.has(k) && !(k in py)));
  for (const k of db ? [...keys].sort() : keys) {
    if (k in py) [o[k], p[k]] = normalise(ours[k]!, py[k]!);
    else o[k] = ours[k]!;
  }
  for (const k of db ? Object.keys(py).sort() : Object.keys(py)) if (!(k in p)) p[k] = py[k]!;
  // the alias made one on both sides: a module that writes postgresql_psycopg2 itself has it in ours too
  for (const side of db ? [o, p] : [])
    if (side.ENGINE === 'django.db.backends.postgresql_psycopg2') side.ENGINE = 'django.db.backends.postgresql';
  return [o, p];
}

/** Whether Python's value holds a stand-in's object (a library Debian's Python lacks): not comparable. */
const holdsStub = (v: JsonValue): boolean => JSON.stringify(v).includes('{"$object":"Stub"}');

const show = (v: JsonValue | undefined): string => (v === undefined ? '(absent)' : JSON.stringify(v).slice(0, 300));

describe('the evaluator against CPython (settings view = Python on every known value)', () => {
  let unavailable: string | undefined;
  let work: string | undefined;
  const jobs: Job[] = [];
  let results = new Map<string, PyResult>();
  const stats = {
    programs: 0,
    jobs: 0,
    pythonRaised: 0,
    generatedRaisedGiven: [] as string[],
    names: 0,
    known: 0,
    unknown: 0,
    fixtureNames: 0,
    fixtureKnown: 0,
    fixtureSkipped: 0,
    corpusNames: 0,
    corpusKnown: 0,
    corpusSkipped: 0,
    corpusImported: 0,
  };
  const disagreements: Disagreement[] = [];

  before(async () => {
    unavailable = probe();
    if (unavailable) return;
    await loadParser();
    work = mkdtempSync(path.join(tmpdir(), 'ddh-pydiff-'));
    for (let i = 0; i < ITERATIONS; i++) {
      const seed = SEED + i;
      const p = generateProgram(seed);
      const root = path.join(work, `seed-${seed}`);
      writeFiles(root, p.files);
      stats.programs++;
      jobs.push({ id: `seed ${seed} (empty environment)`, root, module: p.module, env: {}, generated: true, given: false });
      jobs.push({ id: `seed ${seed} (given environment)`, root, module: p.module, env: p.env, generated: true, given: true });
    }
    // our fixtures: the projects, and the rule fixtures that are settings modules
    const projects = path.join(FIXTURES, 'projects');
    for (const name of readdirSync(projects).sort()) {
      const from = path.join(projects, name);
      if (!statSync(from).isDirectory()) continue;
      if (!deployment(from)) continue;
      const copy = path.join(work, 'projects', name);
      materialise(new NodeFileSystem(), from, copy);
      // Python's sys.path is the project's root (manage.py's folder), which may lie below the fixture's
      const d = deployment(copy, true)!;
      const root = d.root;
      jobs.push({
        id: `projects/${name} (empty environment)`,
        root,
        workspace: copy,
        module: d.module,
        env: {},
        generated: false,
        given: false,
        fill: true,
      });
      if (Object.keys(d.env).length > 0)
        jobs.push({
          id: `projects/${name} (process files' environment)`,
          root,
          workspace: copy,
          module: d.module,
          env: d.env,
          generated: false,
          given: true,
          fill: true,
        });
    }
    // PYDIFF_CORPUS: a folder of extracted projects (the development corpus: /work/shared/corpus,
    // extract.sh), never committed; their settings under an empty environment and their process
    // files' one, required variables filled, modules neither theirs nor installed stood in for
    const corpus = process.env.PYDIFF_CORPUS;
    if (corpus && existsSync(corpus))
      for (const name of readdirSync(corpus).sort()) {
        const from = path.join(corpus, name);
        if (!statSync(from).isDirectory() || !deployment(from)) continue;
        const copy = path.join(work, 'corpus', name);
        materialise(new NodeFileSystem(), from, copy);
        const d = deployment(copy, true)!;
        const base = { root: d.root, workspace: copy, module: d.module, generated: false, fill: true };
        jobs.push({ ...base, id: `corpus/${name} (empty environment)`, env: {}, given: false });
        if (Object.keys(d.env).length > 0)
          jobs.push({ ...base, id: `corpus/${name} (process files' environment)`, env: d.env, given: true });
      }
    for (const rule of RULES.filter((r) => r.target === 'settings')) {
      for (const c of casesOf(rule.code)) {
        const loaded = loadCase(c, rule.target);
        const root = path.join(work, 'rules', rule.code, c.name);
        materialise(loaded.fs, loaded.root, root);
        const d = deployment(root, true);
        if (!d) continue;
        jobs.push({
          id: `rules/${rule.code}/${c.name}`,
          root: d.root,
          workspace: root,
          module: d.module,
          env: {},
          generated: false,
          given: false,
          fill: true,
        });
      }
    }
    stats.jobs = jobs.length;
    results = runDriver(jobs);
  });

  after(() => {
    if (work && !KEEP) rmSync(work, { recursive: true, force: true });
    else if (work) process.stdout.write(`# pydiff: kept ${work}\n`);
  });

  it('has Python, Django and the environment libraries to compare with', (t) => {
    if (unavailable && !CI) return t.skip(unavailable);
    assert.equal(unavailable, undefined, `${unavailable} (under CI=true the differential test is never skipped)`);
  });

  it('every value the product knows is the value Python computes', (t) => {
    if (unavailable) return t.skip(unavailable);
    for (const job of jobs) {
      const py = results.get(job.id);
      assert.ok(py, `no Python result for ${job.id}`);
      if (py.error !== undefined || !py.settings) {
        stats.pythonRaised++;
        if (job.generated && job.given) stats.generatedRaisedGiven.push(`${job.id}: ${py.error}`);
        if (job.id.startsWith('corpus/')) stats.corpusSkipped++;
        else if (!job.generated) stats.fixtureSkipped++;
        if (!job.generated && process.env.PYDIFF_VERBOSE === '1') process.stdout.write(`# pydiff: ${job.id}: ${py.error}\n`);
        continue;
      }
      if (job.id.startsWith('corpus/')) stats.corpusImported++;
      const view = ours(job.workspace ?? job.root, py.env ?? job.env);
      if (typeof view === 'string') {
        disagreements.push({ job: job.id, name: '-', ours: view, python: 'imports', why: 'the product found no production module' });
        continue;
      }
      for (const [name, value] of Object.entries(py.settings)) {
        const e = view.entries.get(name);
        if (job.generated) stats.names++;
        else if (job.id.startsWith('corpus/')) stats.corpusNames++;
        else stats.fixtureNames++;
        if (!e || e.state === 'default') {
          // Django's default either way (its 3.2 value, where the product says the project's version's)
          if (py.defaults?.includes(name)) continue;
          if (!view.mayHave(name))
            disagreements.push({
              job: job.id,
              name,
              ours: e ? `Django's default ${show(e.value)}` : 'never set',
              python: show(value),
              why: 'Python binds it',
            });
          else if (job.generated) stats.unknown++;
          continue;
        }
        if (e.state === 'unknown' || (e.value === null && e.state === 'environment')) {
          if (job.generated) stats.unknown++;
          continue;
        }
        if (holdsStub(value)) continue;
        if (job.generated) stats.known++;
        else if (job.id.startsWith('corpus/')) stats.corpusKnown++;
        else stats.fixtureKnown++;
        const [a, b] = normalise(e.value, value);
        if (JSON.stringify(a) !== JSON.stringify(b))
          disagreements.push({ job: job.id, name, ours: `${show(e.value)} (${e.state})`, python: show(value), why: e.why });
      }
      for (const [name, e] of view.entries) {
        if (e.state === 'default' || e.state === 'unknown' || !isSettingName(name) || name in py.settings) continue;
        if (e.value === null && e.state === 'environment') continue;
        disagreements.push({ job: job.id, name, ours: `${show(e.value)} (${e.state})`, python: '(not bound)', why: e.why });
      }
    }
    const rate = (k: number, n: number): string => (n ? `${((100 * k) / n).toFixed(1)}%` : '-');
    process.stdout.write(
      `# pydiff: ${stats.programs} generated programs (seeds ${SEED}..${SEED + ITERATIONS - 1}), ${stats.jobs} imports; ` +
        `generated: ${stats.known}/${stats.names} settings known (${rate(stats.known, stats.names)}), ${stats.unknown} unknown; ` +
        `fixtures: ${stats.fixtureKnown}/${stats.fixtureNames} known (${rate(stats.fixtureKnown, stats.fixtureNames)}), ${stats.fixtureSkipped} Python could not import; ` +
        (stats.corpusNames + stats.corpusSkipped > 0
          ? `corpus: ${stats.corpusKnown}/${stats.corpusNames} known (${rate(stats.corpusKnown, stats.corpusNames)}) in ${stats.corpusImported} imports, ${stats.corpusSkipped} Python could not import; `
          : '') +
        `${stats.pythonRaised} imports raised in Python; ${disagreements.length} disagreements\n`,
    );
    const listed = disagreements
      .slice(0, 40)
      .map((d) => `  ${d.job}: ${d.name}: ours ${d.ours}, Python ${d.python}${d.why ? ` — ${d.why}` : ''}`)
      .join('\n');
    assert.equal(disagreements.length, 0, `known values that differ from Python's:\n${listed}`);
  });

  it('the generated programs run in their given environment (the generator is sound)', (t) => {
    if (unavailable) return t.skip(unavailable);
    assert.deepEqual(stats.generatedRaisedGiven.slice(0, 20), []);
  });

  it('the comparison can fail: a value changed in Python is a disagreement', (t) => {
    if (unavailable) return t.skip(unavailable);
    const root = path.join(work!, 'self-test');
    writeFiles(root, {
      'manage.py': 'import os\nos.environ.setdefault("DJANGO_SETTINGS_MODULE", "mysite.settings")\n',
      'mysite/__init__.py': '',
      // what the evaluator reads differs from what Python runs only through a file it cannot see
      'mysite/settings.py': 'import os\nDEBUG = os.environ.get("PYDIFF_SELF", "no") == "yes"\n',
    });
    const py = runDriver([{ id: 'self', root, module: 'mysite.settings', env: { PYDIFF_SELF: 'yes' }, generated: false, given: true }]);
    const view = ours(root, {});
    assert.notEqual(typeof view, 'string');
    const e = (view as Ours).entries.get('DEBUG')!;
    assert.equal(e.state, 'overridable', 'the default used when the variable is not set: as written unless it is');
    assert.equal(e.value, false);
    assert.equal(py.get('self')?.settings?.DEBUG, true);
    assert.ok(existsSync(DRIVER));
  });
});
