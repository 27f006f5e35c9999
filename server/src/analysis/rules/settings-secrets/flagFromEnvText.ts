// DDH110: a flag setting is the text of an environment variable, or bool() of it: any non-empty
// value turns it on, "False" and "0" included.
import { DJANGO_DEFAULTS } from '../../catalogue/djangoDefaults';
import { CORS_HEADERS, DECOUPLE_TEXT_WITHOUT_CAST } from '../../catalogue/libraries';
import { defaultLookup, hasValue, isEnvironmentDefault } from '../../models/settings/query';
import type { EnvRef, Loc, Value } from '../../eval/values';
import { field, namedChildren, type PyNode } from '../../parse/ast';
import type { SettingValue } from '../settings';
import type { Fix, Rule, RuleContext } from '../types';
import { lookupCall, within } from './lookups';
import { readingLink } from '../basis';

/** Flags whose being on by mistake exposes the site (the others only cannot be turned off). */
const RISKY_WHEN_ON = new Set([
  'DEBUG',
  'TEMPLATE_DEBUG',
  'DEBUG_PROPAGATE_EXCEPTIONS',
  'USE_X_FORWARDED_HOST',
  'USE_X_FORWARDED_PORT',
  CORS_HEADERS.settings.allowAllOrigins.name,
  ...CORS_HEADERS.settings.allowAllOrigins.fallbacks,
]);

/** Boolean settings: Django's (its default is a boolean) and django-cors-headers' switches. */
const FLAGS: readonly string[] = [
  ...DJANGO_DEFAULTS.filter((d) => typeof d.value === 'boolean').map((d) => d.name),
  'TEMPLATE_DEBUG',
  CORS_HEADERS.settings.allowAllOrigins.name,
  ...CORS_HEADERS.settings.allowAllOrigins.fallbacks,
  CORS_HEADERS.settings.allowCredentials.name,
];

/** The lookups that give the variable's text: not a project helper, which may parse it. */
const TEXT_LOOKUP = /^(os\.environ\.get|os\.getenv|environ\.get|getenv)$/;

