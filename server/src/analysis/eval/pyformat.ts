// Python's text of values, exactly as Python writes it: repr() and str() of floats and containers,
// the format mini-language (`f"{x:>08.2f}"`, `"{:,}".format(n)`, `format(x, spec)`) and printf-style
// `%` formatting. Each answers undefined where Python's answer is not followed (an exponent format,
// a set's order, a type that refuses the spec), so that the caller makes the value unknown rather
// than wrong. Found necessary by the differential test against CPython (test/pydiff).
import type { Value } from './values';

/** Python's repr() of a float: the shortest round-trip digits, exponent form below 1e-4 and from 1e16. */
export function pyFloatRepr(x: number): string {
  if (Number.isNaN(x)) return 'nan';
  if (!Number.isFinite(x)) return x > 0 ? 'inf' : '-inf';
  if (x === 0) return Object.is(x, -0) ? '-0.0' : '0.0';
  const [mant, expText] = x.toExponential().split('e') as [string, string];
  const exp = Number(expText);
  if (exp < -4 || exp >= 16) {
    const m = mant.includes('.') ? mant : mant;
    return `${m}e${exp < 0 ? '-' : '+'}${String(Math.abs(exp)).padStart(2, '0')}`;
  }
  const neg = mant.startsWith('-');
  const digits = mant.replace('-', '').replace('.', '');
  let out: string;
  if (exp >= 0) {
    const intPart = digits.slice(0, exp + 1).padEnd(exp + 1, '0');
    const frac = digits.slice(exp + 1);
    out = `${intPart}.${frac || '0'}`;
  } else out = `0.${'0'.repeat(-exp - 1)}${digits}`;
  return neg ? `-${out}` : out;
}

/** Python's repr() of a str (undefined beyond ASCII: which characters repr() escapes is not followed). */
export function pyStrRepr(s: string): string | undefined {
  const quote = s.includes("'") && !s.includes('"') ? '"' : "'";
  let out = quote;
  for (const ch of s) {
    const c = ch.codePointAt(0)!;
    if (ch === '\\') out += '\\\\';
    else if (ch === quote) out += `\\${quote}`;
    else if (ch === '\n') out += '\\n';
    else if (ch === '\r') out += '\\r';
    else if (ch === '\t') out += '\\t';
    else if (c < 0x20 || c === 0x7f) out += `\\x${c.toString(16).padStart(2, '0')}`;
    else if (c >= 0x80)
      return undefined; // which of them repr() escapes is not followed
    else out += ch;
  }
  return out + quote;
}

const MAX_DEPTH = 20;

/** Python's repr() of a value, or undefined when it is not known exactly. */
export function pyRepr(v: Value, depth = 0): string | undefined {
  if (depth > MAX_DEPTH) return undefined;
  switch (v.kind) {
    case 'str':
      return pyStrRepr(v.v);
    case 'int':
      return Number.isSafeInteger(v.v) ? String(v.v) : undefined;
    case 'float':
      return pyFloatRepr(v.v);
    case 'bool':
      return v.v ? 'True' : 'False';
    case 'none':
      return 'None';
    case 'path': {
      const r = pyStrRepr(v.v);
      return r === undefined ? undefined : `PosixPath(${r})`;
    }
    case 'list':
    case 'tuple':
    case 'set': {
      if (v.optional || v.origin === 'unknown') return undefined;
      // a set's order is the hash order of its items: not followed beyond one item
      if (v.kind === 'set' && v.items.length > 1) return undefined;
      const inner: string[] = [];
      for (const i of v.items) {
        const r = pyRepr(i, depth + 1);
        if (r === undefined) return undefined;
        inner.push(r);
      }
      if (v.kind === 'set') return inner.length === 0 ? 'set()' : `{${inner[0]}}`;
      if (v.kind === 'tuple') return inner.length === 1 ? `(${inner[0]},)` : `(${inner.join(', ')})`;
      return `[${inner.join(', ')}]`;
    }
    case 'dict': {
      if (v.partial || v.origin === 'unknown') return undefined;
      const inner: string[] = [];
      for (let i = 0; i < v.keys.length; i++) {
        const k = pyRepr(v.keys[i]!, depth + 1);
        const x = pyRepr(v.values[i]!, depth + 1);
        if (k === undefined || x === undefined) return undefined;
        inner.push(`${k}: ${x}`);
      }
      return `{${inner.join(', ')}}`;
    }
    default:
      return undefined;
  }
}

