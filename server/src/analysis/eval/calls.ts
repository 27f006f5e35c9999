// Calls and attributes: a call's arguments (keywords, splats), and what is called — a function of
// the project (inlined: functions.ts; sampled for a tracked module: hooks.ts), a library function
// or method (builtins/, library/), given the services of the frame it is called from (FrameApi),
// a class of the project or an enum member —, the library calls recorded for the rules, and a
// module handed to code that may set any of its names. Attributes of modules, classes and values.
import { field, namedChildren, type PyNode } from '../parse/ast';
import type { CallArgs, EvalApi } from './api';
import { getAttribute } from './library/attributes';
import { globalsObject } from './library/namespace';
import { pydanticInstance } from './library/pydantic';
import type { CallRecord, ModuleResult, NoteKind } from './scope';
import * as V from './values';
import type { Loc, Value } from './values';
import { PyRaise } from './core';
import type { Frame, UserFn } from './frame';
import { handsOverByName, isDjangoDynaconf, KNOWN_HELPERS } from './library/settingsHelpers';
import { dynaconfFiles, type DynaconfFiles } from './library/dynaconfFiles';
import { classAttr, memberAttr, memberByValue, surelyMissing, type EnumMember, type UserClass } from './classes';
import { StatementEvaluator } from './statements';
import { nameOnlyCall } from '../catalogue/pythonStdlib';

/** Shared by calls without keyword arguments; never written to. */
const NO_KEYWORDS: ReadonlyMap<string, Value> = new Map();

const NO_KEYWORD_LOCS: ReadonlyMap<string, Loc> = new Map();

/** Methods that change a list, dict or set in place. */
const MUTATING_METHODS = new Set([
  'append',
  'extend',
  'insert',
  'remove',
  'pop',
  'clear',
  'sort',
  'reverse',
  'update',
  'setdefault',
  'add',
  'discard',
  'popitem',
]);

export abstract class CallEvaluator extends StatementEvaluator {
  /** The object of the last attribute read (the receiver of a method call), for statement tracking. */
  protected lastReceiver: Value | undefined;
  /** Calls of the project's functions, counted (hooks.ts, EvaluatorAccess.userCalls). */
  protected userCalls = 0;

  /** The value of a name where frame `f` runs, or why it is unknown (expressions.ts). */
  protected abstract lookup(name: string, f: Frame, loc: Loc): Value;

