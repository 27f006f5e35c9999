// The Caddyfile reader: Caddy's lexer (caddyconfig/caddyfile/lexer.go: words split by spaces,
// "quoted" words with \" escapes, `backquoted` raw words, # comments at a word's start, a \ before
// a line break joining lines) and its parser's shape (parse.go: an optional global options block,
// `(snippet)` definitions, site blocks of addresses, each line inside a block a directive whose
// last word `{` opens a block of its own), read in one pass without regular expressions, with the
// place of every word. `import` of a snippet is expanded; an import of a file or with arguments is
// kept as it is, and what it brings is unknown.
import type { Loc } from '../../eval/values';

export interface CaddyWord {
  readonly text: string;
  readonly loc: Loc;
}

export interface CaddyDirective {
  readonly name: string;
  readonly nameLoc: Loc;
  readonly args: readonly CaddyWord[];
  readonly block?: readonly CaddyDirective[];
}

export interface CaddySite {
  readonly file: string;
  readonly addresses: readonly CaddyWord[];
  readonly directives: readonly CaddyDirective[];
  /** Why some of the site's directives cannot be known (an import the reader cannot expand). */
  readonly opaque?: string;
}

export interface CaddyFile {
  readonly file: string;
  /** The global options block's directives (`{ … }` first in the file). */
  readonly global: readonly CaddyDirective[];
  readonly sites: readonly CaddySite[];
  readonly errors: readonly { readonly message: string; readonly loc: Loc }[];
  /**
   * The environment Caddy adapts this file in, where the deployment shows it (the compose proxy
   * service that mounts it: models/process/passes/proxies.ts): each variable's value, and, when the
   * value is as written unless the deployer changes it, what it is written in (a template).
   */
  readonly env?: ReadonlyMap<string, CaddyEnvValue>;
}

/** A variable of the environment Caddy runs in: its value, and the template it is written in, if one. */
export interface CaddyEnvValue {
  readonly value: string;
  readonly template?: string;
  /**
   * Set, its value not known: the deployment must give it one that is not empty (`DOMAIN: ${DOMAIN:?}`
   * in the compose file that runs Caddy): the compose files that require it ("compose.prod.yml"). `value` is then ''.
   */
  readonly required?: string;
}

/** The values of a Caddyfile's environment that are known (not a required one whose value the deployment gives). */
export function knownCaddyEnv(env: ReadonlyMap<string, CaddyEnvValue> | undefined): Map<string, string> {
  return new Map([...(env ?? [])].flatMap(([k, v]): [string, string][] => (v.required ? [] : [[k, v.value]])));
}

interface Token {
  readonly text: string;
  readonly start: number;
  readonly end: number;
  readonly line: number;
  /** Quoted or backquoted: `{` and `}` in it are words, not braces. */
  readonly quoted: boolean;
}

function lex(text: string): { tokens: Token[]; error?: { message: string; at: number } } {
  const tokens: Token[] = [];
  let line = 1;
  let i = 0;
  while (i < text.length) {
    const ch = text[i]!;
    if (ch === '\n') {
      line++;
      i++;
      continue;
    }
    if (ch === ' ' || ch === '\t' || ch === '\r') {
      i++;
      continue;
    }
    if (ch === '#') {
      while (i < text.length && text[i] !== '\n') i++;
      continue;
    }
    const start = i;
    const startLine = line;
    if (ch === '"' || ch === '`') {
      let value = '';
      i++;
      while (i < text.length && text[i] !== ch) {
        if (ch === '"' && text[i] === '\\' && text[i + 1] === '"') {
          value += '"';
          i += 2;
          continue;
        }
        if (text[i] === '\n') line++;
        value += text[i];
        i++;
      }
      if (i >= text.length) return { tokens, error: { message: 'unterminated quoted word', at: start } };
      i++;
      tokens.push({ text: value, start, end: i, line: startLine, quoted: true });
      continue;
    }
    let value = '';
    while (i < text.length) {
      const c = text[i]!;
      if (c === ' ' || c === '\t' || c === '\r' || c === '\n') break;
      // a backslash before a line break joins the lines
      if (c === '\\' && (text[i + 1] === '\n' || (text[i + 1] === '\r' && text[i + 2] === '\n'))) {
        i += text[i + 1] === '\r' ? 3 : 2;
        line++;
        break;
      }
      value += c;
      i++;
    }
    tokens.push({ text: value, start, end: i, line: startLine, quoted: false });
  }
  return { tokens };
}

