// Reading one gunicorn config module. Gunicorn executes the file and takes every module-level name
// that is a setting (exact, lower-case); everything else is ignored without a word. So: the
// evaluator gives each name's final value with its location, and a pass over the module's syntax
// tells settings from imports, private names and helper variables (names the module reads
// elsewhere), keeps each assigned expression's shape (`multiprocessing.cpu_count() * 4`), and counts
// the positional parameters of hook functions, as gunicorn's arity check does.
import type { Evaluator } from '../../eval/evaluator';
import type { ModuleResult } from '../../eval/scope';
import type { Loc, Value } from '../../eval/values';
import { field, namedChildren, type PyNode } from '../../parse/ast';
import type { PythonDocument } from '../../parse/pythonDocument';
import { settingByName } from '../../catalogue/gunicornNames';
import type { GunicornSetting } from '../../catalogue/gunicornSettings';

/** A syntax node with the offset of its chunk (node offsets are relative to it). */
export interface Located {
  readonly node: PyNode;
  readonly base: number;
}

export interface Arity {
  /** Positional parameters (what gunicorn's get_arity counts). */
  readonly count: number;
  readonly loc: Loc;
  /** The function is decorated (its signature may differ). */
  readonly decorated: boolean;
}

export interface ConfigSetting {
  readonly name: string;
  readonly def: GunicornSetting;
  readonly value: Value;
  /** Where the value is written (the assigned expression, or the function for hooks). */
  readonly loc: Loc;
  /** The name where it is bound. */
  readonly nameLoc: Loc;
  /** The last module-level assignment's expression, when the name is assigned. */
  readonly expr?: Located;
  /** For functions and lambdas: their positional parameter count. */
  readonly arity?: Arity;
  /** Bound by an import (`from hooks import post_fork`). */
  readonly imported: boolean;
}

/** A module-level name that is not a setting. */
export interface ConfigName {
  readonly name: string;
  readonly nameLoc: Loc;
  readonly value: Value;
  readonly kind: 'assign' | 'def' | 'class';
  /** The module reads it somewhere (a helper variable, not a misspelt setting). */
  readonly used: boolean;
  /** How many module-level statements bind it (assignments, def, class); a rename is only safe at one. */
  readonly bindings: number;
}

export interface GunicornConfig {
  readonly file: string;
  readonly module: ModuleResult;
  readonly settings: ReadonlyMap<string, ConfigSetting>;
  readonly others: readonly ConfigName[];
  /** Where findings about something never set land: the first line. */
  readonly anchor: Loc;
  /** The module binds names the analysis cannot see (exec, star imports of unknown modules). */
  readonly open?: string;
  readonly text: string;
  /** The expression last assigned to each module-level name (settings and helpers). */
  readonly exprs: ReadonlyMap<string, Located>;
}

interface SyntaxFacts {
  readonly assigned: Map<string, { nameLoc: Loc; expr?: Located }>;
  readonly imported: Set<string>;
  readonly defs: Map<string, { arity: Arity; kind: 'def' | 'class' }>;
  readonly reads: Set<string>;
  /** Module-level binding statements per name (assignment targets, def, class). */
  readonly bindCount: Map<string, number>;
}

const SCOPE_NODES = new Set(['function_definition', 'class_definition', 'lambda']);

function paramNames(params: PyNode | undefined): { names: string[]; positional: number } {
  const names: string[] = [];
  let positional = 0;
  let keywordOnly = false;
  for (const p of params ? namedChildren(params) : []) {
    if (p.type === 'identifier') {
      names.push(p.text ?? '');
      if (!keywordOnly) positional++;
    } else if (p.type === 'default_parameter' || p.type === 'typed_default_parameter' || p.type === 'typed_parameter') {
      const n = p.type === 'typed_parameter' ? namedChildren(p)[0] : field(p, 'name');
      if (n?.type === 'identifier') {
        names.push(n.text ?? '');
        if (!keywordOnly) positional++;
      } else if (n?.type === 'list_splat_pattern') {
        keywordOnly = true;
        names.push(namedChildren(n)[0]?.text ?? '');
      } else if (n?.type === 'dictionary_splat_pattern') names.push(namedChildren(n)[0]?.text ?? '');
    } else if (p.type === 'list_splat_pattern') {
      keywordOnly = true;
      names.push(namedChildren(p)[0]?.text ?? '');
    } else if (p.type === 'dictionary_splat_pattern') names.push(namedChildren(p)[0]?.text ?? '');
    else if (p.type === 'keyword_separator') keywordOnly = true;
  }
  return { names, positional };
}

/** What collectFacts is filling in, and the file its locations are in. */
interface Collecting {
  readonly facts: SyntaxFacts;
  readonly file: string;
}