  protected evalCall(node: PyNode, f: Frame, loc: Loc): Value {
    const fnNode = field(node, 'function');
    const argsNode = field(node, 'arguments');
    if (!fnNode) return V.unknown('an incomplete call', loc);
    const fn = this.eval(fnNode, f);
    if (
      this.tracker !== undefined &&
      fn.kind === 'object' &&
      fn.tag === 'method' &&
      (fn.data as { mutates?: boolean }).mutates &&
      fnNode.type === 'attribute' &&
      this.lastReceiver !== undefined &&
      (f.uncertain === 0 || f.locals)
    ) {
      const obj = field(fnNode, 'object');
      this.tracker.mutate(this.lastReceiver, f.locals || !obj ? undefined : this.rootName(obj));
    }
    // keyword maps are only allocated for calls that have keyword arguments (most calls do not)
    const args: CallArgs = {
      pos: [],
      kw: NO_KEYWORDS as Map<string, Value>,
      kwLocs: NO_KEYWORD_LOCS as Map<string, Loc>,
      loc,
      unknownSplat: false,
    };
    if (argsNode?.type === 'generator_expression') {
      args.pos.push(this.eval(argsNode, f));
    } else if (argsNode) {
      for (const a of argsNode.children) {
        if (!a.named || a.type === 'comment') continue;
        if (a.type === 'keyword_argument') {
          const name = field(a, 'name')?.text;
          const value = field(a, 'value');
          if (name && value) {
            const v = this.eval(value, f);
            setKeyword(args, name, v, this.locOfNode(v, value, f));
          }
        } else if (a.type === 'list_splat') {
          const inner = namedChildren(a)[0];
          const v = inner ? this.eval(inner, f) : V.unknown('');
          const items = this.iterate(v);
          if (items) V.pushAll(args.pos, items);
          else args.unknownSplat = true;
        } else if (a.type === 'dictionary_splat') {
          const inner = namedChildren(a)[0];
          const v = inner ? this.eval(inner, f) : V.unknown('');
          if (v.kind === 'dict' && !v.partial && v.keys.every((k) => k.kind === 'str')) {
            v.keys.forEach((k, i) => setKeyword(args, (k as V.StrValue).v, v.values[i]!, this.loc(a, f)));
          } else args.unknownSplat = true;
        } else {
          args.pos.push(this.eval(a, f));
        }
      }
    }
    // a mutating method of something that may be another container (Value.aliasOf), known or not
    if (fnNode.type === 'attribute') {
      const obj = field(fnNode, 'object');
      const name = field(fnNode, 'attribute')?.text;
      if (obj && name && MUTATING_METHODS.has(name) && (obj.type === 'identifier' || obj.type === 'attribute')) {
        const target = this.eval(obj, f);
        if (target.aliasOf) this.mutatingAliases(target, f);
      }
    }
    // A mutating method on a value reached through a name: copy-on-write in uncertain branches.
    if (fn.kind === 'object' && fn.tag === 'method' && f.uncertain > 0 && fnNode.type === 'attribute') {
      const d = fn.data as { mutates?: boolean };
      if (d.mutates) {
        const obj = field(fnNode, 'object');
        if (obj) {
          this.prepareMutation(obj, f);
          const fresh = this.eval(fnNode, f);
          return this.callValue(fresh, args, f, loc);
        }
      }
    }
    const result = this.callValue(fn, args, f, loc);
    // a method of the project's own class given this module (`Settings.load_settings(__name__)`)
    // is followed as a function, but what it does to a module by name is not: handed over too
    if (
      fn.kind === 'unknown' ||
      (fn.kind === 'object' && fn.tag !== 'user-fn' && fn.tag !== 'fn' && fn.tag !== 'method') ||
      (fn.kind === 'object' && fn.tag === 'user-fn' && (fn.data as UserFn).method)
    )
      this.handOver(fn, fnNode, args, f, loc);
    return result;
  }

  protected callValue(fn: Value, args: CallArgs, f: Frame, loc: Loc): Value {
    if (fn.kind === 'object') {
      if (fn.tag === 'user-fn') {
        this.userCalls++;
        const t = this.tracker;
        if (t !== undefined) {
          t.called(fn);
          // a function of the module being tracked, called by one of its statements: sampled
          if (t.current !== undefined && (fn.data as UserFn).scope === t.scope) return this.hooks!.sampledCall(t, fn, args, f, loc);
        }
        return this.callUserFunction(fn, args, f, loc);
      }
      if (fn.tag === 'fn' || fn.tag === 'method') {
        const d = fn.data as { impl: (a: CallArgs, api: EvalApi) => Value; receiver?: Value };
        if (d.receiver !== undefined) this.mutating(d.receiver); // a mutating method of a container
        return d.impl(args, this.api(f));
      }
      if (fn.tag === 'user-class') {
        // `Mode("dev")`: the member with that value
        const cls = fn.data as UserClass;
        if (cls.pydantic)
          return pydanticInstance(cls.name, cls.pydantic, args, this.api(f), (fn, a, what) => {
            // (a raise in a default_factory or a computed field's property: that value unknown)
            const depth = this.exprDepth;
            try {
              return this.callValue(fn, a, f, a.loc);
            } catch (e) {
              if (!(e instanceof PyRaise)) throw e;
              this.exprDepth = depth;
              return V.unknown(`${what} raises ${e.exc}`, a.loc);
            }
          });
        const member = cls.enum && args.pos.length === 1 ? memberByValue(cls, args.pos[0]!) : undefined;
        return member ?? V.unknown(`an instance of ${cls.name}`, loc);
      }
      return V.unknown(`the result of calling ${fn.tag}`, loc);
    }
    if (fn.kind === 'unknown') {
      if (fn.ext) {
        this.record(f, fn.ext, args);
        // a library function of a random value (`base64.b64encode(os.urandom(32))`) is as random
        const random = fn.producedBy === 'generated' ? fn : args.pos.find(V.isGenerated);
        if (random?.kind === 'unknown') return { ...V.ext(`${fn.ext}()`, loc), producedBy: 'generated', generatedAt: random.generatedAt };
        // `sys._getframe(1)`: which frame, for f_globals (callerGlobals)
        const n = fn.ext === 'sys._getframe' ? args.pos[0] : undefined;
        if (n?.kind === 'int' && n.v >= 0 && n.v < 10) return V.ext(`sys._getframe(${n.v})`, loc);
        return V.ext(`${fn.ext}()`, loc);
      }
      return V.unknownFrom([fn], 'the result of a call the analysis cannot follow', loc);
    }
    return V.unknown(`a ${V.typeName(fn)} is not callable`, loc);
  }

