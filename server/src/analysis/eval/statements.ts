// Statements: each kind of statement to the phase that runs it (assignments.ts, control.ts,
// functions.ts, imports.ts), blocks run in order until one leaves early, and the marks a call of a
// project's function leaves on the statements of its body it started (FnReach).
import { field, fields, namedChildren, type PyNode } from '../parse/ast';
import * as V from './values';
import { blockOf } from './core';
import type { Frame, Signal } from './frame';
import { FunctionEvaluator } from './functions';
import { isComputedField } from './library/pydantic';

/** Statements after which a block never goes on. */
const LEAVING = new Set(['continue_statement', 'break_statement', 'return_statement', 'raise_statement']);

export abstract class StatementEvaluator extends FunctionEvaluator {
  protected execBlock(nodes: readonly PyNode[], f: Frame): Signal {
    for (let i = 0; i < nodes.length; i++) {
      const sig = this.execStatement(nodes[i]!, f);
      if (sig?.kind === 'uncertain') {
        // some paths left the block early: the rest of it may or may not run
        if (i + 1 < nodes.length) {
          const rest = nodes.slice(i + 1);
          const after = this.branch(
            [
              () => {
                this.narrowPast(nodes[i]!, f);
                return this.execBlock(rest, f);
              },
              () => undefined,
            ],
            f,
            'depends on whether an earlier branch left the block',
            nodes[i]!,
          );
          return after?.kind === 'uncertain' ? { kind: 'uncertain', mayReturn: sig.mayReturn || after.mayReturn } : sig;
        }
        return sig;
      }
      if (sig) return sig;
    }
    return undefined;
  }

  /**
   * Past `if not key.startswith("DJANGO_"): continue` (an `if` with no other branch whose block
   * always leaves: continue, break, return or raise), the rest of the block runs only where the
   * negated test holds: the names it tests are narrowed as in that test's own branch.
   */
  protected narrowPast(node: PyNode, f: Frame): void {
    if (node.type !== 'if_statement' || fields(node, 'alternative').length > 0) return;
    const cond = field(node, 'condition');
    const last = blockOf(field(node, 'consequence')).at(-1);
    if (cond?.type !== 'not_operator' || !last || !LEAVING.has(last.type)) return;
    const test = field(cond, 'argument');
    if (test) this.narrowNames(test, f);
  }

  protected execStatement(node: PyNode, f: Frame): Signal {
    this.tick();
    const range = f.fnRange;
    if (range?.reach !== undefined) {
      // (a call of a function a `def` defines: the statements it starts are marked, see FnReach;
      // a definition inside it makes a function or class holding its text: all of it counts)
      range.reach.ran.add(f.base + node.start - range.start);
      if (node.type === 'function_definition' || node.type === 'class_definition' || node.type === 'decorated_definition')
        range.reach.whole = true;
    }
    switch (node.type) {
      case 'expression_statement':
        for (const child of node.children) if (child.named) this.execExpressionStatement(child, f, node);
        return undefined;
      case 'import_statement':
        this.execImport(node, f);
        return undefined;
      case 'import_from_statement':
        this.execImportFrom(node, f);
        return undefined;
      case 'if_statement':
        return this.execIf(node, f);
      case 'try_statement':
        return this.execTry(node, f);
      case 'for_statement':
        return this.execFor(node, f);
      case 'while_statement':
        return this.execUncertainBody(blockOf(field(node, 'body')), f, `a while loop`, node);
      case 'with_statement':
        return this.execWith(node, f);
      case 'function_definition':
        this.defineFunction(node, f, false);
        return undefined;
      case 'decorated_definition': {
        const def = field(node, 'definition');
        // @staticmethod and @classmethod in a class body: the function itself (a class method is
        // given the class); any other decorator may replace it
        const decorators = node.children.filter((c) => c.type === 'decorator').map((c) => this.src(c, f).replace(/^@\s*/, '').trimEnd());
        // (@property: the function, which reading the attribute on an instance calls; so is pydantic's
        // @computed_field over @property or @cached_property, or alone — it makes the function a
        // property itself, library/pydantic.ts)
        const method = !f.inClass
          ? undefined
          : decorators.length === 1 && /^(staticmethod|classmethod|property)$/.test(decorators[0]!)
            ? decorators[0]
            : isComputedField(decorators)
              ? 'property'
              : undefined;
        // functools' @lru_cache / @cache: calling it returns what the function returns (the first call's, kept)
        const cached = decorators.length === 1 && /^(?:functools\.)?(?:lru_cache|cache)(?:\([^()]*\))?$/.test(decorators[0]!);
        if (def?.type === 'function_definition') this.defineFunction(def, f, method === undefined && !cached, method);
        else if (def?.type === 'class_definition') this.defineClass(def, f);
        return undefined;
      }
      case 'class_definition':
        this.defineClass(node, f);
        return undefined;
      case 'return_statement': {
        const expr = namedChildren(node)[0];
        return { kind: 'return', value: expr ? this.eval(expr, f) : V.none() };
      }
      case 'raise_statement':
        return this.execRaise(node, f);
      case 'delete_statement':
        this.execDelete(node, f);
        return undefined;
      case 'global_statement':
        for (const id of namedChildren(node)) if (id.text) (f.globalsDeclared ??= new Set()).add(id.text);
        return undefined;
      case 'break_statement':
        return { kind: 'break' };
      case 'continue_statement':
        return { kind: 'continue' };
      case 'assert_statement': {
        const cond = namedChildren(node)[0];
        if (cond) this.requireCondition(this.eval(cond, f), f);
        return undefined;
      }
      case 'match_statement':
        return this.execUncertainBody([], f, 'a match statement', node, node);
      case 'exec_statement':
        this.taintAll(f, 'exec runs code the analysis cannot see', this.loc(node, f));
        return undefined;
      default:
        // pass, comment, future_import_statement, print_statement, nonlocal, type_alias…
        return undefined;
    }
  }

  protected execExpressionStatement(node: PyNode, f: Frame, stmt: PyNode): void {
    if (node.type === 'assignment') this.execAssignment(node, f, stmt);
    else if (node.type === 'augmented_assignment') this.execAugmented(node, f, stmt);
    else this.eval(node, f);
  }
}
