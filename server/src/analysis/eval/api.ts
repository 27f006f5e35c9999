// The types a library function is called with: its arguments and the evaluator services it may
// use. A module of their own, so that builtins/ and library/ can use them without a cycle.
import type { NoteKind } from './scope';
import type * as V from './values';
import type { Loc, Value } from './values';

export interface CallArgs {
  pos: Value[];
  kw: Map<string, Value>;
  kwLocs: Map<string, Loc>;
  loc: Loc;
  /** A `*args`/`**kwargs` the evaluator could not expand. */
  unknownSplat: boolean;
}

/** The evaluator services a library function may use. */
export interface EvalApi {
  readonly file: string;
  readonly moduleName: string;
  note(kind: NoteKind, message: string, loc?: Loc): void;
  record(callee: string, args: CallArgs): void;
  /** The code writes the file at `path` (`Path.write_text`, a file opened for writing): a module it writes can be imported after. */
  wroteFile(path: Value | undefined, loc: Loc): void;
  /** True when an enclosing try statement catches one of these exception classes. */
  catches(...exc: string[]): boolean;
  /**
   * True when an environment lookup failing with one of these exceptions runs an except clause
   * that goes on (a fallback) rather than one that raises again (which makes the variable required).
   */
  envFailureHandled(...exc: string[]): boolean;
  /** The code refuses to run without this environment variable: its lookups' defaults do not apply. */
  isRequiredEnv(name: string): boolean;
  /**
   * The value the settings code itself put in the environment (`os.environ["X"] = …`, or
   * `os.environ.setdefault("X", …)`, which under defaults semantics sets it), or undefined.
   */
  envValue(name: string): Value | undefined;
  /**
   * A django-environ Env's schema was looked up for `name` (undefined: a name the analysis cannot
   * read): a statement re-run after an edit of the schema's statement depends on those keys only.
   */
  envSchemeRead?(data: object, name: string | undefined): void;
  /** Records `os.environ[name] = value` (name undefined: a variable the analysis cannot name). */
  setEnv(name: string | undefined, value: Value): void;
  /** Raises a Python exception; `env` when it is an environment lookup failing. */
  raise(exc: string, loc: Loc, env?: V.EnvRef): never;
  call(fn: Value, args: CallArgs): Value;
  bindGlobal(name: string, value: Value, loc: Loc): void;
  /** A name the analysis cannot read is bound (`setattr(module, key, …)`): see taintByName in core.ts. */
  taintByName(what: string, key: Value, loc: Loc, value?: Value): void;
  /**
   * A file the deployment supplies or may add runs here (`exec()` of a configuration file the
   * repository does not hold): what is bound so far stays as written unless it overrides it; with
   * `opens`, a name not bound is unknown from here on (the file may set it) rather than never set.
   */
  overrideAll(ov: V.Override, reason: string, loc: Loc, opens: boolean): void;
  /** The code runs in a branch the analysis cannot decide: it may not run at all. */
  uncertain(): boolean;
  /**
   * Code the analysis cannot see ran with this dict as its namespace (`exec(code, ns)`): it may
   * hold any key from here on, each value it held may be rebound; every reference sees the change.
   */
  namespaceRunIn(d: V.DictValue, why: string): void;
  /** Dynamic code may bind any name (or any name `mayBind` accepts) from here on. */
  taintAll(reason: string, loc: Loc, mayBind?: (name: string) => boolean): void;
  lookup(name: string, loc: Loc): Value;
  /** `globals()` as a dict now (see globalsSnapshot in core.ts). */
  globalsSnapshot(loc: Loc): V.DictValue;
  /** The code runs at the module's top level (not in a function or a class body): `locals()` is `globals()`. */
  atModuleLevel(): boolean;
  globalNames(): string[];
  /** Imports a module by name (`importlib.import_module`); level > 0 for relative names. */
  importModule(name: string, level: number, loc: Loc): Value;
  /** The names bound in a workspace module (`dir(module)`), or undefined when any name may be. */
  moduleNames(mod: Value): string[] | undefined;
  /** An attribute of a workspace module. */
  moduleAttr(mod: Value, name: string, loc: Loc): Value;
  /** django-split-settings' include(): runs files, named relative to this one, in this namespace. */
  include(files: readonly { pattern: string; optional: boolean }[], loc: Loc): void;
  iterate(v: Value): Value[] | undefined;
  /**
   * Whether a file or folder of the project exists where the code is deployed: true for one in
   * the repository, false for one git ignores; undefined when the analysis cannot tell.
   */
  pathExists(path: string): boolean | undefined;
}
