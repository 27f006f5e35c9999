// Ansible's variables, as a role's template sees them: what fills in a `templates/*.j2` that a
// task writes to the server (a uWSGI configuration whose `env =` lines loop over a dictionary of the
// app's environment). The repository holds the variables' files of the inventory and the role; the
// value a template gets is the one of the highest precedence among them (Ansible's documented
// order, lowest first: the role's defaults, the inventory's group_vars/all, its other group_vars,
// its host_vars, the play's `vars:`, the play's `vars_files:`, then the role's vars; a dictionary
// replaces a lower one whole, Ansible's default `hash_behaviour`). The plays read are those that run
// the role (`roles:`) or whose own tasks render a template of the folder (a playbook without roles
// beside its `templates/`). Extra vars, facts, block and task vars are not read: what they may set is
// said where it matters.
//   https://docs.ansible.com/ansible/latest/playbook_guide/playbooks_variables.html#understanding-variable-precedence
//   ("12. play vars … 14. play vars_files 15. role vars (defined in role/vars/main.yml)", ansible-core 2.17)
//   https://docs.ansible.com/ansible/latest/reference_appendices/config.html#default-hash-behaviour
import * as path from 'node:path';
import type { FileSystem } from '../files/fs';
import type { ScannedFile } from '../files/scan';
import { ANSIBLE_TASK_INCLUDES, ANSIBLE_TEMPLATE_LOOKUPS, ANSIBLE_TEMPLATE_MODULES, ANSIBLE_TEMPLATES_FOLDER } from '../catalogue/ansible';
import { parseYamlDocuments, yget, type YamlMap, type YamlNode, type YamlScalar } from './yaml';

/** A variable's value as one variables file writes it. */
export interface AnsibleBinding {
  readonly node: YamlNode;
  /** The file that writes it (absolute). */
  readonly file: string;
  /** "the role's defaults", "host_vars of openstates.org"… */
  readonly level: string;
}

/** The variables a role's templates see. */
export interface AnsibleScope {
  /** The role's folder (the one that holds `templates/`). */
  readonly role: string;
  /**
   * The values a variable may have where the role runs: the bindings of the highest level that
   * defines it (several when hosts or groups of that level each set their own), or none.
   */
  lookup(name: string): readonly AnsibleBinding[];
}

/** Words of a host's or group's name that say it is not production's. */
const NOT_PRODUCTION = /^(dev|devel|development|local|test|testing|tests|qa|staging|stage|vagrant|demo|sandbox|ci)$/;
const PRODUCTION = /^(prod|production|live)$/;
/** The folders that hold one inventory per environment (`environments/production/`). */
const INVENTORIES = /^(environments|envs|inventories|inventory)$/;

function words(name: string): string[] {
  return name
    .toLowerCase()
    .split(/[^a-z0-9]+/)
    .filter(Boolean);
}

interface VarsFile {
  readonly file: string;
  /** Its level's index in LEVELS (RANK). */
  readonly rank: number;
  /** The host or group it is for ('' for the role's own and group_vars/all; a play's `hosts:`). */
  readonly owner: string;
  /** A play's own `vars:` mapping (the variables are not the file's top level). */
  readonly vars?: YamlMap;
  /** How the level is named when not by LEVELS and the owner ("the vars: of the play in deploy/deploy.yml"). */
  readonly label?: string;
}

const LEVELS = [
  "the role's defaults",
  "the inventory file's group vars",
  'group_vars/all',
  'group_vars',
  "the inventory file's host vars",
  'host_vars',
  "the play's vars",
  "the play's vars_files",
  "the role's vars",
];
/** Each level's rank in LEVELS (Ansible's order, lowest first). */
const RANK = {
  defaults: 0,
  inventoryGroup: 1,
  groupAll: 2,
  group: 3,
  inventoryHost: 4,
  host: 5,
  play: 6,
  playFiles: 7,
  roleVars: 8,
} as const;
const TOP_RANK = LEVELS.length - 1;

/** The folder of a role that holds `file` in its `templates/` folder, or undefined. */
export function roleOfTemplate(file: string): string | undefined {
  const parts = file.split('/');
  const t = parts.lastIndexOf('templates');
  return t > 0 ? parts.slice(0, t).join('/') : undefined;
}

/**
 * The variables' files of the inventory beside a role (a `group_vars` or `host_vars` folder whose
 * parent, or the parent's parent, holds the role: `ansible/inventory/host_vars/` for
 * `ansible/openstates/`), among the scanned files.
 */
