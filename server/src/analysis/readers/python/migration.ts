// Reads one Django migration file statically (nothing is imported or run): its `Migration` class,
// `dependencies`, `replaces`, `initial`, `atomic` and `operations`, each operation with its
// arguments as expressions (literal values evaluated, calls and names kept as written, all with
// their locations), and the module's top-level functions (for RunPython). Bounded: expressions are
// read to a fixed depth and width, and a file the parser gave up on reads as "not known".
import { field, namedChildren, type PyNode } from '../../parse/ast';
import type { PythonDocument } from '../../parse/pythonDocument';
import * as V from '../../eval/values';
import type { Loc, Value } from '../../eval/values';
import { unescapePython } from '../../eval/operations';

/** An expression as written in a migration: its literal value if it has one, else what it is. */
export interface Expr {
  readonly loc: Loc;
  /** The value of a literal (str, int, float, bool, None; list, tuple, set, dict of literals); unknown otherwise. */
  readonly value: Value;
  /** A dotted name as written (`models.CASCADE`, `forwards`, `migrations.RunPython.noop`). */
  readonly name?: string;
  /** A call (`models.CharField(max_length=20)`). */
  readonly call?: Call;
  /** The items of a list, tuple or set literal (also when some items are not literals). */
  readonly items?: readonly Expr[];
  /** For a lambda: the plain names its body calls (`lambda apps, se: unfill(apps, se)` → `unfill`). */
  readonly lambdaCalls?: readonly string[];
}

export interface Kwarg {
  readonly name: string;
  readonly nameLoc: Loc;
  readonly value: Expr;
}

export interface Call {
  /** The callee as a dotted name as written (`models.CharField`), or undefined when it is not a name. */
  readonly callee: string | undefined;
  readonly args: readonly Expr[];
  readonly kwargs: readonly Kwarg[];
  readonly loc: Loc;
  /** The argument list, parentheses included. */
  readonly argsLoc: Loc;
  /** `*args` or `**kwargs` in the call: there may be arguments the reader cannot see. */
  readonly splat: boolean;
}

/** Where an operation stands: in `operations`, or in a SeparateDatabaseAndState's database or state operations. */
export type OperationScope = 'top' | 'database' | 'state';

export interface Operation {
  /** The operation's class name (`AddField`), the last part of the callee. */
  readonly kind: string;
  /** The callee resolves to Django's migrations module or django.contrib.postgres.operations. */
  readonly django: boolean;
  readonly call: Call;
  readonly loc: Loc;
  readonly scope: OperationScope;
  /** Index in the migration's `operations` list (of the enclosing operation for nested ones). */
  readonly index: number;
}

export interface MigrationRef {
  readonly app: string;
  readonly name: string;
  readonly loc: Loc;
}

/** A function defined at the top level of the migration module (RunPython's code). */
export interface ModuleFunction {
  readonly name: string;
  readonly loc: Loc;
  /** `from myapp.models import X` / `import myapp.models` inside the function: the module and where. */
  readonly modelImports: readonly { readonly module: string; readonly loc: Loc }[];
}

export interface MigrationFile {
  readonly file: string;
  /** The app folder's name (the package holding `migrations/`). */
  readonly app: string;
  /** The migration's name: the file name without `.py` (`0002_add_email`). */
  readonly name: string;
  /** The `class Migration(...)` statement, when there is one. */
  readonly classLoc?: Loc;
  /** The class body's first statement and its indentation (where class attributes are inserted). */
  readonly bodyStart?: { readonly offset: number; readonly indent: string };
  readonly dependencies: readonly MigrationRef[];
  /** Why the dependencies could not all be read (undefined when they were). */
  readonly dependenciesUnknown?: string;
  readonly replaces: readonly MigrationRef[];
  readonly initial: boolean;
  /** `atomic` as written (Django's default is True); undefined when it is not a literal. */
  readonly atomic: boolean | undefined;
  readonly atomicLoc?: Loc;
  /** Every operation: those of `operations`, then nested ones (SeparateDatabaseAndState), in order. */
  readonly operations: readonly Operation[];
  /** Why the operations could not all be read (undefined when they were). */
  readonly operationsUnknown?: string;
  readonly functions: ReadonlyMap<string, ModuleFunction>;
  /** The end of the last top-level import statement (where an import is added), if any. */
  readonly importsEnd?: number;
  /** Local names bound by imports: `migrations` → `django.db.migrations`, `AddIndexConcurrently` → `django.contrib.postgres.operations.AddIndexConcurrently`. */
  readonly imports: ReadonlyMap<string, string>;
}