function collectFacts(doc: PythonDocument, file: string): SyntaxFacts {
  const facts: SyntaxFacts = { assigned: new Map(), imported: new Set(), defs: new Map(), reads: new Set(), bindCount: new Map() };
  const c: Collecting = { facts, file };
  for (const chunk of doc.chunks) moduleStatement(c, chunk.node, chunk.base);
  return facts;
}

/** One more module-level statement binds `name`. */
function bound(facts: SyntaxFacts, name: string): void {
  facts.bindCount.set(name, (facts.bindCount.get(name) ?? 0) + 1);
}

function locOf(c: Collecting, n: PyNode, base: number): Loc {
  return { file: c.file, start: base + n.start, end: base + n.end };
}

/** Module-level statements (also inside if/try/with/for at module level). */
function moduleStatement(c: Collecting, n: PyNode, base: number): void {
  switch (n.type) {
    case 'expression_statement':
      assignmentStatement(c, n, base);
      return;
    case 'import_statement':
    case 'import_from_statement':
      importStatement(c.facts, n);
      return;
    case 'function_definition':
    case 'class_definition':
      definition(c, n, base);
      return;
    case 'decorated_definition': {
      const def = field(n, 'definition');
      if (def) {
        moduleStatement(c, def, base);
        const name = field(def, 'name')?.text;
        const d = name ? c.facts.defs.get(name) : undefined;
        if (d && name) c.facts.defs.set(name, { ...d, arity: { ...d.arity, decorated: true } });
      }
      for (const x of namedChildren(n)) if (x.type === 'decorator') collectReads(c.facts, x, undefined);
      return;
    }
    default:
      break;
  }
  // compound statements: their blocks hold module-level statements
  for (const x of n.children) {
    if (!x.named) continue;
    if (
      x.type === 'block' ||
      x.type === 'else_clause' ||
      x.type === 'elif_clause' ||
      x.type === 'except_clause' ||
      x.type === 'finally_clause' ||
      x.type === 'with_clause' ||
      x.type === 'case_clause'
    ) {
      if (x.type === 'block') for (const s of namedChildren(x)) moduleStatement(c, s, base);
      else for (const s of x.children) if (s.named) moduleStatement(c, s, base);
    } else if (x.type !== 'comment') collectReads(c.facts, x, undefined);
  }
}

/** An expression statement: the names its assignments bind (`a = b = 1`, `a, b = …`), and the names it reads. */
function assignmentStatement(c: Collecting, n: PyNode, base: number): void {
  const facts = c.facts;
  for (const x of namedChildren(n)) {
    if (x.type !== 'assignment') continue;
    const left = field(x, 'left');
    const right = field(x, 'right');
    if (left?.type === 'identifier') {
      // chained `a = b = 1`: the right side is itself an assignment
      let value = right;
      while (value?.type === 'assignment') {
        const l2 = field(value, 'left');
        if (l2?.type === 'identifier') {
          facts.assigned.set(l2.text ?? '', {
            nameLoc: locOf(c, l2, base),
            expr: field(value, 'right') ? { node: field(value, 'right')!, base } : undefined,
          });
          bound(facts, l2.text ?? '');
        }
        value = field(value, 'right');
      }
      facts.assigned.set(left.text ?? '', { nameLoc: locOf(c, left, base), expr: value ? { node: value, base } : undefined });
      bound(facts, left.text ?? '');
    } else if (left) {
      for (const id of namedChildren(left)) {
        if (id.type !== 'identifier') continue;
        facts.assigned.set(id.text ?? '', { nameLoc: locOf(c, id, base) });
        bound(facts, id.text ?? '');
      }
    }
  }
  collectReads(facts, n, undefined);
}

/** `import a.b`, `from x import y as z`: the names bound. */
function importStatement(facts: SyntaxFacts, n: PyNode): void {
  for (const x of n.children) {
    if (x.field !== 'name') continue;
    if (x.type === 'aliased_import') facts.imported.add(field(x, 'alias')?.text ?? '');
    else if (x.type === 'dotted_name') {
      const ids = namedChildren(x);
      facts.imported.add((n.type === 'import_statement' ? ids[0] : ids[ids.length - 1])?.text ?? '');
    }
  }
}

/** A module-level `def` or `class`: its arity, and the names its body reads. */
function definition(c: Collecting, n: PyNode, base: number): void {
  const name = field(n, 'name');
  if (name?.text) {
    const { positional } = paramNames(field(n, 'parameters'));
    const decorated = false;
    c.facts.defs.set(name.text, {
      arity: { count: positional, loc: locOf(c, name, base), decorated },
      kind: n.type === 'class_definition' ? 'class' : 'def',
    });
    bound(c.facts, name.text);
  }
  collectReads(c.facts, n, undefined);
}

