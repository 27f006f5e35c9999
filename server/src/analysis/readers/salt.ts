// SaltStack's state tree and pillar, as far as they say what a managed file becomes on the server.
// An SLS file is Jinja rendered to YAML: it is read as YAML with its Jinja parts made blank, every
// offset kept (a `{% … %}` line becomes spaces, a `{{ … }}` underscores of its length), each value
// then taken as written from the file, Jinja included. A `file.managed` state with `template: jinja`
// renders its `source` (`salt://…`, under the file roots: the folder of the state tree's top.sls) to
// its `name`, filling in its `defaults`, its `context` over them and the minion's pillar; the
// pillar is production's where the pillar top file maps files to a target or an environment named
// for production (or, without one, a pillar file is named for production), merged in the top
// file's order (catalogue/salt.ts). What the repository cannot show (grains, a `{% set %}`, an
// imported macro, a filter) is unknown: such an expression stays as written.
import * as path from 'node:path';
import type { FileSystem } from '../files/fs';
import type { ScannedFile, TemplateFill } from '../files/scan';
import { SALT_JINJA_TEMPLATES, SALT_MANAGED_FUNCTION, SALT_PILLAR_FOLDER, SALT_TOP_FILE } from '../catalogue/salt';
import { printedScalar } from './ansible';
import { templateAsText, templateExpressions } from './jinja';
import { parseYamlDocuments, type YamlMap, type YamlNode, type YamlScalar } from './yaml';

/** An SLS file's text as YAML reads it, every offset kept: its Jinja statements and comments blank, each `{{ … }}` underscores. */
export function slsAsYaml(text: string): string {
  return templateAsText(text, (n) => '_'.repeat(n));
}

/** The documents of an SLS file read as YAML (slsAsYaml); none when it is not YAML. Never throws. */
function slsDocuments(file: string, text: string): YamlNode[] {
  if (text.length > 500_000) return [];
  try {
    return parseYamlDocuments(file, slsAsYaml(text)).documents.filter((d): d is YamlNode => d !== undefined);
  } catch {
    return [];
  }
}

/**
 * A scalar as the SLS file writes it (`{{ pillar['project_name'] }}`, Jinja kept): the file's text
 * at its place, without the quotes of a quoted one; a block scalar's value.
 */
export function writtenScalar(text: string, s: YamlScalar): string {
  const raw = text.slice(s.loc.start, s.loc.end);
  if ((s.style === 'single' || s.style === 'double') && raw.length >= 2 && raw[0] === raw[raw.length - 1]) return raw.slice(1, -1);
  if (s.style === 'plain') return raw.trim();
  return raw.includes('{{') || raw.includes('{%') ? raw : s.value;
}

/** A `file.managed` state of an SLS file. */
export interface SaltManagedFile {
  /** The SLS file. */
  readonly file: string;
  /** Zero-based line of the state's ID. */
  readonly line: number;
  /** The state's ID as written. */
  readonly id: string;
  /** Where the file is written (`name:`, else the ID), as written. */
  readonly name: string;
  /** `source:` as written, each of a list in order (the first found is used). */
  readonly sources: readonly string[];
  /** `template:` (`jinja`), when set. */
  readonly template?: string;
  /** The variables the template gets from `defaults:` with `context:` over them, each as written (Jinja kept). */
  readonly context: ReadonlyMap<string, string>;
}

