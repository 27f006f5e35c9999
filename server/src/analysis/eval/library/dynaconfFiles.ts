// The settings files DjangoDynaconf(__name__, settings_files=[…]) loads into the settings module,
// read as dynaconf reads them (catalogue DYNACONF_SETTINGS_FILES, dynaconf 3.1.7, checked against
// it in test/libdiff): each file found, then each one's `<name>.local.<ext>`; of each, with layered
// environments (the Django extension's default), its `default:` section, the section named for the
// variables' prefix, the one of the current environment (DJANGO_ENV, else ENV_FOR_DYNACONF, else
// development) and `global:`, every key upper-cased into a setting. YAML only: another format, an
// option that changes what is read, or a path the analysis cannot read leaves the call to the
// reading it had before (every setting not set is unknown).
import * as nodePath from 'node:path';
import { DYNACONF_DJANGO, DYNACONF_SETTINGS_FILES, DYNACONF_VALUE_TOKENS } from '../../catalogue/libraries';
import type { CallArgs } from '../api';
import type { DataNode, ModuleHost } from '../host';
import * as V from '../values';
import type { Loc, Value } from '../values';

/** A setting a settings file gives. */
export interface FileSetting {
  readonly value: Value;
  /** Its key in the file. */
  readonly key: Loc;
  /**
   * Given by the section of an environment chosen because no variable names one (development):
   * as written unless the deployment names another environment.
   */
  readonly byDefaultEnv: boolean;
}

/** A settings file the call names that production may have although the repository does not. */
export interface AbsentFile {
  /** As shown: `config/.secrets.yaml`. */
  readonly shown: string;
  /** `git ignores it`, `not in the repository`. */
  readonly why: string;
  /** The settings a file loaded after it gives (it does not override them). */
  readonly after: ReadonlySet<string>;
}

export interface DynaconfFiles {
  /** The settings the files give, by name (upper-case), the last one loaded. */
  readonly settings: ReadonlyMap<string, FileSetting>;
  /** The prefixes of the variables it reads after the files (`<PREFIX>_<NAME>`), the global one first. */
  readonly prefixes: readonly string[];
  readonly absent: readonly AbsentFile[];
  /** The variables that would name another environment, when none is set. */
  readonly switches: readonly string[];
  /** The environment whose section was loaded (`production`), undefined when unknown. */
  readonly env: string | undefined;
  /** The files read, in order. */
  readonly read: readonly string[];
}

/**
 * What DjangoDynaconf's settings files give: undefined when the call names none (dynaconf then
 * searches its default names, not followed here), `{ unread }` when they cannot be read as it does.
 */
