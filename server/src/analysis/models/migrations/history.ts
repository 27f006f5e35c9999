// An app's migrations as a whole, read on first use: every migration module of its `migrations/`
// folder, the graph their dependencies make (leaves, ancestors), and what earlier migrations said
// about a field or a model. Static, like the reader: the folder is listed, nothing is imported.
import * as path from 'node:path';
import * as V from '../../eval/values';
import type { Expr, GraphNode, MigrationFile, Operation } from '../../readers/python/migration';
import { opArg, readGraphNode, strOf } from '../../readers/python/migration';

/** At most this many migration modules of one app are read (a larger folder is read in part and says so). */
export const MAX_APP_MIGRATIONS = 5_000;

/** Whether a path is a migration module: `<app>/migrations/<name>.py`, its name not starting with `_` or `~` (as Django's loader). */
export function isMigrationFile(file: string): boolean {
  const parts = file.split(/[\\/]/);
  const name = parts[parts.length - 1] ?? '';
  return parts[parts.length - 2] === 'migrations' && name.endsWith('.py') && !/^[_~]/.test(name) && parts.length >= 3;
}

export interface HistorySource {
  /** The migration modules in a folder (absolute paths), or undefined when it cannot be listed. */
  list(folder: string): readonly string[] | undefined;
  /** The migration read from a file (undefined when it cannot be read). */
  read(file: string): MigrationFile | undefined;
  /** The file's text (undefined when it cannot be read). */
  text(file: string): string | undefined;
  /** The app's label as its AppConfig sets it, when it does (`label = "blog"` in apps.py). */
  label(appFolder: string): string | undefined;
}

export class MigrationHistory {
  private nodes: Map<string, GraphNode & { readonly file: string }> | undefined;
  private truncatedAt: number | undefined;

  constructor(
    /** The app's `migrations/` folder. */
    readonly folder: string,
    private readonly source: HistorySource,
  ) {}

  /** The label other apps' dependencies use for this app. */
  get label(): string {
    return this.source.label(path.dirname(this.folder)) ?? path.basename(path.dirname(this.folder));
  }

  /**
   * The app's migration graph by name (read once): each file's dependencies and replaces, read
   * from its text when they are plain lists (as makemigrations writes them), else from the parsed
   * file. Files without a Migration class are not migrations.
   */
  graph(): ReadonlyMap<string, GraphNode & { readonly file: string }> {
    if (this.nodes) return this.nodes;
    const out = new Map<string, GraphNode & { readonly file: string }>();
    const files = (this.source.list(this.folder) ?? []).filter(isMigrationFile).sort();
    if (files.length > MAX_APP_MIGRATIONS) this.truncatedAt = MAX_APP_MIGRATIONS;
    for (const file of files.slice(0, MAX_APP_MIGRATIONS)) {
      const text = this.source.text(file);
      if (text === undefined) continue;
      let node = readGraphNode(file, text);
      if (node === undefined) {
        const m = this.source.read(file);
        node = m?.classLoc ? m : null;
      }
      if (node) out.set(node.name, { ...node, file });
    }
    this.nodes = out;
    return out;
  }

  /** A migration of the app, read in full (parsed) on demand. */
  migration(name: string): MigrationFile | undefined {
    const node = this.graph().get(name);
    return node ? this.source.read(node.file) : undefined;
  }

  /** Set when the folder holds more migrations than are read. */
  get truncated(): number | undefined {
    this.graph();
    return this.truncatedAt;
  }

  /** Why the graph cannot be trusted (a migration whose dependencies cannot be read), if it cannot. */
  unreadable(): string | undefined {
    for (const m of this.graph().values())
      if (m.dependenciesUnknown) return `the dependencies of ${m.name} cannot be read: ${m.dependenciesUnknown}`;
    if (this.truncated) return `the app has more than ${MAX_APP_MIGRATIONS} migrations`;
    return undefined;
  }

  /** Same-app dependencies of a migration (the names of this app's migrations it depends on). */
  private parents(m: GraphNode): string[] {
    const all = this.graph();
    const label = this.label;
    return m.dependencies.filter((d) => d.app === label && all.has(d.name)).map((d) => d.name);
  }

  /**
   * The app's leaf migrations: those no other migration of the app depends on. Squashed migrations
   * stand for those they replace (as Django's loader uses them when it can).
   */
  leaves(): string[] {
    const all = this.graph();
    const label = this.label;
    const replaced = new Map<string, string>();
    for (const m of all.values()) for (const r of m.replaces) if (r.app === label && all.has(r.name)) replaced.set(r.name, m.name);
    const live = [...all.keys()].filter((n) => !replaced.has(n));
    const hasChild = new Set<string>();
    for (const n of live) {
      for (const p of this.parents(all.get(n)!)) {
        let q = p;
        for (let i = 0; i < 100 && replaced.has(q); i++) q = replaced.get(q)!;
        if (q !== n) hasChild.add(q);
      }
    }
    return live.filter((n) => !hasChild.has(n)).sort();
  }