/** The positional parameters of Django's operations (after `self`), for reading arguments by name. */
const SIGNATURES: Readonly<Record<string, readonly string[]>> = {
  CreateModel: ['name', 'fields', 'options', 'bases', 'managers'],
  DeleteModel: ['name'],
  RenameModel: ['old_name', 'new_name'],
  AlterModelTable: ['name', 'table'],
  AlterModelTableComment: ['name', 'table_comment'],
  AlterUniqueTogether: ['name', 'unique_together'],
  AlterIndexTogether: ['name', 'index_together'],
  AlterOrderWithRespectTo: ['name', 'order_with_respect_to'],
  AlterModelOptions: ['name', 'options'],
  AlterModelManagers: ['name', 'managers'],
  AddField: ['model_name', 'name', 'field', 'preserve_default'],
  RemoveField: ['model_name', 'name'],
  AlterField: ['model_name', 'name', 'field', 'preserve_default'],
  RenameField: ['model_name', 'old_name', 'new_name'],
  AddIndex: ['model_name', 'index'],
  RemoveIndex: ['model_name', 'name'],
  RenameIndex: ['model_name', 'new_name', 'old_name', 'old_fields'],
  AddConstraint: ['model_name', 'constraint'],
  RemoveConstraint: ['model_name', 'name'],
  AlterConstraint: ['model_name', 'name', 'constraint'],
  RunPython: ['code', 'reverse_code', 'atomic', 'hints', 'elidable'],
  RunSQL: ['sql', 'reverse_sql', 'state_operations', 'hints', 'elidable'],
  SeparateDatabaseAndState: ['database_operations', 'state_operations'],
  AddIndexConcurrently: ['model_name', 'index'],
  RemoveIndexConcurrently: ['model_name', 'name'],
  AddConstraintNotValid: ['model_name', 'constraint'],
  ValidateConstraint: ['model_name', 'name'],
};

/** An argument of a call by its parameter name: keyword, else positional by `params`. */
export function argOf(call: Call, name: string, params: readonly string[] = []): Expr | undefined {
  const kw = call.kwargs.find((k) => k.name === name);
  if (kw) return kw.value;
  const i = params.indexOf(name);
  return i >= 0 ? call.args[i] : undefined;
}

/** An operation's argument by Django's parameter name (`field`, `reverse_code`…). */
export function opArg(op: Operation, name: string): Expr | undefined {
  return argOf(op.call, name, SIGNATURES[op.kind] ?? []);
}

/** The string value of an expression, if it is a string literal. */
export function strOf(e: Expr | undefined): string | undefined {
  return e?.value.kind === 'str' ? e.value.v : undefined;
}

/** The boolean value of an expression, if it is True or False. */
export function boolOf(e: Expr | undefined): boolean | undefined {
  return e?.value.kind === 'bool' ? e.value.v : undefined;
}

/** Operation modules: what `migrations.X` or an imported name must come from to be Django's operation. */
const OPERATION_MODULES = ['django.db.migrations', 'django.db.migrations.operations', 'django.contrib.postgres.operations'];

const MAX_DEPTH = 40;
const MAX_ITEMS = 5_000;

/**
 * Reads a migration module. `file` is its absolute path (`…/<app>/migrations/0002_x.py`); `doc`
 * its parsed document (the workspace's cache: the reader never parses).
 */
