// The regex gate (`node scripts/test.mjs regex`): every regular expression server/src writes or
// builds is checked with recheck (https://makenowjust-labs.github.io/recheck/), and the stage fails
// on any that is not `safe`: polynomial or exponential backtracking (ReDoS) on some input, or a
// result recheck could not reach (`unknown`: a timeout, an unsupported construct). The product
// applies its patterns to files someone else wrote, on the language server's only thread.
//
// What is checked:
//   - every regular-expression literal (`/…/flags`);
//   - every `new RegExp(source, flags)` and `RegExp(source, flags)`: its arguments are evaluated
//     at build time when they are constants (string and template literals, String.raw, `+`,
//     `a ? b : c`, const bindings of the same file, const arrays and objects, `.join`, `.map`,
//     `.replace` and other pure string methods, `.source`/`.flags` of a literal, calls of a
//     same-file function that only returns an expression). Every value they can take is checked
//     (each top-level alternative on its own, see alternatives()). A construction whose
//     source holds a value known only at run time is unproven (it fails the gate unless
//     scripts/regex-gate-allow.json lists it), but for one case proven without recheck: run-time
//     strings escaped (a replace of every syntax character with `\\$&`) into a pattern that
//     repeats nothing, such as an alternation of escaped words: its work at each position is
//     bounded by its own length.
//
// The allow-list is for patterns applied only to bounded strings the product makes itself (never
// to the text of a file); each entry says the bound. An entry that matches no site, or a site
// the gate now proves, is stale and fails the gate too.
//
// Results are deterministic: the fuzzing checker (used for patterns with look-arounds or
// back-references, which the automaton checker cannot read) runs with its step limits only and
// a fixed seed, not its wall-clock limits. Results of safe and vulnerable checks are kept in
// .cache/regex-gate (keyed by recheck's version, the parameters, the source and flags), so that a
// second run checks only the patterns that changed; --no-cache ignores it.
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { isMainThread, parentPort, Worker, workerData } from 'node:worker_threads';
import ts from 'typescript';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const require = (await import('node:module')).createRequire(import.meta.url);

export const ALLOW_LIST = join(root, 'scripts/regex-gate-allow.json');

/** recheck's parameters: its own defaults but for the wall-clock limits of fuzzing (see above). */
export const RECHECK_PARAMS = Object.freeze({
  checker: 'auto',
  // the whole check of one pattern; past it the result is `unknown`, which fails the gate
  timeout: 60_000,
  randomSeed: 0,
  incubationTimeout: null,
  seedingTimeout: null,
  attackTimeout: null,
  // characters the matcher reads on an attack string before it counts as one: recheck's default,
  // 1.5e9, takes an exponential attack minutes to reach without the wall-clock limit. A linear
  // pattern would need to read each character of the longest attack string (300,000) 33 times.
  attackLimit: 10_000_000,
});

// ---- finding the sites ---------------------------------------------------------------------------

/** Every .ts file under `dir`, sorted. */
export function sourceFiles(dir) {
  const out = [];
  const walk = (d) => {
    for (const name of readdirSync(d).sort()) {
      const full = join(d, name);
      if (statSync(full).isDirectory()) walk(full);
      else if (name.endsWith('.ts') && !name.endsWith('.d.ts')) out.push(full);
    }
  };
  walk(dir);
  return out;
}

const MAX_VALUES = 256;

class Unproven extends Error {}

const unproven = (node, why) => {
  throw new Unproven(`${why}: ${node.getText().replace(/\s+/g, ' ').slice(0, 120)}`);
};

/** All combinations of the values of `lists`, combined by `f` (at most MAX_VALUES). */
function product(node, lists, f) {
  let acc = [[]];
  for (const list of lists) {
    const next = [];
    for (const a of acc) for (const v of list) next.push([...a, v]);
    if (next.length > MAX_VALUES) unproven(node, `more than ${MAX_VALUES} values`);
    acc = next;
  }
  return acc.map((vs) => f(...vs));
}

