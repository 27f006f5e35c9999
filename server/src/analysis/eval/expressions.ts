// Expressions: every kind of Python expression the settings write evaluated to a Value — names
// (the hot path), literals and f-strings, containers, operators and comparisons (environment
// lookups tested with `in`, sys.argv tested for development commands), conditional expressions,
// subscripts, comprehensions and lambdas. Calls and attributes: calls.ts.
import { placeholderVariable, shellExpansion } from '../base/shellExpansions';
import { field, fields, namedChildren, type PyNode } from '../parse/ast';
import { builtin } from './builtins/functions';
import type { GlobalsData } from './library/namespace';
import * as V from './values';
import type { Loc, Value } from './values';
import { mergeValues } from './branches';
import { PyRaise, mentionsVar } from './core';
import type { Frame, UserFn } from './frame';
import { dedupe, parseInteger, compare, unescapePython } from './operations';
import { formatValue, pyRepr, pyText } from './pyformat';
import { CallEvaluator } from './calls';
import { TEMPLATE_TEXT } from './templates';
import { asEnvDefault } from './library/environment';

/** Command-line words of development and test runs, never in a production process's sys.argv. */
const DEV_COMMANDS = new Set([
  'test',
  'runserver',
  'runserver_plus',
  'testserver',
  'pytest',
  'py.test',
  'makemigrations',
  'shell',
  'shell_plus',
  'jenkins',
]);

const MAX_EXPR_DEPTH = 200;

export abstract class ExpressionEvaluator extends CallEvaluator {
  eval(node: PyNode, f: Frame): Value {
    this.tick();
    if (this.exprDepth > MAX_EXPR_DEPTH) return V.unknown('expression nested too deeply', this.loc(node, f));
    // no try/finally on this hot path: the places that catch a PyRaise restore the depth
    this.exprDepth++;
    const v = this.evalInner(node, f);
    this.exprDepth--;
    if (v.kind === 'unknown') {
      if (v.tooLarge === true) this.noteTooLarge(f, v);
    } else if (node.type !== 'identifier') this.spend(v);
    return v;
  }

  protected evalInner(node: PyNode, f: Frame): Value {
    if (node.type === 'identifier') {
      // the hot path: a bound name needs no location
      const name = node.text ?? this.src(node, f);
      const bound = this.boundValue(name, f);
      return bound ?? this.lookup(name, f, this.loc(node, f));
    }
    const loc = this.loc(node, f);
    switch (node.type) {
      case 'integer':
        return parseInteger(node.text ?? '', loc);
      case 'float': {
        const t = (node.text ?? '').replace(/_/g, '');
        if (/[jJ]$/.test(t)) return V.unknown('a complex number', loc);
        return V.float(Number(t), 'literal', loc);
      }
      case 'true':
        return V.bool(true, 'literal', loc);
      case 'false':
        return V.bool(false, 'literal', loc);
      case 'none':
        return V.none('literal', loc);
      case 'ellipsis':
        return V.object('Ellipsis', undefined, loc);
      case 'string':
        return this.evalString(node, f, loc);
      case 'concatenated_string': {
        const parts = namedChildren(node).map((c) => this.eval(c, f));
        if (parts.every((p) => p.kind === 'str')) {
          if (parts.reduce((n, p) => n + (p as V.StrValue).v.length, 0) > V.MAX_STR_LENGTH) return V.tooLarge('a string', loc, 'str');
          const origin = parts.every((p) => p.origin === 'literal') ? 'literal' : V.combineOrigins(...parts);
          return { ...V.str(parts.map((p) => (p as V.StrValue).v).join(''), origin, loc), env: V.combineEnv(...parts) };
        }
        return V.unknownFrom(parts, 'a string built from values the analysis cannot read', loc, 'str');
      }
      case 'parenthesized_expression': {
        const inner = namedChildren(node)[0];
        return inner ? this.eval(inner, f) : V.seq('tuple', [], 'literal', loc);
      }
      case 'list':
      case 'set':
      case 'tuple':
      case 'expression_list':
        return this.evalSequence(node, f, loc);
      case 'dictionary':
        return this.evalDict(node, f, loc);
      case 'binary_operator': {
        const left = field(node, 'left');
        const right = field(node, 'right');
        const op = field(node, 'operator') ?? node.children.find((c) => !c.named);
        if (!left || !right || !op) return V.unknown('an incomplete expression', loc);
        return this.binop(op.text ?? this.src(op, f), this.eval(left, f), this.eval(right, f), loc, f);
      }
      case 'unary_operator': {
        const arg = field(node, 'argument');
        const op = node.children.find((c) => !c.named)?.text ?? '-';
        if (!arg) return V.unknown('an incomplete expression', loc);
        const v = this.eval(arg, f);
        const n = V.numeric(v);
        if (n === undefined) return V.unknownFrom([v], 'a sign applied to an unknown value', loc);
        const origin = v.origin === 'literal' ? 'literal' : V.combineOrigins(v);
        const r = op === '-' ? -n : op === '~' ? ~n : n;
        return { ...(v.kind === 'float' ? V.float(r, origin, loc) : V.int(r, origin, loc)), env: v.env };
      }
      case 'not_operator': {
        const arg = field(node, 'argument');
        const v = arg ? this.eval(arg, f) : V.unknown('');
        const t = V.truthy(v);
        if (t === undefined) return V.unknownFrom([v], 'the negation of an unknown value', loc, 'bool');
        return V.derive(V.bool(!t), loc, [v]);
      }
      case 'boolean_operator':
        return this.evalBoolOp(node, f, loc);
      case 'comparison_operator':
        return this.evalComparison(node, f, loc);
      case 'conditional_expression':
        return this.evalConditional(node, f, loc);
      case 'call':
        return this.evalCall(node, f, loc);
      case 'attribute': {
        const obj = field(node, 'object');
        const attr = field(node, 'attribute');
        if (!obj || !attr) return V.unknown('an incomplete expression', loc);
        const o = this.eval(obj, f);
        this.lastReceiver = o;
        return this.getAttr(o, attr.text ?? '', loc, f);
      }
      case 'subscript':
        return this.evalSubscript(node, f, loc);
      case 'list_comprehension':
      case 'set_comprehension':
      case 'generator_expression':
      case 'dictionary_comprehension':
        return this.evalComprehension(node, f, loc);
      case 'named_expression': {
        const name = field(node, 'name');
        const value = field(node, 'value');
        const v = value ? this.eval(value, f) : V.unknown('');
        if (name?.text) this.bind(name.text, v, f, this.loc(name, f), loc);
        return v;
      }
      case 'lambda':
        return this.evalLambda(node, f, loc);
      case 'keyword_argument':
      case 'list_splat':
      case 'dictionary_splat':
        return V.unknown('an argument outside a call', loc);
      default:
        return V.unknown(`a ${node.type.replace(/_/g, ' ')} expression`, loc);
    }
  }

