// Control flow: if/elif/else (a condition the analysis decides takes one branch; an undecidable one
// runs both and merges them; a condition on an environment default may make the variable required,
// or its literal branch the variable's default), try/except/else/finally, for and while loops,
// with (contextlib.suppress), raise. Which blocks run, and what their leaving early signals.
import { field, fields, namedChildren, type PyNode } from '../parse/ast';
import * as nodePath from 'node:path';
import type { Binding } from './scope';
import * as V from './values';
import type { Loc, Value } from './values';
import { PyRaise, assignsName, blockOf, excMatches, fromRuntimeVariable, mentionOf, mentionsVar } from './core';
import type { Frame, Signal } from './frame';
import { AssignmentEvaluator } from './assignments';
import { mergeValues } from './branches';

const MAX_LOOP_ITERATIONS = 1000;

/** A module name that says production (`production`, `prod`, `settings_prod`, `heroku`, `live`): one of its `_` parts. */
const PRODUCTION_MODULE_WORDS = new Set(['prod', 'production', 'heroku', 'live']);
const productionModule = (name: string): boolean =>
  name
    .toLowerCase()
    .split('_')
    .some((w) => PRODUCTION_MODULE_WORDS.has(w));
/** A variable whose presence says production (`PROD`, `PRODUCTION`, `IS_PRODUCTION`, `DJANGO_PROD`): one of its `_` parts. */
const productionVariable = (name: string): boolean =>
  /^[A-Z0-9_]+$/.test(name) && name.split('_').some((w) => w === 'PROD' || w === 'PRODUCTION');
