// The maintainer's stated intent (issue 56): a choice the code explains where it is made. Some rules
// report choices a maintainer may make on purpose (HSTS without subdomains, SAMEORIGIN frames, a long
// timeout, a report-only CSP…: Rule.explainable). When such a finding is on a value written in the
// settings and the comment beside it or the comment block just above its statement gives a reason —
// "We don't enforce HSTS on subdomains as anything at subdomains is outside our control",
// "SAMEORIGIN: the editor frames its own pages" — the finding is set aside as explained, as a
// `# noqa` would set it aside, and the checklist says which comment explained it. A label ("# HSTS"),
// a link to the docs, or a comment that says the choice is provisional ("TODO", "for now",
// "temporary") explains nothing. A consequence explains too: "the bundler already hashes the file
// names, so Django does not need the manifest storage (which would break the bundle's imports)". Errors are never set aside this way.
import type { Loc } from '../eval/values';
import type { PyNode } from '../parse/ast';
import type { PythonDocument } from '../parse/pythonDocument';

/** The comment that explains a finding's choice, where it is (its first line), as the reader wrote it. */
export interface Explanation {
  readonly loc: Loc;
  /** The comment's words, without the `#` marks, on one line (at most 200 characters). */
  readonly text: string;
}

/** How many comment lines above a statement are read, at most. */
const MAX_ABOVE = 8;