  /**
   * A call the analysis does not follow that is given this module (`globals()`, `locals()`,
   * `sys.modules[__name__]`, or its name from a method of the project's own classes, as in
   * `Settings.load_settings(__name__)`) can set any of its names: they become unknown.
   * `django_heroku.settings(locals())` is such a call; `logging.getLogger(__name__)` is not, nor is
   * any call outside the project given only the module's name unless its name says it takes the
   * module (handsOverByName): the name is a string, and only the module object can be written.
   */
  protected handOver(fn: Value, fnNode: PyNode, args: CallArgs, f: Frame, loc: Loc): void {
    const ext = fn.kind === 'unknown' ? fn.ext : undefined;
    // the callee's name: as the evaluator follows it (a library's dotted name) or, when it cannot
    // (`logging` made unknown by an earlier dynamic write), as the code writes it
    const callee = ext ?? (fn.kind === 'unknown' ? writtenCallee(fnNode) : undefined);
    // a standard-library function uses a module's name as a name (a logger's, a message, a path, a
    // module to import) and never sets the module's attributes (catalogue/pythonStdlib.ts)
    if (callee !== undefined && nameOnlyCall(callee) !== undefined) return;
    // code outside the project given the module's name only takes the module when its name says so
    // (below); a callee the analysis cannot follow is such code, whatever made it unknown
    const byName = callee !== undefined ? handsOverByName(callee, args, f.mod.calls) : undefined;
    const library = fn.kind === 'unknown' && byName === undefined;
    let given = false;
    for (const v of args.pos) if (this.isThisModule(v, library, f)) given = true;
    if (!given && args.kw.size > 0) for (const v of args.kw.values()) if (this.isThisModule(v, library, f)) given = true;
    if (!given) return;
    const known = ext ? KNOWN_HELPERS[ext.replace(/\(\)$/, '')] : undefined;
    if (known) return known(args, this.api(f));
    const call = `${this.clip(this.src(fnNode, f))}()`;
    // DjangoDynaconf(__name__, settings_files=[…]): the files it loads, read as it reads them
    if (callee !== undefined && isDjangoDynaconf(callee) && !f.locals && this.shadowDepth === 0) {
      const files = dynaconfFiles(args, f.file, this.host, (name) => this.envValues.get(name));
      if (files !== undefined && !('unread' in files)) return this.loadDynaconfFiles(f, files, call, loc);
    }
    const what = `${call} is given this module and ${byName?.what ?? 'may set any of its settings'}`;
    const prefixes = byName?.envPrefixes ? byName.envPrefixes(args) : [];
    if (byName?.overlay && prefixes) {
      this.openUnset(f, what, loc);
      this.markOverlaid(f, prefixes, loc);
    } else this.taintAll(f, what, loc);
  }

