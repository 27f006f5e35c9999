// The production settings as Django will see them: every setting of the production module with its
// value (the JSON form of the Python value, secrets masked), its state, where it was last set and
// through which modules, for `django-deploy-check settings` and the editor's hover over a setting.
//
//   known        the value is known (written, or computed from what is written), and nothing the
//                deployment does can change it
//   overridable  as written unless overridden: the value is known and stands unless the deployment
//                replaces it — the default a lookup falls back to when the variable is not set, or a
//                value bound before a module or file the deployment supplies or may add
//                (`from .local_settings import *`, `exec(open("/etc/app/app.conf").read())`);
//                `overriddenBy` names each
//   environment  the environment supplies it: a required variable (value null), or a variable a
//                deployment file sets (its value)
//   unknown      the analysis cannot say (why says why)
//   default      never set: Django's default for the project's version applies (`overriddenBy`
//                when a module the deployment supplies may set it)
import * as nodePath from 'node:path';
import { djangoDefault, type Settings } from '../models/settings/settings';
import { deploymentVariable, overrideNames, presumedBranchText } from '../models/settings/query';
import type { Binding, ModuleResult } from '../eval/scope';
import type { Loc, Override, Value } from '../eval/values';
import { isSensitiveName, redact, secretKind } from '../secrets/index';
import { DJANGO_DEFAULTS } from '../catalogue/djangoDefaults';

export type JsonValue = null | boolean | number | string | JsonValue[] | { [key: string]: JsonValue };

export type SettingState = 'known' | 'overridable' | 'environment' | 'unknown' | 'default';

export interface SettingPlace {
  /** Path relative to the project's root, with forward slashes. */
  readonly file: string;
  /** 1-based. */
  readonly line: number;
}

export interface SettingEntry {
  readonly name: string;
  /** The JSON form of the Python value (tuples as lists, Path as its text); null when unknown or required. */
  readonly value: JsonValue;
  readonly state: SettingState;
  /** Where it was last set (null for Django's default). */
  readonly file: string | null;
  readonly line: number | null;
  readonly why: string;
  /** The environment variables the value reads (first one first). */
  readonly variables?: readonly string[];
  /** The modules it came through, from the one that set it to the production module (star imports). */
  readonly chain?: readonly string[];
  /** Earlier assignments of the same name in the modules production reads, that this one overrides. */
  readonly overrides?: readonly SettingPlace[];
  /**
   * For an overridable value (and a default a supplied module may set): what may replace it where
   * it runs — the environment variable whose default it is, the modules and files the deployment
   * supplies or may add (with where the settings import or exec them, and their committed template).
   */
  readonly overriddenBy?: readonly OverriddenBy[];
}

/** One thing that may replace a value where it runs (see SettingEntry.overriddenBy). */
export interface OverriddenBy {
  readonly kind: 'variable' | 'module' | 'file';
  /** The variable, the module's file name (`local_settings.py`), or the file's path. */
  readonly name: string;
  /** `supplied`: the settings do not start without it; `optional`: a deployment may add it. */
  readonly presence: 'supplied' | 'optional';
  /** Where the settings import or exec it (relative to the project's root). */
  readonly file?: string;
  readonly line?: number;
  /** The committed template the deployment's copy is made from. */
  readonly template?: string;
}

export interface SettingsViewInput {
  readonly root: string;
  readonly settings: Settings;
  /** Every module the evaluation read, by file (Evaluator.modules), for the chain and the overrides. */
  readonly modules?: ReadonlyMap<string, ModuleResult>;
  /** Strings to mask (ProjectAnalysis.secrets); [] only in tests against our own fixtures. */
  readonly secrets: readonly string[];
  /** 0-based line of an offset in a file (Workspace.positionAt). */
  readonly lineOf: (file: string, offset: number) => number | undefined;
}

export interface SettingsViewOptions {
  /** Only what differs from Django's defaults (as `manage.py diffsettings`). */
  readonly diff?: boolean;
  /** Only these settings (the editor's hovers: the names written in the settings modules). */
  readonly names?: ReadonlySet<string>;
}

/** Where a setting's name is written as an assignment target in a settings module production reads. */
export interface SettingPlaceInFile {
  readonly name: string;
  readonly file: string;
  readonly start: number;
  readonly end: number;
}

/**
 * The assignment targets of settings in every module production reads (its own and those it star-
 * imports or includes): where the editor shows the production value on hover. Each module's last
 * binding of a name, and the production module's.
 */