/** Words that give a reason (not a label): tested on the comment in lower case, URLs removed. */
const REASONS: readonly RegExp[] = [
  /\bbecause\b/,
  /\bsince (?!django\b|v?\d|version\b)/,
  /\bso that\b/,
  /\bin order to\b/,
  /\bon purpose\b/,
  /\bdeliberate(ly)?\b/,
  /\bintentional(ly)?\b/,
  /\bwe (do not|don't|dont|never|want|need|rely|use|allow|serve|embed|frame)\b/,
  /\b(do not|don't) want\b/,
  /\b(is|are) (needed|required)\b/,
  /\b(needed|required) (for|by|to)\b/,
  /\botherwise\b/,
  /\boutside (of )?our control\b/,
  /\bwould break\b|\bbreaks\b/,
  /\bto (allow|let|permit)\b/,
  // a consequence the comment draws ("credentials are not allowed, so any origin may read it")
  /\bso (any|every|all|other) \w+ (may|can)\b/,
  /\b(handled|set|done|sent|added|served|terminated|enforced) (by|at|in) (the |our )?(proxy|reverse proxy|nginx|load balancer|ingress|cdn|caddy|traefik|apache|web server|platform|router|cloudflare|front)\b/,
  // consequence clauses: what another part already does, so that this one is not needed
  // ("the bundler content-hashes file names, so Django doesn't need ManifestStaticFilesStorage
  // (which would hash them twice and break the bundle's imports)")
  /\bso (\w+ ){0,3}(does not|doesn't|do not|don't|need not|needn't|won't|will not|never) needs?\b/,
  /\bwhich would\b/,
  // what the other choice would do ("duplicate schedulers will result in duplicate tasks")
  /\b(will|would) (result in|cause|lead to)\b/,
  /\b(already|itself) (does|do|handles?|takes care|covers|sets|sends|adds|serves|terminates|redirects|compresses|(content-)?hashes|fingerprints|versions|caches|enforces|manages)\b/,
  /\b(handles|takes care of|taken care of|handled by)\b/,
  /\b(not|never|isn't|aren't) (needed|required|necessary)\b/,
  /\bno need (to|for)\b/,
  /\binstead of\b/,
  // what goes wrong with another value ("if the timeout is too low, uploads that would succeed fail";
  // "this needs to allow the total time for reports")
  /\btoo (low|short|small)\b.{0,80}\b(fail|fails|break|breaks|time out|times out|killed|cut off)\b/,
  /\bneeds? to (allow|cover|accommodate|fit)\b/,
];

/** Words that say the choice is provisional or to be changed: such a comment explains nothing. */
const PROVISIONAL = /\b(todo|fixme|xxx|hack|temporar(y|ily)|for now|until|workaround)\b/;

/**
 * Whether a comment's words give a reason for the choice. `without`: the words naming what the rule
 * advises (Rule.explainedWithout); "… without <one of them>" states the trade-off as a choice.
 */
export function givesReason(words: string, without: readonly string[] = []): boolean {
  const text = words
    .toLowerCase()
    .replace(/https?:\/\/\S+/g, ' ')
    .replace(/\u2019/g, "'");
  if (PROVISIONAL.test(text)) return false;
  if (without.some((w) => statesWithout(text, w))) return true;
  return REASONS.some((r) => r.test(text));
}

/** Whether `text` says "without <thing>" (optionally "without the/a/any <thing>"), the thing as whole words. */
function statesWithout(text: string, thing: string): boolean {
  const at = ` ${text.replace(/[^a-z0-9'-]+/g, ' ')} `;
  const t = thing.toLowerCase();
  return [' without ', ' without the ', ' without a ', ' without any '].some((w) => at.includes(`${w}${t} `));
}

/** The innermost simple statement (an assignment, a call) of `doc` that holds `offset`, in file offsets. */
function statementAt(doc: PythonDocument, offset: number): { start: number; end: number } | undefined {
  const chunks = doc.chunks;
  let lo = 0;
  let hi = chunks.length - 1;
  if (hi < 0) return undefined;
  while (lo < hi) {
    const mid = (lo + hi + 1) >> 1;
    if (chunks[mid]!.base <= offset) lo = mid;
    else hi = mid - 1;
  }
  const c = chunks[lo]!;
  const rel = offset - c.base;
  let node: PyNode | undefined = c.node;
  let found: PyNode | undefined;
  while (node) {
    if (rel < node.start || rel >= node.end) break;
    if (node.type === 'expression_statement') found = node;
    node = node.children.find((k) => k.start <= rel && rel < k.end);
  }
  return found ? { start: c.base + found.start, end: c.base + found.end } : undefined;
}

/** Nodes that hold elements: a finding on one of their items may be explained beside that item. */
const CONTAINERS = new Set(['list', 'tuple', 'set', 'dictionary']);

/**
 * Whether the code at `loc` is (within) an element of a list, tuple, set or dict literal of the
 * statement: the node that holds exactly `loc`, or one inside it, has a container among its ancestors.
 */
function inElement(doc: PythonDocument, loc: Loc): boolean {
  const chunks = doc.chunks;
  let lo = 0;
  let hi = chunks.length - 1;
  if (hi < 0) return false;
  while (lo < hi) {
    const mid = (lo + hi + 1) >> 1;
    if (chunks[mid]!.base <= loc.start) lo = mid;
    else hi = mid - 1;
  }
  const c = chunks[lo]!;
  const start = loc.start - c.base;
  const end = loc.end - c.base;
  let node: PyNode | undefined = c.node;
  let container = false;
  while (node) {
    if (start < node.start || end > node.end) break;
    if (node.start === start && node.end === end) return container;
    if (CONTAINERS.has(node.type)) container = true;
    node = node.children.find((k) => k.start <= start && end <= k.end);
  }
  return false;
}

/** The comment part of a line (from a `#` outside a string), if any. */
function commentOf(line: string): string | undefined {
  let quote = '';
  for (let i = 0; i < line.length; i++) {
    const ch = line[i]!;
    if (quote) {
      if (ch === '\\') i++;
      else if (ch === quote) quote = '';
    } else if (ch === '"' || ch === "'") quote = ch;
    else if (ch === '#') return line.slice(i + 1).trim();
  }
  return undefined;
}

/**
 * The comment that explains the choice at `loc` in a settings module: the comment on the finding's
 * own line or on its statement's first line, else the block of comment lines directly above the
 * statement (no blank line between). When `loc` is an element of a list, tuple or dict written on
 * lines of its own inside the statement, the comment after that element and the comment block
 * directly above it (within the statement) are read too. `without`: the words naming what the rule
 * advises (Rule.explainedWithout). Undefined when none gives a reason.
 */
export function explanationAt(doc: PythonDocument, loc: Loc, without: readonly string[] = []): Explanation | undefined {
  const stmt = statementAt(doc, loc.start);
  if (!stmt) return undefined;
  const text = doc.text;
  const starts = doc.lineStarts;
  const lineOf = (offset: number): number => doc.positionAt(offset).line;
  const lineText = (n: number): string => {
    const s = starts[n]!;
    const next = starts[n + 1];
    return text.slice(s, next === undefined ? text.length : next - 1).replace(/\r$/, '');
  };
  const first = lineOf(stmt.start);
  const own = lineOf(loc.start);
  const at = (n: number, start = starts[n]!): Loc => ({ file: loc.file, start, end: start + lineText(n).length });
  // an element of a list, tuple or dict on its own lines (a CSP source, a MIDDLEWARE entry): the
  // comment after it (on its last line) and the comment block just above it, within the statement
  const element = own > first && inElement(doc, loc);
  const last = element ? lineOf(loc.end) : own;
  // beside the value: its own line (and an element's last line), then the statement's first line
  for (const n of new Set([own, last, first])) {
    const c = commentOf(lineText(n));
    if (c && givesReason(c, without)) return { loc: at(n), text: clip(c) };
  }
  if (element) {
    const above = blockAbove(own, first);
    if (above) return above;
  }
  // the block just above the statement
  return blockAbove(first, -1);

  /** The comment lines directly above line `below`, none at or above line `limit`, if they give a reason. */
  function blockAbove(below: number, limit: number): Explanation | undefined {
    const block: string[] = [];
    let top = below;
    for (let n = below - 1; n > limit && n >= 0 && below - n <= MAX_ABOVE; n--) {
      const t = lineText(n).trim();
      if (!t.startsWith('#')) break;
      block.unshift(t.replace(/^#+\s?/, ''));
      top = n;
    }
    if (block.length === 0) return undefined;
    const words = block.join(' ');
    return givesReason(words, without) ? { loc: at(top), text: clip(words) } : undefined;
  }
}

function clip(words: string): string {
  const one = words.replace(/\s+/g, ' ').trim();
  return one.length > 200 ? `${one.slice(0, 199)}…` : one;
}

/** Whether findings in `file` may be explained by a `#` comment beside them (explanationInLines): deployment and process files. */
export function hashCommented(file: string): boolean {
  const base = file.slice(file.lastIndexOf('/') + 1);
  return /^(Procfile|Dockerfile)([.-][\w.-]*)?$/.test(base) || /\.(ya?ml|sh|bash|toml|ini|cfg|conf|env)$/.test(base);
}

/**
 * The comment that explains the choice at `loc` in a deployment or process file whose comments start
 * with `#` (a Procfile, a compose file, a shell script): the comment at the end of the finding's line
 * (a `#` after a blank, outside quotes), else the block of whole-line comments directly above that
 * line (no blank line between, at most MAX_ABOVE lines). Undefined when none gives a reason.
 */
export function explanationInLines(text: string, loc: Loc, without: readonly string[] = []): Explanation | undefined {
  const lineStart = text.lastIndexOf('\n', Math.max(0, loc.start - 1)) + 1;
  const lines: { start: number; text: string }[] = [];
  // the finding's line and up to MAX_ABOVE lines above it
  let end = text.indexOf('\n', loc.start);
  if (end < 0) end = text.length;
  let start = lineStart;
  lines.push({ start, text: text.slice(start, end).replace(/\r$/, '') });
  for (let k = 0; k < MAX_ABOVE && start > 0; k++) {
    const prevEnd = start - 1;
    const prevStart = text.lastIndexOf('\n', prevEnd - 1) + 1;
    lines.push({ start: prevStart, text: text.slice(prevStart, prevEnd).replace(/\r$/, '') });
    start = prevStart;
  }
  const at = (l: { start: number; text: string }): Loc => ({ file: loc.file, start: l.start, end: l.start + l.text.length });
  const own = lines[0]!;
  const trailing = trailingComment(own.text);
  if (trailing && givesReason(trailing, without)) return { loc: at(own), text: clip(trailing) };
  const block: string[] = [];
  let top: { start: number; text: string } | undefined;
  for (const l of lines.slice(1)) {
    const t = l.text.trim();
    if (!t.startsWith('#')) break;
    block.unshift(t.replace(/^#+\s?/, ''));
    top = l;
  }
  if (!top) return undefined;
  const words = block.join(' ');
  return givesReason(words, without) ? { loc: at(top), text: clip(words) } : undefined;
}

/** The comment at the end of a line of a `#`-commented file: from a `#` at its start or after a blank, outside quotes. */
function trailingComment(line: string): string | undefined {
  let quote = '';
  for (let i = 0; i < line.length; i++) {
    const ch = line[i]!;
    if (quote) {
      if (ch === '\\' && quote === '"') i++;
      else if (ch === quote) quote = '';
    } else if (ch === '"' || ch === "'") quote = ch;
    else if (ch === '#' && (i === 0 || line[i - 1] === ' ' || line[i - 1] === '\t')) return line.slice(i + 1).trim();
  }
  return undefined;
}