function inventoryFiles(files: readonly ScannedFile[], role: string): VarsFile[] {
  const out: VarsFile[] = [];
  for (const f of files) {
    // (`group_vars/all.yml`, or `group_vars/all` without an extension: YAML too)
    if (!/\.ya?ml$/.test(f.path) && !/\/(?:group|host)_vars\/[^/.]+$/.test(f.path)) continue;
    const parts = f.path.split('/');
    for (let i = parts.length - 2; i >= 1; i--) {
      const dir = parts[i]!;
      if (dir !== 'group_vars' && dir !== 'host_vars') continue;
      const holder = parts.slice(0, i).join('/');
      // an inventory per environment (`environments/production/group_vars/all.yml`): its variables
      // are that environment's, its name the hosts' and groups' it holds
      const env = INVENTORIES.test(path.posix.basename(path.posix.dirname(holder))) ? path.posix.basename(holder) : '';
      const near = [holder, path.posix.dirname(holder), ...(env ? [path.posix.dirname(path.posix.dirname(holder))] : [])].some(
        (a) => role === a || role.startsWith(`${a}/`),
      );
      if (!near) break;
      // host_vars/web1.yml, host_vars/web1/vars.yml
      const named = parts[i + 1]!.replace(/\.ya?ml$/, '');
      const owner = (n: string): string => (env ? (n ? `${env}/${n}` : env) : n);
      if (dir === 'group_vars')
        out.push({ file: f.path, rank: named === 'all' ? RANK.groupAll : RANK.group, owner: owner(named === 'all' ? '' : named) });
      else out.push({ file: f.path, rank: RANK.host, owner: owner(named) });
      break;
    }
  }
  return out;
}

/**
 * The variables a YAML inventory file beside a role writes (`inventory/production.yml`: `all:` with
 * `vars:`, `children:` groups with theirs, `hosts:` with each host's): its groups' vars (below
 * group_vars/all) and its hosts' (below host_vars), Ansible's "inventory file or script group vars"
 * and "host vars". The groups and hosts are the file's environment's where the file is named for one
 * (`production.yml` in an inventory folder), else their own names'.
 *   https://docs.ansible.com/ansible/latest/inventory_guide/intro_inventory.html#adding-variables-to-inventory
 */