export function settingPlaces(settings: Settings, modules: ReadonlyMap<string, ModuleResult> | undefined): SettingPlaceInFile[] {
  const out: SettingPlaceInFile[] = [];
  const seen = new Set<string>();
  const mods = [settings.module, ...[...(modules?.values() ?? [])].filter((m) => settings.module.files.has(m.ref.file))];
  for (const m of mods)
    for (const [name, b] of m.scope.vars) {
      const t = b.target;
      if (!t || !isSettingName(name) || t.end - t.start !== name.length) continue;
      const key = `${t.file}:${t.start}`;
      if (seen.has(key)) continue;
      seen.add(key);
      out.push({ name, file: t.file, start: t.start, end: t.end });
    }
  return out;
}

/** Whether Django reads a module-level name as a setting (`str.isupper()`, as Django's Settings does). */
export function isSettingName(name: string): boolean {
  return name !== name.toLowerCase() && name === name.toUpperCase();
}

interface Converted {
  json: JsonValue;
  /** Why some part cannot be shown (undefined when the whole value is known). */
  unknown?: string;
  /** Some part needs an environment variable the deployment must set. */
  required?: string;
  /** Some part is read from an environment variable only when it is set (`if "X" in os.environ: A = os.environ["X"]`). */
  whenSet?: string;
  /** Environment variables whose defaults the value holds. */
  defaults: string[];
}

const MAX_DEPTH = 20;

/** The JSON form of a value, and what keeps it from being known. */
function convert(v: Value, out: Converted, depth = 0): JsonValue {
  for (const e of v.env ?? []) if (v.origin === 'env-default' && !out.defaults.includes(e.name)) out.defaults.push(e.name);
  if (depth > MAX_DEPTH) {
    out.unknown ??= 'nested too deeply to show';
    return null;
  }
  switch (v.kind) {
    case 'str':
    case 'path':
      return v.v;
    case 'int':
    case 'float':
      if (Number.isFinite(v.v)) return v.v;
      out.unknown ??= 'a number JSON cannot hold';
      return null;
    case 'bool':
      return v.v;
    case 'none':
      return null;
    case 'list':
    case 'tuple':
    case 'set': {
      if (v.optional || v.items.some((i) => i.kind === 'unknown' && i.maybeAbsent))
        out.unknown ??= 'some items are added only on paths the analysis cannot decide';
      if (v.origin === 'unknown') out.unknown ??= 'some items cannot be read';
      const items = v.items.filter((i) => !(i.kind === 'unknown' && i.maybeAbsent)).map((i) => convert(i, out, depth + 1));
      // a set has no order: shown sorted, so that two runs (and Python's) compare
      return v.kind === 'set' ? items.sort((a, b) => cmp(JSON.stringify(a), JSON.stringify(b))) : items;
    }
    case 'dict': {
      if (v.partial || v.origin === 'unknown') out.unknown ??= 'some keys cannot be read';
      const o: { [key: string]: JsonValue } = {};
      v.keys.forEach((k, i) => {
        const key =
          k.kind === 'str' || k.kind === 'int' || k.kind === 'float'
            ? String(k.v)
            : k.kind === 'bool'
              ? k.v
                ? 'true'
                : 'false'
              : undefined;
        if (key === undefined) {
          out.unknown ??= k.kind === 'none' ? 'a key JSON cannot hold' : 'a key cannot be read';
          return;
        }
        o[key] = convert(v.values[i]!, out, depth + 1);
      });
      return o;
    }
    case 'unknown':
      if (v.origin === 'env' && v.env?.[0]?.hasDefault) out.whenSet ??= v.env[0].name;
      else if (v.origin === 'env') out.required ??= v.env?.[0]?.name ?? 'an environment variable';
      else out.unknown ??= v.reason;
      return null;
    case 'object':
      out.unknown ??= `a Python object (${v.tag.replace(/^[a-z-]+:/, '')}) the view cannot show`;
      return null;
  }
}

