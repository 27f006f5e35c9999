// What code runs in: a frame (module level, a function's body, a class body) with the state of
// the code being run, the signals a block ends with, the project's own functions as values (what a
// `def` or a `lambda` makes, and what their calls ran of their bodies), and a snapshot of the state
// the evaluation shares between modules.
import type { PyNode } from '../parse/ast';
import type { EvalApi } from './api';
import type { ModuleResult, Scope } from './scope';
import type * as V from './values';
import type { Loc, Value } from './values';

/** One `except` clause of an enclosing try statement. */
export interface Handler {
  /** Exception class names it catches (`*` for a bare except). */
  readonly names: readonly string[];
  /** The clause always raises again (`except KeyError: raise ImproperlyConfigured(…)`). */
  readonly reraises: boolean;
  /** Where the clause's `except …:` line is (an except clause of a try statement). */
  readonly at?: Loc;
  /** The clause's body is only `pass` (an optional module's absence taken as normal). */
  readonly passes?: boolean;
}

/**
 * How a block ended. `uncertain`: some of the undecidable paths through it left early (break,
 * continue, return) and others did not; what follows in the enclosing blocks may not run.
 */
export type Signal =
  | undefined
  | { kind: 'break' }
  | { kind: 'continue' }
  | { kind: 'return'; value: Value }
  | { kind: 'uncertain'; mayReturn: boolean };

export interface Frame {
  readonly mod: ModuleResult;
  readonly file: string;
  readonly text: string;
  base: number;
  readonly scope: Scope;
  /** Local variables of an inlined function call (undefined at module level). */
  locals?: Map<string, Value>;
  globalsDeclared?: Set<string>;
  /** Comprehension variable scopes, innermost last. */
  comp: Map<string, Value>[];
  /** In an inlined function: values returned by paths that left it early (merged with the result). */
  pendingReturns?: Value[];
  /** Depth of branches whose condition is unknown; mutations are copy-on-write there. */
  uncertain: number;
  cow: Set<string>;
  /** The services given to library functions (made once per frame). */
  api?: EvalApi;
  /** The except clauses of the enclosing try statements, innermost last. */
  catching: Handler[][];
  callDepth: number;
  /** In an inlined function: where its body is (absolute offsets in `file`). */
  fnRange: { readonly start: number; readonly end: number; readonly reach: FnReach | undefined } | undefined;
  /**
   * In an inlined function: environment variables whose being unset decided a branch, where the
   * function reads them elsewhere (`if name in os.environ: … return default`). What it returns
   * is then those variables' default.
   */
  envDefaultReturn: V.EnvRef[] | undefined;
  /**
   * In an inlined function: the environment lookups whose defaults its arguments carry
   * (`strtobool(os.environ.get("X") or "False")`). A branch such an argument decides makes what the
   * function returns that variable's default too.
   */
  argEnv: readonly V.EnvRef[] | undefined;
  /** In a class body (its locals are the class's attributes): functions defined here are methods. */
  inClass: boolean;
  /**
   * The frame that called this one (an inlined function's caller; undefined at module level): what
   * `inspect.stack()[1][0]`, `inspect.currentframe().f_back` and `sys._getframe(1)` stand for.
   */
  caller: Frame | undefined;
}

export interface Param {
  readonly name: string;
  readonly kind: 'plain' | 'star' | 'kwstar';
  readonly default?: Value;
}

export interface UserFn {
  readonly name: string;
  readonly params: Param[];
  readonly body: readonly PyNode[];
  readonly expr: PyNode | undefined;
  readonly file: string;
  readonly text: string;
  readonly base: number;
  readonly mod: ModuleResult;
  readonly scope: Scope;
  /** Defined with @classmethod in a class body. */
  readonly classMethod?: boolean;
  /** A class method reached through its class: the class, given as the first argument. */
  readonly bound?: Value;
  /** Defined in a class body (a method, static or not). */
  readonly method?: boolean;
  /** Defined with @property in a class body: reading it on an instance calls it. */
  readonly property?: boolean;
  /** Defined with @staticmethod in a class body. */
  readonly staticMethod?: boolean;
  /** What its calls ran and looked at of its body (a function a `def` statement defines). */
  readonly reach?: FnReach;
}

/**
 * What the calls of a function ran and looked at of its body, by offset from the body's start.
 * Every call marks the statements it starts and the ranges it reads without running them (the
 * handlers of a `try`, a branch read for whether it raises, the text around a condition searched
 * for a variable's name). An edit inside a statement no call started, touching nothing read, gives
 * every call made so far the same result (the reuse layer's unreachedEdit). Copies of the function (a
 * module lent to an evaluation) share it, so their calls are marked too.
 */
export interface FnReach {
  /** The statements a call started (their start). */
  readonly ran: Set<number>;
  /** The ranges read without being run: start, end pairs. */
  readonly seen: number[];
  /** Marks that no longer tell: the whole body read (a nested `def`, a lambda, a search of its text that found nothing), or a body edited by other means. */
  whole: boolean;
}

/** The evaluator's state shared between modules, as it was at a point of a module's evaluation. */
export interface SharedSnapshot {
  readonly env: readonly (readonly [string, Value])[];
  readonly required: readonly string[];
  readonly tested: readonly string[];
  readonly written: readonly (readonly [string, Loc])[];
}