// Values known only at run time. A pattern may hold run-time text only escaped (each character
// matched as itself), and then only in a pattern without repetition (no quantifier: its work at
// each position is bounded by its own length, whatever the text escaped into it).

/** A value known only at run time (a parameter, a binding that is not a constant). */
class RunTime {
  constructor(why) {
    this.why = why;
  }
}
/** A run-time string escaped for a pattern by a replace of every syntax character with `\\$&`. */
class Escaped {}
/** Strings, Escaped and RunTime parts, one after the other. */
class Concat {
  constructor(parts) {
    this.parts = parts;
  }
}
/** An array of run-time length, each element one of `elements`. */
class EachOf {
  constructor(elements) {
    this.elements = elements;
  }
}
const isSymbolic = (v) => v instanceof RunTime || v instanceof Escaped || v instanceof Concat || v instanceof EachOf;

/** The parts of a value used as a string. */
function partsOf(v) {
  if (v instanceof Concat) return v.parts;
  if (v instanceof EachOf) return [new RunTime('an array of run-time length used as a string')];
  if (v instanceof RunTime || v instanceof Escaped) return [v];
  return [String(v)];
}

/** Values joined as strings: a string when all are known. */
function concat(...vs) {
  if (!vs.some(isSymbolic)) return vs.map(String).join('');
  return new Concat(vs.flatMap(partsOf));
}

const SYNTAX_CHARACTERS = '\\^$.*+?()[]{}|';

/** Whether `re` (global) with the replacement `\\$&` escapes every syntax character of a pattern. */
const escapesAll = (re, replacement) => {
  if (!(re instanceof RegExp) || !re.flags.includes('g') || replacement !== '\\$&') return false;
  const one = new RegExp(re.source, re.flags.replace('g', ''));
  return [...SYNTAX_CHARACTERS].every((c) => one.test(c) && one.exec(c)[0] === c);
};

/** Whether a pattern's source repeats anything (a quantifier outside classes and escapes). */
export function repeats(src) {
  for (let i = 0; i < src.length; i++) {
    const c = src[i];
    if (c === '\\') i++;
    else if (c === '[') {
      for (i++; i < src.length && src[i] !== ']'; i++) if (src[i] === '\\') i++;
    } else if (c === '(' && src[i + 1] === '?') i++;
    else if (c === '*' || c === '+' || c === '?' || (c === '{' && /^\{\d+(?:,\d*)?\}/.test(src.slice(i)))) return true;
  }
  return false;
}

const STRING_METHODS = new Set([
  'concat',
  'padEnd',
  'padStart',
  'repeat',
  'replace',
  'replaceAll',
  'slice',
  'substring',
  'toLowerCase',
  'toUpperCase',
  'trim',
  'trimEnd',
  'trimStart',
]);
const ARRAY_METHODS = new Set(['concat', 'filter', 'join', 'map', 'slice']);

/**
 * The values an expression can take, when they are known at build time: an array of strings,
 * numbers, booleans, RegExps, arrays, plain objects or functions ({ fn: node }); throws Unproven.
 */
class Evaluator {
  constructor(checker) {
    this.checker = checker;
    /** symbol → values, for the parameters of the function being evaluated */
    this.env = new Map();
    this.active = new Set();
  }