function inventoryFileVars(fs: FileSystem, files: readonly ScannedFile[], role: string): VarsFile[] {
  const out: VarsFile[] = [];
  for (const f of files) {
    if (!/\.ya?ml$/.test(f.path) || /\/(?:group|host)_vars\//.test(f.path)) continue;
    const dir = path.posix.dirname(f.path);
    const inFolder = INVENTORIES.test(path.posix.basename(dir));
    const holder = inFolder ? path.posix.dirname(dir) : dir;
    if (!(role === holder || role.startsWith(`${holder}/`) || role.startsWith(`${path.posix.dirname(holder)}/`))) continue;
    if (!inFolder && !/^(?:hosts|inventory)\.ya?ml$/.test(path.posix.basename(f.path))) continue;
    const doc = firstDocument(fs, f.path);
    const all = doc?.kind === 'map' ? yget(doc, 'all') : undefined;
    if (all?.kind !== 'map') continue;
    const env = inFolder ? path.posix.basename(f.path).replace(/\.ya?ml$/, '') : '';
    const owner = (n: string): string => (env ? (n ? `${env}/${n}` : env) : n);
    const label = (what: string, n: string): string => `the ${what} of ${n || 'all'} in ${path.posix.basename(f.path)}`;
    const group = (node: YamlNode, name: string, depth: number): void => {
      if (node.kind !== 'map' || depth > 8 || out.length > 500) return;
      const vars = yget(node, 'vars');
      if (vars?.kind === 'map') out.push({ file: f.path, rank: RANK.inventoryGroup, owner: owner(name), vars, label: label('vars', name) });
      const hosts = yget(node, 'hosts');
      if (hosts?.kind === 'map')
        for (const h of hosts.entries)
          if (h.value?.kind === 'map')
            out.push({
              file: f.path,
              rank: RANK.inventoryHost,
              owner: owner(h.key.value),
              vars: h.value,
              label: label('host vars', h.key.value),
            });
      const children = yget(node, 'children');
      if (children?.kind === 'map') for (const c of children.entries) if (c.value) group(c.value, c.key.value, depth + 1);
    };
    group(all, '', 0);
  }
  return out;
}

/** The variables' files of a role: its defaults and its vars (`main.yml`, or the files of a `main/` folder). */
function roleFiles(files: readonly ScannedFile[], role: string): VarsFile[] {
  const out: VarsFile[] = [];
  for (const f of files) {
    if (!f.path.startsWith(`${role}/`)) continue;
    const rest = f.path.slice(role.length + 1);
    const m = /^(defaults|vars)\/(main\.ya?ml|main\/[^/]+\.ya?ml)$/.exec(rest);
    if (m) out.push({ file: f.path, rank: m[1] === 'defaults' ? RANK.defaults : RANK.roleVars, owner: '' });
  }
  return out;
}

/** The top-level mapping of a variables file (its first document), or undefined. */
function varsOf(fs: FileSystem, file: string, memo: Map<string, YamlMap | null>): YamlMap | undefined {
  let m = memo.get(file);
  if (m === undefined) {
    const text = fs.readText(file);
    let doc: YamlNode | undefined;
    try {
      doc = text === undefined ? undefined : parseYamlDocuments(file, text).documents[0];
    } catch {
      doc = undefined;
    }
    m = doc?.kind === 'map' ? doc : null;
    memo.set(file, m);
  }
  return m ?? undefined;
}

/**
 * Production's among the files of one level: those of hosts or groups named for production when some
 * are, else those not named for development, staging or tests (none when every one is: production's
 * hosts then take a lower level's value).
 */
function production(candidates: readonly VarsFile[]): VarsFile[] {
  const named = candidates.filter((c) => words(c.owner).some((w) => PRODUCTION.test(w)));
  if (named.length > 0) return named;
  return candidates.filter((c) => !words(c.owner).some((w) => NOT_PRODUCTION.test(w)));
}

/**
 * The scope of the role that holds each template among `files`, built when a template first asks:
 * undefined for a file in no role's `templates/` folder.
 */
export function ansibleScopes(fs: FileSystem, files: readonly ScannedFile[]): (file: string) => AnsibleScope | undefined {
  const scopes = new Map<string, AnsibleScope>();
  const memo = new Map<string, YamlMap | null>();
  let plays: readonly Play[] | undefined;
  return (file) => {
    const role = roleOfTemplate(file);
    if (!role) return undefined;
    let scope = scopes.get(role);
    if (!scope) {
      plays ??= playsOf(fs, files);
      const all = [
        ...roleFiles(files, role),
        ...inventoryFiles(files, role),
        ...inventoryFileVars(fs, files, role),
        ...playVars(fs, plays, role),
      ];
      const mapOf = (v: VarsFile): YamlMap | undefined => v.vars ?? varsOf(fs, v.file, memo);
      scope = {
        role,
        lookup(name) {
          for (let rank = TOP_RANK; rank >= 0; rank--) {
            const level = production(all.filter((v) => v.rank === rank && mapOf(v)?.entries.some((e) => e.key.value === name)));
            if (level.length === 0) continue;
            return level.map((v) => ({
              node: mapOf(v)!.entries.find((e) => e.key.value === name)!.value ?? emptyScalar(v.file),
              file: v.file,
              level: v.label ?? (v.owner ? `${LEVELS[rank]} of ${v.owner}` : LEVELS[rank]!),
            }));
          }
          return [];
        },
      };
      scopes.set(role, scope);
    }
    return scope;
  };
}

/** A play of a playbook: a mapping of its top-level list with `hosts:`. */
interface Play {
  readonly file: string;
  readonly play: YamlMap;
}

/** The plays of the scanned YAML files that may be playbooks (bounded: 200 files, 200 kB each). */
function playsOf(fs: FileSystem, files: readonly ScannedFile[]): Play[] {
  const out: Play[] = [];
  let read = 0;
  for (const f of files) {
    if (f.kind !== 'manifest' || !/\.ya?ml$/.test(f.path) || read >= 200) continue;
    const text = fs.readText(f.path);
    if (text === undefined || !text.includes('hosts') || !/^-[ \t]/m.test(text)) continue;
    read++;
    const doc = firstDocument(fs, f.path);
    if (doc?.kind !== 'seq') continue;
    for (const play of doc.items) if (play.kind === 'map' && yget(play, 'hosts')) out.push({ file: f.path, play });
  }
  return out;
}

/** The names a play's `roles:` lists (`- app`, `- role: app`, `- { role: app }`). */
function playRoles(play: YamlMap): string[] {
  const roles = yget(play, 'roles');
  if (roles?.kind !== 'seq') return [];
  const out: string[] = [];
  for (const r of roles.items) {
    const named = r.kind === 'map' ? (yget(r, 'role') ?? yget(r, 'name')) : r;
    if (named?.kind === 'scalar' && named.value) out.push(path.posix.basename(named.value.trim()));
  }
  return out;
}

/** Whether a template task of the play (at any depth) renders a template held in `folder`'s `templates/`. */
function rendersFrom(play: Play, folder: string): boolean {
  let found = false;
  const visit = (node: YamlNode | undefined, depth: number): void => {
    if (found || !node || node.kind === 'scalar' || depth > MAX_TASK_DEPTH) return;
    if (node.kind === 'seq') {
      for (const item of node.items) visit(item, depth + 1);
      return;
    }
    const entry = node.entries.find((e) => ANSIBLE_TEMPLATE_MODULES.has(e.key.value));
    if (entry) {
      const v = entry.value;
      const src =
        v?.kind === 'scalar'
          ? freeFormArgs(v.value).find(([k]) => k === 'src')?.[1]
          : v?.kind === 'map'
            ? scalarOf(yget(v, 'src'))
            : undefined;
      if (src && sourceCandidates(play.file, src).some((c) => c.startsWith(`${folder}/${ANSIBLE_TEMPLATES_FOLDER}/`))) found = true;
      return;
    }
    for (const e of node.entries) visit(e.value, depth + 1);
  };
  for (const key of ['tasks', 'pre_tasks', 'post_tasks', 'handlers']) visit(yget(play.play, key), 0);
  return found;
}

function scalarOf(node: YamlNode | undefined): string | undefined {
  return node?.kind === 'scalar' ? node.value : undefined;
}

/**
 * The variables of the plays that run the role held in `role` (its `roles:` names it, the play beside
 * the role's folder or its parent, as templateVariableValue finds them) or that render a template of
 * its `templates/` with a task of their own: each play's `vars:` and the files its `vars_files:`
 * names, relative to the playbook; its `hosts:` is whose they are.
 */
function playVars(fs: FileSystem, plays: readonly Play[], role: string): VarsFile[] {
  const out: VarsFile[] = [];
  const roleName = path.posix.basename(role);
  for (const p of plays) {
    const dir = path.posix.dirname(p.file);
    const near = dir === path.posix.dirname(role) || dir === path.posix.dirname(path.posix.dirname(role));
    if (!((near && playRoles(p.play).includes(roleName)) || rendersFrom(p, role))) continue;
    const hosts = scalarOf(yget(p.play, 'hosts')) ?? '';
    const vars = yget(p.play, 'vars');
    if (vars?.kind === 'map')
      out.push({ file: p.file, rank: RANK.play, owner: hosts, vars, label: `the vars: of the play in ${path.posix.basename(p.file)}` });
    const named = yget(p.play, 'vars_files');
    const list = named?.kind === 'seq' ? named.items : named ? [named] : [];
    for (const n of list) {
      const name = scalarOf(n)?.trim();
      if (!name || name.includes('{{') || name.startsWith('/')) continue;
      const file = path.posix.normalize(path.posix.join(dir, name));
      if (fs.exists(file))
        out.push({
          file,
          rank: RANK.playFiles,
          owner: hosts,
          label: `${path.posix.basename(file)}, a vars_files: of the play in ${path.posix.basename(p.file)}`,
        });
    }
  }
  return out;
}

/**
 * `text` (a task's `dest`, a template's line) with each `{{ variable }}` replaced by the one plain value
 * the scope gives it (printedScalar); undefined when any expression is not a bare variable with one.
 */
export function renderedWith(scope: AnsibleScope, text: string): string | undefined {
  if (!text.includes('{{')) return text;
  if (text.length > 2000 || text.includes('{%')) return undefined;
  let unknown = false;
  const out = text.replace(/\{\{-?[ \t]*([A-Za-z_]\w{0,100})[ \t]*-?\}\}/g, (_m, name: string) => {
    const v = plainOf(scope, name);
    if (v === undefined) unknown = true;
    return v ?? '';
  });
  return unknown || out.includes('{{') ? undefined : out;
}

/** The one plain value (printedScalar) production's bindings of `name` agree on, or undefined. */
export function plainOf(scope: AnsibleScope, name: string): string | undefined {
  const printed = new Set<string>();
  const bindings = scope.lookup(name);
  if (bindings.length === 0) return undefined;
  for (const b of bindings) {
    if (b.node.kind !== 'scalar') return undefined;
    const p = printedScalar(b.node);
    if (p === undefined) return undefined;
    printed.add(p);
  }
  return printed.size === 1 ? [...printed][0] : undefined;
}

function emptyScalar(file: string): YamlScalar {
  return {
    kind: 'scalar',
    value: '',
    map: { file, text: '', starts: [], ends: [], at: 0 } as never,
    style: 'plain',
    loc: { file, start: 0, end: 0 },
  };
}

/**
 * A scalar as a template prints it: Ansible reads its YAML as YAML 1.1 (PyYAML), so a plain `false`,
 * `no` or `off` is Python's False and prints `False`, `true`/`yes`/`on` print `True`, a plain `~`,
 * `null` or nothing prints `None`; a value with Jinja in it is rendered where Ansible runs (undefined
 * here).
 */
export function printedScalar(s: YamlScalar): string | undefined {
  if (s.value.includes('{{') || s.value.includes('{%')) return undefined;
  if (s.style !== 'plain') return s.value;
  const v = s.value;
  if (/^(true|True|TRUE|yes|Yes|YES|on|On|ON|y|Y)$/.test(v)) return 'True';
  if (/^(false|False|FALSE|no|No|NO|off|Off|OFF|n|N)$/.test(v)) return 'False';
  if (v === '' || v === '~' || /^(null|Null|NULL)$/.test(v)) return 'None';
  return v;
}

/** A template expression that prints one variable (`django_debug`, `django_debug|string`, `x | bool`). */
const PRINTED_VARIABLE = /^-?[ \t]*(\w+)[ \t]*(?:\|[ \t]*(string|bool)[ \t]*)?-?$/;

/**
 * The Python code a template expression outside a string (`DEBUG = {{ django_debug|string }}`)
 * renders to where production's variables give it one plain value (`django_debug: no` in
 * group_vars/production: `False`): a boolean, None or a number; undefined otherwise (a value with
 * Jinja in it, one the hosts of production do not agree on, a string, which is code here).
 */
export function templateExpressionValue(scope: AnsibleScope, expression: string): string | undefined {
  const m = PRINTED_VARIABLE.exec(expression.trim());
  if (!m) return undefined;
  const printed = new Set<string>();
  for (const b of scope.lookup(m[1]!)) {
    if (b.node.kind !== 'scalar') return undefined;
    const p = printedScalar(b.node);
    if (p === undefined) return undefined;
    printed.add(p);
  }
  if (printed.size !== 1) return undefined;
  const v = [...printed][0]!;
  if (m[2] === 'bool') return v === 'True' || v === 'False' ? v : undefined;
  return v === 'True' || v === 'False' || v === 'None' || /^-?\d{1,15}$/.test(v) ? v : undefined;
}

/** A template expression that prints one variable, with Jinja's `default` filter (`workers | default(4)`, `d('x')`). */
const DEFAULTED_VARIABLE = /^-?[ \t]*(\w+)[ \t]*\|[ \t]*(?:default|d)\([ \t]*(-?\d{1,15}|'[^'\n]{0,200}'|"[^"\n]{0,200}")[ \t]*\)[ \t]*-?$/;

/**
 * The text a template expression of a deployment file (a compose file's `image: app:{{ app_version }}`)
 * prints where production's variables give it one plain value (printedScalar); for a variable with
 * Jinja's `default(…)` filter, the default when no variables' file of the repository sets the variable
 * at all (extra vars, facts and task vars are not read, so a default is the repository's own word),
 * the variable's value when one does; undefined for any other expression.
 */
export function templatePrintedValue(scope: AnsibleScope, expression: string): string | undefined {
  const inner = expression.replace(/^\{\{/, '').replace(/\}\}$/, '');
  const d = DEFAULTED_VARIABLE.exec(inner.trim());
  if (d) {
    if (scope.lookup(d[1]!).length > 0) return plainOf(scope, d[1]!);
    const literal = d[2]!;
    return /^['"]/.test(literal) ? literal.slice(1, -1) : literal;
  }
  const m = PRINTED_VARIABLE.exec(inner.trim());
  if (!m || m[2] === 'bool') return undefined;
  return plainOf(scope, m[1]!);
}

/** A task of a playbook or a role that renders a template to the server (Ansible's template module). */
export interface AnsibleTemplateTask {
  /** The tasks' file. */
  readonly file: string;
  /** Zero-based line of the module's key (`template:`, `ansible.builtin.template:`). */
  readonly line: number;
  /** `src` as written. */
  readonly src: string;
  /** `dest` as written (`{{ app_dir }}/back/mysite/settings_local.py`). */
  readonly dest: string;
  /**
   * Where Ansible looks for a relative `src` in the repository, nearest first (catalogue/ansible.ts
   * ANSIBLE_SRC_SEARCH): the first that exists is the template rendered. Empty for an absolute `src`
   * or one Ansible fills in.
   */
  readonly candidates: readonly string[];
}

/** The nodes a walk of one tasks' file visits at most, and how deep. */
const MAX_TASK_NODES = 20_000;
const MAX_TASK_DEPTH = 16;

/**
 * The template tasks of a tasks' file or a playbook: every mapping whose key names the template module
 * (catalogue/ansible.ts) with a `src` and a `dest`, given as the module's mapping (`src:`/`dest:`),
 * its free-form arguments (`template: src=a.j2 dest=/srv/a`), or the task's `args:`; found at any
 * depth (a play's `tasks:`, a `block:`). Never throws.
 */
function templateTasksOf(file: string, text: string): AnsibleTemplateTask[] {
  if (!text.includes('template')) return [];
  const out: AnsibleTemplateTask[] = [];
  walkMaps(file, text, (m) => {
    const task = templateTaskOf(file, text, m);
    if (task) out.push(task);
    return task !== undefined;
  });
  return out;
}

/**
 * Every mapping of a YAML file's documents, at any depth (bounded: MAX_TASK_NODES nodes,
 * MAX_TASK_DEPTH levels), handed to `onMap`; it returns true when the mapping's values are not to be
 * walked (a task it took whole). A file YAML cannot parse has none. Never throws.
 */
/**
 * What a reader of a file's text returns, kept by file and text: every project of a workspace asks
 * the same playbooks again (a settings module rendered by a task is looked for per project), and
 * each read parses the YAML. A text is its own key: an edited file is read again.
 */
function byText<T>(read: (file: string, text: string) => T): (file: string, text: string) => T {
  const kept = new Map<string, { readonly text: string; readonly value: T }>();
  return (file, text) => {
    const k = kept.get(file);
    if (k && k.text === text) return k.value;
    const value = read(file, text);
    if (kept.size >= MAX_KEPT_TEXTS) kept.clear();
    kept.set(file, { text, value });
    return value;
  };
}

/** How many files' answers byText keeps (a workspace's playbooks and task files). */
const MAX_KEPT_TEXTS = 4000;

/** The template tasks of a playbook or tasks file (templateTasksOf), kept by text. */
export const templateTasks: (file: string, text: string) => readonly AnsibleTemplateTask[] = byText(templateTasksOf);
/** The template lookups of a playbook or tasks file (templateLookupsOf), kept by text. */
export const templateLookups: (file: string, text: string) => readonly AnsibleTemplateLookup[] = byText(templateLookupsOf);
/** The task files a playbook includes (includedTaskFilesOf), kept by text. */
export const includedTaskFiles: (file: string, text: string) => readonly string[] = byText(includedTaskFilesOf);

function walkMaps(file: string, text: string, onMap: (m: YamlMap) => boolean): void {
  let stream: ReturnType<typeof parseYamlDocuments>;
  try {
    stream = parseYamlDocuments(file, text);
  } catch {
    return;
  }
  let budget = MAX_TASK_NODES;
  const visit = (node: YamlNode | undefined, depth: number): void => {
    if (!node || node.kind === 'scalar' || depth > MAX_TASK_DEPTH || --budget < 0) return;
    if (node.kind === 'seq') {
      for (const item of node.items) visit(item, depth + 1);
      return;
    }
    if (onMap(node)) return;
    for (const e of node.entries) visit(e.value, depth + 1);
  };
  for (const doc of stream.documents) visit(doc, 0);
}

function templateTaskOf(file: string, text: string, task: YamlMap): AnsibleTemplateTask | undefined {
  const entry = task.entries.find((e) => ANSIBLE_TEMPLATE_MODULES.has(e.key.value));
  if (!entry) return undefined;
  const args = new Map<string, string>();
  const v = entry.value;
  if (v?.kind === 'scalar') for (const [k, x] of freeFormArgs(v.value)) args.set(k, x);
  else if (v?.kind === 'map') for (const e of v.entries) if (e.value?.kind === 'scalar') args.set(e.key.value, e.value.value);
  const extra = yget(task, 'args');
  if (extra?.kind === 'map')
    for (const e of extra.entries) if (e.value?.kind === 'scalar' && !args.has(e.key.value)) args.set(e.key.value, e.value.value);
  const src = args.get('src');
  const dest = args.get('dest');
  if (!src || !dest) return undefined;
  let line = 0;
  for (let i = text.indexOf('\n'); i >= 0 && i < entry.key.loc.start; i = text.indexOf('\n', i + 1)) line++;
  return { file, line, src, dest, candidates: sourceCandidates(file, src) };
}

/**
 * Where a relative `src` is looked for (ANSIBLE_SRC_SEARCH): in the role that holds the tasks' file
 * (`roles/app/tasks/main.yml`: `roles/app/templates/`, `roles/app/`), then beside the tasks' file
 * (its `templates/`, itself).
 */
function sourceCandidates(file: string, src: string): string[] {
  if (src.startsWith('/') || src.includes('{{') || src.includes('{%') || src.includes('\\')) return [];
  const dir = path.posix.dirname(file);
  const out: string[] = [];
  const parts = file.split('/');
  const t = parts.lastIndexOf('tasks');
  if (t > 0) {
    const role = parts.slice(0, t).join('/');
    out.push(path.posix.join(role, ANSIBLE_TEMPLATES_FOLDER, src), path.posix.join(role, src));
  }
  for (const c of [path.posix.join(dir, ANSIBLE_TEMPLATES_FOLDER, src), path.posix.join(dir, src)]) if (!out.includes(c)) out.push(c);
  return out;
}

/** A template rendered by the template lookup (`lookup('template', 'local_settings.py.j2')`) into a variable. */
export interface AnsibleTemplateLookup {
  /** The file that holds it. */
  readonly file: string;
  /** Zero-based line of the variable's key. */
  readonly line: number;
  /** The template's name as written. */
  readonly src: string;
  /** The variable given the rendered text (`django_project_local_settings`). */
  readonly variable: string;
  /** Where Ansible looks for it in the repository, nearest first (as a template task's `src`). */
  readonly candidates: readonly string[];
}

/** `lookup('template', 'name')`: the plugin's name and the first term (a literal). */
const TEMPLATE_LOOKUP = /\blookup\([ \t]*['"]([\w.]{1,60})['"][ \t]*,[ \t]*['"]([^'"{}\n]{1,200})['"]/g;

/**
 * The templates a playbook or tasks' file renders with the template lookup into a variable, at any
 * depth (a `set_fact:`, a play's or a role entry's `vars:`): the variable's key and the template's
 * name. Never throws.
 */
function templateLookupsOf(file: string, text: string): AnsibleTemplateLookup[] {
  if (!text.includes('lookup(')) return [];
  const out: AnsibleTemplateLookup[] = [];
  walkMaps(file, text, (m) => {
    for (const e of m.entries) {
      const v = e.value;
      if (v?.kind !== 'scalar' || !v.value.includes('lookup(')) continue;
      for (const x of v.value.matchAll(TEMPLATE_LOOKUP)) {
        if (!ANSIBLE_TEMPLATE_LOOKUPS.has(x[1]!)) continue;
        const src = x[2]!.trim();
        out.push({ file, line: lineAt(text, e.key.loc.start), src, variable: e.key.value, candidates: sourceCandidates(file, src) });
      }
    }
    return false;
  });
  return out;
}

/**
 * The tasks' files a playbook or tasks' file includes (`include_tasks: playbooks/tasks.yaml`,
 * `import_tasks:`, `include:`, or the module's `file:`), as written, at any depth. Never throws.
 */
function includedTaskFilesOf(file: string, text: string): string[] {
  if (!text.includes('include') && !text.includes('import_tasks')) return [];
  const out: string[] = [];
  walkMaps(file, text, (m) => {
    for (const e of m.entries) {
      if (!ANSIBLE_TASK_INCLUDES.has(e.key.value)) continue;
      const named = e.value?.kind === 'map' ? yget(e.value, 'file') : e.value;
      const name = named?.kind === 'scalar' ? named.value : undefined;
      if (name && !name.includes('{{') && !name.startsWith('/')) out.push(name.trim());
    }
    return false;
  });
  return out;
}

/** The zero-based line of an offset. */
function lineAt(text: string, at: number): number {
  let line = 0;
  for (let i = text.indexOf('\n'); i >= 0 && i < at; i = text.indexOf('\n', i + 1)) line++;
  return line;
}

/**
 * A module's free-form arguments (`src=a.j2 dest={{ app_dir }}/a.py mode=0640`): `key=value` words
 * split at spaces outside quotes and outside Jinja's `{{ }}` and `{% %}`, each value's quotes removed,
 * as Ansible's parse_kv reads them. A word without `=` is skipped.
 */
export function freeFormArgs(text: string): [string, string][] {
  const words: string[] = [];
  let word = '';
  let quote = '';
  let jinja = 0;
  for (let i = 0; i < text.length && i < 10_000; i++) {
    const c = text[i]!;
    const two = text.slice(i, i + 2);
    if (quote) {
      if (c === '\\' && i + 1 < text.length) {
        word += c + text[++i];
        continue;
      }
      if (c === quote) quote = '';
      word += c;
    } else if (two === '{{' || two === '{%') {
      jinja++;
      word += two;
      i++;
    } else if (jinja > 0 && (two === '}}' || two === '%}')) {
      jinja--;
      word += two;
      i++;
    } else if (jinja === 0 && (c === '"' || c === "'")) {
      quote = c;
      word += c;
    } else if (jinja === 0 && (c === ' ' || c === '\t' || c === '\n' || c === '\r')) {
      if (word) words.push(word);
      word = '';
    } else word += c;
  }
  if (word) words.push(word);
  const out: [string, string][] = [];
  for (const w of words) {
    const eq = w.indexOf('=');
    if (eq <= 0 || !/^\w+$/.test(w.slice(0, eq))) continue;
    let value = w.slice(eq + 1);
    if (value.length >= 2 && (value[0] === '"' || value[0] === "'") && value.endsWith(value[0]!)) value = value.slice(1, -1);
    out.push([w.slice(0, eq), value]);
  }
  return out;
}

/**
 * The role folder a template belongs to: the folder that holds its `templates/` (`roles/app`), or the
 * role whose task file's own `templates/` holds it (`site-deploy/tasks/templates/` of `site-deploy`,
 * found beside the tasks' file: catalogue/ansible.ts ANSIBLE_SRC_SEARCH).
 */
function roleFolderOf(file: string): string | undefined {
  const held = roleOfTemplate(file);
  if (!held) return undefined;
  return path.posix.basename(held) === 'tasks' ? path.posix.dirname(held) : held;
}

/** The first document of a YAML file, or undefined. */
function firstDocument(fs: FileSystem, file: string): YamlNode | undefined {
  const text = fs.readText(file);
  if (text === undefined || text.length > 200_000) return undefined;
  try {
    return parseYamlDocuments(file, text).documents[0];
  } catch {
    return undefined;
  }
}

/** A plain value a variables' mapping gives `name` (no Jinja in it), or undefined. */
function plainValue(vars: YamlNode | undefined, name: string): string | undefined {
  if (vars?.kind !== 'map') return undefined;
  const v = yget(vars, name);
  return v?.kind === 'scalar' ? printedScalar(v) : undefined;
}

/**
 * The value a template's bare variable (`{{ django_module }}`) gets where the repository says it, in
 * Ansible's order of precedence, highest first: the role's vars (`vars/main.yml`), the `vars:` of
 * the plays beside the role that name it (`deploy/main.yml` beside `deploy/site-deploy/`, one
 * value among them all), the role's defaults. Undefined when none gives a plain value (an inventory,
 * extra vars or a value with Jinja in it may set it).
 *   https://docs.ansible.com/ansible/latest/playbook_guide/playbooks_variables.html#understanding-variable-precedence
 */
export function templateVariableValue(fs: FileSystem, template: string, name: string): string | undefined {
  const role = roleFolderOf(template);
  if (!role) return undefined;
  const inRole = (folder: string): string | undefined => {
    for (const f of ['main.yml', 'main.yaml']) {
      const v = plainValue(firstDocument(fs, path.posix.join(role, folder, f)), name);
      if (v !== undefined) return v;
    }
    return undefined;
  };
  const own = inRole('vars');
  if (own !== undefined) return own;
  const roleName = path.posix.basename(role);
  const plays = new Set<string>();
  for (const dir of [path.posix.dirname(role), path.posix.dirname(path.posix.dirname(role))]) {
    let entries: ReturnType<FileSystem['readDir']>;
    try {
      entries = fs.readDir(dir);
    } catch {
      continue;
    }
    for (const e of entries.slice(0, 200)) {
      const file = path.posix.join(dir, e.name);
      if (!/\.ya?ml$/.test(e.name) || !(fs.readText(file) ?? '').includes(roleName)) continue;
      const doc = firstDocument(fs, file);
      if (doc?.kind !== 'seq') continue;
      for (const play of doc.items) {
        if (play?.kind !== 'map' || !yget(play, 'hosts')) continue;
        const v = plainValue(yget(play, 'vars'), name);
        if (v !== undefined) plays.add(v);
      }
    }
  }
  if (plays.size === 1) return [...plays][0];
  if (plays.size > 1) return undefined;
  return inRole('defaults');
}