/** `NAME = "VAR" in os.environ`, `NAME = True if "VAR" in environ else False` (a module-level assignment). */
const PRESENCE_FLAG =
  /^([A-Za-z_]\w*)\s*=\s*(?:True\s+if\s+)?["']([A-Za-z_]\w*)["']\s+in\s+(?:os\.)?environ(?:\s+else\s+False)?\s*(?:#.*)?$/;

/** The words the fix's parse reads as on. */
const ON_WORDS = '("1", "true", "yes", "on")';

/** The chain of nodes from `node` down to the one spanning exactly [start, end), or undefined. */
function pathTo(node: PyNode, start: number, end: number): PyNode[] | undefined {
  if (node.start === start && node.end === end && node.type === 'call') return [node];
  for (const c of node.children) {
    if (c.start <= start && c.end >= end) {
      const p = pathTo(c, start, end);
      if (p) return [node, ...p];
    }
  }
  return undefined;
}

interface Trap {
  /** The name the lookup's text (or bool() of it) is assigned to, as written. */
  readonly name: string;
  /** The expression to rewrite: `bool(lookup)`, or the lookup itself. */
  readonly expr: Loc;
  readonly wrapped: boolean;
}

/**
 * Where a string lookup's result is assigned as it is, or through bool(): `NAME = bool(lookup)` or
 * `NAME = lookup` (at module level or in a class body). Undefined for anything else (a comparison,
 * int(), .lower() … parse the text).
 */
function trapAt(ctx: RuleContext, env: EnvRef): Trap | undefined {
  const doc = ctx.document(env.loc.file);
  if (!doc) return undefined;
  for (const chunk of doc.chunks) {
    const start = env.loc.start - chunk.base;
    const end = env.loc.end - chunk.base;
    if (start < chunk.node.start || end > chunk.node.end) continue;
    const path = pathTo(chunk.node, start, end);
    if (!path || path.length < 2) return undefined;
    let i = path.length - 1;
    let expr = path[i]!;
    let wrapped = false;
    const args = path[i - 1];
    const outer = path[i - 2];
    if (args?.type === 'argument_list' && namedChildren(args).length === 1 && outer?.type === 'call') {
      const fn = field(outer, 'function');
      if (fn?.type !== 'identifier' || fn.text !== 'bool') return undefined;
      expr = outer;
      wrapped = true;
      i -= 2;
    }
    const holder = path[i - 1];
    if (holder?.type !== 'assignment' || field(holder, 'right') !== expr) return undefined;
    const left = field(holder, 'left');
    if (left?.type !== 'identifier' || !left.text) return undefined;
    return { name: left.text, expr: { file: env.loc.file, start: chunk.base + expr.start, end: chunk.base + expr.end }, wrapped };
  }
  return undefined;
}

/**
 * Whether the setting is bound by that assignment itself, or reads the name it binds (`DEBUG =
 * SERVICE.DEBUG`, `DEBUG = _debug`).
 */
function bindsSetting(ctx: RuleContext, s: SettingValue, trap: Trap, env: EnvRef): boolean {
  const stmt = s.binding?.stmt;
  if (!stmt) return false;
  if (within(env.loc, stmt)) return trap.name === s.name;
  const text = ctx.textAt(stmt);
  const m = text ? /^[A-Za-z_]\w*\s*=\s*(?:[A-Za-z_]\w*\s*\.\s*)*([A-Za-z_]\w*)\s*(?:#.*)?$/.exec(text.trim()) : null;
  return m?.[1] === trap.name;
}

/** The default as the text of a string, as the lookup returns it when the variable is unset. */
function defaultText(v: Value): string | undefined {
  if (v.kind === 'bool') return v.v ? 'True' : 'False';
  if (v.kind === 'none') return '';
  if (v.kind === 'int') return String(v.v);
  if (v.kind === 'str') return v.v;
  return undefined;
}

/**
 * The os lookup a setting is assigned from (`DEBUG = os.getenv("DEBUG")`, or inside bool()), when a
 * deployment file sets that variable: the value is then the deployment's, and the lookup is found
 * where the setting is written.
 */
function suppliedLookup(ctx: RuleContext, name: string, variable: string | undefined): EnvRef | undefined {
  const stmt = ctx.settings.get(name).binding?.stmt;
  const text = stmt ? ctx.textAt(stmt) : undefined;
  if (!stmt || !text || !variable) return undefined;
  const head = /^[A-Za-z_]\w*[ \t]*=[ \t]*(?:bool\([ \t]*)?/.exec(text);
  if (!head) return undefined;
  const call = /^[\w.]+[ \t]*\([ \t]*(["'])([A-Za-z_]\w*)\1[^()]*\)/.exec(text.slice(head[0].length));
  if (!call || call[2] !== variable) return undefined;
  const start = stmt.start + head[0].length;
  const callee = /^[\w.]+/.exec(call[0])![0];
  const style = decoupleCallee(ctx.fileText(stmt.file) ?? '', callee) ? 'decouple' : 'os';
  return { name: variable, style, hasDefault: /,/.test(call[0]), loc: { file: stmt.file, start, end: start + call[0].length } };
}

/** Whether `callee` is python-decouple's config in the module's text (`from decouple import config [as c]`, `decouple.config`). */
function decoupleCallee(text: string, callee: string): boolean {
  if (callee === 'decouple.config') return /^[ \t]*import[ \t]+decouple\b/m.test(text);
  const imports = /^[ \t]*from[ \t]+decouple[ \t]+import[ \t]+([^\n#]*)/gm;
  for (let m = imports.exec(text); m; m = imports.exec(text)) {
    for (const part of m[1]!.replace(/[()]/g, '').split(',')) {
      const words = part.trim().split(/[ \t]+/);
      if (words[0] === 'config' && (words.length === 1 ? callee === 'config' : words[1] === 'as' && words[2] === callee)) return true;
    }
  }
  return false;
}

/** A python-decouple lookup with no cast (`config("DEBUG", False)`), which returns the variable's text when it is set. */
function decoupleWithoutCast(ctx: RuleContext, env: EnvRef): boolean {
  if (env.style !== 'decouple' || !DECOUPLE_TEXT_WITHOUT_CAST.returnsText.value) return false;
  const text = ctx.textAt(env.loc) ?? '';
  return !/\bcast[ \t]*=/.test(text) && !/,[ \t]*bool[ \t]*\)[ \t]*$/.test(text);
}

function fixFor(ctx: RuleContext, s: SettingValue, v: Value, env: EnvRef, trap: Trap): Fix | undefined {
  const call = lookupCall(ctx, env);
  const callText = ctx.textAt(env.loc);
  const text = defaultText(v);
  if (!call || !callText || text === undefined || !TEXT_LOOKUP.test(call.callee)) return undefined;
  if (!/^[\w .-]*$/.test(text)) return undefined;
  const quote = /^[^(]*\(\s*'/.test(callText) ? "'" : '"';
  const lit = `${quote}${text}${quote}`;
  let lookup: string;
  if (call.defaultArg) {
    const a = call.defaultArg.start - env.loc.start;
    const b = call.defaultArg.end - env.loc.start;
    lookup = callText.slice(0, a) + lit + callText.slice(b);
  } else lookup = `(${callText} or ${quote}${quote})`;
  const words = quote === "'" ? ON_WORDS.replace(/"/g, "'") : ON_WORDS;
  return ctx.fixer.replace(
    trap.expr,
    `${lookup}.lower() in ${words}`,
    `Parse ${env.name} as a flag: on only for 1, true, yes or on (unsafe: other values now turn ${s.name} off)`,
    'unsafe',
  );
}

export const flagFromEnvText: Rule = {
  code: 'DDH110',
  name: 'flag-from-env-text',
  title: 'A flag setting is on for any non-empty environment value',
  severity: 'warning',
  group: 'settings-secrets',
  checklist: 'debug-off',
  target: 'settings',
  fixSafety: 'unsafe',
  docs: {
    what: 'Flags a setting that exposes the site when on (`DEBUG`, `USE_X_FORWARDED_HOST`, `CORS_ALLOW_ALL_ORIGINS`…) written as whether an environment variable is set (`DEBUG = "DEBUG" in os.environ`, `True if "DEBUG" in environ else False`): any value turns it on. And a boolean setting (`DEBUG`, `SESSION_COOKIE_SECURE`, `CORS_ALLOW_ALL_ORIGINS`…) that is the text of an environment variable, as `os.environ.get()` or `os.getenv()` returns it, or `bool()` of that text: `DEBUG = bool(os.environ.get("DEBUG", False))`, also through a name or a class attribute (`DEBUG = SERVICE.DEBUG`). Its default (the variable unset) is what it looks like, but once the variable is set the setting is on for every non-empty value. `DEBUG` is a warning, as are the other flags that expose the site when on; a flag that is only safer when on is information (it cannot be turned off).',
    why: '`bool("False")`, `bool("0")` and `bool("no")` are all `True`: the deployment that writes `DEBUG=False` in its environment runs with DEBUG on, and shows tracebacks, settings and SQL to whoever triggers an error. Nothing fails to warn about it: the value simply reads the opposite of what was written.',
    example: 'DEBUG = bool(os.environ.get("DEBUG", False))',
    fix: 'Parse the text: compare it with the words that mean on (`os.environ.get("DEBUG", "False").lower() in ("1", "true", "yes", "on")`), or use a library cast (`env.bool("DEBUG", default=False)`, `config("DEBUG", default=False, cast=bool)`). The quick fix rewrites the expression that way, with the same default; it is unsafe because any other value the deployment may set then turns the flag off.',
    good: 'DEBUG = os.environ.get("DEBUG", "False").lower() in ("1", "true", "yes", "on")',
    references: [
      { title: 'Python: truth value testing', url: 'https://docs.python.org/3/library/stdtypes.html#truth-value-testing' },
      { title: 'Python: os.environ', url: 'https://docs.python.org/3/library/os.html#os.environ' },
      { title: 'Django: DEBUG', url: 'https://docs.djangoproject.com/en/stable/ref/settings/#debug' },
    ],
  },
  check(ctx) {
    // a presence test (`DEBUG = "DEBUG" in os.environ`, `True if "DEBUG" in environ else False`): on
    // whenever the variable is set, whatever its value
    for (const name of RISKY_WHEN_ON) {
      const s = ctx.settings.get(name);
      const stmt = s.binding?.stmt;
      const text = stmt ? ctx.textAt(stmt)?.trim() : undefined;
      const m = text ? PRESENCE_FLAG.exec(text) : null;
      if (!stmt || !m || m[1] !== name) continue;
      ctx.report({
        loc: stmt,
        severity: 'warning',
        basis: [readingLink(m[2]!)],
        message: `${name} is whether the environment variable ${m[2]} is set, whatever its value: ${m[2]}=False or 0 in a deployment turns it on; parse the value instead (os.environ.get("${m[2]}", "").lower() in ${ON_WORDS}).`,
      });
    }
    for (const name of FLAGS) {
      const q = ctx.settings.query(name);
      // the lookup's default where the deployment may leave the variable unset; the lookup itself where
      // a deployment file sets it to a value the repository does not show (a Secret's): the same text
      const supplied = q.state === 'supplied' ? suppliedLookup(ctx, name, q.variable) : undefined;
      if (!supplied && (!hasValue(q) || !isEnvironmentDefault(q.value))) continue;
      const v = q.value!;
      const env = supplied ?? defaultLookup(v);
      // os.environ.get()/os.getenv() give the variable's text when it is set; the value is that
      // lookup's own result (what bool() keeps), not something computed from it
      // python-decouple's config() without a cast gives the text too (DECOUPLE_TEXT_WITHOUT_CAST)
      const decouple = !!env && decoupleWithoutCast(ctx, env);
      if (!env || (env.style !== 'os' && !decouple) || (!supplied && !within(v.loc, env.loc))) continue;
      // the lookup as written (a helper of the project called with the variable's name stands at
      // the same place: it may parse the text, as `bool(int(os.getenv(key, default)))` does)
      const call = lookupCall(ctx, env);
      if (!call || (!decouple && !TEXT_LOOKUP.test(call.callee))) continue;
      // a true-looking default of DEBUG is DDH108's finding
      if (name === 'DEBUG' && v.kind === 'str') continue;
      const trap = trapAt(ctx, env);
      if (!trap || !bindsSetting(ctx, q.setting, trap, env)) continue;
      const how = trap.wrapped
        ? `bool() of the text of the environment variable ${env.name}`
        : `the text of the environment variable ${env.name} when it is set`;
      const risky = RISKY_WHEN_ON.has(name);
      ctx.report({
        loc: trap.expr,
        severity: risky ? 'warning' : 'information',
        // how the settings read the variable, whatever it is set to
        basis: [readingLink(env.name)],
        message: `${name} is ${how}: every non-empty value turns it on, "False" and "0" included${risky ? '' : ', so the deployment cannot turn it off'}; parse the text (e.g. .lower() in ${ON_WORDS}) or use a library's bool cast.`,
        fixes: [fixFor(ctx, q.setting, v, env, trap)].filter((f): f is Fix => f !== undefined),
      });
    }
  },
};