  values(node) {
    const k = ts.SyntaxKind;
    switch (node.kind) {
      case k.StringLiteral:
      case k.NoSubstitutionTemplateLiteral:
        return [node.text];
      case k.NumericLiteral:
        return [Number(node.text)];
      case k.TrueKeyword:
        return [true];
      case k.FalseKeyword:
        return [false];
      case k.RegularExpressionLiteral: {
        const t = node.text;
        const i = t.lastIndexOf('/');
        return [new RegExp(t.slice(1, i), t.slice(i + 1))];
      }
      case k.ParenthesizedExpression:
      case k.AsExpression:
      case k.SatisfiesExpression:
      case k.NonNullExpression:
      case k.TypeAssertionExpression:
        return this.values(node.expression);
      case k.TemplateExpression:
        return product(
          node,
          [[node.head.text], ...node.templateSpans.flatMap((s) => [this.values(s.expression), [s.literal.text]])],
          concat,
        );
      case k.TaggedTemplateExpression: {
        if (node.tag.getText() !== 'String.raw') return unproven(node, 'a tagged template other than String.raw');
        const t = node.template;
        if (ts.isNoSubstitutionTemplateLiteral(t)) return [t.rawText];
        return product(
          node,
          [[t.head.rawText], ...t.templateSpans.flatMap((s) => [this.values(s.expression), [s.literal.rawText]])],
          concat,
        );
      }
      case k.BinaryExpression:
        if (node.operatorToken.kind !== k.PlusToken) unproven(node, 'an operator the gate does not evaluate');
        return product(node, [this.values(node.left), this.values(node.right)], (a, b) =>
          isSymbolic(a) || isSymbolic(b) ? concat(a, b) : a + b,
        );
      case k.ConditionalExpression:
        // either branch, whatever the condition
        return [...this.values(node.whenTrue), ...this.values(node.whenFalse)];
      case k.ArrayLiteralExpression:
        return product(
          node,
          node.elements.map((e) => (ts.isSpreadElement(e) ? unproven(e, 'a spread') : this.values(e))),
          (...items) => items,
        );
      case k.ObjectLiteralExpression: {
        const keys = [];
        const lists = [];
        for (const p of node.properties) {
          if (!ts.isPropertyAssignment(p) || !(ts.isIdentifier(p.name) || ts.isStringLiteral(p.name)))
            unproven(p, 'an object property the gate does not evaluate');
          keys.push(p.name.text);
          lists.push(this.values(p.initializer));
        }
        return product(node, lists, (...vs) => Object.fromEntries(keys.map((key, i) => [key, vs[i]])));
      }
      case k.ArrowFunction:
      case k.FunctionExpression:
        return [{ fn: node }];
      case k.Identifier:
        return this.identifier(node);
      case k.PropertyAccessExpression:
        return this.values(node.expression).map((o) => this.property(node, o, node.name.text));
      case k.CallExpression:
        return this.call(node);
      default:
        return unproven(node, 'an expression the gate does not evaluate');
    }
  }

  identifier(node) {
    const symbol = this.checker.getSymbolAtLocation(node);
    if (!symbol) return unproven(node, 'a name the gate cannot resolve');
    if (this.env.has(symbol)) return this.env.get(symbol);
    const decl = symbol.valueDeclaration ?? symbol.declarations?.[0];
    if (decl && ts.isFunctionDeclaration(decl)) return [{ fn: decl }];
    if (
      !decl ||
      !ts.isVariableDeclaration(decl) ||
      !ts.isIdentifier(decl.name) ||
      !decl.initializer ||
      !ts.isVariableDeclarationList(decl.parent) ||
      !(decl.parent.flags & ts.NodeFlags.Const) ||
      ts.isForOfStatement(decl.parent.parent) ||
      ts.isForInStatement(decl.parent.parent)
    )
      return [new RunTime(`a value known only at run time: ${node.text}`)];
    if (this.active.has(decl)) return unproven(node, 'a circular definition');
    this.active.add(decl);
    try {
      return this.values(decl.initializer);
    } finally {
      this.active.delete(decl);
    }
  }

  property(node, o, name) {
    if (isSymbolic(o)) return o instanceof RunTime ? o : new RunTime(`a run-time value's ${name}`);
    if (o instanceof RegExp && (name === 'source' || name === 'flags')) return o[name];
    if ((typeof o === 'string' || Array.isArray(o)) && name === 'length') return o.length;
    if (o !== null && typeof o === 'object' && !Array.isArray(o) && !(o instanceof RegExp) && !('fn' in o) && Object.hasOwn(o, name))
      return o[name];
    return unproven(node, `a property the gate does not evaluate (${name})`);
  }