/** Identifiers read in an expression; `locals` are names local to an enclosing function. */
function collectReads(facts: SyntaxFacts, n: PyNode, locals: Set<string> | undefined): void {
  if (n.type === 'identifier') {
    if (!locals?.has(n.text ?? '')) facts.reads.add(n.text ?? '');
    return;
  }
  if (n.type === 'function_definition' || n.type === 'lambda') {
    const { names } = paramNames(field(n, 'parameters'));
    const inner = new Set([...(locals ?? []), ...names]);
    // names assigned in the body are local to it
    const body = field(n, 'body');
    if (body) {
      collectLocalAssignments(body, inner);
      collectReads(facts, body, inner);
    }
    for (const p of field(n, 'parameters') ? namedChildren(field(n, 'parameters')!) : []) {
      const v = field(p, 'value');
      if (v) collectReads(facts, v, locals);
    }
    return;
  }
  if (n.type === 'class_definition') {
    const body = field(n, 'body');
    for (const sup of field(n, 'superclasses') ? namedChildren(field(n, 'superclasses')!) : []) collectReads(facts, sup, locals);
    if (body) collectReads(facts, body, new Set([...(locals ?? [])]));
    return;
  }
  for (const c of n.children) {
    if (!c.named) continue;
    if (n.type === 'attribute' && c.field === 'attribute') continue;
    if (n.type === 'keyword_argument' && c.field === 'name') continue;
    if ((n.type === 'function_definition' || n.type === 'class_definition') && c.field === 'name') continue;
    if (n.type === 'import_statement' || n.type === 'import_from_statement') continue;
    if (n.type === 'assignment' && c.field === 'left' && c.type === 'identifier') continue;
    if (n.type === 'augmented_assignment' && c.field === 'left' && c.type === 'identifier') {
      facts.reads.add(c.text ?? '');
      continue;
    }
    collectReads(facts, c, locals);
  }
}

function collectLocalAssignments(n: PyNode, into: Set<string>): void {
  if (n.type === 'assignment' || n.type === 'augmented_assignment' || n.type === 'for_statement') {
    const left = field(n, 'left');
    if (left?.type === 'identifier') into.add(left.text ?? '');
    else if (left) for (const c of namedChildren(left)) if (c.type === 'identifier') into.add(c.text ?? '');
  }
  if (n.type === 'global_statement') return;
  for (const c of n.children) if (c.named && !SCOPE_NODES.has(c.type)) collectLocalAssignments(c, into);
}

/** The arity of a lambda expression. */
function lambdaArity(expr: Located | undefined, file: string): Arity | undefined {
  if (expr?.node.type !== 'lambda') return undefined;
  const { positional } = paramNames(field(expr.node, 'parameters'));
  return { count: positional, loc: { file, start: expr.base + expr.node.start, end: expr.base + expr.node.end }, decorated: false };
}

export function readConfig(doc: PythonDocument, file: string, evaluator: Evaluator, anchor: Loc): GunicornConfig {
  const module = evaluator.evaluate({ name: '__config__', file, isPackage: false });
  const facts = collectFacts(doc, file);
  const settings = new Map<string, ConfigSetting>();
  const others: ConfigName[] = [];
  for (const [name, b] of module.scope.vars) {
    if (name.startsWith('_')) continue;
    const v = b.value;
    const nameLoc = b.target ?? b.stmt ?? anchor;
    const def = settingByName(name);
    const assigned = facts.assigned.get(name);
    const fn = facts.defs.get(name);
    if (def) {
      const arity = fn?.kind === 'def' ? fn.arity : lambdaArity(assigned?.expr, file);
      const exprLoc = assigned?.expr
        ? { file, start: assigned.expr.base + assigned.expr.node.start, end: assigned.expr.base + assigned.expr.node.end }
        : undefined;
      const loc = fn ? nameLoc : (exprLoc ?? v.loc ?? nameLoc);
      settings.set(name, {
        name,
        def,
        value: v,
        loc,
        nameLoc,
        expr: fn ? undefined : assigned?.expr,
        arity,
        imported: facts.imported.has(name),
      });
      continue;
    }
    if (facts.imported.has(name)) continue;
    if (nameLoc.file !== file) continue; // bound by a star import from another module
    if (v.kind === 'object' && v.tag.startsWith('module:')) continue;
    const kind = fn?.kind ?? 'assign';
    others.push({ name, nameLoc, value: v, kind, used: facts.reads.has(name), bindings: facts.bindCount.get(name) ?? 0 });
  }
  const open = module.scope.open ? module.scope.open.reason : undefined;
  const exprs = new Map<string, Located>();
  for (const [name, a] of facts.assigned) if (a.expr) exprs.set(name, a.expr);
  return { file, module, settings, others, anchor, open, text: doc.text, exprs };
}

/** The text of a located node. */
export function textOf(cfg: { text: string }, l: Located): string {
  return cfg.text.slice(l.base + l.node.start, l.base + l.node.end);
}