/** The `file.managed` states of an SLS file (top-level state IDs; `include:` and `extend:` are not states). Never throws. */
export function saltManagedFiles(file: string, text: string): SaltManagedFile[] {
  if (!text.includes('managed')) return [];
  const out: SaltManagedFile[] = [];
  for (const doc of slsDocuments(file, text)) {
    if (doc.kind !== 'map') continue;
    for (const state of doc.entries) {
      const id = state.key.value;
      if (id === 'include' || id === 'extend' || state.value?.kind !== 'map') continue;
      for (const fn of state.value.entries) {
        const args = managedArgs(fn.key.value, fn.value);
        if (!args) continue;
        const scalar = (key: string): string | undefined => {
          const v = args.find((a) => a.key === key)?.value;
          return v?.kind === 'scalar' ? writtenScalar(text, v) : undefined;
        };
        const sourceNode = args.find((a) => a.key === 'source')?.value;
        const sources =
          sourceNode?.kind === 'scalar'
            ? [writtenScalar(text, sourceNode)]
            : sourceNode?.kind === 'seq'
              ? sourceNode.items.flatMap((i) => (i?.kind === 'scalar' ? [writtenScalar(text, i)] : []))
              : [];
        const context = new Map<string, string>();
        for (const key of ['defaults', 'context']) {
          const m = args.find((a) => a.key === key)?.value;
          if (m?.kind !== 'map') continue;
          for (const e of m.entries) if (e.value?.kind === 'scalar') context.set(e.key.value, writtenScalar(text, e.value));
        }
        const template = scalar('template');
        let line = 0;
        for (let i = text.indexOf('\n'); i >= 0 && i < state.key.loc.start; i = text.indexOf('\n', i + 1)) line++;
        out.push({
          file,
          line,
          id: text.slice(state.key.loc.start, state.key.loc.end).trim() || id,
          name: scalar('name') ?? (text.slice(state.key.loc.start, state.key.loc.end).trim() || id),
          sources,
          ...(template ? { template } : {}),
          context,
        });
      }
    }
  }
  return out;
}

/**
 * The arguments of a state function when it is `file.managed`: `file.managed: [- name: …, …]` or
 * `file: [- managed, - name: …]`, each `- key: value` item as a pair.
 */
function managedArgs(key: string, value: YamlNode | undefined): { key: string; value: YamlNode | undefined }[] | undefined {
  const short = key === `${SALT_MANAGED_FUNCTION.module}.${SALT_MANAGED_FUNCTION.fn}`;
  if (!short && key !== SALT_MANAGED_FUNCTION.module) return undefined;
  if (value?.kind !== 'seq') return short ? [] : undefined;
  if (!short && !value.items.some((i) => i?.kind === 'scalar' && i.value === SALT_MANAGED_FUNCTION.fn)) return undefined;
  const out: { key: string; value: YamlNode | undefined }[] = [];
  for (const item of value.items) if (item?.kind === 'map') for (const e of item.entries) out.push({ key: e.key.value, value: e.value });
  return out;
}

/** The file a `salt://path` source names under the file roots `fileRoot`; undefined for another scheme or a path with Jinja or `..` in it. */
export function saltSourcePath(fileRoot: string, source: string): string | undefined {
  const m = /^salt:\/\/([^?\s]{1,500})/.exec(source.trim());
  if (!m || m[1]!.includes('{') || m[1]!.split('/').includes('..')) return undefined;
  return path.join(fileRoot, ...m[1]!.split('/'));
}

/** Words of a target's or an environment's name that say production. */
const PRODUCTION = /^(prod|production|live)$/;

function namedForProduction(name: string): boolean {
  return name
    .toLowerCase()
    .split(/[^a-z0-9]+/)
    .some((w) => PRODUCTION.test(w));
}

/** A pillar value: a scalar as printed in a template (undefined: only the deployment knows it), or a mapping. */
type PillarValue =
  | { readonly kind: 'scalar'; readonly value: string | undefined; readonly file: string }
  | { readonly kind: 'map'; readonly entries: Map<string, PillarValue> }
  | { readonly kind: 'other'; readonly file: string };

/** The production minions' pillar as the repository gives it. */
export interface SaltPillar {
  /** Why it is production's: "conf/pillar/top.sls maps production to environment:production". */
  readonly why: string;
  /** The files it is merged from, in order. */
  readonly files: readonly string[];
  /** The value of a key path (`['project_name']`, `['db', 'host']`): its printed value and file, or undefined when not known. */
  lookup(keys: readonly string[]): { readonly value: string; readonly file: string } | undefined;
}

/**
 * The pillar of the production minions for a state tree rooted at `stateRoot`: the pillar tree
 * (a `pillar` folder holding a top.sls, the nearest to the state tree) whose top file maps pillar
 * files to a target or an environment named for production, the files for every minion (`'*'`)
 * with them; without such a target, the files for every minion and one named for production
 * (`production.sls`, `prod.sls`). Undefined when no production pillar is identifiable.
 */