  call(node) {
    const callee = node.expression;
    const args = node.arguments.map((a) => this.values(a));
    if (ts.isPropertyAccessExpression(callee)) {
      const method = callee.name.text;
      const results = product(node, [this.values(callee.expression), ...args], (recv, ...as) => {
        if (isSymbolic(recv) || as.some(isSymbolic)) return [this.symbolicCall(node, method, recv, as)];
        if (Array.isArray(recv) && method === 'join') return [concat(...recv.flatMap((x, i) => (i === 0 ? [x] : [as[0] ?? ',', x])))];
        if (Array.isArray(recv) && method === 'map')
          return [recv.map((x) => this.applyAll(node, as[0], [x]))].flatMap((lists) => product(node, lists, (...items) => items));
        return [this.method(node, method, recv, as)];
      });
      return results.flat();
    }
    // a function of the same file that returns one expression
    const fns = this.values(callee);
    return fns.flatMap((f) => product(node, args, (...as) => this.applyAll(node, f, as)).flat());
  }

  /** A known receiver's method. */
  method(node, method, recv, as) {
    if (typeof recv === 'string' && STRING_METHODS.has(method)) return recv[method](...as.map((a) => this.callable(node, a)));
    if (Array.isArray(recv) && ARRAY_METHODS.has(method)) return recv[method](...as.map((a) => this.callable(node, a)));
    return unproven(node, `a method the gate does not evaluate (${method})`);
  }

  /** A method of a run-time value, or with a run-time argument. */
  symbolicCall(node, method, recv, as) {
    if (method === 'replace' && escapesAll(as[0], as[1])) return new Escaped();
    if (method === 'filter' || method === 'slice')
      return recv instanceof EachOf ? recv : recv instanceof RunTime ? recv : new RunTime(`${method} of a run-time value`);
    if (method === 'map' && (recv instanceof RunTime || recv instanceof EachOf)) {
      const elements = recv instanceof EachOf ? recv.elements : [new RunTime(`${recv.why} (an element)`)];
      return new EachOf(elements.flatMap((e) => this.applyAll(node, as[0], [e])));
    }
    if (method === 'join' && recv instanceof EachOf) {
      const sep = as[0] ?? ',';
      return concat(...recv.elements.flatMap((e, i) => (i === 0 ? [e] : [sep, e])));
    }
    if (method === 'test') return new RunTime('a test of a run-time value');
    return recv instanceof RunTime ? recv : new RunTime(`${method} of a run-time value`);
  }

  /** Every value of a same-file function applied to `args`. */
  applyAll(node, f, args) {
    if (f === null || typeof f !== 'object' || !('fn' in f)) return unproven(node, 'a call of something not a function of this file');
    return this.bodyValues(node, f.fn, args);
  }

  /** A value as an argument: functions become JavaScript functions that evaluate their body (to one value). */
  callable(node, v) {
    if (v === null || typeof v !== 'object' || !('fn' in v)) return v;
    return (...args) => {
      const vs = this.bodyValues(node, v.fn, args);
      if (vs.length !== 1) unproven(node, 'a function with more than one result');
      return vs[0];
    };
  }

  /** The values of a function's body (one returned expression) with its parameters bound to `args`. */
  bodyValues(node, fn, args) {
    let body = fn.body;
    if (body && ts.isBlock(body)) {
      const [only] = body.statements;
      if (body.statements.length !== 1 || !ts.isReturnStatement(only) || !only.expression)
        unproven(node, 'a function whose body is more than one return');
      body = only.expression;
    }
    if (!body) unproven(node, 'a function without a body');
    const bound = fn.parameters.map((p, i) => {
      if (!ts.isIdentifier(p.name) || p.dotDotDotToken) unproven(p, 'a parameter the gate does not bind');
      return [this.checker.getSymbolAtLocation(p.name), [args[i]]];
    });
    const saved = bound.map(([s]) => [s, this.env.get(s)]);
    for (const [s, vs] of bound) this.env.set(s, vs);
    try {
      return this.values(body);
    } finally {
      for (const [s, old] of saved) old === undefined ? this.env.delete(s) : this.env.set(s, old);
    }
  }
}