/** Reads one Caddyfile. */
export function parseCaddyfile(file: string, text: string): CaddyFile {
  const { tokens, error } = lex(text);
  const errors: { message: string; loc: Loc }[] = [];
  const loc = (t: Token): Loc => ({ file, start: t.start, end: t.end });
  if (error)
    return { file, global: [], sites: [], errors: [{ message: error.message, loc: { file, start: error.at, end: error.at + 1 } }] };
  let pos = 0;
  const isOpen = (t: Token | undefined): boolean => t !== undefined && !t.quoted && t.text === '{';
  const isClose = (t: Token | undefined): boolean => t !== undefined && !t.quoted && t.text === '}';
  const fail = (message: string, t: Token | undefined): undefined => {
    errors.push({ message, loc: t ? loc(t) : { file, start: text.length, end: text.length } });
    return undefined;
  };

  /** Directives until the `}` that closes the block (consumed), or the end of the file at the top. */
  const block = (top: boolean): CaddyDirective[] | undefined => {
    const out: CaddyDirective[] = [];
    while (pos < tokens.length) {
      const head = tokens[pos]!;
      if (isClose(head)) {
        if (top) return fail('unexpected "}"', head);
        pos++;
        return out;
      }
      if (isOpen(head)) return fail('unexpected "{"', head);
      pos++;
      const args: CaddyWord[] = [];
      let inner: CaddyDirective[] | undefined;
      while (pos < tokens.length && tokens[pos]!.line === head.line) {
        const t = tokens[pos]!;
        if (isClose(t)) break;
        if (isOpen(t)) {
          if (tokens[pos + 1] && tokens[pos + 1]!.line === t.line && !isClose(tokens[pos + 1]))
            return fail('a block must open at the end of its line', t);
          pos++;
          inner = block(false);
          if (!inner) return undefined;
          break;
        }
        args.push({ text: t.text, loc: loc(t) });
        pos++;
      }
      out.push({ name: head.text, nameLoc: loc(head), args, block: inner });
    }
    if (!top) return fail('unexpected end of file, expecting "}"', undefined);
    return out;
  };

  let global: CaddyDirective[] = [];
  const snippets = new Map<string, readonly CaddyDirective[]>();
  const sites: { addresses: CaddyWord[]; directives: CaddyDirective[] }[] = [];
  // global options: a `{` alone as the file's first word
  if (isOpen(tokens[0])) {
    pos = 1;
    const g = block(false);
    if (!g) return { file, global: [], sites: [], errors };
    global = g;
  }
  while (pos < tokens.length) {
    const first = tokens[pos]!;
    if (isOpen(first) || isClose(first)) {
      fail(`unexpected "${first.text}"`, first);
      break;
    }
    // addresses: the words of the line (and of following lines while one ends with a comma)
    const addresses: CaddyWord[] = [];
    let line = first.line;
    while (pos < tokens.length && !isOpen(tokens[pos])) {
      const t = tokens[pos]!;
      if (t.line !== line) {
        if (!(addresses.length > 0 && addresses[addresses.length - 1]!.text.endsWith(','))) break;
        line = t.line;
      }
      for (const part of t.text.split(',')) if (part) addresses.push({ text: part, loc: loc(t) });
      pos++;
    }
    if (isOpen(tokens[pos])) {
      pos++;
      const d = block(false);
      if (!d) break;
      if (addresses.length === 1 && addresses[0]!.text.startsWith('(') && addresses[0]!.text.endsWith(')'))
        snippets.set(addresses[0]!.text.slice(1, -1), d);
      else sites.push({ addresses, directives: d });
    } else {
      // a single site without braces: the rest of the file is its directives
      const d = block(true);
      if (!d) break;
      sites.push({ addresses, directives: d });
    }
  }
  if (errors.length > 0) return { file, global, sites: [], errors };
  const expand = (ds: readonly CaddyDirective[], depth: number): { directives: CaddyDirective[]; opaque?: string } => {
    const out: CaddyDirective[] = [];
    let opaque: string | undefined;
    for (const d of ds) {
      if (d.name === 'import' && d.args.length >= 1) {
        const s = snippets.get(d.args[0]!.text);
        if (s && depth < 8) {
          const e = expand(s, depth + 1);
          out.push(...e.directives);
          opaque ??= e.opaque;
          // arguments fill {args[…]} placeholders: what the snippet does with them is not read
          if (d.args.length > 1) opaque ??= `import ${d.args[0]!.text} passes arguments`;
        } else opaque ??= `import ${d.args[0]!.text} is not a snippet of this file`;
        continue;
      }
      if (d.block) {
        const e = expand(d.block, depth);
        out.push({ ...d, block: e.directives });
        opaque ??= e.opaque;
      } else out.push(d);
    }
    return { directives: out, opaque };
  };
  return {
    file,
    global,
    sites: sites.map((s) => {
      const e = expand(s.directives, 0);
      return { file, addresses: s.addresses, directives: e.directives, opaque: e.opaque };
    }),
    errors,
  };
}