  /**
   * DjangoDynaconf's settings files loaded over the module (library/dynaconfFiles.ts): each setting
   * they give, in its file's place (as written unless the deployment names another environment,
   * when an environment's section gave it and no variable names one); a file production may have
   * that the repository does not (an uncommitted `.secrets.yaml`) may override the settings loaded
   * before it and set any other; then its `<PREFIX>_<NAME>` variables (writeFromVariables).
   */
  protected loadDynaconfFiles(f: Frame, r: DynaconfFiles, call: string, loc: Loc): void {
    this.tracker?.barrier('dynaconf loads settings files into the module');
    // (its values are placed in them: rules find a setting's place there, as in an included module)
    for (const file of r.read) f.mod.files.add(file);
    const switches = r.switches.map((name): V.Override => ({ kind: 'variable', name, loc, presence: 'optional' }));
    for (const [name, s] of r.settings)
      f.scope.set(name, {
        value: s.value,
        target: s.key,
        stmt: s.key,
        overriddenBy: s.byDefaultEnv && switches.length ? switches : undefined,
      });
    for (const a of r.absent) {
      const ov: V.Override = { kind: 'file', name: a.shown, loc, presence: 'optional' };
      const reason = `${a.shown} is a settings file ${call} loads that production may have (${a.why} here)`;
      this.note(
        f,
        'optional-override',
        `${reason}: the settings loaded before it stay as written unless it overrides them; a setting not set is unknown from here on.`,
        loc,
        ov,
      );
      this.overrideNames(f, ov, (name) => a.after.has(name) || !V.isUpperName(name));
      const open = f.scope.open;
      if (!open || open.mayBind) f.scope.open = { reason, loc };
    }
    for (const prefix of r.prefixes)
      this.writeFromVariables(f, { prefix: `${prefix}_`, what: `${call} loads`, value: undefined, loc, test: (v) => V.isUpperName(v) });
  }

  /**
   * After a loader that replaces the module's upper-case names from `<PREFIX>_<NAME>` variables
   * (dynaconf): each such name is as written unless the deployment sets one of them.
   */
  protected markOverlaid(f: Frame, prefixes: readonly string[], loc: Loc): void {
    if (prefixes.length === 0) return;
    for (const [name, b] of f.scope.vars) {
      if (name.startsWith('__') || !/[A-Z]/.test(name) || !V.isUpperName(name)) continue;
      const add = prefixes
        .map((p) => `${p}_${name}`)
        .filter((n) => !b.overriddenBy?.some((o) => o.kind === 'variable' && o.name === n))
        .map((n): V.Override => ({ kind: 'variable', name: n, loc, presence: 'optional', replaces: true }));
      if (add.length) f.scope.set(name, { ...b, overriddenBy: [...(b.overriddenBy ?? []), ...add] });
    }
  }

  /** `globals()`, `sys.modules[__name__]`, or (given to the project's own code) the module's name. */
  protected isThisModule(v: Value, library: boolean, f: Frame): boolean {
    if (v.kind === 'object') return v.tag === 'globals' || v.tag === 'this-module';
    return !library && v.kind === 'str' && v.v === f.mod.ref.name;
  }

  protected record(f: Frame, callee: string, args: CallArgs): void {
    const rec: CallRecord = {
      callee,
      args: args.pos,
      kwargs: args.kw,
      loc: args.loc,
      kwargLocs: args.kwLocs,
      conditional: f.uncertain > 0 || undefined,
    };
    f.mod.calls.push(rec);
    // (a call a tracked statement adds to another module, one of whose functions it called)
    const t = this.tracker;
    if (t !== undefined) t.callRecorded(f.mod, rec);
  }