/**
 * A source holding run-time text: proven (no recheck) when all of it is escaped and the pattern
 * repeats nothing; shown with «…» for each escaped part.
 */
function withoutRepetition(node, parts, flags) {
  const runTime = parts.find((p) => p instanceof RunTime);
  if (runTime) throw new Unproven(runTime.why);
  for (const p of parts) if (typeof p === 'string' && /(?:^|[^\\])(?:\\\\)*\\$/.test(p)) unproven(node, 'a part ending in a backslash');
  if (repeats(parts.map((p) => (typeof p === 'string' ? p : 'x')).join('')))
    unproven(node, 'run-time text (escaped) in a pattern that repeats');
  return {
    source: parts.map((p) => (typeof p === 'string' ? p : '«…»')).join(''),
    flags,
    proven: 'escaped run-time text, nothing repeated',
  };
}

/**
 * Flags written as a literal (or a template whose literal text holds it) with `l`: the pattern is
 * compiled for V8's linear-time engine, which cannot backtrack (the construction throws when the
 * source needs backtracking). Only a literal `l` counts: a run-time flags string is not read.
 */
function linearFlags(node) {
  if (!node) return false;
  if (ts.isStringLiteral(node) || ts.isNoSubstitutionTemplateLiteral(node)) return node.text.includes('l');
  if (ts.isTemplateExpression(node)) return [node.head.text, ...node.templateSpans.map((s) => s.literal.text)].some((t) => t.includes('l'));
  return false;
}

const isRegExpCall = (node) =>
  (ts.isNewExpression(node) || ts.isCallExpression(node)) && ts.isIdentifier(node.expression) && node.expression.text === 'RegExp';

/**
 * The sites of `files` ([{ file, text }], file names relative to the repository): each with its
 * place, its code, and either the patterns it can be ({ source, flags }) or why it is unproven.
 */
export function collectSites(files) {
  const byName = new Map(files.map((f) => [resolve(root, f.file), f]));
  const host = ts.createCompilerHost({});
  const program = ts.createProgram({
    rootNames: [...byName.keys()],
    options: { noResolve: true, noLib: true, types: [], target: ts.ScriptTarget.Latest, allowJs: false },
    host: {
      ...host,
      fileExists: (f) => byName.has(resolve(f)),
      readFile: (f) => byName.get(resolve(f))?.text,
      getSourceFile: (f, lang) => {
        const entry = byName.get(resolve(f));
        return entry ? ts.createSourceFile(f, entry.text, lang, true) : undefined;
      },
    },
  });
  const checker = program.getTypeChecker();
  const sites = [];
  for (const [abs, entry] of byName) {
    const sf = program.getSourceFile(abs);
    const evaluator = new Evaluator(checker);
    const at = (node) => {
      const { line, character } = sf.getLineAndCharacterOfPosition(node.getStart(sf));
      return { file: entry.file, line: line + 1, column: character + 1, code: node.getText(sf).replace(/\s+/g, ' ') };
    };
    const visit = (node) => {
      if (node.kind === ts.SyntaxKind.RegularExpressionLiteral) {
        const t = node.text;
        const i = t.lastIndexOf('/');
        sites.push({ ...at(node), kind: 'literal', patterns: [{ source: t.slice(1, i), flags: t.slice(i + 1) }] });
      } else if (isRegExpCall(node)) {
        const site = { ...at(node), kind: 'construction' };
        try {
          const [sourceArg, flagsArg] = node.arguments ?? [];
          if (!sourceArg) unproven(node, 'no source');
          if (linearFlags(flagsArg)) {
            // V8's linear-time engine runs it (the l flag): whatever the source, no backtracking
            site.patterns = [
              { source: sourceArg.getText().replace(/\s+/g, ' '), flags: 'l', proven: "V8's linear-time engine (the l flag)" },
            ];
            sites.push(site);
            ts.forEachChild(node, visit);
            return;
          }
          const sources = evaluator.values(sourceArg);
          const flagList = flagsArg ? evaluator.values(flagsArg) : [undefined];
          site.patterns = product(node, [sources, flagList], (s, f) => {
            if (f !== undefined && typeof f !== 'string') unproven(node, 'flags known only at run time');
            if (s instanceof RegExp) return { source: s.source, flags: f ?? s.flags };
            if (isSymbolic(s)) return withoutRepetition(node, partsOf(s), f ?? '');
            if (typeof s !== 'string') unproven(node, 'not a string');
            return { source: s, flags: f ?? '' };
          });
        } catch (e) {
          if (!(e instanceof Unproven)) throw e;
          site.unproven = e.message;
        }
        sites.push(site);
      }
      ts.forEachChild(node, visit);
    };
    visit(sf);
  }
  return sites;
}

