// The values a Helm template works on, as Helm reads them: a values file's nodes (YAML 1.1 through
// go-yaml: yes/no are booleans), Go's truth, unknown values and their placeholders, how a value is
// printed or written as YAML (each piece placed in the file it comes from), and nindent/indent.
import type { YamlNode, YamlScalar } from '../../yaml';
import type { Expr } from './syntax';

/** The character an unknown value's placeholder starts with (and ⟩ ends it). */
export const UNKNOWN_OPEN = '\u27e8';
export const UNKNOWN_CLOSE = '\u27e9';

/** A piece of rendered text and where it comes from. */
export interface Piece {
  readonly text: string;
  /** Where the text is written: `copy` when each character is the file's own at src.start + i. */
  readonly src?: { readonly file: string; readonly start: number; readonly end: number; readonly copy: boolean };
  /** Why the text is written only maybe (a condition of a named template the values do not decide); undefined when certain. */
  readonly maybe?: string;
}

/** The values a template is rendered with: a lookup of a path under `.Values`. */
// ---- values -------------------------------------------------------------------------------------

export type Val =
  | { readonly k: 'nil' }
  | { readonly k: 'bool'; readonly v: boolean; readonly node?: YamlScalar }
  | { readonly k: 'num'; readonly v: number; readonly text: string; readonly node?: YamlScalar }
  | { readonly k: 'str'; readonly v: string; readonly pieces?: readonly Piece[]; readonly node?: YamlScalar }
  | { readonly k: 'map'; readonly node: YamlNode & { kind: 'map' } }
  | { readonly k: 'seq'; readonly node: YamlNode & { kind: 'seq' } }
  /** The root context (`.` at the top, `$`). */
  | { readonly k: 'root' }
  | { readonly k: 'unknown'; readonly expr: string; readonly why: string };

const YAML_TRUE = new Set(['true', 'True', 'TRUE', 'yes', 'Yes', 'YES', 'on', 'On', 'ON', 'y', 'Y']);
const YAML_FALSE = new Set(['false', 'False', 'FALSE', 'no', 'No', 'NO', 'off', 'Off', 'OFF', 'n', 'N']);

/** A values file's node as Helm reads it (YAML 1.1 through go-yaml: yes/no are booleans). */
export function fromNode(n: YamlNode | undefined): Val {
  if (!n) return { k: 'nil' };
  if (n.kind === 'map') return { k: 'map', node: n };
  if (n.kind === 'seq') return { k: 'seq', node: n };
  if (n.style !== 'plain') return { k: 'str', v: n.value, node: n };
  const v = n.value;
  if (v === 'null' || v === 'Null' || v === 'NULL' || v === '~') return { k: 'nil' };
  if (YAML_TRUE.has(v)) return { k: 'bool', v: true, node: n };
  if (YAML_FALSE.has(v)) return { k: 'bool', v: false, node: n };
  if (/^[-+]?(0|[1-9][0-9]{0,15})(\.[0-9]{1,16})?$/.test(v)) return { k: 'num', v: Number(v), text: v, node: n };
  return { k: 'str', v, node: n };
}

/** Go's truth of a value; undefined when unknown. */
export function truth(v: Val): boolean | undefined {
  switch (v.k) {
    case 'nil':
      return false;
    case 'bool':
      return v.v;
    case 'num':
      return v.v !== 0;
    case 'str':
      return v.v !== '';
    case 'map':
      return v.node.entries.length > 0;
    case 'seq':
      return v.node.items.length > 0;
    case 'root':
      return true;
    default:
      return undefined;
  }
}

export function unknown(expr: string, why: string): Val {
  return { k: 'unknown', expr, why };
}

/** The placeholder of an unknown expression: its characters a YAML plain scalar keeps as they are. */
export function placeholder(expr: string): string {
  let s = '';
  for (const c of expr.trim()) s += /[A-Za-z0-9._$/-]/.test(c) ? c : '_';
  return `${UNKNOWN_OPEN}${s.replace(/_+/g, '_')}${UNKNOWN_CLOSE}`;
}

export function printed(v: Val): string | undefined {
  switch (v.k) {
    case 'nil':
      return '';
    case 'bool':
      return v.v ? 'true' : 'false';
    case 'num':
      return v.text;
    case 'str':
      return v.v;
    default:
      return undefined;
  }
}

export function exprSource(e: Expr): string {
  switch (e.t) {
    case 'field':
      return `${e.base === '.' ? '' : e.base}${e.path.length > 0 ? '.' : e.base === '.' ? '.' : ''}${e.path.join('.')}`;
    case 'str':
      return JSON.stringify(e.v);
    case 'num':
      return e.text;
    case 'bool':
      return String(e.v);
    case 'nil':
      return 'nil';
    case 'call':
      return [e.fn, ...e.args.map(argSource)].join(' ');
    case 'pipe':
      return e.cmds.map(exprSource).join(' | ');
  }
}