  protected getAttr(o: Value, name: string, loc: Loc, f: Frame): Value {
    // `os.environ.get("X").split(",")`: None has no such attribute, so X must be set
    if (o.kind === 'none') o = this.requiredFromNone(o, f, loc) ?? o;
    if (o.kind === 'object' && o.tag === 'wsmodule') {
      const m = o.data as ModuleResult;
      this.tracker?.foreign(name, m.scope);
      const b = m.scope.get(name);
      if (b) return b.value;
      return this.importModule(name, 0, f, loc, m.ref);
    }
    if (o.kind === 'object' && o.tag === 'user-class') {
      const cls = o.data as UserClass;
      const v = classAttr(cls, name);
      if (v?.kind === 'object' && v.tag === 'user-fn' && (v.data as UserFn).classMethod)
        return { ...v, data: { ...(v.data as UserFn), bound: o } };
      if (v) return v;
      if (surelyMissing(cls) && !name.startsWith('__')) {
        if (this.catchesHere(f, 'AttributeError')) throw new PyRaise('AttributeError', loc);
        return V.unknown(`${cls.name} has no attribute ${name}`, loc);
      }
      return V.unknown(`${name} of ${cls.name}`, loc);
    }
    if (o.kind === 'object' && o.tag === 'enum-member') return memberAttr(o.data as EnumMember, name, loc);
    if (name === 'f_globals' && o.kind === 'unknown' && o.ext) {
      const g = this.callerGlobals(o.ext, f, loc);
      if (g) return g;
    }
    return getAttribute(o, name, loc, this.api(f));
  }

  /**
   * The globals of a calling frame, from the frame object the code reached (`inspect.stack()[1][0]`,
   * `inspect.stack()[1].frame`, `inspect.currentframe().f_back`, `sys._getframe(1)`): the
   * namespace of the module of the frame that many calls up the inlined calls, which the code can
   * then write (`parent_globals[key] = value`). Undefined when the frame is not one of those forms
   * or lies above the module's top level.
   */
  protected callerGlobals(ext: string, f: Frame, loc: Loc): Value | undefined {
    let depth: number | undefined;
    const stack = /^inspect\.stack\(\)\[(\d)\](?:\[0\]|\.frame)$/.exec(ext);
    const current = /^inspect\.currentframe\(\)((?:\.f_back){0,4})$/.exec(ext);
    const getframe = /^sys\._getframe\((\d?)\)$/.exec(ext);
    if (stack) depth = Number(stack[1]);
    else if (current) depth = (current[1] ?? '').length / '.f_back'.length;
    else if (getframe) depth = Number(getframe[1] || '0');
    if (depth === undefined) return undefined;
    let at: Frame | undefined = f;
    for (let i = 0; i < depth && at; i++) at = at.caller;
    if (!at) return undefined;
    // a frame inside a function of its module: f_globals is still that module's namespace
    return globalsObject(this.api(at), loc);
  }

  protected api(f: Frame): EvalApi {
    return (f.api ??= this.makeApi(f));
  }

  protected makeApi(f: Frame): EvalApi {
    return new CallEvaluator.FrameApi(this, f);
  }