export function dynaconfFiles(
  args: CallArgs,
  moduleFile: string,
  host: ModuleHost,
  envValue: (name: string) => Value | undefined,
): DynaconfFiles | { readonly unread: string } | undefined {
  const O = DYNACONF_SETTINGS_FILES.options.value;
  const option = (names: readonly string[]): Value | undefined => {
    for (const n of names) {
      const v = args.kw.get(n);
      if (v !== undefined) return v;
    }
    return undefined;
  };
  const listed = option(O.settingsFiles);
  if (listed === undefined) return undefined;
  if (args.unknownSplat || args.pos.length > 1) return { unread: 'its arguments cannot all be read' };
  for (const n of O.unread) if (args.kw.has(n)) return { unread: `its ${n} option changes what it reads` };
  if (!host.dataFile || !host.fileStatus) return { unread: 'the files cannot be read here' };

  // the variables' prefix (the Django extension's DJANGO unless given) and the global DYNACONF
  const given = option(O.envvarPrefix);
  if (given !== undefined && given.kind !== 'str') return { unread: 'its variables’ prefix cannot be read' };
  const prefix = given?.kind === 'str' ? given.v.toUpperCase() : DYNACONF_DJANGO.envPrefix.value;
  const global = DYNACONF_DJANGO.globalEnvPrefix.value;
  const prefixes = prefix === global ? [global] : [global, prefix];

  const layered = option(O.environments);
  if (layered !== undefined && layered.kind !== 'bool' && layered.kind !== 'list')
    return { unread: 'whether it reads environments cannot be read' };
  const environments = layered === undefined ? DYNACONF_SETTINGS_FILES.djangoDefaults.value.environments : V.truthy(layered) === true;
  const switcher = option(O.envSwitcher);
  if (switcher !== undefined && switcher.kind !== 'str') return { unread: 'the variable naming its environment cannot be read' };
  const switches = [switcher?.kind === 'str' ? switcher.v : DYNACONF_SETTINGS_FILES.djangoDefaults.value.envSwitcher];
  const envVariable = DYNACONF_SETTINGS_FILES.djangoDefaults.value.envVariable;
  if (!switches.includes(envVariable)) switches.push(envVariable);
  const defaultSection = option(O.defaultEnv);
  if (defaultSection !== undefined && defaultSection.kind !== 'str') return { unread: 'its default section cannot be read' };

  // the environment: the first switch the deployment sets, else development
  let env: string | undefined = DYNACONF_SETTINGS_FILES.defaultEnv.value.current;
  let envSet = false;
  for (const s of switches) {
    const v = envValue(s);
    if (v === undefined) continue;
    env = v.kind === 'str' ? v.v.toLowerCase() : undefined;
    envSet = true;
    break;
  }

  // the files, as find_file finds them
  const items = listed.kind === 'list' || listed.kind === 'tuple' ? listed.items : [listed];
  const names: string[] = [];
  for (const item of items) {
    if (item.kind === 'path') names.push(item.v);
    else if (item.kind === 'str')
      names.push(
        ...item.v
          .split(',')
          .map((s) => s.trim())
          .filter(Boolean),
      );
    else return { unread: 'a settings file it names cannot be read' };
  }
  const yaml = DYNACONF_SETTINGS_FILES.yamlExtensions.value as readonly string[];
  const root = nodePath.dirname(moduleFile);
  const shownFrom = nodePath.dirname(root);
  const show = (file: string): string => {
    const rel = nodePath.relative(shownFrom, file);
    return rel.startsWith('..') || nodePath.isAbsolute(rel) ? file : rel.split(nodePath.sep).join('/');
  };
  /** The files to load in order (undefined: absent), with the absent ones' places. */
  const order: ({ file: string } | { absent: string; why: string })[] = [];
  const found: string[] = [];
  for (const name of names) {
    const hit = findFile(name, root, host, DYNACONF_SETTINGS_FILES.search.value.subfolder);
    if (hit.file === undefined) {
      order.push({
        absent: nodePath.isAbsolute(name) ? show(name) : name,
        why: hit.ignored ? 'git ignores it' : 'the repository does not have it',
      });
      continue;
    }
    if (!yaml.some((e) => hit.file!.toLowerCase().endsWith(e))) return { unread: `${show(hit.file)} is not a YAML file` };
    order.push({ file: hit.file });
    found.push(hit.file);
  }
  // each found file's .local. twin, after them all, when the repository has it
  const infix = DYNACONF_SETTINGS_FILES.localFiles.value.infix;
  for (const file of found) {
    if (nodePath.basename(file).includes(infix)) continue;
    const base = nodePath.basename(file);
    const dot = base.lastIndexOf('.');
    const local = nodePath.join(nodePath.dirname(file), `${base.slice(0, dot)}${infix}${base.slice(dot + 1)}`);
    if (host.fileStatus(local) === 'found') order.push({ file: local });
  }

  const sectionNames = DYNACONF_SETTINGS_FILES.defaultEnv.value;
  const defaults = (defaultSection?.kind === 'str' ? defaultSection.v : sectionNames.defaults).toLowerCase();
  const fixed = new Set([defaults, prefix.toLowerCase(), sectionNames.global]);
  const settings = new Map<string, FileSetting>();
  const absent: { shown: string; why: string; after: Set<string> }[] = [];
  const read: string[] = [];
  /** The settings a section of some environment sets (another environment may give them otherwise). */
  const envDependent = new Set<string>();
  const set = (name: string, value: Value, key: Loc): void => {
    settings.set(name, { value, key, byDefaultEnv: false });
    for (const a of absent) a.after.add(name);
  };
  for (const step of order) {
    if ('absent' in step) {
      absent.push({ shown: step.absent, why: step.why, after: new Set() });
      continue;
    }
    const data = host.dataFile(step.file);
    if (!data) return { unread: `${show(step.file)} cannot be read` };
    read.push(step.file);
    if (data.root?.kind !== 'map') continue;
    const top = new Map<string, { key: Loc; value: DataNode | undefined }>();
    for (const e of data.root.entries) top.set(e.key.value.toLowerCase(), { key: e.key.loc, value: e.value });
    const merging = top.has(DYNACONF_SETTINGS_FILES.merging.value.marker);
    if (environments)
      for (const [name, entry] of top)
        if (!fixed.has(name) && entry.value?.kind === 'map')
          for (const e of entry.value.entries) envDependent.add(settingName(e.key.value));
    const load = (section: DataNode | undefined): void => {
      if (section?.kind !== 'map') return;
      const sectionMerges = section.entries.some(
        (e) => e.key.value.toUpperCase() === DYNACONF_SETTINGS_FILES.merging.value.marker.toUpperCase(),
      );
      for (const e of section.entries) {
        const key = e.key.value;
        if (key.toUpperCase() === DYNACONF_SETTINGS_FILES.merging.value.marker.toUpperCase()) continue;
        const nested = DYNACONF_SETTINGS_FILES.merging.value.nested.find((sep) => key.includes(sep));
        if (nested !== undefined) {
          const name = key.slice(0, key.indexOf(nested)).toUpperCase();
          if (name) set(name, V.unknown(`dynaconf sets part of ${name} from ${key} in ${show(step.file)}`, e.key.loc), e.key.loc);
          continue;
        }
        const name = key.toUpperCase();
        const value =
          (merging || sectionMerges) && settings.has(name)
            ? V.unknown(`dynaconf merges ${key} of ${show(step.file)} into the value loaded before it`, e.value?.loc ?? e.key.loc)
            : yamlValue(e.value, e.key.loc, show(step.file));
        set(name, value, e.key.loc);
      }
    };
    if (!environments) {
      load(data.root);
      continue;
    }
    const sections = [defaults, prefix.toLowerCase(), env, sectionNames.global].filter((s, i, all) => all.indexOf(s) === i);
    for (const s of sections) {
      if (s !== undefined) {
        load(top.get(s)?.value);
        continue;
      }
      // an environment the analysis cannot read: whatever any environment's section sets is unknown
      for (const [name, entry] of top) {
        if (fixed.has(name) || entry.value?.kind !== 'map') continue;
        for (const e of entry.value.entries) {
          const setting = e.key.value.toUpperCase();
          const why = `dynaconf reads ${setting} from the section of ${show(step.file)} that ${switches.join(' or ')} names, which the analysis cannot read`;
          set(setting, V.unknown(why, e.key.loc), e.key.loc);
        }
      }
    }
  }
  if (!envSet) for (const [name, s] of settings) if (envDependent.has(name)) settings.set(name, { ...s, byDefaultEnv: true });
  return { settings, prefixes, absent, switches: envSet ? [] : switches, env, read };
}