  /**
   * `a if c else b`: the alternative a known condition takes, or both merged; with a condition on an
   * environment lookup (`os.environ["X"] if "X" in os.environ else "fallback"`), the literal taken
   * is the variable's default.
   */
  protected evalConditional(node: PyNode, f: Frame, loc: Loc): Value {
    const [body, cond, alt] = namedChildren(node);
    if (!body || !cond || !alt) return V.unknown('an incomplete expression', loc);
    const c = this.eval(cond, f);
    const t = V.truthy(c);
    if (t !== undefined) {
      if (c.origin === 'env-default') this.decidedByArguments(f, c.env);
      const r = this.eval(t ? body : alt, f);
      // `os.environ["X"] if "X" in os.environ else "fallback"`: the literal is X's default (when
      // the other alternative reads X; a literal an unrelated variable selects stays a literal)
      const otherText = this.src(t ? alt : body, f);
      // (or `[h for h in HOSTS.split(",")] if HOSTS else ["*"]`, HOSTS read from X above: the other
      // alternative uses the very value the condition tests, so the literal is what X's absence gives)
      const condName = this.src(cond, f).trim();
      const usesTested = /^[A-Za-z_][\w.]*$/.test(condName) && namesWord(otherText, condName);
      const related = (c.env ?? []).filter((e) => usesTested || mentionsVar(otherText, e.name));
      if (
        c.origin === 'env-default' &&
        related.length > 0 &&
        r.kind !== 'unknown' &&
        r.kind !== 'object' &&
        (r.origin === 'literal' || r.origin === 'derived') &&
        r.loc &&
        r.loc.file === loc.file &&
        r.loc.start >= loc.start &&
        r.loc.end <= loc.end
      ) {
        const env = [...related.map((e) => ({ ...e, hasDefault: true })), ...(r.env ?? [])];
        // (so are the literal items of a list written there: `… else ["*"]`'s "*" is the default's)
        if (V.isSeq(r))
          return {
            ...r,
            origin: 'env-default',
            env,
            items: r.items.map((x) => (x.origin === 'literal' ? { ...x, origin: 'env-default', env } : x)),
          };
        return { ...r, origin: 'env-default', env };
      }
      return r;
    }
    const a = this.eval(body, f);
    const b = this.eval(alt, f);
    if (V.sameValue(a, b)) return a;
    // `os.environ["X"] if "X" in os.environ else "literal"`: the literal is the default.
    const merged = mergeValues([a, b], `depends on \`${this.clip(this.src(cond, f))}\``, loc);
    // between two written scalars (`"…Middleware" if TOOLBAR else ...`): one of them
    const oneOf = merged.kind === 'unknown' ? alternativesOf([a, b]) : undefined;
    return oneOf && merged.kind === 'unknown' ? { ...merged, oneOf } : merged;
  }

  /** `lambda params: body`: a function of the project, whose body is one expression. */
  protected evalLambda(node: PyNode, f: Frame, loc: Loc): Value {
    const params = this.parseParams(field(node, 'parameters'), f);
    const body = field(node, 'body');
    const lambda = V.object(
      'user-fn',
      {
        name: 'lambda',
        params,
        body: [],
        expr: body,
        file: f.file,
        text: f.text,
        base: f.base,
        mod: f.mod,
        scope: f.scope,
      } satisfies UserFn,
      loc,
    );
    this.tracker?.defined(lambda);
    // (a lambda holds the text of the function it is made in: FnReach)
    this.lookedAll(f);
    return lambda;
  }

  /** The value a name is bound to in the comprehension scopes, the function's locals or the module. */
  protected boundValue(name: string, f: Frame): Value | undefined {
    for (let i = f.comp.length - 1; i >= 0; i--) {
      const v = f.comp[i]!.get(name);
      if (v) return v;
    }
    if (f.locals) {
      const v = f.locals.get(name);
      if (v) return v;
    }
    if (this.tracker !== undefined) this.tracker.readBound(f.scope, name);
    return f.scope.vars.get(name)?.value;
  }

  protected lookup(name: string, f: Frame, loc: Loc): Value {
    const bound = this.boundValue(name, f);
    if (bound) return bound;
    const bi = builtin(name, loc);
    if (bi) return bi;
    // (a placeholder outside a string of a template envsubst renders, read as a name: base/shellExpansions.ts envsubstAsPython)
    const variable = this.host.envsubstBy ? placeholderVariable(name) : undefined;
    const envsubst = variable !== undefined ? this.host.envsubstBy?.(f.file) : undefined;
    if (envsubst) return this.placeholderCode(variable!, envsubst, loc);
    // (a `{{ … }}` outside a string in a module's Jinja template, read as underscores: readers/jinja.ts pythonTemplateAsText)
    const rendered = /^_{5,}$/.test(name) ? this.host.renderedBy?.(f.file) : undefined;
    if (rendered) return V.unknown(`a template expression, filled in when ${renderedWhen(rendered)}`, loc);
    if (f.scope.mayHave(name)) return V.unknown(f.scope.open!.reason, loc);
    return V.unknown(`${name} is not defined at this point`, loc);
  }