// ---- checking -----------------------------------------------------------------------------------

const recheckVersion = () => JSON.parse(readFileSync(require.resolve('recheck/package.json'), 'utf8')).version;

/** recheck's verdict on one pattern: { status, complexity, attack, checker, error }. */
export async function checkPattern(source, flags, params = RECHECK_PARAMS) {
  const { check } = require('recheck');
  const started = Date.now();
  // a sticky pattern is tried at one position only: checked as anchored there (at the start of the
  // input: ^, or a look-behind when the m flag makes ^ a line start); g and d change nothing at a
  // position (recheck reads d, v and other flags as errors)
  const anchored = !flags.includes('y') ? source : flags.includes('m') ? `(?<![\\s\\S])(?:${source})` : `^(?:${source})`;
  const r = await check(anchored, flags.replace(/[gdy]/g, ''), params);
  return {
    ms: Date.now() - started,
    status: r.status,
    checker: r.checker,
    complexity: r.complexity?.type,
    attack: r.attack?.pattern,
    error: r.error ? `${r.error.kind}${r.error.message ? `: ${r.error.message}` : ''}` : undefined,
  };
}

// changes when checkPattern reads a pattern differently (the cache keeps no result of an older reading)
const READING = 2;

const cacheKey = (version, p) =>
  createHash('sha256')
    .update(JSON.stringify([READING, version, RECHECK_PARAMS, p.source, p.flags]))
    .digest('hex')
    .slice(0, 32);

/**
 * The top-level alternatives of a pattern (`a|b|c`), each with the pattern's flags; the pattern
 * alone when it has one, or back-references (their groups may be in another alternative), or the
 * v flag. Each alternative linear means the pattern is: the matcher tries them one after the other
 * at each position, and stops where the first of them matches.
 */
export function alternatives(p) {
  const src = p.source;
  if (p.flags.includes('v') || /\\(?:[1-9]|k<)/.test(src)) return [p];
  const out = [];
  let depth = 0;
  let inClass = false;
  let from = 0;
  for (let i = 0; i < src.length; i++) {
    const c = src[i];
    if (c === '\\') i++;
    else if (inClass) inClass = c !== ']';
    else if (c === '[') inClass = true;
    else if (c === '(') depth++;
    else if (c === ')') depth--;
    else if (c === '|' && depth === 0) {
      out.push({ source: src.slice(from, i), flags: p.flags });
      from = i + 1;
    }
  }
  if (out.length === 0) return [p];
  out.push({ source: src.slice(from), flags: p.flags });
  return out;
}