export function productionPillar(
  fs: FileSystem,
  files: readonly ScannedFile[],
  stateRoot: string,
  shown: (file: string) => string = (f) => f,
): SaltPillar | undefined {
  const tops = files.filter(
    (f) => f.kind === 'salt' && path.basename(f.path) === SALT_TOP_FILE && path.basename(path.dirname(f.path)) === SALT_PILLAR_FOLDER,
  );
  if (tops.length === 0) return undefined;
  const shared = (a: string): number => {
    const x = a.split(path.sep);
    const y = stateRoot.split(path.sep);
    let i = 0;
    while (i < x.length && i < y.length && x[i] === y[i]) i++;
    return i;
  };
  const top = [...tops].sort((a, b) => shared(b.path) - shared(a.path))[0]!.path;
  const pillarRoot = path.dirname(top);
  const text = fs.readText(top);
  if (text === undefined) return undefined;
  const doc = slsDocuments(top, text)[0];
  if (doc?.kind !== 'map') return undefined;
  const everyone: string[] = [];
  const production: { names: string[]; target: string }[] = [];
  const ordered: { name: string; production: boolean }[] = [];
  for (const env of doc.entries) {
    if (env.value?.kind !== 'map') continue;
    for (const t of env.value.entries) {
      if (t.value?.kind !== 'seq') continue;
      const names = t.value.items.flatMap((i) => (i?.kind === 'scalar' && !/[{}]/.test(i.value) && !/^_+$/.test(i.value) ? [i.value] : []));
      const prod = namedForProduction(env.key.value) || namedForProduction(t.key.value);
      if (t.key.value === '*' || prod) for (const n of names) ordered.push({ name: n, production: prod });
      if (t.key.value === '*' && !prod) everyone.push(...names);
      if (prod) production.push({ names, target: env.key.value === 'base' ? t.key.value : `${env.key.value}: ${t.key.value}` });
    }
  }
  const shownTop = shown(top);
  let names: string[];
  let why: string;
  if (production.length > 0) {
    names = ordered.map((o) => o.name);
    why = `the pillar top file ${shownTop} maps ${production.flatMap((p) => p.names).join(', ')} to ${production.map((p) => p.target).join(', ')}`;
  } else {
    const named = ['production', 'prod'].find((n) => slsFile(fs, pillarRoot, n));
    if (!named) return undefined;
    names = [...everyone, named];
    why = `the pillar file ${shown(slsFile(fs, pillarRoot, named)!)} is named for production`;
  }
  const merged = new Map<string, PillarValue>();
  const read: string[] = [];
  for (const n of names) {
    const file = slsFile(fs, pillarRoot, n);
    if (!file || read.includes(file)) continue;
    const t = fs.readText(file);
    if (t === undefined) continue;
    read.push(file);
    const d = slsDocuments(file, t)[0];
    if (d?.kind === 'map') mergeInto(merged, pillarMap(file, t, d));
  }
  return {
    why,
    files: read,
    lookup(keys) {
      let v: PillarValue | undefined = { kind: 'map', entries: merged };
      for (const k of keys) v = v?.kind === 'map' ? v.entries.get(k) : undefined;
      return v?.kind === 'scalar' && v.value !== undefined ? { value: v.value, file: v.file } : undefined;
    },
  };
}

/** The file of a pillar or state SLS name (`a.b`: `a/b.sls`, else `a/b/init.sls`) under `root`, when it exists. */
function slsFile(fs: FileSystem, root: string, name: string): string | undefined {
  if (!/^[\w.-]{1,200}$/.test(name)) return undefined;
  const parts = name.split('.').filter(Boolean);
  for (const f of [path.join(root, ...parts) + '.sls', path.join(root, ...parts, 'init.sls')]) if (fs.exists(f)) return f;
  return undefined;
}

/**
 * Whether an offset of a Jinja text lies inside a block statement (`{% if %}` … `{% endif %}`,
 * `{% for %}` … `{% endfor %}`): what is written there may be absent, repeated or another branch's.
 */