  /**
   * A string holding a template expression (`'{{ db_password }}'`, `"https://{{ hostname }}"`) in a
   * file the deployment renders as a template (host.renderedBy): a value filled in then, unknown here.
   */
  private renderedTemplate(text: string, f: Frame, loc: Loc): Value | undefined {
    const expression = /\{\{[^{}\n]{1,200}\}\}/.test(text);
    // (or a placeholder a render script replaces, `'__SECRET__'`, `'__STATIC_URL__'`: upper case between double underscores)
    if (!expression && !RENDER_PLACEHOLDER.test(text)) return undefined;
    const how = this.host.renderedBy?.(f.file);
    if (!how) return undefined;
    // (an environment variable with a written default, `{{ ansible_env.SECRET_KEY | default('dev-key') }}`:
    // the default is what the file gets wherever the environment Ansible reads lacks the variable)
    const fallback = expression ? templateEnvDefault(text) : undefined;
    if (fallback)
      return asEnvDefault(V.str(fallback.value, 'literal', loc), { name: fallback.name, style: 'unknown', hasDefault: true, loc });
    // (every expression a variable the repository gives one plain value: the text Ansible writes)
    const filled = expression ? this.host.renderedString?.(f.file, text) : undefined;
    if (filled !== undefined) return V.str(filled, 'literal', loc);
    return V.unknown(
      expression
        ? `a template expression, filled in when ${renderedWhen(how)}`
        : `a placeholder, set when ${renderedWhen(how)}: its value is unknown here`,
      loc,
      'str',
    );
  }