export function readMigration(file: string, doc: PythonDocument): MigrationFile {
  const parts = file.split(/[\\/]/);
  const name = (parts[parts.length - 1] ?? '').replace(/\.py$/, '');
  const app = parts[parts.length - 3] ?? '';
  const reader = new Reader(file, doc.text);
  const imports = new Map<string, string>();
  const functions = new Map<string, ModuleFunction>();
  let cls: { node: PyNode; base: number } | undefined;
  let importsEnd: number | undefined;
  for (const chunk of doc.chunks) {
    const node = unwrapDecorated(chunk.node);
    if (node.type === 'import_from_statement' || node.type === 'import_statement') {
      readImports(node, chunk.base, doc.text, imports);
      if (!cls) importsEnd = chunk.base + node.end;
    } else if (node.type === 'function_definition') {
      const fn = reader.function(node, chunk.base);
      if (fn) functions.set(fn.name, fn);
    } else if (node.type === 'class_definition') {
      const n = field(node, 'name');
      if (n && reader.text(n, chunk.base) === 'Migration') cls = { node, base: chunk.base };
    }
  }
  const out: {
    -readonly [K in keyof MigrationFile]: MigrationFile[K];
  } = {
    file,
    app,
    name,
    dependencies: [],
    replaces: [],
    initial: false,
    atomic: true,
    operations: [],
    functions,
    imports,
    importsEnd,
  };
  if (doc.timedOut) {
    out.operationsUnknown = 'parsing it did not finish in time';
    out.dependenciesUnknown = out.operationsUnknown;
    return out;
  }
  if (!cls) {
    out.operationsUnknown = 'it has no Migration class';
    out.dependenciesUnknown = out.operationsUnknown;
    return out;
  }
  const base = cls.base;
  const nameNode = field(cls.node, 'name')!;
  out.classLoc = reader.loc(cls.node, base);
  const body = field(cls.node, 'body');
  let sawOperations = false;
  let sawDependencies = false;
  for (const stmt of body ? namedChildren(body) : []) {
    out.bodyStart ??= { offset: base + stmt.start, indent: indentAt(doc.text, base + stmt.start) };
    const assign = stmt.type === 'expression_statement' ? namedChildren(stmt)[0] : undefined;
    if (!assign || assign.type !== 'assignment') continue;
    const left = field(assign, 'left');
    const right = field(assign, 'right');
    if (!left || !right || left.type !== 'identifier') continue;
    const attr = reader.text(left, base);
    const e = reader.expr(right, base, 0);
    switch (attr) {
      case 'dependencies': {
        sawDependencies = true;
        const refs = refsOf(e);
        out.dependencies = refs.refs;
        out.dependenciesUnknown = refs.unknown;
        break;
      }
      case 'replaces':
        out.replaces = refsOf(e).refs;
        break;
      case 'initial':
        out.initial = boolOf(e) === true;
        break;
      case 'atomic':
        out.atomic = boolOf(e);
        out.atomicLoc = reader.loc(stmt, base);
        break;
      case 'operations': {
        sawOperations = true;
        const ops = operationsOf(e, imports);
        out.operations = ops.operations;
        out.operationsUnknown = ops.unknown;
        break;
      }
    }
  }
  if (!sawOperations) out.operationsUnknown = undefined; // Django's default: no operations
  if (!sawDependencies) out.dependenciesUnknown = undefined;
  void nameNode;
  return out;
}

function unwrapDecorated(node: PyNode): PyNode {
  return node.type === 'decorated_definition' ? (field(node, 'definition') ?? node) : node;
}

function indentAt(text: string, offset: number): string {
  let i = offset;
  while (i > 0 && (text[i - 1] === ' ' || text[i - 1] === '\t')) i--;
  return text.slice(i, offset);
}