/** Checks the distinct patterns on `workers` worker threads (each with its own recheck process). */
async function checkAll(patterns, { workers, cacheDir }) {
  const version = recheckVersion();
  const cacheFile = cacheDir ? join(cacheDir, `results-${version}.json`) : undefined;
  const cache = cacheFile && existsSync(cacheFile) ? JSON.parse(readFileSync(cacheFile, 'utf8')) : {};
  const results = new Map();
  const todo = [];
  for (const p of patterns) {
    const hit = cache[cacheKey(version, p)];
    if (hit) results.set(p, hit);
    else todo.push(p);
  }
  // the longest first (they take longest), so that no worker is left with one at the end
  todo.sort((a, b) => b.source.length - a.source.length);
  let next = 0;
  const pool = Array.from({ length: Math.max(1, Math.min(workers, todo.length)) }, () => {
    const w = new Worker(fileURLToPath(import.meta.url), { workerData: { role: 'checker' } });
    return new Promise((done, fail) => {
      const feed = () => {
        if (next < todo.length) w.postMessage(todo[next++]);
        else w.terminate().then(done, fail);
      };
      w.on('message', ({ pattern, result }) => {
        const p = todo.find((t) => t.source === pattern.source && t.flags === pattern.flags);
        results.set(p, result);
        feed();
      });
      w.on('error', fail);
      feed();
    });
  });
  await Promise.all(pool);
  if (cacheFile) {
    for (const p of todo) {
      const r = results.get(p);
      if (r.status === 'safe' || r.status === 'vulnerable') cache[cacheKey(version, p)] = r;
    }
    mkdirSync(dirname(cacheFile), { recursive: true });
    writeFileSync(cacheFile, JSON.stringify(cache));
  }
  return results;
}

if (!isMainThread && workerData?.role === 'checker') {
  parentPort.on('message', async (pattern) => {
    let result;
    try {
      result = await checkPattern(pattern.source, pattern.flags);
    } catch (e) {
      result = { status: 'unknown', error: String(e) };
    }
    parentPort.postMessage({ pattern, result });
  });
}

// ---- the gate -----------------------------------------------------------------------------------

/** The allow-list: [{ file, code, bound }], `code` being the site's code as the gate prints it. */
export function readAllowList(file = ALLOW_LIST) {
  if (!existsSync(file)) return [];
  const list = JSON.parse(readFileSync(file, 'utf8')).entries ?? [];
  for (const e of list)
    if (typeof e.file !== 'string' || typeof e.code !== 'string' || typeof e.bound !== 'string' || e.bound.trim() === '')
      throw new Error(`${relative(root, file)}: every entry needs file, code and bound: ${JSON.stringify(e)}`);
  return list;
}

/**
 * Runs the gate over `files` ([{ file, text }]): { sites, patterns, results, failures, allowed, stale }.
 * A failure is { site, pattern?, result?, reason }.
 */
export async function gate(files, { allowList = [], workers = 1, cacheDir } = {}) {
  const sites = collectSites(files);
  const distinct = new Map();
  for (const s of sites) for (const p of s.patterns ?? []) if (!p.proven) distinct.set(`${p.flags}/${p.source}`, p);
  // each alternative of a pattern checked on its own (smaller automata); the pattern's result is
  // its first alternative that is not safe, shown as the pattern's alternative
  const parts = new Map();
  for (const p of distinct.values()) for (const a of alternatives(p)) parts.set(`${a.flags}/${a.source}`, a);
  const partResults = await checkAll([...parts.values()], { workers, cacheDir });
  const results = new Map();
  for (const p of distinct.values()) {
    const alts = alternatives(p);
    const bad = alts.map((a) => [a, partResults.get(parts.get(`${a.flags}/${a.source}`))]).find(([, r]) => r.status !== 'safe');
    const ms = alts.reduce((sum, a) => sum + partResults.get(parts.get(`${a.flags}/${a.source}`)).ms, 0);
    const checker = alts.length > 1 ? `${alts.length} alternatives` : partResults.get(parts.get(`${p.flags}/${p.source}`)).checker;
    results.set(p, bad ? { ...bad[1], ms, alternative: alts.length > 1 ? bad[0].source : undefined } : { status: 'safe', checker, ms });
  }
  const failures = [];
  const allowed = [];
  const used = new Set();
  for (const s of sites) {
    const entry = allowList.find((e) => e.file === s.file && e.code === s.code);
    const bad = [];
    if (s.unproven) bad.push({ site: s, reason: `unproven (${s.unproven})` });
    for (const p of s.patterns ?? []) {
      if (p.proven) continue;
      const r = results.get(distinct.get(`${p.flags}/${p.source}`));
      if (r.status !== 'safe') bad.push({ site: s, pattern: p, result: r, reason: r.status === 'vulnerable' ? r.complexity : r.status });
    }
    if (entry && bad.length > 0) {
      used.add(entry);
      allowed.push({ site: s, entry, bad });
    } else failures.push(...bad);
  }
  const stale = allowList.filter((e) => !used.has(e));
  return { sites, patterns: distinct.size, results, failures, allowed, stale };
}