/** A literal a condition compares a variable with that says production (`== "production"`). */
const PRODUCTION_LITERAL = /["'](?:prod|production)["']/i;

/**
 * Why a branch an environment condition skips by default is production's (`if "PROD" in
 * os.environ: from .production import *`, `if os.environ.get("ENV") == "production": …`): it
 * imports a module named for production, or the condition tests a variable or a value named so.
 * Undefined when nothing says so.
 */
function productionBranch(
  block: readonly PyNode[],
  env: readonly V.EnvRef[],
  condText: string,
  src: (n: PyNode) => string,
): string | undefined {
  for (const st of block) {
    if (st.type !== 'import_from_statement') continue;
    const name = field(st, 'module_name');
    const mod = name ? src(name) : '';
    const last = mod.split('.').pop() ?? '';
    if (productionModule(last)) return `it imports ${mod}, the production module`;
  }
  const hasImport = block.some((st) => st.type === 'import_from_statement');
  const named = env.find((e) => productionVariable(e.name));
  if (named && hasImport) return `${named.name} names production`;
  if (hasImport && condText.length <= 200 && PRODUCTION_LITERAL.test(condText)) return `the condition names production`;
  return undefined;
}

export abstract class ControlEvaluator extends AssignmentEvaluator {
  /** The value a name is bound to in the comprehension scopes, the function's locals or the module. */
  protected abstract boundValue(name: string, f: Frame): Value | undefined;
  protected execIf(node: PyNode, f: Frame): Signal {
    const cond = field(node, 'condition');
    const consequence = blockOf(field(node, 'consequence'));
    const alternatives = fields(node, 'alternative');
    return this.execIfChain(cond, consequence, alternatives, f, node);
  }

  protected execIfChain(cond: PyNode | undefined, body: readonly PyNode[], rest: PyNode[], f: Frame, node: PyNode): Signal {
    if (!cond) return undefined;
    const value = this.eval(cond, f);
    let t = V.truthy(value);
    const restBody = (): Signal => {
      const [next, ...more] = rest;
      if (!next) return undefined;
      if (next.type === 'else_clause') return this.execBlock(blockOf(field(next, 'body') ?? next), f);
      return this.execIfChain(field(next, 'condition'), blockOf(field(next, 'consequence')), more, f, next);
    };
    // The branch the defaults select imports a module production does not have and raises without
    // it (`if LOCAL: try: from settings.local_settings import * except ImportError: raise`, the
    // module git-ignored, a template beside it): production cannot run it, so the deployment sets
    // the variables — what was bound from their defaults is the deployment's, and the other branches
    // are production's, which the analysis cannot tell apart
    if (t !== undefined && value.origin === 'env-default' && value.env?.length && !f.locals && this.shadowDepth === 0) {
      const elseOnly = rest.length === 1 && rest[0]!.type === 'else_clause' ? blockOf(field(rest[0]!, 'body') ?? rest[0]!) : undefined;
      const chosen = t ? body : elseOnly;
      this.lookedAt(f, chosen ?? []);
      const vars = value.env.filter((e) => e.style !== 'deployment');
      if (chosen && vars.length > 0 && this.importRaisesWhereAbsent(chosen, f)) {
        this.requireCondition({ ...value, env: vars }, f);
        return t ? restBody() : this.execBlock(body, f);
      }
    }
    // `if not SECRET_KEY: raise …` on an environment default: Django cannot start without the
    // variable, so it is in effect required — treat the lookup as required, not as its default.
    if (t !== undefined && value.origin === 'env-default') {
      const chosen = t
        ? body
        : rest.length > 0
          ? blockOf(rest[0]!.type === 'else_clause' ? (field(rest[0]!, 'body') ?? rest[0]!) : field(rest[0]!, 'consequence'))
          : [];
      // …unless an enclosing try catches what it raises and goes on (`try: … if DEBUG: … else: raise
      // Exception(…) except Exception: pass`): then the branch is only taken, as Python takes it
      this.lookedAt(f, chosen);
      const raised = this.raisedClass(chosen);
      if (this.alwaysRaises(chosen) && rest.length <= 1 && !(raised !== undefined && this.envFailureHandled(f, [raised]))) {
        this.requireCondition(value, f);
        return t ? restBody() : this.execBlock(body, f);
      }
      // `if "X" in os.environ: A = os.environ["X"] else: A = "fallback"` is a lookup with a
      // default written as a branch: the literal the branch binds is X's default.
      const envs = (value.env ?? []).map((e) => ({ ...e, hasDefault: true }));
      // In a helper (`def get_bool_from_env(name, default): if name in os.environ: … return
      // default`), the same holds for what the helper returns when it also reads the variable
      // outside the condition: its result is the variable's default.
      if (f.locals && f.fnRange && envs.length > 0) {
        const condStart = f.base + cond.start;
        const condEnd = f.base + cond.end;
        const elsewhere = f.text.slice(f.fnRange.start, condStart) + f.text.slice(condEnd, f.fnRange.end);
        // …and when an argument carries the variable's default (`strtobool(os.environ.get("X") or
        // "False")` deciding `if val in ("n", "no", …): return 0`)
        const related = envs.filter((e) => {
          const at = this.variableRead(elsewhere, e.name, f);
          if (at !== undefined) {
            // (what found it is marked read: an edit elsewhere cannot undo it)
            const cut = condStart - f.fnRange!.start;
            if (at.start < cut && at.end > cut) this.lookedAll(f);
            else if (at.start < cut) this.looked(f, f.fnRange!.start + at.start - 1, f.fnRange!.start + at.end + 1);
            else this.looked(f, condEnd + at.start - cut - 1, condEnd + at.end - cut + 1);
            return true;
          }
          if (f.argEnv?.some((a) => a.name === e.name)) return true;
          // (nothing found: any text of the body might have been)
          this.lookedAll(f);
          return false;
        });
        if (related.length > 0)
          f.envDefaultReturn = [
            ...(f.envDefaultReturn ?? []),
            ...related.filter((e) => !f.envDefaultReturn?.some((x) => x.name === e.name)),
          ];
      }
      const elseBlock = rest.length === 1 && rest[0]!.type === 'else_clause' ? blockOf(field(rest[0]!, 'body') ?? rest[0]!) : undefined;
      const [block, other] = t ? [body, elseBlock] : [elseBlock, body];
      const otherText = other && other.length > 0 ? f.text.slice(f.base + other[0]!.start, f.base + other[other.length - 1]!.end) : '';
      if (block && !f.locals && envs.some((e) => mentionsVar(otherText, e.name))) {
        const { result: sig, written } = f.scope.recording(() => this.execBlock(block, f));
        this.markEnvDefaults(written, block, envs, f, otherText);
        this.markSelected(written, value.env ?? [], f, this.loc(cond, f));
        // what only the skipped branch rebinds (`if os.environ.get("FRONT"): ORIGINS = [...] else:
        // ALLOW_ALL = True`, ORIGINS bound before): as bound before unless the deployment sets the
        // variables, then replaced
        if (other) this.markReplacedElsewhere(other, written, envs, f, otherText, this.loc(cond, f));
        return sig;
      }
    }
    // decided by environment defaults, the branch they skip being production's (`if "PROD" in
    // os.environ: from .production import *`): production takes it unless its environment is seen
    // to leave the variables unset
    if (t !== undefined && value.origin === 'env-default' && value.env?.length && !f.locals && this.shadowDepth === 0) {
      const elseOnly = rest.length === 1 && rest[0]!.type === 'else_clause' ? blockOf(field(rest[0]!, 'body') ?? rest[0]!) : undefined;
      const skipped = t ? elseOnly : body;
      const vars = value.env.filter((e) => e.style !== 'deployment');
      const why =
        skipped && vars.length > 0 && !this.options.closedEnvironment
          ? productionBranch(skipped, vars, this.src(cond, f), (n) => this.src(n, f))
          : undefined;
      if (why) {
        for (const e of vars) this.envValues.set(e.name, V.required({ ...e, hasDefault: false }, 'str', e.loc));
        const { result: sig, written } = f.scope.recording(() => this.execBlock(skipped!, f));
        this.markPresumed(written, vars, f, this.loc(cond, f), why);
        return sig;
      }
    }
    // decided by environment defaults: the other branch runs when the deployment sets them
    if (t !== undefined && value.origin === 'env-default' && value.env?.length) {
      const top = !f.locals && this.shadowDepth === 0;
      const shadowBound = top ? new Map<string, Binding | undefined>() : undefined;
      this.shadowRun(t ? () => restBody() : () => this.execBlock(body, f), value.env, f, identifiersIn(cond), shadowBound);
      // what the branch the defaults select binds stands unless the deployment sets a variable
      if (top) {
        const { result: sig, written } = f.scope.recording(() => (t ? this.execBlock(body, f) : restBody()));
        this.markSelected(written, value.env, f, this.loc(cond, f));
        const skipped = t ? rest : body;
        const skippedText = skipped.length > 0 ? f.text.slice(f.base + skipped[0]!.start, f.base + skipped[skipped.length - 1]!.end) : '';
        // (a lookup without a default, None when unset, tested for truth — a name bound to it, `if
        // PUBLIC_URL:` after `PUBLIC_URL = os.getenv("PUBLIC_URL")`, an assignment expression, `if
        // hosts := env.get("ALLOWED_HOSTS"):`, or a copy's `get` — tests presence as `if
        // os.getenv("PUBLIC_URL"):` does)
        // (`env("X", default="") != ""`, `os.environ.get("X") is not None`: a presence test when the
        // default is the empty value it is compared with, which the defaults' answer shows)
        const empty = emptyComparison(cond);
        const presence =
          presenceTest(cond) ||
          (TRUTH_OF_VALUE.has(cond.type) && value.kind === 'none') ||
          // (a lookup whose default is the empty string, tested for truth, `if env.str("X",
          // default=""):`, `if os.getenv("X", ""):`: set and not empty, as `!= ""` tests)
          (TRUTH_OF_VALUE.has(cond.type) && value.kind === 'str' && value.v === '') ||
          (empty === 'differs' && t === false) ||
          (empty === 'equals' && t === true);
        // (a flag's lookup tested for truth, false by default, `if env("USE_AWS_SES", default=False):`,
        // `if env.bool("USE_SES", False):`: the deployment that sets it true takes the branch, so what it
        // rebinds is as written unless the variable is set — but what it adds to a list is not optional)
        const flag = !presence && t === false && FLAG_LOOKUP.has(cond.type) && falseFlag(value);
        this.keepEnvironmentBranch(shadowBound!, written, value.env, f, skippedText, this.loc(cond, f), presence || flag, flag);
        return sig;
      }
    }
    if (t === true) return this.execBlock(body, f);
    if (t === false) return restBody();
    t = undefined;
    return this.branch(
      [
        () => {
          this.narrowNames(cond, f);
          return this.execBlock(body, f);
        },
        restBody,
      ],
      f,
      // (a condition on a variable the system sets where the app runs says which: `if IS_AWS:` after
      // `IS_AWS = "ec2" in os.environ.get("HOSTNAME", "")`)
      value.kind === 'unknown' && fromRuntimeVariable(value.reason)
        ? `depends on \`${this.clip(this.src(cond, f))}\`: ${value.reason}`
        : `depends on \`${this.clip(this.src(cond, f))}\`, which the analysis cannot decide`,
      node,
    );
  }

  /**
   * In the branch a condition selects, an unknown string it tests (`key.startswith("AWS_")`,
   * `"APP_" in key`, `key == "X"`, `key in ("A", "B")`, `key.isupper()`, joined by `and`) can only be
   * a name that passes the test: it is rebound, for that branch, to an unknown that says so.
   */
  protected narrowNames(cond: PyNode, f: Frame): void {
    const tests = new Map<string, V.NameSet[]>();
    const add = (id: PyNode | undefined, set: V.NameSet): void => {
      if (id?.type !== 'identifier' || !id.text) return;
      tests.set(id.text, [...(tests.get(id.text) ?? []), set]);
    };
    const strings = (n: PyNode | undefined): string[] | undefined => {
      // literals and names only: evaluating them again has no effect
      if (!n || !['string', 'concatenated_string', 'tuple', 'list', 'set', 'identifier'].includes(n.type)) return undefined;
      const v = this.eval(n, f);
      if (v.kind === 'str') return [v.v];
      const items = v.kind === 'tuple' || v.kind === 'list' || v.kind === 'set' ? this.iterate(v) : undefined;
      return items?.every((i) => i.kind === 'str') ? items.map((i) => (i as V.StrValue).v) : undefined;
    };
    const quoted = (xs: readonly string[]): string => xs.map((x) => JSON.stringify(x)).join(' or ');
    const walk = (n: PyNode): void => {
      if (n.type === 'parenthesized_expression') {
        const inner = namedChildren(n)[0];
        if (inner) walk(inner);
      } else if (n.type === 'boolean_operator') {
        if (n.children.some((c) => !c.named && c.text === 'and')) for (const c of namedChildren(n)) walk(c);
      } else if (n.type === 'call') {
        const fn = field(n, 'function');
        const args = namedChildren(field(n, 'arguments') ?? n).filter((a) => a.type !== 'comment');
        if (fn?.type !== 'attribute') return;
        const method = field(fn, 'attribute')?.text;
        const obj = field(fn, 'object');
        if (method === 'isupper' && args.length === 0) add(obj, { desc: 'upper-case names', test: V.isUpperName });
        const xs = method === 'startswith' || method === 'endswith' ? strings(args[0]) : undefined;
        if (!xs || args.length !== 1) return;
        add(
          obj,
          method === 'startswith'
            ? {
                desc: `names that start with ${quoted(xs)}`,
                test: (name) => xs.some((x) => name.startsWith(x)),
                ...(xs.length === 1 ? { prefixes: xs } : {}),
              }
            : { desc: `names that end with ${quoted(xs)}`, test: (name) => xs.some((x) => name.endsWith(x)) },
        );
      } else if (n.type === 'comparison_operator') {
        const parts = namedChildren(n);
        const ops = n.children.filter((c) => !c.named).map((c) => c.text);
        if (parts.length !== 2 || ops.length !== 1) return;
        const [a, b] = parts as [PyNode, PyNode];
        if (ops[0] === '==') {
          const [id, lit] = a.type === 'identifier' ? [a, b] : [b, a];
          const xs = strings(lit);
          if (xs?.length === 1) add(id, { desc: `the name ${quoted(xs)}`, test: (name) => name === xs[0] });
        } else if (ops[0] === 'in') {
          const xs = strings(a);
          if (b.type === 'identifier' && xs?.length === 1)
            add(b, { desc: `names that contain ${quoted(xs)}`, test: (name) => name.includes(xs[0]!) });
          else if (a.type === 'identifier') {
            const ys = strings(b);
            if (ys) add(a, { desc: `the names ${quoted(ys)}`, test: (name) => ys.includes(name) });
          }
        }
      }
    };
    walk(cond);
    for (const [name, sets] of tests) {
      const current = this.boundValue(name, f);
      if (current?.kind !== 'unknown') continue;
      const all = current.names ? [current.names, ...sets] : sets;
      const prefixes = all.flatMap((s) => s.prefixes ?? []);
      const names: V.NameSet = {
        desc: all.map((s) => s.desc).join(' and '),
        test: (n) => all.every((s) => s.test(n)),
        ...(prefixes.length > 0 ? { prefixes } : {}),
      };
      const narrowed: Value = { ...current, type: 'str', names };
      if (f.locals?.has(name)) f.locals.set(name, narrowed);
      else if (!f.locals && f.scope.get(name)) f.scope.set(name, { ...f.scope.get(name)!, value: narrowed });
    }
  }

  /**
   * Where code text reads an environment variable: names it as a string literal, or uses a local
   * variable of the inlined function that holds its name (`os.environ[name]`). The first range found.
   */
  protected variableRead(text: string, name: string, f: Frame): { readonly start: number; readonly end: number } | undefined {
    const quoted = mentionOf(text, name);
    if (quoted !== undefined || !f.locals) return quoted;
    for (const [local, v] of f.locals) {
      if (v.kind !== 'str' || v.v !== name) continue;
      // the local used as a name: not part of a longer identifier, not an attribute
      for (let i = text.indexOf(local); i >= 0; i = text.indexOf(local, i + 1)) {
        const before = i > 0 ? text[i - 1]! : ' ';
        const after = text[i + local.length] ?? ' ';
        if (!/[\w.]/.test(before) && !/\w/.test(after)) return { start: i, end: i + local.length };
      }
    }
    return undefined;
  }

  protected execTry(node: PyNode, f: Frame): Signal {
    const body = blockOf(field(node, 'body'));
    const handlers = node.children.filter((c) => c.type === 'except_clause' || c.type === 'except_group_clause');
    const elseClause = node.children.find((c) => c.type === 'else_clause');
    const finallyClause = node.children.find((c) => c.type === 'finally_clause');
    for (const h of handlers) this.looked(f, f.base + h.start, f.base + h.end);
    const caught = handlers.map((h) => this.handlerNames(h, f));
    f.catching.push(
      handlers.map((h, i) => ({
        names: caught[i]!,
        reraises: this.alwaysRaises(blockOf(h)),
        at: this.loc(h.children[0] ?? h, f),
        passes: blockOf(h).every((s) => s.type === 'pass_statement' || s.type === 'comment'),
      })),
    );
    let sig: Signal;
    let raised: PyRaise | undefined;
    const depth = this.exprDepth;
    try {
      sig = this.execBlock(body, f);
    } catch (e) {
      this.exprDepth = depth;
      if (!(e instanceof PyRaise)) throw e;
      raised = e;
    } finally {
      f.catching.pop();
    }
    if (raised) {
      const i = caught.findIndex((names) => names.some((n) => excMatches(raised!.exc, n)));
      if (i < 0) {
        if (finallyClause) this.execBlock(blockOf(finallyClause), f);
        throw raised;
      }
      const handler = handlers[i]!;
      const alias = this.handlerAlias(handler);
      if (alias) this.bind(alias, V.object('exception:' + raised.exc), f);
      const block = blockOf(handler);
      try {
        // `except KeyError: X = "fallback"` after an environment lookup: the fallback is what
        // production gets when the variable is not set, i.e. the lookup's default.
        if (raised.env && !f.locals) {
          const env = raised.env;
          const { result, written } = f.scope.recording(() => this.execBlock(block, f));
          sig = result;
          this.markEnvDefaults(written, block, [{ ...env, hasDefault: true }], f, this.src(field(node, 'body') ?? node, f));
        } else sig = this.execBlock(block, f);
      } catch (e) {
        // the clause raises when the variable is missing (`except KeyError: if default is None:
        // raise ImproperlyConfigured(…)` in a get_env_setting helper): the code refuses to run
        // without it, so it is required, as `os.environ["X"]` alone is, and the lookup is run again
        // as such (each variable once: the set of required ones only grows)
        if (!(e instanceof PyRaise) || !raised.env || this.requiredEnv.has(raised.env.name)) throw e;
        this.requiredEnv.add(raised.env.name);
        this.exprDepth = depth;
        return this.execTry(node, f);
      }
    } else if (!sig && elseClause) {
      sig = this.execBlock(blockOf(field(elseClause, 'body') ?? elseClause), f);
    }
    if (finallyClause) {
      const fs = this.execBlock(blockOf(finallyClause), f);
      if (fs) return fs;
    }
    return sig;
  }

  /**
   * The module a block imports that production does not have, without which the block raises: a
   * workspace module absent or git-ignored here that no deployment file renders into place, imported
   * at the block's top level or in a `try` whose handlers of ImportError all raise again (`try: from
   * settings.local_settings import * except ImportError: logging.error(…); raise`). Its file's name,
   * or undefined.
   */
  protected importRaisesWhereAbsent(block: readonly PyNode[], f: Frame): string | undefined {
    const absent = (st: PyNode): string | undefined => {
      let level = 0;
      let name = '';
      if (st.type === 'import_from_statement') {
        const moduleNode = field(st, 'module_name');
        if (!moduleNode) return undefined;
        if (moduleNode.type === 'relative_import') {
          level = this.src(moduleNode.children.find((c) => c.type === 'import_prefix') ?? moduleNode, f).length;
          const dotted = moduleNode.children.find((c) => c.type === 'dotted_name');
          name = dotted ? this.src(dotted, f) : '';
        } else name = this.src(moduleNode, f);
      } else if (st.type === 'import_statement') {
        const names = fields(st, 'name');
        const only = names.length === 1 ? names[0]! : undefined;
        if (only?.type !== 'dotted_name') return undefined;
        name = this.src(only, f);
      } else return undefined;
      if (name === '') return undefined;
      const res = this.host.resolve(name, level, f.mod.ref);
      if (res.status === 'found') return undefined;
      if (res.status === 'missing' && level === 0 && !this.inWorkspacePackage(name, f.mod.ref)) return undefined;
      const file = res.status === 'ignored' ? res.ref.file : this.missingModuleFile(name, level, f.mod.ref);
      if (!file || this.host.renderedFrom?.(file) || this.writtenFiles.has(nodePath.normalize(file))) return undefined;
      return nodePath.basename(file);
    };
    const catchesImport = (names: readonly string[]): boolean => names.some((n) => excMatches('ModuleNotFoundError', n));
    for (const st of block) {
      const direct = absent(st);
      if (direct) return direct;
      if (st.type !== 'try_statement') continue;
      const body = blockOf(field(st, 'body'));
      const handlers = st.children.filter((c) => c.type === 'except_clause');
      const catching = handlers.filter((h) => catchesImport(this.handlerNames(h, f)));
      if (catching.some((h) => !this.alwaysRaises(blockOf(h)))) continue;
      for (const inner of body) {
        const found = absent(inner);
        if (found) return found;
      }
    }
    return undefined;
  }

  /** A block that ends in a raise (or sys.exit) whatever happens before: it never completes. */
  protected alwaysRaises(block: readonly PyNode[]): boolean {
    return block.some((s) => {
      if (s.type === 'raise_statement') return true;
      if (s.type !== 'expression_statement') return false;
      const call = namedChildren(s)[0];
      if (call?.type !== 'call') return false;
      const fn = field(call, 'function');
      const name = fn?.type === 'attribute' ? `${field(fn, 'object')?.text ?? ''}.${field(fn, 'attribute')?.text ?? ''}` : fn?.text;
      return name === 'sys.exit' || name === 'exit' || name === 'quit';
    });
  }

  /**
   * After a block that runs only because an environment variable is not set (the except clause of
   * a failed lookup, the else of `if "X" in os.environ`), a literal it binds is that variable's
   * default — when the other path (`otherText`: the try body, the other branch) binds the same
   * name from that variable. Such literals are re-origined as `env-default`. A literal in a branch
   * an unrelated variable selects (`if ENV == "dev": DEBUG = True`) stays a literal.
   */
  protected markEnvDefaults(
    written: Map<string, Binding | undefined>,
    block: readonly PyNode[],
    env: readonly V.EnvRef[],
    f: Frame,
    otherText: string,
  ): void {
    if (block.length === 0) return;
    const related = env.filter((e) => mentionsVar(otherText, e.name));
    if (related.length === 0) return;
    const start = f.base + block[0]!.start;
    const end = f.base + block[block.length - 1]!.end;
    for (const name of written.keys()) {
      const b = f.scope.get(name);
      if (!b) continue;
      const v = b.value;
      if (v.kind === 'unknown' || v.kind === 'object' || (v.origin !== 'literal' && v.origin !== 'derived')) continue;
      if (!v.loc || v.loc.file !== f.file || v.loc.start < start || v.loc.end > end) continue;
      if (!assignsName(otherText, name)) continue;
      f.scope.set(name, { ...b, value: { ...v, origin: 'env-default', env: [...related, ...(v.env ?? [])] } });
    }
  }

  /**
   * The names the branch not taken (`other`, the one the variables select when set) rebinds with a
   * plain assignment, the taken branch not: their bindings from before stand only where the
   * deployment leaves the variables unset (marked as markSelected marks, Binding.overriddenBy). An
   * augmented assignment or a method call there changes the earlier value rather than replacing it:
   * not marked.
   */
  protected markReplacedElsewhere(
    other: readonly PyNode[],
    written: Map<string, Binding | undefined>,
    env: readonly V.EnvRef[],
    f: Frame,
    otherText: string,
    loc: V.Loc,
  ): void {
    const related = env.filter((e) => e.style !== 'deployment' && mentionsVar(otherText, e.name));
    if (related.length === 0) return;
    const names = new Set<string>();
    const visit = (n: PyNode, depth: number): void => {
      if (depth > 8 || n.type === 'function_definition' || n.type === 'class_definition') return;
      if (n.type === 'assignment') {
        const left = field(n, 'left');
        if (left?.type === 'identifier' && left.text) names.add(left.text);
      }
      for (const c of n.children) visit(c, depth + 1);
    };
    for (const n of other) visit(n, 0);
    const replaced = new Map<string, Binding | undefined>();
    for (const name of names) if (!written.has(name) && !name.startsWith('__') && f.scope.get(name)) replaced.set(name, undefined);
    if (replaced.size > 0) this.markSelected(replaced, related, f, loc);
  }

  /**
   * After a block that runs because environment variables are not set (the branch `if
   * "DATABASE_URL" in os.environ: … else: …` takes by default, the `if os.environ.get("X"):` it
   * skips), what the block bound is as written unless the deployment sets one of them: each
   * binding is marked (Binding.overriddenBy), its value kept.
   */
  protected markSelected(written: Map<string, Binding | undefined>, env: readonly V.EnvRef[], f: Frame, loc: V.Loc): void {
    const names = [...new Set(env.filter((e) => e.style !== 'deployment').map((e) => e.name))];
    if (names.length === 0) return;
    for (const name of written.keys()) {
      const b = f.scope.get(name);
      if (!b || name.startsWith('__')) continue;
      const add = names.filter((n) => !b.overriddenBy?.some((o) => o.kind === 'variable' && o.name === n));
      if (add.length === 0) continue;
      f.scope.set(name, {
        ...b,
        overriddenBy: [
          ...(b.overriddenBy ?? []),
          ...add.map((n): V.Override => ({ kind: 'variable', name: n, loc, presence: 'optional' })),
        ],
      });
    }
  }

  /**
   * What the branch production is presumed to take binds (productionBranch): as written there,
   * unless the deployment leaves the variables unset.
   */
  protected markPresumed(written: Map<string, Binding | undefined>, env: readonly V.EnvRef[], f: Frame, loc: V.Loc, why: string): void {
    const names = [...new Set(env.map((e) => e.name))];
    for (const name of written.keys()) {
      const b = f.scope.get(name);
      if (!b || name.startsWith('__')) continue;
      f.scope.set(name, {
        ...b,
        overriddenBy: [
          ...(b.overriddenBy ?? []).filter((o) => !(o.kind === 'variable' && names.includes(o.name))),
          ...names.map((n): V.Override => ({ kind: 'variable', name: n, loc, presence: 'optional', presumed: why })),
        ],
      });
    }
  }

  /**
   * The branch a condition on the environment skips by default (`if "SECRET_KEY" in env:
   * SECRET_KEY = env["SECRET_KEY"]`, `if "CSP_DEFAULT_SRC" in os.environ: MIDDLEWARE.append(…)`)
   * runs whenever the deployment sets the variable, and it reads that variable: what it binds is the
   * environment's, not nothing. For each name it bound (`shadow`) that the selected branch did not:
   * a name bound nowhere else takes the branch's value when that value is read from the variable
   * (set by the environment); a literal bound before becomes that variable's default; a list bound
   * before keeps what the branch adds as optional items when the condition only tests presence. A branch that neither reads a variable the
   * condition tests nor runs on its mere presence (`if os.environ.get("ENV") == "prod": DEBUG =
   * False`: a value the deployment may not give) is left to the defaults.
   */
  protected keepEnvironmentBranch(
    shadow: ReadonlyMap<string, Binding | undefined>,
    written: ReadonlyMap<string, Binding | undefined>,
    env: readonly V.EnvRef[],
    f: Frame,
    skippedText: string,
    loc: V.Loc,
    presence: boolean,
    /** The condition is a flag's value (`if env("USE_SES", default=False):`): what a list gains there is not kept as optional. */
    flag = false,
  ): void {
    const read = env.filter((e) => e.style !== 'deployment' && (presence || mentionsVar(skippedText, e.name)));
    if (read.length === 0) return;
    const names = new Set(read.map((e) => e.name));
    // (down to a container's items: a policy dict whose sources are read from the variable)
    const fromVariable = (v: Value, depth = 0): boolean =>
      !!v.env?.some((e) => names.has(e.name)) ||
      (depth < 4 &&
        (v.kind === 'list' || v.kind === 'tuple' || v.kind === 'set'
          ? v.items.some((x) => fromVariable(x, depth + 1))
          : v.kind === 'dict'
            ? v.values.some((x) => fromVariable(x, depth + 1))
            : false));
    const reason = `depends on whether ${[...names].join(', ')} ${names.size > 1 ? 'are' : 'is'} set`;
    for (const [name, sb] of shadow) {
      if (!sb || written.has(name) || name.startsWith('__')) continue;
      const cur = f.scope.get(name);
      if (!cur) {
        // read from the variable when it is set; without it the settings start all the same (the
        // lookup has, in effect, a default: what was there before)
        if (fromVariable(sb.value)) f.scope.set(name, { ...sb, value: notRequired(sb.value, names) });
        continue;
      }
      if (cur === sb || cur.value === sb.value) continue;
      const v = cur.value;
      const seq = (x: Value): boolean => x.kind === 'list' || x.kind === 'tuple';
      if (
        (fromVariable(sb.value) || (presence && sb.value.kind !== 'unknown' && !(seq(v) && seq(sb.value)))) &&
        v.kind !== 'unknown' &&
        v.kind !== 'object' &&
        (v.origin === 'literal' || v.origin === 'derived' || (presence && v.origin === 'env-default'))
      ) {
        // (on a presence test the branch runs whenever the deployment sets the variable, whatever
        // it binds: `EMAIL_BACKEND = console` then `if env("SMTP_HOST", default="") != "":
        // EMAIL_BACKEND = smtp` leaves the console backend only where the deployment does not set it)
        // (a fallback already of other variables keeps naming them first)
        const env = v.origin === 'env-default' ? [...(v.env ?? []), ...read] : [...read, ...(v.env ?? [])];
        // each variable whose presence replaces it may override it (not only the first lookup)
        const add = fromVariable(sb.value)
          ? []
          : [...names].filter((n) => !cur.overriddenBy?.some((o) => o.kind === 'variable' && o.name === n));
        f.scope.set(name, {
          ...cur,
          value: { ...v, origin: 'env-default', env },
          ...(add.length > 0
            ? {
                overriddenBy: [
                  ...(cur.overriddenBy ?? []),
                  ...add.map((n): V.Override => ({ kind: 'variable', name: n, loc, presence: 'optional' })),
                ],
              }
            : {}),
        });
        continue;
      }
      // (only on a presence test: a branch on a flag's value, `if env("METRICS_ENABLED"):`, is a
      // choice the deployment may not make, and optional items leave the whole list unreadable)
      if (presence && !flag && seq(v) && seq(sb.value)) {
        const merged = mergeValues([v, sb.value], reason, loc, true);
        if (merged.kind !== 'unknown') f.scope.set(name, { ...cur, value: merged });
      }
    }
  }

  protected handlerNames(handler: PyNode, f: Frame): string[] {
    const value = handler.children.find((c) => c.named && c.type !== 'block' && c.type !== 'comment');
    if (!value) return ['*'];
    const target = value.type === 'as_pattern' ? namedChildren(value)[0] : value;
    if (!target) return ['*'];
    const names: string[] = [];
    const collect = (n: PyNode): void => {
      if (n.type === 'identifier') names.push(n.text ?? '');
      else if (n.type === 'attribute') {
        const attr = field(n, 'attribute');
        if (attr?.text) names.push(attr.text);
      } else if (n.type === 'tuple' || n.type === 'parenthesized_expression') namedChildren(n).forEach(collect);
    };
    collect(target);
    void f;
    return names;
  }

  protected handlerAlias(handler: PyNode): string | undefined {
    const value = handler.children.find((c) => c.type === 'as_pattern');
    const target = value ? field(value, 'alias') : undefined;
    const id = target ? (target.type === 'identifier' ? target : namedChildren(target)[0]) : undefined;
    return id?.text ?? undefined;
  }

  protected execRaise(node: PyNode, f: Frame): Signal {
    const expr = namedChildren(node)[0];
    let exc = 'Exception';
    if (expr) {
      const callee = expr.type === 'call' ? field(expr, 'function') : expr;
      if (callee?.type === 'identifier' && callee.text) exc = callee.text;
      else if (callee?.type === 'attribute') exc = field(callee, 'attribute')?.text ?? exc;
    }
    throw new PyRaise(exc, this.loc(node, f));
  }

  protected execFor(node: PyNode, f: Frame): Signal {
    const left = field(node, 'left');
    const right = field(node, 'right');
    const body = blockOf(field(node, 'body'));
    const elseClause = field(node, 'alternative');
    if (!left || !right) return undefined;
    const iterable = this.eval(right, f);
    // the namespace itself (`for k in globals()`, `globals().items()`): at the top level the loop
    // variable is a new global, and Python raises RuntimeError (dictionary changed size during
    // iteration) on the next item, so the loop is not followed there
    const live = iterable.kind === 'object' && (iterable.tag === 'globals' || iterable.tag === 'globals-view');
    const items = live && !f.locals ? undefined : this.iterate(iterable);
    if (!items || items.length > MAX_LOOP_ITERATIONS) {
      const what = `a loop over \`${this.clip(this.src(right, f))}\``;
      const item = environLoopItem(iterable, what, this.loc(left, f));
      if (!item) return this.execUncertainBody(body, f, what, node, left);
      // a loop over the environment's variables: what it writes of them is applied after it (core.ts environmentWrites)
      const outer = this.environmentWrites;
      this.environmentWrites = [];
      let sig: Signal;
      try {
        sig = this.execUncertainBody(body, f, what, node, left, item);
      } finally {
        const writes = this.environmentWrites;
        this.environmentWrites = outer;
        // (one write per prefix: a body writing in two branches, `int(value)` or `value`, writes the same names)
        const seen = new Set<string>();
        for (const w of writes) {
          if (seen.has(w.prefix)) continue;
          seen.add(w.prefix);
          this.writeFromVariables(
            f,
            writes.length > 1 && writes.some((o) => o.prefix === w.prefix && o.value !== w.value) ? { ...w, value: undefined } : w,
          );
        }
      }
      return sig;
    }
    const elseBody = elseClause ? blockOf(field(elseClause, 'body') ?? elseClause) : [];
    if (!live) return this.runIterations(items, 0, left, body, elseBody, f, node);
    const names = f.scope.vars.size;
    const sig = this.runIterations(items, 0, left, body, elseBody, f, node);
    // the body bound a new global while the loop ran over the namespace: Python stops with a
    // RuntimeError there, which the analysis does not follow
    if (f.scope.vars.size !== names)
      this.taintAll(f, 'a loop over the namespace binds names while it runs (Python raises RuntimeError there)', this.loc(node, f));
    return sig;
  }

  /** Runs loop iterations from `start`; after a `break` that only some paths take, the rest may not run. */
  protected runIterations(
    items: readonly Value[],
    start: number,
    left: PyNode,
    body: readonly PyNode[],
    elseBody: readonly PyNode[],
    f: Frame,
    node: PyNode,
    depth = 0,
  ): Signal {
    for (let i = start; i < items.length; i++) {
      this.assign(left, items[i]!, f, node);
      const sig = this.execBlock(body, f);
      if (sig?.kind === 'break') return undefined;
      if (sig?.kind === 'return') return sig;
      if (sig?.kind === 'uncertain') {
        const why = 'depends on whether the loop stopped early';
        // each uncertain stop nests a branch; past a few, the remaining iterations are read as one
        // iteration of unknown items (bounded depth, same merge)
        const rest =
          depth < 16
            ? this.branch([() => this.runIterations(items, i + 1, left, body, elseBody, f, node, depth + 1), () => undefined], f, why, node)
            : i + 1 < items.length
              ? this.execUncertainBody(body, f, 'the rest of a loop that may have stopped early', node, left)
              : undefined;
        return sig.mayReturn || rest?.kind === 'uncertain' || rest?.kind === 'return' ? { kind: 'uncertain', mayReturn: true } : undefined;
      }
    }
    return elseBody.length > 0 ? this.execBlock(elseBody, f) : undefined;
  }

  /** A body that may run zero or more times: its effects are merged with not running it. */
  protected execUncertainBody(body: readonly PyNode[], f: Frame, what: string, node: PyNode, loopVar?: PyNode, item?: Value): Signal {
    const sig = this.branch(
      [
        () => {
          if (loopVar) this.assign(loopVar, item ?? V.unknown(`the loop variable of ${what}`), f, node);
          return this.execBlock(body, f);
        },
        () => undefined,
      ],
      f,
      `depends on ${what}`,
      node,
      // a body that may run any number of times may add any number of items, each unreadable (a
      // later run may add other values than the first): the items already there stay certain
      'repeated',
    );
    // a loop absorbs its own break and continue; a return may still leave the function
    if (!loopVar && node.type !== 'while_statement') return sig;
    if (sig?.kind === 'return' || (sig?.kind === 'uncertain' && sig.mayReturn)) return { kind: 'uncertain', mayReturn: true };
    return undefined;
  }

  protected execWith(node: PyNode, f: Frame): Signal {
    const clause = node.children.find((c) => c.type === 'with_clause');
    // `with contextlib.suppress(ImportError):` is `try: … except ImportError: pass`
    const suppressed: string[] = [];
    for (const item of clause ? namedChildren(clause) : []) {
      const value = field(item, 'value') ?? namedChildren(item)[0];
      if (!value) continue;
      const callee = value.type === 'call' ? field(value, 'function') : undefined;
      if (callee) {
        const fn = this.eval(callee, f);
        if (fn.kind === 'unknown' && fn.ext === 'contextlib.suppress') {
          const argsNode = field(value, 'arguments');
          const args = argsNode ? namedChildren(argsNode).filter((a) => a.type !== 'comment') : [];
          for (const a of args) {
            if (a.type === 'identifier' && a.text) suppressed.push(a.text);
            else if (a.type === 'attribute') suppressed.push(field(a, 'attribute')?.text ?? '*');
            else suppressed.push('*'); // `suppress(*errors)`: any exception, as far as the analysis knows
          }
          continue;
        }
      }
      if (value.type === 'as_pattern') {
        const expr = namedChildren(value)[0];
        const alias = field(value, 'alias');
        const v = expr ? this.eval(expr, f) : V.unknown('with-statement value');
        const target = alias ? (alias.type === 'as_pattern_target' ? namedChildren(alias)[0] : alias) : undefined;
        if (target) this.assign(target, v, f, node);
      } else this.eval(value, f);
    }
    const body = blockOf(field(node, 'body'));
    if (suppressed.length === 0) return this.execBlock(body, f);
    f.catching.push([{ names: suppressed, reraises: false }]);
    const depth = this.exprDepth;
    try {
      return this.execBlock(body, f);
    } catch (e) {
      this.exprDepth = depth;
      // the exception ends the block; what ran before it stays, as in Python
      if (e instanceof PyRaise && suppressed.some((n) => excMatches(e.exc, n))) return undefined;
      throw e;
    } finally {
      f.catching.pop();
    }
  }

  /** The exception class the first `raise` of a block names (`raise X(…)`, `raise X`), 'Exception' when it names none the analysis reads. */
  protected raisedClass(block: readonly PyNode[]): string | undefined {
    const r = block.find((n) => n.type === 'raise_statement');
    if (!r) return undefined;
    let e: PyNode | undefined = namedChildren(r)[0];
    if (e?.type === 'call') e = field(e, 'function');
    if (e?.type === 'attribute') e = field(e, 'attribute');
    return e?.type === 'identifier' && e.text ? e.text : 'Exception';
  }
}

/** The names an expression reads (`SENTRY_DSN` in `if SENTRY_DSN and not DEBUG:`), for narrowing. */
function identifiersIn(node: PyNode): string[] {
  const out: string[] = [];
  const walk = (n: PyNode): void => {
    if (n.type === 'identifier') {
      if (n.text) out.push(n.text);
      return;
    }
    if (n.type === 'attribute') {
      const obj = field(n, 'object');
      if (obj) walk(obj);
      return;
    }
    for (const c of n.children) if (c.named) walk(c);
  };
  walk(node);
  return out;
}

/**
 * `lookup != ""` / `lookup is not None` ('differs') or `lookup == ""` / `lookup is None` ('equals'):
 * a comparison of an environment lookup with the empty string or None.
 */
function emptyComparison(node: PyNode): 'differs' | 'equals' | undefined {
  if (node.type !== 'comparison_operator') return undefined;
  const op = node.children
    .filter((c) => !c.named)
    .map((c) => c.type)
    .join(' ');
  const sides = namedChildren(node).filter((c) => c.type !== 'comment');
  const empty = (n: PyNode): boolean =>
    n.type === 'none' ||
    (n.type === 'string' &&
      !namedChildren(n).some((c) => c.type === 'string_content' || c.type === 'interpolation' || c.type === 'escape_sequence'));
  if (sides.length !== 2 || !(empty(sides[0]!) || empty(sides[1]!))) return undefined;
  if (!(LOOKUP_CALL.has(sides[0]!.type) || LOOKUP_CALL.has(sides[1]!.type))) return undefined;
  return op === '!=' || op === 'is not' ? 'differs' : op === '==' || op === 'is' ? 'equals' : undefined;
}

/** Expressions an environment lookup is written as (a call, a name bound to one), beside "" or None in a presence test. */
const LOOKUP_CALL = new Set(['call', 'identifier', 'subscript']);

/** Conditions that are a lookup itself (a call's result, `name := lookup`), not a name holding a value cast from it. */
const FLAG_LOOKUP = new Set(['named_expression', 'call']);

/** A flag's default: False or 0. */
function falseFlag(v: Value): boolean {
  return (v.kind === 'bool' && !v.v) || (v.kind === 'int' && v.v === 0);
}

/** Conditions whose truth is the truth of the value they evaluate to (a name, `name := value`, a call's result). */
const TRUTH_OF_VALUE = new Set(['identifier', 'named_expression', 'call']);

/**
 * Whether a condition only asks whether environment variables are set (`"X" in os.environ`,
 * `os.environ.get("X")`, negated, joined by and/or), not for a value (`== "prod"`, a name holding a
 * value cast from the environment: `if DEBUG:`).
 */
function presenceTest(node: PyNode): boolean {
  switch (node.type) {
    case 'comparison_operator': {
      // `"X" in os.environ`, not a value among literals (`os.getenv("DB") in ["mysql", "mariadb"]`)
      const ops = node.children.filter((c) => !c.named);
      const sides = namedChildren(node).filter((c) => c.type !== 'comment');
      if (sides.some((c) => c.type === 'list' || c.type === 'tuple' || c.type === 'set')) return false;
      return ops.every((c) => c.type === 'in' || c.type === 'not in' || c.type === 'not');
    }
    case 'call': {
      // `os.environ.get("X")`, `os.getenv("X")` without a default: set and not empty
      const fn = field(node, 'function')?.text ?? '';
      const args = namedChildren(field(node, 'arguments') ?? node).filter((c) => c.type !== 'comment');
      return (fn === 'os.environ.get' || fn === 'os.getenv' || fn === 'getenv') && args.length === 1;
    }
    case 'not_operator': {
      const arg = field(node, 'argument');
      return !!arg && presenceTest(arg);
    }
    case 'boolean_operator': {
      const l = field(node, 'left');
      const r = field(node, 'right');
      return !!l && !!r && presenceTest(l) && presenceTest(r);
    }
    case 'parenthesized_expression': {
      const inner = namedChildren(node)[0];
      return !!inner && presenceTest(inner);
    }
    case 'named_expression': {
      // `if hosts := os.environ.get("ALLOWED_HOSTS"):` tests what it binds
      const value = field(node, 'value');
      return !!value && presenceTest(value);
    }
    default:
      return false;
  }
}

/**
 * `v` with its lookups of `names` marked as having a default, down to the items of its containers
 * (`[env.tuple("ADMINS")]`): read when the variable is set, not required by the settings.
 */
function notRequired(v: Value, names: ReadonlySet<string>, depth = 0): Value {
  const env = v.env?.map((e) => (names.has(e.name) ? { ...e, hasDefault: true } : e));
  if (depth > 8) return env ? { ...v, env } : v;
  const inner = (x: Value): Value => notRequired(x, names, depth + 1);
  if (v.kind === 'list' || v.kind === 'tuple' || v.kind === 'set') return { ...v, ...(env ? { env } : {}), items: v.items.map(inner) };
  if (v.kind === 'dict') return { ...v, ...(env ? { env } : {}), values: v.values.map(inner) };
  return env ? { ...v, env } : v;
}

/**
 * What a loop over the process environment gives each time round, when it is one (`for key in
 * os.environ`, `for key, value in os.environ.items()`, `.keys()`, `.values()`): a variable's name
 * (`variableName`), its value (`variableValue`) or both; undefined for any other loop.
 */
function environLoopItem(iterable: Value, what: string, loc: Loc): Value | undefined {
  const view =
    iterable.kind === 'object' && iterable.tag === 'os.environ' ? 'keys' : iterable.kind === 'unknown' ? iterable.environView : undefined;
  if (!view) return undefined;
  const name: Value = { ...V.unknown(`the name of an environment variable, in ${what}`, loc, 'str'), variableName: true };
  const value: Value = { ...V.unknown(`the value of an environment variable, in ${what}`, loc, 'str'), variableValue: true };
  if (view === 'keys') return name;
  if (view === 'values') return value;
  return V.seq('tuple', [name, value], 'derived', loc);
}