/** A key's setting: the part before a nested key's separator, upper-cased. */
function settingName(key: string): string {
  const nested = DYNACONF_SETTINGS_FILES.merging.value.nested.find((sep) => key.includes(sep));
  return (nested === undefined ? key : key.slice(0, key.indexOf(nested))).toUpperCase();
}

/**
 * Where find_file finds a settings file: an absolute path where it is; a relative one in the
 * module's folder, its `config` folder, then each folder above (inside the workspace), first found.
 */
function findFile(name: string, root: string, host: ModuleHost, subfolder: string): { file?: string; ignored: boolean } {
  let ignored = false;
  const at = (file: string): boolean => {
    const s = host.fileStatus!(file);
    if (s === 'ignored') ignored = true;
    return s === 'found';
  };
  if (nodePath.isAbsolute(name)) return at(name) ? { file: name, ignored } : { ignored };
  let dir = root;
  for (let i = 0; i < 64; i++) {
    for (const file of [nodePath.join(dir, name), nodePath.join(dir, subfolder, name)]) if (at(file)) return { file, ignored };
    const up = nodePath.dirname(dir);
    if (up === dir || host.listDir?.(up) === undefined) break;
    dir = up;
  }
  return { ignored };
}

const TOKENS: readonly string[] = [
  ...DYNACONF_VALUE_TOKENS.none.value,
  ...DYNACONF_VALUE_TOKENS.flag.value,
  ...DYNACONF_VALUE_TOKENS.cast.value,
  DYNACONF_VALUE_TOKENS.template.value.format,
  DYNACONF_VALUE_TOKENS.template.value.jinja,
];