function readImports(node: PyNode, base: number, text: string, out: Map<string, string>): void {
  const src = (n: PyNode): string => n.text ?? text.slice(base + n.start, base + n.end);
  if (node.type === 'import_from_statement') {
    const mod = field(node, 'module_name');
    if (!mod || mod.type === 'relative_import') return;
    const module = src(mod).replace(/\s+/g, '');
    for (const n of node.children.filter((c) => c.field === 'name')) {
      if (n.type === 'aliased_import') {
        const real = field(n, 'name');
        const alias = field(n, 'alias');
        if (real && alias) out.set(src(alias), `${module}.${src(real)}`);
      } else out.set(src(n), `${module}.${src(n)}`);
    }
  } else {
    for (const n of node.children.filter((c) => c.field === 'name')) {
      if (n.type === 'aliased_import') {
        const real = field(n, 'name');
        const alias = field(n, 'alias');
        if (real && alias) out.set(src(alias), src(real));
      } else {
        const dotted = src(n);
        out.set(dotted.split('.')[0]!, dotted.split('.')[0]!);
      }
    }
  }
}

/** The full dotted name a callee written as `name` refers to, through the module's imports. */
export function resolveName(name: string, imports: ReadonlyMap<string, string>): string {
  const [head, ...rest] = name.split('.');
  const bound = imports.get(head!);
  return bound ? [bound, ...rest].join('.') : name;
}

function isDjangoOperation(callee: string, imports: ReadonlyMap<string, string>): boolean {
  const full = resolveName(callee, imports);
  const dot = full.lastIndexOf('.');
  return dot > 0 && OPERATION_MODULES.includes(full.slice(0, dot));
}

function operationsOf(e: Expr, imports: ReadonlyMap<string, string>): { operations: Operation[]; unknown?: string } {
  const operations: Operation[] = [];
  let unknown: string | undefined;
  const visit = (list: Expr, scope: OperationScope, index: number | undefined): void => {
    if (!list.items) {
      unknown ??= 'its operations are not a list the analysis can read';
      return;
    }
    list.items.forEach((item, i) => {
      const at = index ?? i;
      if (!item.call || item.call.callee === undefined) {
        unknown ??= 'an operation is not a call the analysis can read';
        return;
      }
      // the class name, through an alias (`AddIndexConcurrently as AIC`)
      const kind = resolveName(item.call.callee, imports).split('.').pop()!;
      const op: Operation = {
        kind,
        django: isDjangoOperation(item.call.callee, imports),
        call: item.call,
        loc: item.loc,
        scope,
        index: at,
      };
      operations.push(op);
      if (kind === 'SeparateDatabaseAndState') {
        const db = opArg(op, 'database_operations');
        const state = opArg(op, 'state_operations');
        if (db) visit(db, 'database', at);
        if (state) visit(state, 'state', at);
      }
    });
  };
  visit(e, 'top', undefined);
  return { operations, unknown };
}

function refsOf(e: Expr): { refs: MigrationRef[]; unknown?: string } {
  const refs: MigrationRef[] = [];
  let unknown: string | undefined;
  if (!e.items) return { refs, unknown: 'they are not a list the analysis can read' };
  for (const item of e.items) {
    const pair = item.items;
    const app = strOf(pair?.[0]);
    const name = strOf(pair?.[1]);
    if (pair?.length === 2 && app !== undefined && name !== undefined) refs.push({ app, name, loc: item.loc });
    // migrations.swappable_dependency(settings.AUTH_USER_MODEL): another app's first migration
    else if (item.call?.callee?.endsWith('swappable_dependency')) continue;
    else unknown ??= 'a dependency is not an (app, name) pair of strings';
  }
  return { refs, unknown };
}

class Reader {
  constructor(
    readonly file: string,
    readonly source: string,
  ) {}

  loc(n: PyNode, base: number): Loc {
    return { file: this.file, start: base + n.start, end: base + n.end };
  }

  text(n: PyNode, base: number): string {
    return n.text ?? this.source.slice(base + n.start, base + n.end);
  }

  dotted(n: PyNode, base: number): string | undefined {
    if (n.type === 'identifier') return this.text(n, base);
    if (n.type === 'attribute') {
      const obj = field(n, 'object');
      const attr = field(n, 'attribute');
      const head = obj ? this.dotted(obj, base) : undefined;
      return head && attr ? `${head}.${this.text(attr, base)}` : undefined;
    }
    return undefined;
  }