  /**
   * A string holding a shell expansion (`'$(openssl rand -hex 32)'`, `'${DB_PASSWORD}'`) in a file a
   * script writes from an unquoted heredoc (host.expandedBy; its command substitutions marked as
   * base/shellExpansions.ts says): a value the shell fills in when the script runs. A variable alone
   * is the deployment's (the shell running the script has it); a random value is written once into
   * the file, as a key read from a file is; anything else is unknown here.
   */
  private shellExpanded(node: PyNode, f: Frame, loc: Loc): Value | undefined {
    const text = this.src(node, f);
    if (!text.includes('$') && !text.includes('`')) return undefined;
    const how = this.host.expandedBy?.(f.file);
    if (!how) return undefined;
    const inner = text.replace(/^[A-Za-z]{0,2}(?:"""|'''|"|')/, '').replace(/(?:"""|'''|"|')$/, '');
    const e = shellExpansion(inner);
    if (e === undefined) return undefined;
    if (e === 'random') return { ...V.unknown(`a random value ${how} generates when it writes this file`, loc, 'str'), producedBy: 'file' };
    if (e === 'computed') return V.unknown(`a value the shell computes when ${how} writes this file`, loc, 'str');
    // (envsubst fills it in with the value the deployment gives the variable, when it gives one)
    // (placed at the placeholder, as a lookup's value is: the deployment's place is its env reference's)
    const given = this.host.envsubstBy?.(f.file) ? this.environmentValue(e.variable) : undefined;
    if (given) return { ...given, loc };
    const ref: V.EnvRef = { name: e.variable, style: 'deployment', hasDefault: false, loc };
    return { kind: 'unknown', reason: `\${${e.variable}} of the shell ${how} runs in`, origin: 'env', loc, type: 'str', env: [ref] };
  }

  /**
   * A variable envsubst writes into a module's code (`DEBUG = ${DEBUG}` of the template `how`
   * renders): its text where the deployment gives it one, read as Python — a literal
   * (True, False, None, a number, a quoted string) —, else a value of the environment not known here.
   */
  private placeholderCode(name: string, how: string, loc: Loc): Value {
    const given = this.environmentValue(name);
    const ref: V.EnvRef = { name, style: 'deployment', hasDefault: false, loc };
    if (given === undefined)
      return {
        kind: 'unknown',
        reason: `\${${name}}, written into the code by ${how} from its environment`,
        origin: 'env',
        loc,
        env: [ref],
      };
    if (given.kind !== 'str') return { ...given, loc };
    const text = given.v.trim();
    const at = loc;
    const literal: Value | undefined =
      text === 'True' || text === 'False'
        ? V.bool(text === 'True', 'literal', at)
        : text === 'None'
          ? V.none('literal', at)
          : /^-?\d{1,15}$/.test(text)
            ? V.int(Number(text), 'literal', at)
            : /^-?\d{1,15}\.\d{0,15}$/.test(text)
              ? V.float(Number(text), 'literal', at)
              : /^'[^'\\\n]*'$|^"[^"\\\n]*"$/.test(text)
                ? V.str(text.slice(1, -1), 'literal', at)
                : undefined;
    if (!literal)
      return {
        kind: 'unknown',
        reason: `${name}'s text, written into the code by ${how}, is no Python literal`,
        origin: 'env',
        loc,
        env: given.env ?? [ref],
      };
    return given.env ? { ...literal, env: given.env } : literal;
  }

  protected evalString(node: PyNode, f: Frame, loc: Loc): Value {
    if (this.host.expandedBy) {
      const expanded = this.shellExpanded(node, f, loc);
      if (expanded) return expanded;
    }
    // fast path: a plain literal without prefix ("…", '…', triple-quoted), the common case
    const c = node.children;
    const quote = c[0]?.text;
    if ((quote === '"' || quote === "'" || quote === '"""' || quote === "'''") && c[c.length - 1]?.type === 'string_end') {
      if (c.length === 2) return V.str('', 'literal', loc);
      if (c.length === 3 && c[1]!.type === 'string_content') {
        const t = c[1]!.text ?? this.src(c[1]!, f);
        if (t.includes('{') && TEMPLATE_TEXT.test(t))
          return V.unknown('template text, filled in when the project is generated', loc, 'str');
        if (t.includes('{{') || t.includes('__')) {
          const rendered = this.renderedTemplate(t, f, loc);
          if (rendered) return rendered;
        }
        return V.str(t.includes('\\') ? unescapePython(t) : t, 'literal', loc);
      }
    }
    const startTok = node.children[0];
    const prefix = (startTok?.text ?? '').replace(/(?<!['"])['"]+$/, '').toLowerCase();
    const raw = prefix.includes('r');
    const isF = prefix.includes('f') || prefix.includes('t');
    let out = '';
    const parts: Value[] = [];
    let unknownPart = false;
    for (const child of node.children) {
      if (child.type === 'string_content') {
        let t = this.src(child, f);
        if (isF) t = t.replace(/\{\{/g, '{').replace(/\}\}/g, '}');
        out += raw ? t : unescapePython(t);
      } else if (child.type === 'escape_sequence') {
        out += raw ? this.src(child, f) : unescapePython(this.src(child, f));
      } else if (child.type === 'interpolation') {
        const expr = field(child, 'expression');
        const conv = field(child, 'type_conversion');
        const spec = field(child, 'format_specifier');
        const v = expr ? this.eval(expr, f) : V.unknown('');
        parts.push(v);
        const c = conv ? this.src(conv, f) : '';
        let s = c.includes('r') || c.includes('a') ? pyRepr(v) : pyText(v);
        if (spec && s !== undefined) {
          const formatted = formatValue(c ? V.str(s) : v, this.src(spec, f).replace(/^:/, ''), V.MAX_STR_LENGTH);
          if (formatted === null) return V.tooLarge('an f-string', loc, 'str');
          s = formatted;
        }
        if (s === undefined) unknownPart = true;
        else if (out.length + s.length > V.MAX_STR_LENGTH) return V.tooLarge('an f-string', loc, 'str');
        else out += s;
      }
    }
    if (parts.some((p) => V.holdsWholeEnvironment(p))) return V.wholeEnvironment('an f-string', loc, 'str');
    if (unknownPart) return V.unknownFrom(parts, 'an f-string with values the analysis cannot read', loc, 'str');
    if (out.includes('{') && TEMPLATE_TEXT.test(out))
      return V.unknown('template text, filled in when the project is generated', loc, 'str');
    if (!isF && (out.includes('{{') || out.includes('__'))) {
      const rendered = this.renderedTemplate(out, f, loc);
      if (rendered) return rendered;
    }
    if (parts.length === 0) return V.str(out, 'literal', loc);
    return { ...V.str(out, V.combineOrigins(...parts), loc), env: V.combineEnv(...parts) };
  }

  protected evalSequence(node: PyNode, f: Frame, loc: Loc): Value {
    const kind = node.type === 'list' ? 'list' : node.type === 'set' ? 'set' : 'tuple';
    const items: Value[] = [];
    let unknownSplat: Value | undefined;
    let optional = false;
    for (const child of node.children) {
      if (!child.named || child.type === 'comment') continue;
      if (child.type === 'list_splat') {
        const inner = namedChildren(child)[0];
        const v = inner ? this.eval(inner, f) : V.unknown('');
        const spread = this.iterate(v);
        if (spread) V.pushAll(items, spread);
        else if (kind !== 'set' && (v.kind === 'unknown' ? !v.tooLarge : V.isSeq(v))) {
          // `[*unknown, *INSTALLED_APPS]`: the items written stay certain, in order; what the
          // unreadable part spreads may be among them (an optional list's items, or unknown ones)
          if (V.isSeq(v)) V.pushAll(items, v.items);
          else
            items.push(
              V.unreadableItems(
                [v],
                `the items of \`${this.clip(this.src(inner!, f))}\`, which the analysis cannot read`,
                this.loc(child, f),
              ),
            );
          optional = true;
        } else unknownSplat = v;
      } else items.push(this.eval(child, f));
      if (items.length > V.MAX_ITEMS) return V.tooLarge(`a ${kind}`, loc, kind === 'set' ? 'list' : kind);
    }
    if (unknownSplat)
      return V.unknownFrom([unknownSplat], `a ${kind} that unpacks a value the analysis cannot read`, loc, kind === 'set' ? 'list' : kind);
    // what an unreadable spread may add is said by its items (maybeAbsent), not by the list's origin
    const written = optional ? items.filter((i) => !(i.kind === 'unknown' && i.maybeAbsent)) : items;
    const allLiteral = written.every((i) => i.origin === 'literal');
    // a known container is never `env` (that origin is for values required from the environment,
    // which are unknown): `[config("DOMAIN"), "localhost"]` is written in code; its items say more
    const origin = allLiteral ? 'literal' : V.combineOrigins(...written);
    return {
      ...V.seq(kind, kind === 'set' ? dedupe(items) : items, origin === 'env' ? 'derived' : origin, loc),
      env: V.combineEnv(...items),
      ...(optional ? { optional: true } : {}),
    };
  }

  protected evalDict(node: PyNode, f: Frame, loc: Loc): Value {
    const d = V.dict([], [], 'literal', loc);
    for (const child of node.children) {
      if (!child.named || child.type === 'comment') continue;
      if (child.type === 'pair') {
        const k = field(child, 'key');
        const v = field(child, 'value');
        if (!k || !v) continue;
        const key = this.eval(k, f);
        const value = this.eval(v, f);
        if (V.keyOf(key) === undefined) d.partial = true;
        else V.dictSet(d, key, value);
        if (key.origin !== 'literal' || value.origin !== 'literal') d.origin = 'derived';
      } else if (child.type === 'dictionary_splat') {
        const inner = namedChildren(child)[0];
        const v = inner ? this.eval(inner, f) : V.unknown('');
        // {**os.environ, …} holds the whole environment
        if (v.kind === 'object' && v.tag === 'os.environ') return V.object('os.environ', undefined, loc);
        if (v.kind === 'dict') {
          if (d.keys.length + v.keys.length > V.MAX_ITEMS) return V.tooLarge('a dict', loc, 'dict');
          v.keys.forEach((k, i) => V.dictSet(d, k, v.values[i]!));
          if (v.partial) d.partial = true;
        } else d.partial = true;
        d.origin = 'derived';
      }
    }
    return d;
  }

  protected evalBoolOp(node: PyNode, f: Frame, loc: Loc): Value {
    const left = field(node, 'left');
    const right = field(node, 'right');
    const op = field(node, 'operator')?.text ?? node.children.find((c) => !c.named)?.text;
    if (!left || !right) return V.unknown('an incomplete expression', loc);
    const a = this.eval(left, f);
    const t = V.truthy(a);
    if (op === 'and') {
      if (t === false) return a;
      const b = this.eval(right, f);
      if (t === true) return V.derive(b, b.loc ?? loc, [a, b]);
      return V.unknownFrom([a, b], 'a condition on an unknown value', loc);
    }
    // or
    if (t === true) return a;
    const b = this.eval(right, f);
    // `os.environ.get("X") or "fallback"` (None when X is not set; or a required lookup): when X is
    // not set, production gets the fallback
    const lookup = (a.origin === 'env' || (a.kind === 'none' && a.origin === 'env-default')) && a.env?.length;
    if (t === false && !lookup) return V.derive(b, b.loc ?? loc, [a, b]);
    if (lookup && a.env) {
      // an unknown fallback keeps what is known of it (`or get_random_secret_key()` is generated)
      if (b.kind === 'unknown') return { ...V.unknownFrom([a, b], b.reason, loc, b.type), producedBy: b.producedBy, ext: b.ext };
      return {
        ...b,
        origin: b.origin === 'env' ? 'env' : 'env-default',
        env: [...a.env.map((e) => ({ ...e, hasDefault: true })), ...(b.env ?? [])],
      };
    }
    return V.unknownFrom([a, b], 'a condition on an unknown value', loc);
  }

  protected evalComparison(node: PyNode, f: Frame, loc: Loc): Value {
    // operands are the named children; operators the anonymous tokens between them
    const operands: PyNode[] = [];
    const ops: string[] = [];
    let pending: string[] = [];
    for (const child of node.children) {
      if (child.named && child.type !== 'comment') {
        if (operands.length > 0) ops.push(pending.join(' '));
        pending = [];
        operands.push(child);
      } else if (!child.named) pending.push(child.text ?? child.type);
    }
    const values = operands.map((o) => this.eval(o, f));
    let result: boolean | undefined = true;
    // `"X" in os.environ`: under defaults semantics the variable is not set (an environment default).
    let envDefaults: V.EnvRef[] | undefined;
    let argv = false;
    for (let i = 0; i < ops.length; i++) {
      const a = values[i]!;
      const b = values[i + 1]!;
      if ((ops[i] === 'in' || ops[i] === 'not in') && b.kind === 'object' && b.tag === 'os.environ') {
        if (a.kind !== 'str') {
          result = undefined;
          continue;
        }
        const set = this.environmentValue(a.v);
        if (set) {
          // the settings put it there themselves (or the system does where the app runs)
          // a variable the deployment sets is in the environment whatever its value
          if (set.kind === 'unknown' && !this.deploymentValues.has(set)) result = undefined;
          else if (ops[i] === 'not in') {
            result = false;
            break;
          }
          continue;
        }
        (envDefaults ??= []).push({ name: a.v, style: 'os', hasDefault: true, loc: a.loc ?? loc });
        if (ops[i] === 'in') {
          result = false;
          break;
        }
        continue;
      }
      // `"test" in sys.argv`, `"runserver" in sys.argv`: production runs a server or a deployment
      // command (gunicorn, migrate, collectstatic), never the test runner or the development server
      if (
        b.kind === 'unknown' &&
        b.ext === 'sys.argv' &&
        a.kind === 'str' &&
        (ops[i] === 'in' || ops[i] === 'not in') &&
        DEV_COMMANDS.has(a.v)
      ) {
        argv = true;
        if (ops[i] === 'in') {
          result = false;
          break;
        }
        continue;
      }
      // `sys.argv[1:2] == ["test"]`, `sys.argv[1] == "runserver"`: never in production's command line
      const word = (v: V.Value): boolean =>
        (v.kind === 'str' && DEV_COMMANDS.has(v.v)) ||
        ((v.kind === 'list' || v.kind === 'tuple') &&
          v.items.length === 1 &&
          v.items[0]!.kind === 'str' &&
          DEV_COMMANDS.has(v.items[0]!.v));
      if (
        (ops[i] === '==' || ops[i] === '!=') &&
        ((a.kind === 'unknown' && a.ext === 'sys.argv[]' && word(b)) || (b.kind === 'unknown' && b.ext === 'sys.argv[]' && word(a)))
      ) {
        argv = true;
        if (ops[i] === '==') {
          result = false;
          break;
        }
        continue;
      }
      const r = compare(ops[i]!, a, b);
      if (r === false) {
        result = false;
        break;
      }
      if (r === undefined) result = undefined;
    }
    // a lookup the deployment answers whose code writes a default (`os.getenv("DEBUG", "True") ==
    // "True"`): the comparison of that default too, as it runs where a deployment forgets the variable
    const keep = (v: Value): Value => {
      if (ops.length !== 1 || !values.some((x) => x.writtenDefault)) return v;
      const [a, b] = values as [Value, Value];
      const da = a.writtenDefault ?? a;
      const db = b.writtenDefault ?? b;
      const r = compare(ops[0]!, da, db);
      if (r === undefined) return v;
      const d = V.derive(V.bool(r), loc, [da, db]);
      return { ...v, writtenDefault: { ...d, origin: 'env-default', env: [...(da.env ?? []), ...(db.env ?? [])] } };
    };
    if (result === undefined) {
      // `"X" in os.environ` and friends are environment reads whose answer is unknown: safe unknown.
      return keep(V.unknownFrom(values, 'a comparison with an unknown value', loc, 'bool'));
    }
    if (envDefaults) {
      const parts = values.filter(
        (v) => !(v.kind === 'object' && v.tag === 'os.environ') && !(argv && v.kind === 'unknown' && v.ext?.startsWith('sys.argv')),
      );
      const d = V.derive(V.bool(result), loc, parts);
      return {
        ...d,
        origin: d.origin === 'env' || d.origin === 'unknown' ? d.origin : 'env-default',
        env: [...envDefaults, ...(d.env ?? [])],
      };
    }
    return keep(
      V.derive(V.bool(result), loc, argv ? values.filter((v) => !(v.kind === 'unknown' && v.ext?.startsWith('sys.argv'))) : values),
    );
  }

  protected evalSubscript(node: PyNode, f: Frame, loc: Loc): Value {
    const containerNode = field(node, 'value');
    const keyNodes = fields(node, 'subscript');
    if (!containerNode || keyNodes.length === 0) return V.unknown('an incomplete expression', loc);
    const c = this.eval(containerNode, f);
    // a word or a slice of the command line (`sys.argv[1]`, `sys.argv[1:2]`): compared with a
    // development or test command below
    if (c.kind === 'unknown' && (c.ext === 'sys.argv' || c.ext === 'sys.argv[]'))
      return { ...V.unknownFrom([c], 'a word of the command line', loc), ext: 'sys.argv[]' };
    // a frame of the call stack (`inspect.stack()[1][0]`): its f_globals is a caller's namespace (callerGlobals)
    if (c.kind === 'unknown' && (c.ext === 'inspect.stack()' || /^inspect\.stack\(\)\[\d\]$/.test(c.ext ?? '')) && keyNodes.length === 1) {
      const k = this.eval(keyNodes[0]!, f);
      if (k.kind === 'int' && k.v >= 0 && k.v < 10) return V.ext(`${c.ext}[${k.v}]`, loc);
    }
    if (keyNodes.length === 1 && keyNodes[0]!.type === 'slice') {
      if ((c.kind === 'list' || c.kind === 'tuple') && c.optional)
        return V.unknownFrom([c], 'a slice of a list some of whose items may be absent', loc);
      if (c.kind === 'list' || c.kind === 'tuple' || c.kind === 'str') {
        const len = c.kind === 'str' ? c.v.length : c.items.length;
        const b = this.sliceBounds(keyNodes[0]!, f, len);
        if (!b) return V.unknownFrom([c], 'a slice with unknown bounds', loc);
        const idx: number[] = [];
        if (b.step > 0) for (let i = b.start; i < b.stop; i += b.step) idx.push(i);
        // biome-ignore lint/correctness/useValidForDirection: the step is negative on this branch
        else for (let i = b.start; i > b.stop; i += b.step) idx.push(i);
        if (c.kind === 'str') return V.derive(V.str(idx.map((i) => c.v[i]).join('')), loc, [c]);
        return V.seq(
          c.kind,
          idx.map((i) => c.items[i]!),
          V.combineOrigins(c),
          loc,
        );
      }
      // `key[len("DJANGO_"):]` of an environment variable's name narrowed to that prefix: the rest of its name
      if (c.kind === 'unknown' && c.variableName) {
        const prefix = this.slicedPrefix(c, keyNodes[0]!, f);
        if (prefix !== undefined) return V.afterPrefix(c, prefix, loc);
      }
      return V.unknownFrom([c], 'a slice of an unknown value', loc);
    }
    const key =
      keyNodes.length === 1
        ? this.eval(keyNodes[0]!, f)
        : V.seq(
            'tuple',
            keyNodes.map((k) => this.eval(k, f)),
          );
    return this.subscriptValue(c, key, f, loc);
  }

  /** The prefix `[n:]` removes from an environment variable's name narrowed to start with it (n its length). */
  protected slicedPrefix(c: V.UnknownValue, slice: PyNode, f: Frame): string | undefined {
    const parts = slice.children;
    const colons = parts.filter((p) => !p.named && p.text === ':').length;
    const start = parts[0]?.named ? parts[0] : undefined;
    if (colons !== 1 || !start || parts.length !== 2) return undefined;
    const n = V.numeric(this.eval(start, f));
    return c.names?.prefixes?.find((p) => p.length === n);
  }

  protected subscriptValue(c: Value, key: Value, f: Frame, loc: Loc): Value {
    if (c.kind === 'none') c = this.requiredFromNone(c, f, loc) ?? c;
    if (c.kind === 'object') {
      if (c.tag === 'os.environ') {
        // `os.environ[key]` in a loop over the environment's names: that variable's value
        if (key.kind === 'unknown' && key.variableName)
          return { ...V.unknown('the value of an environment variable', loc, 'str'), variableValue: true };
        if (key.kind !== 'str') return V.unknownFrom([key], 'an environment variable with an unknown name', loc);
        const set = this.environmentValue(key.v);
        if (set) return set;
        const env: V.EnvRef = { name: key.v, style: 'os', hasDefault: false, loc };
        if (!this.requiredEnv.has(key.v) && this.envFailureHandled(f, ['KeyError'])) throw new PyRaise('KeyError', loc, env);
        return V.required(env, 'str', loc);
      }
      if (c.tag === 'sys.modules') {
        const me = f.scope.get('__name__')?.value;
        if (key.kind === 'str' && me?.kind === 'str' && key.v === me.v) return V.object('this-module');
        return V.unknown('a module from sys.modules', loc);
      }
      if (c.tag === 'globals') {
        // the namespace of the module that called globals(), also from another module's function
        const owner = (c.data as GlobalsData | undefined)?.api;
        if (key.kind === 'str' && owner && owner.moduleName !== f.mod.ref.name) {
          const v = V.dictGet(owner.globalsSnapshot(loc), key);
          return v ?? V.unknown(v === null ? `${key.v} is not bound in ${owner.moduleName}` : `${key.v} of ${owner.moduleName}`, loc);
        }
        if (key.kind === 'str') return this.lookup(key.v, f, loc);
        return V.unknown('a global with an unknown name', loc);
      }
      if (c.tag === 'wsmodule') return V.unknown('a module is not subscriptable', loc);
      return V.unknown(`an item of ${c.tag}`, loc);
    }
    if (c.kind === 'dict') {
      const v = V.dictGet(c, key);
      if (v) return v;
      if (v === null) {
        if (this.catchesHere(f, 'KeyError')) throw new PyRaise('KeyError', loc);
        return V.unknown(`the key ${V.repr(key)} is not in the dict`, loc);
      }
      return V.unknownFrom([c, key], 'a key the analysis cannot find', loc);
    }
    if ((c.kind === 'list' || c.kind === 'tuple') && c.optional)
      return V.unknownFrom([c, key], 'an item by position of a list some of whose items may be absent', loc);
    if (c.kind === 'list' || c.kind === 'tuple' || c.kind === 'str') {
      const n = V.numeric(key);
      if (n === undefined || !Number.isInteger(n)) return V.unknownFrom([c, key], 'an item at an unknown position', loc);
      const len = c.kind === 'str' ? c.v.length : c.items.length;
      const i = n < 0 ? len + n : n;
      if (i < 0 || i >= len) return V.unknown('an index out of range', loc);
      return c.kind === 'str' ? V.derive(V.str(c.v[i]!), loc, [c]) : c.items[i]!;
    }
    if (c.kind === 'unknown') {
      if (c.ext) return V.ext(`${c.ext}[]`, loc);
      return V.unknownFrom([c], 'an item of an unknown value', loc);
    }
    return V.unknown(`an item of a ${V.typeName(c)}`, loc);
  }

  protected evalComprehension(node: PyNode, f: Frame, loc: Loc): Value {
    const body = field(node, 'body') ?? namedChildren(node)[0];
    const clauses = node.children.filter((c) => c.type === 'for_in_clause' || c.type === 'if_clause');
    if (!body) return V.unknown('an incomplete comprehension', loc);
    const out: Value[] = [];
    const outKeys: Value[] = [];
    const inputs: Value[] = [];
    let unknownInput: Value | undefined;
    const scope = new Map<string, Value>();
    f.comp.push(scope);
    const bindTarget = (target: PyNode, v: Value): void => {
      if (target.type === 'identifier' && target.text) scope.set(target.text, v);
      else {
        const parts = namedChildren(target);
        const items = this.iterate(v);
        parts.forEach((p, i) =>
          bindTarget(p, items && items.length === parts.length ? items[i]! : V.unknownFrom([v], 'unpacked loop item')),
        );
      }
    };
    let overflow = false;
    const run = (i: number): boolean => {
      if (out.length >= V.MAX_ITEMS) {
        overflow = true;
        return false;
      }
      if (i === clauses.length) {
        if (node.type === 'dictionary_comprehension') {
          const k = field(body, 'key');
          const v = field(body, 'value');
          if (k && v) {
            outKeys.push(this.eval(k, f));
            out.push(this.eval(v, f));
          }
        } else out.push(this.eval(body, f));
        return true;
      }
      const clause = clauses[i]!;
      if (clause.type === 'if_clause') {
        const cond = namedChildren(clause)[0];
        const c = cond ? this.eval(cond, f) : V.unknown('');
        const t = V.truthy(c);
        if (t === undefined) {
          // the loop item is one of several written values (`"…" if FLAG else ...`): what each
          // alternative the filter keeps yields is there only when the condition picks it
          const split = cond && node.type !== 'dictionary_comprehension' ? this.splitByAlternatives(cond, scope, f) : undefined;
          if (!split) {
            unknownInput = c;
            return false;
          }
          if (split.kept.length === 0) return true;
          if (split.kept.length === split.of) return run(i + 1);
          const start = out.length;
          const saved = scope.get(split.name)!;
          try {
            for (const k of split.kept) {
              scope.set(split.name, k);
              if (!run(i + 1)) return false;
            }
          } finally {
            scope.set(split.name, saved);
          }
          for (let j = start; j < out.length; j++) {
            const item = out[j]!;
            out[j] = {
              ...V.unknown(`only present when \`${this.clip(this.src(cond, f))}\` holds`, item.loc),
              env: V.combineEnv(saved, item),
              maybeAbsent: true,
              possible: item.kind === 'unknown' ? undefined : item,
            };
          }
          return true;
        }
        return t ? run(i + 1) : true;
      }
      const left = field(clause, 'left');
      const right = field(clause, 'right');
      if (!left || !right) return false;
      const iterable = this.eval(right, f);
      inputs.push(iterable);
      const items = this.iterate(iterable);
      if (!items) {
        unknownInput = iterable;
        return false;
      }
      for (const item of items) {
        bindTarget(left, item);
        if (!run(i + 1)) return false;
      }
      return true;
    };
    try {
      run(0);
    } finally {
      f.comp.pop();
    }
    if (unknownInput)
      return V.unknownFrom(
        [unknownInput],
        'a comprehension over values the analysis cannot read',
        loc,
        node.type === 'dictionary_comprehension' ? 'dict' : 'list',
      );
    if (overflow) return V.tooLarge('a comprehension', loc, node.type === 'dictionary_comprehension' ? 'dict' : 'list');
    const present = out.filter((v) => !(v.kind === 'unknown' && v.maybeAbsent));
    const optional = present.length < out.length || undefined;
    const combined = V.combineOrigins(...inputs, ...present);
    const origin = combined === 'env' || (optional && combined === 'unknown') ? 'derived' : combined;
    const env = V.combineEnv(...inputs, ...out);
    if (node.type === 'dictionary_comprehension') {
      // a key met again keeps its first place and takes the later value, as in Python
      const d = V.dict([], [], origin, loc);
      outKeys.forEach((k, i) => V.dictSet(d, k, out[i]!));
      return { ...d, env };
    }
    if (node.type === 'set_comprehension') return { ...V.seq('set', dedupe(out), origin, loc), env, optional };
    return { ...V.seq('list', out, origin, loc), env, optional };
  }

  /**
   * For a comprehension's filter the analysis cannot decide: when the one loop name it depends on
   * is one of several written values (`oneOf`), the alternatives the filter keeps, out of how many;
   * undefined when that is not so or the filter cannot be decided for one of them.
   */
  private splitByAlternatives(
    cond: PyNode,
    scope: Map<string, Value>,
    f: Frame,
  ): { name: string; kept: V.Known[]; of: number } | undefined {
    const names = [...scope].filter(([, v]) => v.kind === 'unknown' && v.oneOf);
    if (names.length !== 1) return undefined;
    const [name, value] = names[0]!;
    const alternatives = (value as V.UnknownValue).oneOf!;
    const kept: V.Known[] = [];
    try {
      for (const a of alternatives) {
        scope.set(name, a);
        const t = V.truthy(this.eval(cond, f));
        if (t === undefined) return undefined;
        if (t) kept.push(a);
      }
    } finally {
      scope.set(name, value);
    }
    return { name, kept, of: alternatives.length };
  }
}

/** The scalars `vs` may be (each a scalar, or already one of several), or undefined. */
function alternativesOf(vs: readonly Value[]): V.Known[] | undefined {
  const out: V.Known[] = [];
  for (const v of vs) {
    if (v.kind === 'unknown') {
      if (!v.oneOf) return undefined;
      out.push(...v.oneOf);
    } else if (isScalar(v)) out.push(v);
    else return undefined;
  }
  return out.length <= 8 ? out : undefined;
}

function isScalar(v: V.Known): boolean {
  return (
    v.kind === 'str' ||
    v.kind === 'int' ||
    v.kind === 'float' ||
    v.kind === 'bool' ||
    v.kind === 'none' ||
    (v.kind === 'object' && v.tag === 'Ellipsis')
  );
}

/** Whether code text uses `name` as a whole word (not inside a longer identifier or after a dot). */
function namesWord(text: string, name: string): boolean {
  for (let i = text.indexOf(name); i >= 0; i = text.indexOf(name, i + 1)) {
    const before = i > 0 ? text[i - 1]! : ' ';
    const after = text[i + name.length] ?? ' ';
    if (!/[\w.]/.test(before) && !/\w/.test(after)) return true;
  }
  return false;
}

/** When a rendered file's template expressions are filled in: "the deployment renders settings.py.j2", "the Ansible template task in main.yml:2 renders the file". */
/** A placeholder a script rendering a module's template replaces: `__SECRET__`, `__STATIC_URL__` (never a dunder name, which is lower case). */
const RENDER_PLACEHOLDER = /__[A-Z][A-Z0-9]*(?:_[A-Z0-9]+)*__/;

function renderedWhen(how: string): string {
  return how.startsWith('the deployment renders') ? how : `${how} renders the file`;
}

/**
 * A template expression that is the whole string and reads an environment variable with a written
 * default, as Ansible's templates write one: `{{ ansible_env.NAME | default('x') }}` (the managed
 * host's environment, a fact), `{{ lookup('env', 'NAME') | default('x') }}` (the controller's).
 * Ansible's `default` filter gives its argument where the variable is undefined; `lookup('env')` of
 * an unset variable is an empty string, which `default(x, true)` also replaces.
 *   https://docs.ansible.com/ansible/latest/playbook_guide/playbooks_filters.html#providing-default-values
 */
function templateEnvDefault(text: string): { name: string; value: string } | undefined {
  const m = TEMPLATE_ENV_DEFAULT.exec(text);
  if (!m) return undefined;
  const name = m[1] ?? m[2] ?? m[3];
  const value = m[4] ?? m[5];
  return name !== undefined && value !== undefined ? { name, value } : undefined;
}

const TEMPLATE_ENV_DEFAULT =
  /^[ \t]{0,8}\{\{[ \t]{0,8}(?:ansible_env\.([A-Za-z_][A-Za-z0-9_]{0,80})|ansible_env\[[ \t]{0,8}['"]([A-Za-z_][A-Za-z0-9_]{0,80})['"][ \t]{0,8}\]|lookup\([ \t]{0,8}['"](?:ansible\.builtin\.)?env['"][ \t]{0,8},[ \t]{0,8}['"]([A-Za-z_][A-Za-z0-9_]{0,80})['"][ \t]{0,8}\))[ \t]{0,8}\|[ \t]{0,8}default\([ \t]{0,8}(?:'([^'\n]{0,300})'|"([^"\n]{0,300})")[ \t]{0,8}(?:,[ \t]{0,8}(?:true|True)[ \t]{0,8})?\)[ \t]{0,8}\}\}[ \t]{0,8}$/;