/**
 * A YAML value as dynaconf's loader types it (ruamel's safe_load, YAML 1.2: null, true/false,
 * decimal integers and plain decimals typed; any other plain scalar starting like a number — an
 * octal, hexadecimal, date or exponent — unknown), a string dynaconf converts by its token unknown,
 * and a collection marked to merge unknown.
 */
function yamlValue(node: DataNode | undefined, at: Loc, file: string): Value {
  if (node === undefined) return V.none('literal', at);
  if (node.kind === 'scalar') {
    const t = node.value;
    if (node.style === 'plain') {
      if (t === '~' || t === 'null' || t === 'Null' || t === 'NULL') return V.none('literal', node.loc);
      if (t === 'true' || t === 'True' || t === 'TRUE') return V.bool(true, 'literal', node.loc);
      if (t === 'false' || t === 'False' || t === 'FALSE') return V.bool(false, 'literal', node.loc);
      if (/^[-+]?(?:0|[1-9][0-9]*)$/.test(t) && Number.isSafeInteger(Number(t))) return V.int(Number(t), 'literal', node.loc);
      if (/^[-+]?(?:[0-9]+\.[0-9]*|\.[0-9]+)$/.test(t)) return V.float(Number(t), 'literal', node.loc);
      if (/^[-+.0-9]/.test(t)) return V.unknown(`${t} as dynaconf's YAML loader types it`, node.loc);
    }
    const token = t.startsWith('@') ? t.split(/\s/, 1)[0]! : undefined;
    if (token !== undefined && TOKENS.includes(token))
      return V.unknown(`dynaconf converts this ${file} value by its ${token} token when it loads it`, node.loc);
    return V.str(t, 'literal', node.loc);
  }
  const marker = DYNACONF_SETTINGS_FILES.merging.value.marker;
  if (node.kind === 'map') {
    if (node.entries.some((e) => e.key.value.toLowerCase().startsWith(marker)))
      return V.unknown(`dynaconf merges this ${file} value into the one loaded before it`, node.loc);
    return V.dict(
      node.entries.map((e) => V.str(e.key.value, 'literal', e.key.loc)),
      node.entries.map((e) => yamlValue(e.value, e.key.loc, file)),
      'literal',
      node.loc,
    );
  }
  if (node.items.some((i) => i.kind === 'scalar' && i.value.toLowerCase().startsWith(marker)))
    return V.unknown(`dynaconf merges this ${file} value into the one loaded before it`, node.loc);
  return V.seq(
    'list',
    node.items.map((i) => yamlValue(i, i.loc, file)),
    'literal',
    node.loc,
  );
}