export function argSource(e: Expr): string {
  return e.t === 'pipe' || (e.t === 'call' && e.args.length > 0) ? `(${exprSource(e)})` : exprSource(e);
}

export function str(v: Val): string | undefined {
  if (v.k === 'str') return v.v;
  return printed(v);
}

/** `nindent`/`indent`: each line indented by n (and a line break first for nindent). */
export function indentPieces(pieces: readonly Piece[], n: number, newline: boolean): Piece[] {
  const pad = ' '.repeat(n);
  const out: Piece[] = newline ? [{ text: '\n' }, { text: pad }] : [{ text: pad }];
  for (const p of pieces) {
    let from = 0;
    for (let i = p.text.indexOf('\n'); i >= 0; i = p.text.indexOf('\n', i + 1)) {
      out.push(slicePiece(p, from, i + 1));
      out.push({ text: pad });
      from = i + 1;
    }
    if (from < p.text.length) out.push(slicePiece(p, from, p.text.length));
  }
  return out;
}

export function slicePiece(p: Piece, a: number, b: number): Piece {
  const maybe = p.maybe ? { maybe: p.maybe } : {};
  if (!p.src) return { text: p.text.slice(a, b), ...maybe };
  if (!p.src.copy) return { text: p.text.slice(a, b), src: p.src, ...maybe };
  return { text: p.text.slice(a, b), src: { ...p.src, start: p.src.start + a, end: p.src.start + b }, ...maybe };
}

// ---- toYaml -------------------------------------------------------------------------------------

/** A value written as YAML (each scalar placed in the values file), without a final line break (Helm trims it). */
export function toYaml(v: Val): Piece[] | undefined {
  const out: Piece[] = [];
  const node = v.k === 'map' || v.k === 'seq' ? v.node : 'node' in v ? v.node : undefined;
  if (v.k === 'nil') return [{ text: 'null' }];
  if (!node) {
    const s = printed(v);
    return s === undefined ? undefined : [{ text: v.k === 'str' ? yamlString(s) : s }];
  }
  writeNode(out, node, 0, true);
  while (out.length > 0 && out[out.length - 1]!.text === '\n') out.pop();
  return out;
}

function scalarPiece(s: YamlScalar): Piece {
  const v = fromNode(s);
  const text = v.k === 'str' ? yamlString(v.v) : v.k === 'nil' ? 'null' : (printed(v) ?? yamlString(s.value));
  return { text, src: { file: s.loc.file, start: s.loc.start, end: s.loc.end, copy: false } };
}

function keyPiece(k: YamlScalar): Piece {
  return { text: yamlString(k.value), src: { file: k.loc.file, start: k.loc.start, end: k.loc.end, copy: false } };
}

/** Writes a node at `indent`; `inline`: its first line follows a `- ` already written. */
function writeNode(out: Piece[], n: YamlNode, indent: number, inline = false): void {
  const pad = ' '.repeat(indent);
  const lead = (i: number): void => {
    if (!(inline && i === 0)) out.push({ text: pad });
  };
  if (n.kind === 'scalar') {
    out.push(scalarPiece(n), { text: '\n' });
    return;
  }
  if (n.kind === 'map') {
    if (n.entries.length === 0) {
      out.push({ text: '{}\n' });
      return;
    }
    n.entries.forEach((e, i) => {
      lead(i);
      out.push(keyPiece(e.key), { text: ':' });
      const v = e.value;
      if (!v) out.push({ text: ' null\n' });
      else if (v.kind === 'scalar') out.push({ text: ' ' }, scalarPiece(v), { text: '\n' });
      else if ((v.kind === 'map' && v.entries.length === 0) || (v.kind === 'seq' && v.items.length === 0))
        out.push({ text: v.kind === 'map' ? ' {}\n' : ' []\n' });
      else {
        out.push({ text: '\n' });
        writeNode(out, v, v.kind === 'seq' ? indent : indent + 2);
      }
    });
    return;
  }
  if (n.items.length === 0) {
    out.push({ text: '[]\n' });
    return;
  }
  n.items.forEach((item, i) => {
    lead(i);
    out.push({ text: '- ' });
    if (item.kind === 'scalar') out.push(scalarPiece(item), { text: '\n' });
    else writeNode(out, item, indent + 2, true);
  });
}

/** A string as a YAML scalar that reads back as the same string. */
export function yamlString(s: string): string {
  if (
    s !== '' &&
    /^[A-Za-z0-9_./][A-Za-z0-9_./ -]*$/.test(s) &&
    !s.endsWith(' ') &&
    !YAML_TRUE.has(s) &&
    !YAML_FALSE.has(s) &&
    !/^(null|~|[-+]?[0-9][0-9.eE+-]*)$/i.test(s)
  )
    return s;
  return JSON.stringify(s);
}

export function unknownWhy(v: Val): string {
  return v.k === 'unknown' ? v.why : 'not known';
}