  /** The names of this app's migrations `m` depends on, directly or not, in name order. */
  ancestors(m: GraphNode): string[] {
    const all = this.graph();
    const seen = new Set<string>();
    const stack = this.parents(m);
    while (stack.length > 0) {
      const n = stack.pop()!;
      if (seen.has(n) || n === m.name) continue;
      seen.add(n);
      const x = all.get(n);
      if (x) stack.push(...this.parents(x));
    }
    return [...seen].sort();
  }

  /**
   * The field `model.name` as the migrations before `m` last defined it (CreateModel's fields,
   * AddField, AlterField), or undefined when they do not say (another app, a rename, a squash).
   * Only ancestors whose text names the field are parsed, newest first.
   */
  previousField(m: GraphNode, model: string, name: string): Expr | undefined {
    const lower = model.toLowerCase();
    const quoted = [`"${name}"`, `'${name}'`];
    for (const n of this.ancestors(m).reverse()) {
      const node = this.graph().get(n)!;
      const text = this.source.text(node.file);
      if (text === undefined || !quoted.some((q) => text.includes(q))) continue;
      const a = this.source.read(node.file);
      if (!a) return undefined;
      let found: Expr | null | undefined;
      for (const op of a.operations) {
        if (op.scope === 'state') continue;
        const f = fieldDefinedBy(op, lower, name);
        if (f !== undefined) found = f;
      }
      if (found !== undefined) return found ?? undefined;
    }
    return undefined;
  }

  /**
   * The table name `model` has before `m`: a string when the migrations set db_table, null when
   * Django names the table, undefined when they do not say (created in another app, renamed).
   */
  previousTable(m: GraphNode, model: string): string | null | undefined {
    const lower = model.toLowerCase();
    for (const n of this.ancestors(m).reverse()) {
      const node = this.graph().get(n)!;
      const text = this.source.text(node.file);
      if (text === undefined || !text.toLowerCase().includes(lower)) continue;
      const a = this.source.read(node.file);
      if (!a) return undefined;
      let found: string | null | undefined;
      for (const op of a.operations) {
        if (op.scope === 'state') continue;
        if (op.kind === 'RenameModel' && strOf(opArg(op, 'new_name'))?.toLowerCase() === lower) found = undefined;
        const t = tableSetBy(op, lower);
        if (t !== undefined) found = t;
      }
      if (found !== undefined) return found;
    }
    return undefined;
  }
}

/**
 * What `op` says about the table of `model` (lower-case): the db_table it gives (a string), null
 * when it leaves Django's default name, undefined when it does not touch the model's table.
 */
function tableSetBy(op: Operation, model: string): string | null | undefined {
  if (op.kind === 'AlterModelTable' && strOf(opArg(op, 'name'))?.toLowerCase() === model) {
    const t = opArg(op, 'table');
    return t?.value.kind === 'str' ? t.value.v : null;
  }
  if (op.kind === 'CreateModel' && strOf(opArg(op, 'name'))?.toLowerCase() === model) {
    const options = opArg(op, 'options')?.value;
    const table = options?.kind === 'dict' ? V.dictGetStr(options, 'db_table') : undefined;
    return table?.kind === 'str' ? table.v : null;
  }
  return undefined;
}

/**
 * What `op` says about field `name` of `model` (lower-case): its new definition, null when it
 * removes it, undefined when it does not touch it.
 */
function fieldDefinedBy(op: Operation, model: string, name: string): Expr | null | undefined {
  if (op.kind === 'CreateModel' && strOf(opArg(op, 'name'))?.toLowerCase() === model) {
    for (const pair of opArg(op, 'fields')?.items ?? []) if (strOf(pair.items?.[0]) === name) return pair.items?.[1] ?? null;
    return undefined;
  }
  if (strOf(opArg(op, 'model_name'))?.toLowerCase() !== model) {
    if (op.kind === 'DeleteModel' && strOf(opArg(op, 'name'))?.toLowerCase() === model) return null;
    return undefined;
  }
  if ((op.kind === 'AddField' || op.kind === 'AlterField') && strOf(opArg(op, 'name')) === name) return opArg(op, 'field') ?? null;
  if (op.kind === 'RemoveField' && strOf(opArg(op, 'name')) === name) return null;
  if (op.kind === 'RenameField' && (strOf(opArg(op, 'old_name')) === name || strOf(opArg(op, 'new_name')) === name)) return null;
  return undefined;
}