/** Python's str() of a value, or undefined when it is not known exactly. */
export function pyText(v: Value): string | undefined {
  switch (v.kind) {
    case 'str':
    case 'path':
      return v.v;
    case 'int':
      return Number.isSafeInteger(v.v) ? String(v.v) : undefined;
    case 'float':
      return pyFloatRepr(v.v);
    case 'bool':
      return v.v ? 'True' : 'False';
    case 'none':
      return 'None';
    default:
      return pyRepr(v);
  }
}

/**
 * `x` with `p` digits after the point, as Python's '%.pf' writes it: the double's exact value
 * rounded, an exact tie to the even digit. Undefined past what toFixed covers.
 */
export function fixedDigits(x: number, p: number): string | undefined {
  if (!Number.isFinite(x) || Math.abs(x) >= 1e21 || p > 100 || p < 0) return undefined;
  const abs = Math.abs(x);
  const exact = abs.toFixed(100);
  const cut = exact.indexOf('.') + 1 + p;
  const rest = exact.slice(cut);
  const tie = rest.startsWith('5') && !/[1-9]/.test(rest.slice(1));
  const kept = p === 0 ? exact.slice(0, cut - 1) : exact.slice(0, cut);
  const lastDigit = Number(kept.replace('.', '').slice(-1));
  let out = tie && lastDigit % 2 === 0 ? kept : abs.toFixed(p);
  if (x < 0 || Object.is(x, -0)) out = `-${out}`;
  return out;
}

interface Spec {
  fill: string;
  align: string;
  sign: string;
  alt: boolean;
  zero: boolean;
  width: number;
  grouping: string;
  precision?: number;
  type: string;
}

/** [[fill]align][sign][#][0][width][grouping][.precision][type], or undefined when not that. */
function parseSpec(spec: string): Spec | undefined {
  let i = 0;
  const chars = [...spec];
  const out: Spec = { fill: ' ', align: '', sign: '', alt: false, zero: false, width: 0, grouping: '', type: '' };
  const isAlign = (c: string | undefined): boolean => c === '<' || c === '>' || c === '^' || c === '=';
  if (chars.length >= 2 && isAlign(chars[1])) {
    out.fill = chars[0]!;
    out.align = chars[1]!;
    i = 2;
  } else if (isAlign(chars[0])) {
    out.align = chars[0]!;
    i = 1;
  }
  if (chars[i] === '+' || chars[i] === '-' || chars[i] === ' ') out.sign = chars[i++]!;
  if (chars[i] === '#') {
    out.alt = true;
    i++;
  }
  if (chars[i] === '0') {
    out.zero = true;
    i++;
  }
  let w = '';
  while (i < chars.length && chars[i]! >= '0' && chars[i]! <= '9') w += chars[i++];
  if (w.length > 15) return undefined;
  out.width = w ? Number(w) : 0;
  if (chars[i] === ',' || chars[i] === '_') out.grouping = chars[i++]!;
  if (chars[i] === '.') {
    i++;
    let p = '';
    while (i < chars.length && chars[i]! >= '0' && chars[i]! <= '9') p += chars[i++];
    if (!p || p.length > 3) return undefined;
    out.precision = Number(p);
  }
  if (i < chars.length) out.type = chars[i++]!;
  if (i !== chars.length) return undefined;
  return out;
}

function group(intDigits: string, sep: string): string {
  if (!sep) return intDigits;
  let out = '';
  for (let i = 0; i < intDigits.length; i++) {
    if (i > 0 && (intDigits.length - i) % 3 === 0) out += sep;
    out += intDigits[i];
  }
  return out;
}

