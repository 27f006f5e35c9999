// Module namespaces and the results of evaluating a module.
import type { Loc, Value } from './values';

/** A name bound in a module namespace, and where it was bound. */
export interface Binding {
  value: Value;
  /** The assignment target (`SECRET_KEY` in `SECRET_KEY = …`), or the import that bound the name. */
  target?: Loc;
  /** The whole statement that bound the name. */
  stmt?: Loc;
}

export class Scope {
  readonly vars = new Map<string, Binding>();
  /**
   * Set when dynamic code may have bound any name from here on (`exec`, `globals().update(x)` with
   * unknown `x`, a star-import from a module the evaluator cannot read): a name missing from
   * `vars` is then unknown rather than absent.
   */
  open?: { reason: string; loc?: Loc };

  get(name: string): Binding | undefined {
    return this.vars.get(name);
  }

  set(name: string, binding: Binding): void {
    this.vars.set(name, binding);
  }
}

export type NoteKind =
  | 'import-cycle'
  | 'import-missing'
  | 'import-ignored'
  | 'module-raises'
  | 'dynamic'
  | 'syntax-error'
  | 'budget'
  | 'unreadable';

/** Something the evaluator wants the user to know about how it read the configuration. */
export interface EvalNote {
  readonly kind: NoteKind;
  readonly message: string;
  readonly loc?: Loc;
}

/** A call the evaluator saw (library calls such as `sentry_sdk.init(...)`, `print(...)`), for rules. */
export interface CallRecord {
  /** Dotted name of the callee, e.g. `sentry_sdk.init`, `print`, `logging.Logger.info`. */
  readonly callee: string;
  readonly args: readonly Value[];
  readonly kwargs: ReadonlyMap<string, Value>;
  readonly loc: Loc;
  /** Location of each keyword argument's value. */
  readonly kwargLocs: ReadonlyMap<string, Loc>;
}

export interface ModuleRef {
  /** Dotted module name, e.g. `mysite.settings.production`. */
  readonly name: string;
  readonly file: string;
  readonly isPackage: boolean;
}

export interface ModuleResult {
  readonly ref: ModuleRef;
  readonly scope: Scope;
  readonly notes: EvalNote[];
  readonly calls: CallRecord[];
  /** Files whose statements contributed to this module's namespace (itself and what it imported). */
  readonly files: Set<string>;
  status: 'evaluating' | 'done' | 'raised' | 'budget';
}
