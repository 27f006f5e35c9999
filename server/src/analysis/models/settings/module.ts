// Reading an evaluated module's namespace (a gunicorn config module, say) without reaching into the
// evaluator's scope objects: what the module binds, and to what.
import type { Binding, ModuleResult } from '../../eval/scope';

/** Every module-level binding, in binding order. */
export function moduleBindings(module: ModuleResult): ReadonlyMap<string, Binding> {
  return module.scope.vars;
}

/** The module-level binding of `name`, if the module binds it. */
export function moduleBinding(module: ModuleResult, name: string): Binding | undefined {
  return module.scope.vars.get(name);
}