function pad(body: string, sign: string, s: Spec, numeric: boolean, maxWidth: number): string | undefined | null {
  if (s.width > maxWidth) return null;
  let align = s.align;
  let fill = s.fill;
  if (!align) {
    if (s.zero && numeric) {
      align = '=';
      fill = '0';
    } else align = numeric ? '>' : '<';
  }
  const len = [...sign].length + [...body].length;
  const n = Math.max(0, s.width - len);
  if (align === '<') return sign + body + fill.repeat(n);
  if (align === '>') return fill.repeat(n) + sign + body;
  if (align === '=') return sign + fill.repeat(n) + body;
  return fill.repeat(Math.floor(n / 2)) + sign + body + fill.repeat(Math.ceil(n / 2));
}

/**
 * `format(v, spec)`: the string; undefined when Python's answer is not followed (or Python raises);
 * null when it would be longer than maxWidth.
 */
export function formatValue(v: Value, spec: string, maxWidth: number): string | undefined | null {
  if (spec === '') return pyText(v);
  const s = parseSpec(spec);
  if (!s) return undefined;
  // bool formats as an int once a spec is given
  const kind = v.kind === 'bool' ? 'int' : v.kind;
  if (kind === 'str' || kind === 'path') {
    if (s.type !== '' && s.type !== 's') return undefined;
    if (s.sign || s.alt || s.grouping || s.align === '=') return undefined;
    let text = (v as { v: string }).v;
    if (s.precision !== undefined) text = [...text].slice(0, s.precision).join('');
    return pad(text, '', { ...s, zero: false, fill: s.zero && !s.align ? '0' : s.fill }, false, maxWidth);
  }
  if (kind !== 'int' && kind !== 'float') return undefined;
  const x = v.kind === 'bool' ? (v.v ? 1 : 0) : (v as { v: number }).v;
  if (kind === 'int' && !Number.isSafeInteger(x)) return undefined;
  // an int has no -0 (0 // -3 is a JavaScript -0): only a float keeps its sign
  const negative = x < 0 || (kind === 'float' && Object.is(x, -0));
  const signText = negative ? '-' : s.sign === '+' ? '+' : s.sign === ' ' ? ' ' : '';
  let type = s.type;
  if (type === '') type = kind === 'int' ? 'd' : s.precision === undefined ? 'r' : '';
  if (type === '' || type === 'e' || type === 'E' || type === 'g' || type === 'G' || type === 'n' || type === 'c') return undefined;
  let body: string;
  if (type === 'r') {
    // a float without type or precision: its repr (an exponent form is not grouped or padded here)
    const r = pyFloatRepr(Math.abs(x));
    if (r.includes('e') || r === 'inf' || r === 'nan') return undefined;
    const [ip, fp] = r.split('.') as [string, string];
    body = `${group(ip, s.grouping)}.${fp}`;
  } else if (type === 'd' || type === 'x' || type === 'X' || type === 'o' || type === 'b') {
    if (kind !== 'int' || s.precision !== undefined) return undefined;
    const radix = type === 'd' ? 10 : type === 'b' ? 2 : type === 'o' ? 8 : 16;
    let digits = Math.abs(x).toString(radix);
    if (type === 'X') digits = digits.toUpperCase();
    if (s.grouping && type !== 'd') return undefined;
    body = (s.alt && type !== 'd' ? `0${type === 'X' ? 'X' : type}` : '') + group(digits, s.grouping);
  } else if (type === 'f' || type === 'F' || type === '%') {
    const p = s.precision ?? 6;
    const f = fixedDigits(Math.abs(type === '%' ? x * 100 : x), p);
    if (f === undefined) return undefined;
    const [ip, fp] = f.split('.') as [string, string | undefined];
    body = group(ip, s.grouping) + (fp !== undefined ? `.${fp}` : s.alt ? '.' : '') + (type === '%' ? '%' : '');
  } else return undefined;
  return pad(body, signText, s, true, maxWidth);
}

/**
 * `fmt % arg` (printf-style): the string; undefined when Python's answer is not followed or Python
 * raises (a conversion of the wrong type, arguments left over); null when longer than maxLength.
 */