function describe(f) {
  const s = f.site;
  const lines = [`${s.file}:${s.line}:${s.column}  ${f.reason}`];
  if (f.pattern) lines.push(`    pattern: /${f.pattern.source}/${f.pattern.flags}`);
  else lines.push(`    code:    ${s.code.slice(0, 200)}`);
  if (f.result?.alternative) lines.push(`    in its alternative: ${f.result.alternative}`);
  if (f.result?.attack) lines.push(`    attack:  ${f.result.attack}`);
  if (f.result?.error) lines.push(`    error:   ${f.result.error}`);
  return lines.join('\n');
}

async function main() {
  const started = Date.now();
  const argv = process.argv.slice(2);
  const args = new Set(argv.filter((a) => a.startsWith('--')));
  // file arguments: only those files (the allow-list's other entries are not stale then)
  const only = argv.filter((a) => !a.startsWith('--')).map((a) => resolve(a));
  const paths = only.length > 0 ? only : sourceFiles(join(root, 'server/src'));
  const files = paths.map((f) => ({ file: relative(root, f), text: readFileSync(f, 'utf8') }));
  const workers = Number(process.env.REGEX_GATE_WORKERS) || Math.min(4, availableParallelism());
  const cacheDir = args.has('--no-cache') ? undefined : join(root, '.cache/regex-gate');
  const allowList = readAllowList().filter((e) => only.length === 0 || files.some((f) => f.file === e.file));
  const r = await gate(files, { allowList, workers, cacheDir });
  for (const f of r.failures) console.log(describe(f));
  if (args.has('--times'))
    for (const [p, res] of [...r.results].sort((a, b) => b[1].ms - a[1].ms).slice(0, 15))
      console.log(`${String(res.ms).padStart(6)} ms  ${res.status} (${res.checker})  /${p.source.slice(0, 100)}/${p.flags}`);
  for (const e of r.stale) console.log(`${e.file}: stale allow-list entry (no such site, or one the gate proves): ${e.code}`);
  const secs = ((Date.now() - started) / 1000).toFixed(1);
  const constructions = r.sites.filter((s) => s.kind === 'construction').length;
  const proven = r.sites.filter((s) => s.patterns?.some((p) => p.proven)).length;
  console.log(
    `regex gate: ${r.sites.length} sites (${r.sites.length - constructions} literals, ${constructions} RegExp constructions), ` +
      `${r.patterns} distinct patterns checked by recheck, ${proven} proven without it, ` +
      `${r.allowed.length} allow-listed, ${r.failures.length} failing, ${r.stale.length} stale ` +
      `(${secs}s, ${workers} workers)`,
  );
  process.exit(r.failures.length > 0 || r.stale.length > 0 ? 1 : 0);
}

if (isMainThread && process.argv[1] && pathToFileURL(process.argv[1]).href === import.meta.url) await main();