function inJinjaBlock(text: string): (offset: number) => boolean {
  const marks: { at: number; depth: number }[] = [];
  let depth = 0;
  const re = /\{%-?[ \t]*(\w+)/g;
  for (let m = re.exec(text); m; m = re.exec(text)) {
    const word = m[1]!;
    if (word === 'if' || word === 'for') depth++;
    else if ((word === 'endif' || word === 'endfor') && depth > 0) depth--;
    else continue;
    marks.push({ at: m.index, depth });
  }
  return (offset) => {
    let d = 0;
    for (const k of marks) {
      if (k.at > offset) break;
      d = k.depth;
    }
    return d > 0;
  };
}

/** A pillar file's mapping: each key written plainly (no Jinja); a value inside a Jinja block (an `{% if %}`'s branch) unknown. */
function pillarMap(file: string, text: string, m: YamlMap, inBlock = inJinjaBlock(text)): Map<string, PillarValue> {
  const out = new Map<string, PillarValue>();
  for (const e of m.entries) {
    const raw = text.slice(e.key.loc.start, e.key.loc.end);
    if (raw.includes('{') || /^_+$/.test(e.key.value)) continue;
    const v: PillarValue = inBlock(e.key.loc.start)
      ? { kind: 'scalar', value: undefined, file }
      : e.value === undefined
        ? { kind: 'scalar', value: 'None', file }
        : e.value.kind === 'map'
          ? { kind: 'map', entries: pillarMap(file, text, e.value, inBlock) }
          : e.value.kind === 'scalar'
            ? { kind: 'scalar', value: printedPillar(text, e.value), file }
            : { kind: 'other', file };
    out.set(e.key.value, out.has(e.key.value) ? { kind: 'scalar', value: undefined, file } : v);
  }
  return out;
}

/** A pillar scalar as a template prints it (Python's True/False/None for YAML's), undefined when Jinja writes it. */
function printedPillar(text: string, s: YamlScalar): string | undefined {
  const written = writtenScalar(text, s);
  if (written.includes('{{') || written.includes('{%')) return undefined;
  return printedScalar(s.style === 'plain' ? { ...s, value: written } : s);
}

/** `from` merged into `into`: mappings recursively, anything else replaced (Salt's default `smart` merging). */
function mergeInto(into: Map<string, PillarValue>, from: Map<string, PillarValue>): void {
  for (const [k, v] of from) {
    const was = into.get(k);
    if (was?.kind === 'map' && v.kind === 'map') {
      const copy = new Map(was.entries);
      mergeInto(copy, v.entries);
      into.set(k, { kind: 'map', entries: copy });
    } else into.set(k, v);
  }
}

/**
 * The pillar keys a template expression reads (`pillar['a']['b']`, `pillar.a`, `pillar.get('a:b')`,
 * `salt['pillar.get']('a:b')`, with a default or not), or undefined for any other expression (a
 * filter, a test, arithmetic).
 */
export function pillarKeys(expression: string): string[] | undefined {
  const s = expression.trim();
  const get =
    /^salt[ \t]*\[[ \t]*(['"])pillar\.get\1[ \t]*\][ \t]*\((.{1,300})\)$/.exec(s) ??
    /^pillar[ \t]*\.[ \t]*get[ \t]*\((.{1,300})\)$/.exec(s);
  if (get) {
    const args = get[get.length - 1]!;
    const key = /^[ \t]*(['"])([^'"]{1,200})\1[ \t]*(,.*)?$/.exec(args);
    return key ? key[2]!.split(':') : undefined;
  }
  if (!s.startsWith('pillar')) return undefined;
  const keys: string[] = [];
  let i = 'pillar'.length;
  while (i < s.length) {
    const c = s[i]!;
    if (c === ' ' || c === '\t') {
      i++;
      continue;
    }
    if (c === '.') {
      const w = /^\.[ \t]*([A-Za-z_]\w{0,100})/.exec(s.slice(i, i + 110));
      if (!w || w[1] === 'get') return undefined;
      keys.push(w[1]!);
      i += w[0].length;
      continue;
    }
    if (c === '[') {
      const b = /^\[[ \t]*(['"])([^'"\]]{1,200})\1[ \t]*\]/.exec(s.slice(i, i + 220));
      if (!b) return undefined;
      keys.push(b[2]!);
      i += b[0].length;
      continue;
    }
    return undefined;
  }
  return keys.length > 0 ? keys : undefined;
}

/** A value Salt renders from Jinja text: each `{{ … }}` a known pillar value, the rest literal; undefined when any part is unknown. */
function renderedValue(written: string, pillar: SaltPillar | undefined): string | undefined {
  if (written.includes('{%') || written.includes('{#')) return undefined;
  let out = '';
  let i = 0;
  const re = /\{\{-?([^{}\n]{0,200}?)-?\}\}/g;
  for (let m = re.exec(written); m; m = re.exec(written)) {
    const keys = pillarKeys(m[1]!);
    const v = keys && pillar?.lookup(keys);
    if (!v) return undefined;
    out += written.slice(i, m.index) + v.value;
    i = m.index + m[0].length;
  }
  return out + written.slice(i);
}

/** The inside of a `{{ … }}` (its trim marks off). */
function inside(written: string): string {
  return written.slice(2, -2).replace(/^-/, '').replace(/-$/, '').trim();
}

/** A committed template a Salt state renders onto the server. */
export interface SaltRenderedTemplate {
  /** The template (absolute). */
  readonly template: string;
  /** The state's `name:` as written. */
  readonly dest: string;
  /** "the Salt state gunicorn_conf in conf/salt/project/web/app.sls:7". */
  readonly by: string;
  /** Every `{{ … }}` of the template, each with its value where known. */
  readonly expressions: readonly TemplateFill[];
  /** Why the pillar values filled in are production's; undefined when none is. */
  readonly pillar?: string;
}

/**
 * The templates the Salt states among `files` render with Jinja, each with the values the
 * repository gives its expressions: a bare variable the state's `defaults`/`context` give (its
 * Jinja, which Salt renders with the state file, filled from the pillar), a pillar lookup, both
 * from production's pillar (productionPillar). `shown` writes a file's path for the reason.
 */
export function saltRenderedTemplates(
  fs: FileSystem,
  files: readonly ScannedFile[],
  shown: (file: string) => string,
): SaltRenderedTemplate[] {
  const sls = files.filter((f) => f.kind === 'salt');
  if (sls.length === 0) return [];
  const stateTops = sls
    .filter((f) => path.basename(f.path) === SALT_TOP_FILE && path.basename(path.dirname(f.path)) !== SALT_PILLAR_FOLDER)
    .map((f) => path.dirname(f.path));
  const pillars = new Map<string, SaltPillar | undefined>();
  const out: SaltRenderedTemplate[] = [];
  for (const f of sls) {
    if (path.basename(path.dirname(f.path)) === SALT_PILLAR_FOLDER && path.basename(f.path) !== SALT_TOP_FILE) continue;
    const text = fs.readText(f.path);
    if (text === undefined || !text.includes('salt://')) continue;
    for (const state of saltManagedFiles(f.path, text)) {
      if (!state.template || !SALT_JINJA_TEMPLATES.has(state.template.toLowerCase())) continue;
      const roots = stateTops.filter((r) => f.path.startsWith(r + path.sep)).sort((a, b) => b.length - a.length);
      const template = state.sources
        .flatMap((src) => roots.map((r) => saltSourcePath(r, src)))
        .find((c): c is string => c !== undefined && fs.exists(c));
      if (!template) continue;
      const root = roots.find((r) => template.startsWith(r + path.sep))!;
      if (!pillars.has(root)) pillars.set(root, productionPillar(fs, files, root, shown));
      const pillar = pillars.get(root);
      const ttext = fs.readText(template);
      if (ttext === undefined) continue;
      const expressions = templateExpressions(ttext).map((e): TemplateFill => {
        const inner = inside(e.written);
        const keys = pillarKeys(inner);
        const fromPillar = keys && pillar?.lookup(keys);
        const fromContext = /^[A-Za-z_]\w{0,100}$/.test(inner) ? state.context.get(inner) : undefined;
        const value = fromPillar ? fromPillar.value : fromContext !== undefined ? renderedValue(fromContext, pillar) : undefined;
        return { start: e.start, end: e.end, ...(value !== undefined ? { value } : {}) };
      });
      out.push({
        template,
        dest: state.name,
        by: `the Salt state ${state.id} in ${shown(f.path)}:${state.line + 1}`,
        expressions,
        ...(pillar ? { pillar: pillar.why } : {}),
      });
    }
  }
  return out;
}