export function percentFormat(
  fmt: string,
  arg: Value,
  maxLength: number,
  dictGet: (key: string) => Value | undefined,
): string | undefined | null {
  const byKey = fmt.includes('%(');
  const args = byKey ? [] : arg.kind === 'tuple' ? arg.items : [arg];
  if (byKey && arg.kind !== 'dict') return undefined;
  let used = 0;
  let out = '';
  let i = 0;
  while (i < fmt.length) {
    const pct = fmt.indexOf('%', i);
    if (pct < 0) {
      out += fmt.slice(i);
      break;
    }
    out += fmt.slice(i, pct);
    i = pct + 1;
    let key: string | undefined;
    if (fmt[i] === '(') {
      const close = fmt.indexOf(')', i);
      if (close < 0) return undefined;
      key = fmt.slice(i + 1, close);
      i = close + 1;
    }
    let flags = '';
    while (i < fmt.length && '-+ #0'.includes(fmt[i]!)) flags += fmt[i++];
    let width = '';
    while (i < fmt.length && fmt[i]! >= '0' && fmt[i]! <= '9') width += fmt[i++];
    let precision: number | undefined;
    if (fmt[i] === '.') {
      i++;
      let p = '';
      while (i < fmt.length && fmt[i]! >= '0' && fmt[i]! <= '9') p += fmt[i++];
      precision = p ? Number(p) : 0;
    }
    const conv = fmt[i++];
    if (conv === undefined || width.length > 15 || (precision ?? 0) > 100) return undefined;
    if (conv === '%') {
      out += '%';
      continue;
    }
    let v: Value | undefined;
    if (key !== undefined) v = dictGet(key);
    else v = args[used++];
    if (!v) return undefined;
    const left = flags.includes('-');
    const zero = flags.includes('0') && !left;
    const sign = flags.includes('+') ? '+' : flags.includes(' ') ? ' ' : '';
    let piece: string | undefined | null;
    if (conv === 's' || conv === 'r' || conv === 'a') {
      let t = conv === 's' ? pyText(v) : pyRepr(v);
      if (t === undefined) return undefined;
      if (precision !== undefined) t = [...t].slice(0, precision).join('');
      piece = t;
    } else if ('diouxXf'.includes(conv) || conv === 'F') {
      if (v.kind !== 'int' && v.kind !== 'float' && v.kind !== 'bool') return undefined;
      let n = v.kind === 'bool' ? (v.v ? 1 : 0) : v.v;
      if (conv !== 'f' && conv !== 'F') {
        if (conv !== 'd' && conv !== 'i' && v.kind === 'float') return undefined; // %x of a float raises
        n = Math.trunc(n);
      }
      const fixed = conv === 'f' || conv === 'F';
      const spec = `${sign}${flags.includes('#') ? '#' : ''}${fixed ? `.${precision ?? 6}` : ''}${conv === 'i' || conv === 'u' ? 'd' : conv}`;
      piece = formatValue(v.kind === 'float' && !fixed ? { kind: 'int', v: n, origin: 'derived' } : v, spec, maxLength);
      if (piece === undefined || piece === null) return piece;
      // precision on an integer conversion pads its digits with zeros
      if (precision !== undefined && conv !== 'f' && conv !== 'F') {
        const neg = piece.startsWith('-') || piece.startsWith('+') || piece.startsWith(' ');
        const digits = neg ? piece.slice(1) : piece;
        piece = (neg ? piece[0] : '') + digits.padStart(precision, '0');
      }
    } else return undefined;
    const w = width ? Number(width) : 0;
    if (w > maxLength) return null;
    if (piece.length < w) {
      if (left) piece = piece.padEnd(w);
      else if (zero && conv !== 's' && conv !== 'r' && conv !== 'a') {
        const signed = piece.startsWith('-') || piece.startsWith('+') || piece.startsWith(' ');
        piece = signed ? piece[0] + piece.slice(1).padStart(w - 1, '0') : piece.padStart(w, '0');
      } else piece = piece.padStart(w);
    }
    out += piece;
    if (out.length > maxLength) return null;
  }
  if (!byKey && used < args.length) return undefined; // TypeError: not all arguments converted
  return out;
}