/** Every directive of a site, blocks included (handle, route, handle_path…), outermost first. */
export function* walkCaddy(directives: readonly CaddyDirective[]): Generator<CaddyDirective> {
  for (const d of directives) {
    yield d;
    if (d.block) yield* walkCaddy(d.block);
  }
}

/**
 * A site address as Caddy reads it: Caddy replaces `{$VAR}` and `{$VAR:default}` with the
 * environment of the process that adapts the Caddyfile (caddyfile.replaceEnvVars), the default when
 * VAR is not set there. `env` is what the model knows of that environment (nothing, by default): a
 * placeholder with a default reads as its default, one without is unknown (the address is whatever
 * the deployment puts in VAR). The value may name several addresses (`a.com, b.com`).
 */
export function caddyAddresses(
  word: string,
  env: ReadonlyMap<string, string> = new Map(),
): { readonly state: 'known'; readonly addresses: string[] } | { readonly state: 'unknown'; readonly reason: string } {
  // (a template's placeholder, proxy/configs.ts templateAsCaddy: filled in where the file is rendered)
  if (word.includes('{{')) return { state: 'unknown', reason: 'the site address is filled in where the template is rendered' };
  // (a template rendered by envsubst before Caddy reads it, `${WEBSERVER} {`: the variable's value, not known here)
  const substituted = /\$\{([A-Za-z_]\w*)\}/.exec(word);
  if (substituted)
    return {
      state: 'unknown',
      reason: `the site address ${word} is filled in from the environment variable ${substituted[1]} where the template is rendered`,
    };
  let out = '';
  let i = 0;
  while (i < word.length) {
    const at = word.indexOf('{$', i);
    if (at < 0) {
      out += word.slice(i);
      break;
    }
    const end = word.indexOf('}', at);
    if (end < 0) {
      out += word.slice(i);
      break;
    }
    const inner = word.slice(at + 2, end);
    const colon = inner.indexOf(':');
    const name = colon < 0 ? inner : inner.slice(0, colon);
    const value = env.get(name) ?? (colon < 0 ? undefined : inner.slice(colon + 1));
    if (value === undefined) return { state: 'unknown', reason: `the site address ${word} is read from the environment variable ${name}` };
    out += word.slice(i, at) + value;
    i = end + 1;
  }
  return { state: 'known', addresses: out.split(/[\s,]+/).filter((a) => a !== '') };
}