  expr(n: PyNode, base: number, depth: number): Expr {
    const loc = this.loc(n, base);
    if (depth > MAX_DEPTH) return { loc, value: V.unknown('nested too deeply', loc) };
    switch (n.type) {
      case 'string':
        return { loc, value: this.string(n, base, loc) };
      case 'concatenated_string': {
        const parts = namedChildren(n).map((c) => this.string(c, base, loc));
        return {
          loc,
          value: parts.every((p) => p.kind === 'str')
            ? V.str(parts.map((p) => (p as V.StrValue).v).join(''), 'literal', loc)
            : V.unknown('a string the analysis cannot read', loc, 'str'),
        };
      }
      case 'integer': {
        const t = this.text(n, base).replace(/_/g, '');
        const v = /^0[xob]/i.test(t) ? Number(t) : Number.parseInt(t, 10);
        return { loc, value: Number.isFinite(v) ? V.int(v, 'literal', loc) : V.unknown('a number', loc, 'int') };
      }
      case 'float':
        return { loc, value: V.float(Number(this.text(n, base).replace(/_/g, '')), 'literal', loc) };
      case 'true':
        return { loc, value: V.bool(true, 'literal', loc) };
      case 'false':
        return { loc, value: V.bool(false, 'literal', loc) };
      case 'none':
        return { loc, value: V.none('literal', loc) };
      case 'unary_operator': {
        const arg = field(n, 'argument');
        const op = field(n, 'operator');
        const inner = arg ? this.expr(arg, base, depth + 1) : undefined;
        if (inner && op && this.text(op, base) === '-' && (inner.value.kind === 'int' || inner.value.kind === 'float'))
          return {
            loc,
            value: inner.value.kind === 'int' ? V.int(-inner.value.v, 'literal', loc) : V.float(-inner.value.v, 'literal', loc),
          };
        return { loc, value: V.unknown('an expression', loc) };
      }
      case 'parenthesized_expression': {
        const inner = namedChildren(n)[0];
        return inner ? { ...this.expr(inner, base, depth + 1), loc } : { loc, value: V.seq('tuple', [], 'literal', loc), items: [] };
      }
      case 'list':
      case 'tuple':
      case 'set': {
        const children = namedChildren(n);
        if (children.length > MAX_ITEMS || children.some((c) => c.type === 'list_splat'))
          return { loc, value: V.unknown('a sequence the analysis cannot read', loc) };
        const items = children.map((c) => this.expr(c, base, depth + 1));
        const values = items.map((i) => i.value);
        const kind = n.type === 'list' ? 'list' : n.type === 'tuple' ? 'tuple' : 'set';
        return {
          loc,
          items,
          value: values.every((v) => v.kind !== 'unknown')
            ? V.seq(kind, values, 'literal', loc)
            : V.unknown('a sequence with items that are not literals', loc, kind === 'set' ? undefined : kind),
        };
      }
      case 'dictionary': {
        const pairs = namedChildren(n);
        if (pairs.length > MAX_ITEMS || pairs.some((p) => p.type !== 'pair'))
          return { loc, value: V.unknown('a dict the analysis cannot read', loc, 'dict') };
        const keys: Value[] = [];
        const values: Value[] = [];
        for (const p of pairs) {
          const k = field(p, 'key');
          const v = field(p, 'value');
          if (!k || !v) return { loc, value: V.unknown('a dict the analysis cannot read', loc, 'dict') };
          keys.push(this.expr(k, base, depth + 1).value);
          values.push(this.expr(v, base, depth + 1).value);
        }
        return {
          loc,
          value: [...keys, ...values].every((v) => v.kind !== 'unknown')
            ? V.dict(keys, values, 'literal', loc)
            : V.unknown('a dict with entries that are not literals', loc, 'dict'),
        };
      }
      case 'identifier':
      case 'attribute': {
        const name = this.dotted(n, base);
        return { loc, name, value: V.unknown(name ? `${name} is not a literal` : 'an expression', loc) };
      }
      case 'call': {
        const fn = field(n, 'function');
        const argsNode = field(n, 'arguments');
        const callee = fn ? this.dotted(fn, base) : undefined;
        const args: Expr[] = [];
        const kwargs: Kwarg[] = [];
        let splat = false;
        if (argsNode && argsNode.type === 'argument_list') {
          for (const a of namedChildren(argsNode)) {
            if (a.type === 'keyword_argument') {
              const k = field(a, 'name');
              const v = field(a, 'value');
              if (k && v) kwargs.push({ name: this.text(k, base), nameLoc: this.loc(k, base), value: this.expr(v, base, depth + 1) });
            } else if (a.type === 'list_splat' || a.type === 'dictionary_splat') splat = true;
            else args.push(this.expr(a, base, depth + 1));
          }
        } else splat = true;
        const call: Call = {
          callee,
          args,
          kwargs,
          splat,
          loc,
          argsLoc: argsNode ? this.loc(argsNode, base) : loc,
        };
        return { loc, call, value: V.unknown(callee ? `a call of ${callee}` : 'a call', loc) };
      }
      case 'lambda': {
        const lambdaCalls = new Set<string>();
        const visit = (x: PyNode, d: number): void => {
          if (d > MAX_DEPTH) return;
          if (x.type === 'call') {
            const fn = field(x, 'function');
            if (fn?.type === 'identifier') lambdaCalls.add(this.text(fn, base));
          }
          for (const c of x.children) visit(c, d + 1);
        };
        const body = field(n, 'body');
        if (body) visit(body, depth);
        return { loc, lambdaCalls: [...lambdaCalls], value: V.unknown('a lambda', loc) };
      }
      default:
        return { loc, value: V.unknown('an expression the analysis does not read', loc) };
    }
  }