  /**
   * The services given to library functions for a frame: one object per frame that calls one
   * (a class: its methods are shared, where an object of closures made two dozen functions for
   * each call of a helper such as env_flag()).
   */
  private static readonly FrameApi = class implements EvalApi {
    readonly file: string;
    readonly moduleName: string;
    constructor(
      private readonly ev: CallEvaluator,
      private readonly f: Frame,
    ) {
      this.file = f.file;
      this.moduleName = f.mod.ref.name;
    }
    note(kind: NoteKind, message: string, loc?: Loc): void {
      this.ev.note(this.f, kind, message, loc);
    }
    record(callee: string, args: CallArgs): void {
      this.ev.record(this.f, callee, args);
    }
    wroteFile(path: Value | undefined, loc: Loc): void {
      this.ev.wroteFile(path, loc);
    }
    catches(...exc: string[]): boolean {
      return exc.some((e) => this.ev.catchesHere(this.f, e));
    }
    envFailureHandled(...exc: string[]): boolean {
      return this.ev.envFailureHandled(this.f, exc);
    }
    isRequiredEnv(name: string): boolean {
      return this.ev.requiredEnv.has(name);
    }
    envValue(name: string): Value | undefined {
      return this.ev.environmentValue(name);
    }
    envSchemeRead(data: object, name: string | undefined): void {
      this.ev.tracker?.schemeRead(data, name);
    }
    setEnv(name: string | undefined, value: Value): void {
      this.ev.setEnv(this.f, name, value);
    }
    raise(exc: string, loc: Loc, env?: V.EnvRef): never {
      throw new PyRaise(exc, loc, env);
    }
    call(fn: Value, args: CallArgs): Value {
      return this.ev.callValue(fn, args, this.f, args.loc);
    }
    bindGlobal(name: string, value: Value, loc: Loc): void {
      this.ev.bindGlobal(this.f, name, value, loc);
    }
    taintAll(reason: string, loc: Loc, mayBind?: (name: string) => boolean): void {
      this.ev.taintAll(this.f, reason, loc, mayBind);
    }
    namespaceRunIn(d: V.DictValue, why: string): void {
      this.ev.markUncertain(d, why);
      for (let i = 0; i < d.values.length; i++) d.values[i] = V.unknown(why, d.values[i]!.loc ?? d.loc);
    }
    overrideAll(ov: V.Override, reason: string, loc: Loc, opens: boolean): void {
      this.ev.overrideAll(this.f, ov, reason, loc, opens);
    }
    uncertain(): boolean {
      return this.f.uncertain > 0;
    }
    taintByName(what: string, key: Value, loc: Loc, value?: Value): void {
      this.ev.taintByName(this.f, what, key, loc, value);
    }
    lookup(name: string, loc: Loc): Value {
      return this.ev.lookup(name, this.f, loc);
    }
    globalsSnapshot(loc: Loc): V.DictValue {
      return this.ev.globalsSnapshot(this.f, loc);
    }
    atModuleLevel(): boolean {
      return !this.f.locals && !this.f.inClass;
    }
    globalNames(): string[] {
      this.ev.tracker?.barrier('the names of the namespace are read');
      return [...this.f.scope.vars.keys()];
    }
    importModule(name: string, level: number, loc: Loc): Value {
      return this.ev.importModule(name, level, this.f, loc);
    }
    moduleNames(mod: Value): string[] | undefined {
      const m = mod.kind === 'object' && mod.tag === 'wsmodule' ? (mod.data as ModuleResult) : undefined;
      this.ev.tracker?.foreign();
      return m && !m.scope.open ? [...m.scope.vars.keys()].sort() : undefined;
    }
    moduleAttr(mod: Value, name: string, loc: Loc): Value {
      return this.ev.getAttr(mod, name, loc, this.f);
    }
    include(files: readonly { pattern: string; optional: boolean }[], loc: Loc): void {
      this.ev.includeFiles(files, this.f, loc);
    }
    iterate(v: Value): Value[] | undefined {
      return this.ev.iterate(v);
    }
    pathExists(path: string): boolean | undefined {
      return this.ev.pathExists(path, this.f);
    }
  };
}

/** A call's keyword argument, its maps made at the first (most calls have none: NO_KEYWORDS). */
function setKeyword(args: CallArgs, name: string, v: Value, l: Loc): void {
  if (args.kw === NO_KEYWORDS) {
    args.kw = new Map();
    args.kwLocs = new Map();
  }
  args.kw.set(name, v);
  args.kwLocs.set(name, l);
}

/**
 * A callee as the code writes it, as a dotted name with its calls marked (`logging.getLogger(__name__).info`
 * is `logging.getLogger().info`); undefined for anything else (a subscript, a lambda).
 */
function writtenCallee(node: PyNode, depth = 0): string | undefined {
  if (depth > 20) return undefined;
  if (node.type === 'identifier') return node.text ?? undefined;
  if (node.type === 'attribute') {
    const obj = field(node, 'object');
    const attr = field(node, 'attribute')?.text;
    const left = obj ? writtenCallee(obj, depth + 1) : undefined;
    return left !== undefined && attr ? `${left}.${attr}` : undefined;
  }
  if (node.type === 'call') {
    const fn = field(node, 'function');
    const left = fn ? writtenCallee(fn, depth + 1) : undefined;
    return left !== undefined ? `${left}()` : undefined;
  }
  return undefined;
}