function cmp(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/**
 * Every string of a JSON value masked: a secret where it stands as a secret's value — the value of
 * a setting or a key with a secret's name (`SECRET_KEY`, `DATABASES.default.PASSWORD`) is masked
 * whole when it is a credential, and any string has the project's secrets masked where they stand
 * alone (a weak one is not masked inside a dotted name or a path: see redact) and its URL
 * credentials stripped. `name` is the setting's or the enclosing key's name.
 */
function mask(v: JsonValue, secrets: readonly string[], name?: string): JsonValue {
  // (no secrets: the differential test's own fixtures, shown as they are)
  if (secrets.length === 0) return v;
  if (typeof v === 'string') {
    if (name !== undefined && isSensitiveName(name) && secretKind(v, true, name)) return '***';
    return redact(v, secrets);
  }
  if (Array.isArray(v)) return v.map((x) => mask(x, secrets, name));
  if (v && typeof v === 'object') {
    const o: { [key: string]: JsonValue } = {};
    for (const [k, x] of Object.entries(v)) o[redact(k, secrets)] = mask(x, secrets, k);
    return o;
  }
  return v;
}

function equalJson(a: JsonValue, b: JsonValue): boolean {
  return JSON.stringify(a) === JSON.stringify(b);
}

/** Every setting of the production module as Django will see it, by name. */
export function settingsView(input: SettingsViewInput, options: SettingsViewOptions = {}): SettingEntry[] {
  const { settings } = input;
  const prodFile = settings.module.ref.file;
  const rel = (file: string): string => nodePath.relative(input.root, file).split(nodePath.sep).join('/') || '.';
  const place = (loc: Loc | undefined): SettingPlace | undefined => {
    if (!loc) return undefined;
    const line = input.lineOf(loc.file, loc.start);
    return line === undefined ? undefined : { file: rel(loc.file), line: line + 1 };
  };
  // the modules production reads, smallest first (a module that star-imports another read more files)
  const read = [...(input.modules?.values() ?? [])]
    .filter((m) => m.ref.file !== prodFile && settings.module.files.has(m.ref.file))
    .sort((a, b) => a.files.size - b.files.size || cmp(a.ref.file, b.ref.file));
  const names = new Set<string>();
  for (const n of settings.names()) if (isSettingName(n) && (!options.names || options.names.has(n))) names.add(n);
  if (options.names) for (const n of options.names) if (isSettingName(n)) names.add(n);
  if (!options.diff && !options.names)
    for (const d of DJANGO_DEFAULTS)
      if (/^[A-Z][A-Z0-9_]*$/.test(d.name) && djangoDefault(d.name, settings.version.version, settings.anchor)) names.add(d.name);
  const overriddenBy = (ovs: readonly Override[] | undefined): OverriddenBy[] =>
    (ovs ?? []).map((o) => {
      const at = o.loc && o.kind !== 'variable' ? place(o.loc) : undefined;
      return {
        kind: o.kind,
        name: o.name,
        presence: o.presence,
        ...(at ? { file: at.file, line: at.line } : {}),
        ...(o.template ? { template: o.template } : {}),
      };
    });
  const out: SettingEntry[] = [];
  for (const name of [...names].sort()) {
    const s = settings.get(name);
    if (!s.isSet && s.value.kind !== 'unknown') {
      const files = overrideNames(s.overriddenBy ?? []);
      out.push({
        name,
        value: mask(convert(s.value, { json: null, defaults: [] }), input.secrets, name),
        state: 'default',
        file: null,
        line: null,
        why: `never set: Django ${settings.version.version}'s default${files ? `, unless ${files} sets it` : ''}`,
        ...(s.overriddenBy?.length ? { overriddenBy: overriddenBy(s.overriddenBy) } : {}),
      });
      continue;
    }
    const binding = s.binding;
    const at = place(binding?.target ?? binding?.stmt ?? s.loc);
    const c: Converted = { json: null, defaults: [] };
    let json = convert(s.value, c);
    let state: SettingState;
    let why: string;
    const variables = [...(s.value.env ?? []).map((e) => e.name)];
    const over: Override[] = [];
    if (!s.isSet) {
      state = 'unknown';
      json = null;
      why = `may be set by code the analysis cannot read: ${settings.module.scope.open?.reason ?? 'dynamic code'}`;
    } else if (c.unknown !== undefined) {
      state = 'unknown';
      json = null;
      why = c.unknown;
    } else if (c.required !== undefined) {
      state = 'environment';
      json = null;
      // (a lookup with a default the deployment sets, its value not in the files: the settings start
      // without it, on the default; a file listing it for the deployer to copy is said as such)
      const listed = s.value.writtenDefault ? s.value.env?.find((e) => e.name === c.required && e.listed)?.listed : undefined;
      why = s.value.writtenDefault
        ? `${listed ? `${listed} lists ${c.required} to set` : `the deployment sets ${c.required}`} (its value is not in the files); where it is not set, the default written in the settings is used`
        : `the deployment must set ${c.required}: the settings do not start without it`;
      if (!variables.includes(c.required)) variables.unshift(c.required);
    } else if (c.whenSet !== undefined) {
      state = 'environment';
      json = null;
      why = `read from ${c.whenSet} when the deployment sets it; without it the settings do not bind it`;
      if (!variables.includes(c.whenSet)) variables.unshift(c.whenSet);
    } else if (c.defaults.length > 0 || s.value.origin === 'env-default') {
      // what production gets when the variable is not set: as written unless the deployment sets it
      state = 'overridable';
      const vars = c.defaults.length > 0 ? c.defaults : variables;
      why = `the default used when ${vars.length ? vars.join(', ') : 'the environment variable'} ${vars.length > 1 ? 'are' : 'is'} not set`;
      for (const v of vars) if (!variables.includes(v)) variables.push(v);
      for (const v of vars) over.push({ kind: 'variable', name: v, presence: 'optional' });
    } else if (deploymentVariable(s.value)) {
      // read from a variable a deployment file sets (a manifest's env, fly.toml's [env])
      const d = deploymentVariable(s.value)!;
      state = 'environment';
      const where = place(d.loc);
      why = `${d.name} as ${where ? `${where.file}:${where.line}` : rel(d.loc.file)} sets it for the production process`;
      if (!variables.includes(d.name)) variables.unshift(d.name);
    } else {
      state = 'known';
      why = s.value.origin === 'literal' ? 'written in the settings' : 'computed from what the settings write';
    }
    // an attribute of the django-configurations class production runs: which class, and why that one
    const configuration = settings.module.configuration;
    if (configuration?.names.has(name))
      why += `; an attribute of the django-configurations class ${configuration.cls} (${configuration.why})`;
    if (options.diff && state !== 'unknown') {
      const def = djangoDefault(name, settings.version.version, settings.anchor);
      if (def && equalJson(convert(def, { json: null, defaults: [] }), json)) continue;
    }
    // a module or file the deployment supplies or may add, imported or exec'd after the binding (a
    // git-ignored local_settings.py, /etc/app/app.conf): as written unless it overrides it
    // …or bound in the branch the absence of environment variables selects (`if "DATABASE_URL" in
    // os.environ: … else: …`): as written unless the deployment sets one
    if ((state === 'known' || state === 'overridable') && s.overriddenBy?.length) {
      const isVar = (o: Override): boolean => o.kind === 'variable';
      const fresh = (o: Override): boolean => isVar(o) && !over.some((x) => isVar(x) && x.name === o.name);
      const vars = [...new Set(s.overriddenBy.filter((o) => fresh(o) && !o.replaces && !o.presumed).map((o) => o.name))];
      const presumed = s.overriddenBy.filter((o) => isVar(o) && o.presumed);
      const replacing = [...new Set(s.overriddenBy.filter((o) => fresh(o) && o.replaces).map((o) => o.name))];
      const files = overrideNames(s.overriddenBy);
      if (state === 'known') why = `as ${why}`;
      state = 'overridable';
      over.push(...s.overriddenBy.filter((o) => !(isVar(o) && over.some((x) => isVar(x) && x.name === o.name))));
      if (vars.length > 0) {
        why += `, in the branch taken when ${vars.join(' and ')} ${vars.length > 1 ? 'are' : 'is'} not set`;
        for (const v of vars) if (!variables.includes(v)) variables.push(v);
      }
      if (presumed.length > 0) {
        why += `, ${presumedBranchText([...new Set(presumed.map((o) => o.name))], presumed[0]!.presumed!)}`;
        for (const o of presumed) if (!variables.includes(o.name)) variables.push(o.name);
      }
      if (replacing.length > 0) {
        why += `, unless ${replacing.join(' or ')} is set`;
        for (const v of replacing) if (!variables.includes(v)) variables.push(v);
      }
      if (files) why += `, unless ${files} overrides it${templateNote(s.overriddenBy)}`;
    }
    const chain = binding ? chainOf(name, binding, read, prodFile).map(rel) : [];
    const overrides = binding
      ? overridden(name, binding, read)
          .map((b) => place(b.target ?? b.stmt))
          .filter((p) => p !== undefined)
      : [];
    out.push({
      name,
      value: mask(json, input.secrets, name),
      state,
      file: at?.file ?? null,
      line: at?.line ?? null,
      why: redact(why, input.secrets),
      ...(variables.length ? { variables } : {}),
      ...(chain.length > 1 ? { chain } : {}),
      ...(overrides.length ? { overrides } : {}),
      ...(over.length ? { overriddenBy: overriddenBy(over) } : {}),
    });
  }
  return out;
}

/** " (the deployment's copy of local_settings.example.py)" when a supplied module has a committed template. */
function templateNote(ovs: readonly Override[]): string {
  const t = ovs.find((o) => o.template && o.presence === 'supplied');
  return t ? ` (the deployment's copy of ${t.template})` : '';
}

function sameBinding(a: Binding | undefined, b: Binding): boolean {
  return a !== undefined && a.target?.file === b.target?.file && a.target?.start === b.target?.start && a.value === b.value;
}

/** The module files the binding passed through: the one that bound it, then each that star-imported it, then production. */
function chainOf(name: string, binding: Binding, read: readonly ModuleResult[], prodFile: string): string[] {
  const through = read.filter((m) => sameBinding(m.scope.get(name), binding)).map((m) => m.ref.file);
  return [...through, prodFile];
}

/** The earlier bindings of the name in the modules production read, that the final one replaced. */
function overridden(name: string, binding: Binding, read: readonly ModuleResult[]): Binding[] {
  const seen = new Set<string>();
  const out: Binding[] = [];
  for (const m of read) {
    const b = m.scope.get(name);
    if (!b || !b.target || sameBinding(b, binding) || b.target.file === binding.target?.file) continue;
    const key = `${b.target.file}:${b.target.start}`;
    if (seen.has(key)) continue;
    seen.add(key);
    out.push(b);
  }
  return out;
}

/** The text of a settings view, one setting a line: `NAME = value  (state — file:line; why)`. */
export function settingsViewText(entries: readonly SettingEntry[]): string {
  return entries
    .map((e) => {
      const value =
        e.state === 'unknown' ? '?' : e.value === null && e.state === 'environment' ? '(from the environment)' : pyRepr(e.value);
      const where = e.file ? `${e.file}:${e.line}` : "Django's default";
      const via = e.chain && e.chain.length > 1 ? ` via ${e.chain.join(' → ')}` : '';
      const over = e.overrides?.length ? `, overriding ${e.overrides.map((o) => `${o.file}:${o.line}`).join(', ')}` : '';
      return `${e.name} = ${value}  # ${e.state}: ${where}${via}${over}${e.state === 'default' && !e.overriddenBy ? '' : `; ${e.why}`}`;
    })
    .join('\n');
}

/** A Python-like spelling of a JSON value (True, None, 'text'). */
export function pyRepr(v: JsonValue): string {
  if (v === null) return 'None';
  if (typeof v === 'boolean') return v ? 'True' : 'False';
  if (typeof v === 'number') return String(v);
  if (typeof v === 'string') return `'${v.replace(/\\/g, '\\\\').replace(/'/g, "\\'").replace(/\n/g, '\\n')}'`;
  if (Array.isArray(v)) return `[${v.map(pyRepr).join(', ')}]`;
  return `{${Object.entries(v)
    .map(([k, x]) => `${pyRepr(k)}: ${pyRepr(x)}`)
    .join(', ')}}`;
}

/** One project's settings view with what names it, as the `settings` command's text prints it. */
export interface SettingsViewReport {
  /** The project's root, relative to the folder analysed ('.' for the folder itself). */
  readonly root: string;
  readonly module: string | null;
  /** The production module's file, relative to the folder analysed. */
  readonly file: string | null;
  /** Why no production module was found, when none was. */
  readonly reason: string | null;
  readonly djangoVersion: string;
  readonly settings: readonly SettingEntry[];
}

/** The text of a project's settings view: a heading (module, file, Django version), then settingsViewText. */
export function settingsViewReportText(v: SettingsViewReport, diff: boolean): string {
  const head = v.module
    ? `${v.root === '.' ? '' : `${v.root}: `}${v.module} (${v.file}), Django ${v.djangoVersion}${diff ? ', only what differs from the defaults' : ''}`
    : `${v.root}: no production settings module${v.reason ? ` (${v.reason})` : ''}`;
  return `${head}\n${v.settings.length ? `${settingsViewText(v.settings)}\n` : ''}`;
}
