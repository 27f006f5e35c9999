// The functions charts call in a template, as Helm's sprig-based functions do: quote, default,
// toYaml, nindent/indent, required, and/or/not/eq/ne, empty, printf, trunc/trimSuffix/lower/upper/
// trim…; an unknown argument makes an unknown result (never guessed).
import type { Expr } from './syntax';
import { argSource, exprSource, indentPieces, str, toYaml, truth, unknown, unknownWhy, type Val } from './values';

export function call(e: Extract<Expr, { t: 'call' }>, args: Val[], dot: Val): Val {
  const expr = exprSource({ ...e, args: e.args });
  const firstUnknown = args.find((a) => a.k === 'unknown');
  const last = args[args.length - 1];
  switch (e.fn) {
    case 'quote':
    case 'squote': {
      if (!last) return { k: 'str', v: '""' };
      if (last.k === 'unknown') return last;
      const s = str(last);
      if (s === undefined) return unknown(expr, 'a value printed as Go prints it');
      const q = e.fn === 'quote' ? JSON.stringify(s) : `'${s.replace(/'/g, "''")}'`;
      const node = 'node' in last ? last.node : undefined;
      return {
        k: 'str',
        v: q,
        ...(node ? { pieces: [{ text: q, src: { file: node.loc.file, start: node.loc.start, end: node.loc.end, copy: false } }] } : {}),
      };
    }
    case 'default': {
      if (args.length < 2) return firstUnknown ?? { k: 'nil' };
      const t = truth(last!);
      if (t === undefined) return last!;
      return t ? last! : args[0]!;
    }
    case 'required':
      return last ?? { k: 'nil' };
    case 'toYaml':
    case 'toJson': {
      if (!last) return { k: 'nil' };
      if (last.k === 'unknown') return unknown(`toYaml ${last.expr}`, last.why);
      const pieces = toYaml(last);
      return pieces
        ? { k: 'str', v: pieces.map((p) => p.text).join(''), pieces }
        : unknown(expr, 'a value toYaml writes in a way not read here');
    }
    case 'nindent':
    case 'indent': {
      if (args.length < 2) return firstUnknown ?? unknown(expr, 'not read');
      const n = args[0]!.k === 'num' ? args[0]!.v : Number.NaN;
      if (last!.k === 'unknown') return last!;
      if (Number.isNaN(n)) return unknown(expr, 'an indentation not known');
      const pieces = last!.k === 'str' && last!.pieces ? last!.pieces : [{ text: str(last!) ?? '' }];
      const indented = indentPieces(pieces, n, e.fn === 'nindent');
      return { k: 'str', v: indented.map((p) => p.text).join(''), pieces: indented };
    }
    case 'not': {
      const t = last ? truth(last) : undefined;
      return t === undefined ? unknown(expr, last?.k === 'unknown' ? last.why : 'not known') : { k: 'bool', v: !t };
    }
    case 'and':
    case 'or': {
      // Go stops at the first argument that decides
      for (const a of args) {
        const t = truth(a);
        if (t === undefined) return unknown(expr, a.k === 'unknown' ? a.why : 'not known');
        if (e.fn === 'and' ? !t : t) return a;
      }
      return last ?? { k: 'nil' };
    }
    case 'empty': {
      const t = last ? truth(last) : false;
      return t === undefined ? unknown(expr, unknownWhy(last!)) : { k: 'bool', v: !t };
    }
    case 'eq':
    case 'ne': {
      if (firstUnknown) return unknown(expr, firstUnknown.k === 'unknown' ? firstUnknown.why : '');
      const [a, ...others] = args.map((x) => (x.k === 'nil' ? '' : str(x)));
      if (a === undefined || others.some((o) => o === undefined)) return unknown(expr, 'values compared in a way not read here');
      const same = others.some((o) => o === a);
      return { k: 'bool', v: e.fn === 'eq' ? same : !same };
    }
    case 'hasKey': {
      if (args.length !== 2) return unknown(expr, 'not read');
      const [m, k] = args as [Val, Val];
      if (m.k === 'unknown') return m;
      if (m.k !== 'map' || k.k !== 'str') return unknown(expr, 'not read');
      return { k: 'bool', v: m.node.entries.some((x) => x.key.value === k.v) };
    }
    case 'printf': {
      if (firstUnknown) return firstUnknown;
      const [fmt, ...rest] = args.map(str);
      if (fmt === undefined || rest.some((r) => r === undefined)) return unknown(expr, 'not read');
      let k = 0;
      let bad = false;
      const out = fmt.replace(/%[sdv%]/g, (m) => {
        if (m === '%%') return '%';
        if (k < rest.length) return rest[k++]!;
        bad = true;
        return '';
      });
      return bad ? unknown(expr, 'not read') : { k: 'str', v: out };
    }
    case 'lower':
    case 'upper':
    case 'trim':
    case 'toString':
    case 'trunc':
    case 'trimSuffix':
    case 'trimPrefix':
    case 'replace': {
      if (firstUnknown) return unknown(expr, firstUnknown.k === 'unknown' ? firstUnknown.why : '');
      const s = last ? str(last) : undefined;
      if (s === undefined) return unknown(expr, 'not read');
      const a = args.slice(0, -1).map(str);
      const r =
        e.fn === 'lower'
          ? s.toLowerCase()
          : e.fn === 'upper'
            ? s.toUpperCase()
            : e.fn === 'trim'
              ? s.trim()
              : e.fn === 'toString'
                ? s
                : e.fn === 'trunc'
                  ? s.slice(0, Number(a[0]))
                  : e.fn === 'trimSuffix'
                    ? s.endsWith(a[0] ?? '') && a[0]
                      ? s.slice(0, s.length - a[0].length)
                      : s
                    : e.fn === 'trimPrefix'
                      ? s.startsWith(a[0] ?? '') && a[0]
                        ? s.slice(a[0].length)
                        : s
                      : s.split(a[0] ?? '').join(a[1] ?? '');
      return { k: 'str', v: r };
    }
    case 'include':
    case 'template': {
      // a named template, not rendered: the same name with the same context gives the same text
      const name = args[0]?.k === 'str' ? args[0].v : '?';
      const arg = e.args[1];
      const argVal = args[1];
      const ctxText = !arg
        ? ''
        : argVal?.k === 'root' || (arg.t === 'field' && arg.path.length === 0 && dot.k === 'root')
          ? '.'
          : argSource(arg);
      return unknown(`include "${name}" ${ctxText}`.trim(), `the named template ${name} is not rendered`);
    }
    default:
      return unknown(expr, `${e.fn.startsWith('(') ? 'an action' : `the function ${e.fn}`} is not read`);
  }
}