  string(n: PyNode, base: number, loc: Loc): Value {
    if (n.type !== 'string') return V.unknown('a string the analysis cannot read', loc, 'str');
    const start = n.children[0]?.text ?? '';
    const prefix = start.replace(/(?<!['"])['"]+$/, '').toLowerCase();
    if (prefix.includes('f') || prefix.includes('t')) {
      if (n.children.some((c) => c.type === 'interpolation')) return V.unknown('an f-string', loc, 'str');
    }
    const raw = prefix.includes('r');
    let out = '';
    for (const c of n.children) {
      if (c.type === 'string_content' || c.type === 'escape_sequence') {
        const t = this.text(c, base);
        out += raw ? t : unescapePython(t);
      }
    }
    return V.str(out, 'literal', loc);
  }

  /** A top-level function: where it is and which model modules it imports directly. */
  function(node: PyNode, base: number): ModuleFunction | undefined {
    const n = field(node, 'name');
    if (!n) return undefined;
    const modelImports: { module: string; loc: Loc }[] = [];
    const visit = (x: PyNode, depth: number): void => {
      if (depth > MAX_DEPTH) return;
      if (x.type === 'import_from_statement') {
        const mod = field(x, 'module_name');
        const module = mod ? this.text(mod, base).replace(/\s+/g, '') : '';
        if (isModelsModule(module)) modelImports.push({ module, loc: this.loc(x, base) });
        return;
      }
      if (x.type === 'import_statement') {
        for (const c of x.children.filter((c) => c.field === 'name')) {
          const real = c.type === 'aliased_import' ? field(c, 'name') : c;
          const module = real ? this.text(real, base) : '';
          if (isModelsModule(module)) modelImports.push({ module, loc: this.loc(x, base) });
        }
        return;
      }
      for (const c of x.children) visit(c, depth + 1);
    };
    const body = field(node, 'body');
    if (body) visit(body, 0);
    return { name: this.text(n, base), loc: this.loc(node, base), modelImports };
  }
}

/** `myapp.models`, `myapp.models.orders`, `.models`: an app's models module (Django's own excepted). */
function isModelsModule(module: string): boolean {
  if (module.startsWith('django.')) return false;
  return /(^|\.)models(\.|$)/.test(module);
}

/** What the migration graph needs of a migration: its name, dependencies and replaces. */
export interface GraphNode {
  readonly name: string;
  readonly dependencies: readonly MigrationRef[];
  readonly replaces: readonly MigrationRef[];
  /** Why the dependencies could not all be read (undefined when they were). */
  readonly dependenciesUnknown?: string;
}

const REF_RE = /^\(\s*(['"])([\w.-]+)\1\s*,\s*(['"])([\w.-]+)\3\s*,?\s*\)/;
const SWAPPABLE_RE = /^(?:migrations\.)?swappable_dependency\(\s*(?:[\w.]+|"[\w.]+"|'[\w.]+')\s*\)/;

/**
 * The graph node of a migration from its text alone, without parsing it (reading the graph of an
 * app with hundreds of migrations must not parse them all): the `dependencies` and `replaces`
 * lists when they are plain lists of ("app", "name") pairs (and swappable dependencies), as
 * makemigrations writes them. Undefined when the text is anything else: the caller then reads the
 * file in full. Null when the file has no Migration class.
 */
export function readGraphNode(file: string, text: string): GraphNode | null | undefined {
  if (!/^class[ \t]+Migration[ \t]*\(/m.test(text)) return /\bMigration\b/.test(text) ? undefined : null;
  const name = (file.split(/[\\/]/).pop() ?? '').replace(/\.py$/, '');
  const dependencies = listAttribute(text, 'dependencies', file);
  const replaces = listAttribute(text, 'replaces', file);
  if (dependencies === undefined || replaces === undefined) return undefined;
  return { name, dependencies, replaces };
}

/** `  dependencies =` and `  replaces =` in a class body, with the character after (the list's bracket). */
export const LIST_ATTRIBUTES = {
  dependencies: /^[ \t]+dependencies[ \t]*=[ \t]*(\S?)/gm,
  replaces: /^[ \t]+replaces[ \t]*=[ \t]*(\S?)/gm,
} as const;

/** The refs of a class attribute `attr = [(...), ...]` read from text; [] when absent, undefined when not plain. */
function listAttribute(text: string, attr: keyof typeof LIST_ATTRIBUTES, file: string): MigrationRef[] | undefined {
  const matches = [...text.matchAll(LIST_ATTRIBUTES[attr])];
  if (matches.length === 0) return [];
  if (matches.length > 1) return undefined;
  const m = matches[0]!;
  if (m[1] !== '[' && m[1] !== '(') return undefined;
  const open = m.index! + m[0].length - 1;
  const close = closingBracket(text, open);
  if (close === undefined) return undefined;
  // nothing may follow the list on its line but a comment
  if (!/^[ \t]*(#[^\r\n]*)?(\r?\n|\r|$)/.test(text.slice(close + 1))) return undefined;
  const refs: MigrationRef[] = [];
  let i = open + 1;
  while (i < close) {
    const rest = text.slice(i, close);
    const skip = /^(\s|,|#[^\r\n]*)+/.exec(rest);
    if (skip) {
      i += skip[0].length;
      continue;
    }
    const ref = REF_RE.exec(rest);
    if (ref) {
      refs.push({ app: ref[2]!, name: ref[4]!, loc: { file, start: i, end: i + ref[0].length } });
      i += ref[0].length;
      continue;
    }
    const swappable = SWAPPABLE_RE.exec(rest);
    if (swappable) {
      i += swappable[0].length;
      continue;
    }
    return undefined;
  }
  return refs;
}

/** The offset of the bracket closing the one at `open`, skipping strings and comments; undefined if none. */
function closingBracket(text: string, open: number): number | undefined {
  let depth = 0;
  for (let i = open; i < text.length && i < open + 1_000_000; i++) {
    const c = text[i]!;
    if (c === '#') {
      while (i < text.length && text[i] !== '\n' && text[i] !== '\r') i++;
      continue;
    }
    if (c === '"' || c === "'") {
      const end = text.indexOf(c, i + 1);
      const nl = text.slice(i + 1, end < 0 ? undefined : end).search(/[\r\n\\]/);
      if (end < 0 || nl >= 0) return undefined;
      i = end;
      continue;
    }
    if (c === '(' || c === '[' || c === '{') depth++;
    else if (c === ')' || c === ']' || c === '}') {
      depth--;
      if (depth === 0) return i;
    }
  }
  return undefined;
}
