// Helm templates: a chart's manifests are YAML only once rendered. A line that holds nothing but
// template actions (`{{- if .Values.x }}`, `{{- end }}`, `{{- toYaml .Values.resources | nindent 12 }}`)
// is not YAML: read as it is, it makes the document unreadable, and `helm create` writes such lines
// into every pod spec. Here they are blanked (replaced by spaces, so that every place in the file
// stays where it is) before the YAML is read, and what they did is kept aside:
//   - the lines between an `if`/`with`/`range` and its `end` are rendered only when the chart's
//     values say so (or as many times as a list holds): what they set is maybe set, never certain;
//   - a line that inserts content (`toYaml`, `include`, `template`, a value) adds YAML the values
//     decide: what it adds is not known.
// Values written with `{{ }}` inside a line stay as they are: the readers take them as template parts,
// unknown (never guessed).

/** A template with its action-only lines blanked. */
export interface HelmTemplate {
  /** The template as written. */
  readonly source: string;
  /** The text with every action-only line replaced by spaces (same length, same line breaks). */
  readonly text: string;
  /** [start, end) offsets of the text between a conditional or loop action and its `end`. */
  readonly conditional: readonly (readonly [number, number])[];
  /** Offsets of the lines that insert content the values decide, with their indentation. */
  readonly inserted: readonly number[];
  readonly insertedIndent: readonly number[];
}

/** The actions of an action-only line, or undefined when the line holds anything else. */
function actionsOf(line: string): string[] | undefined {
  const out: string[] = [];
  let i = 0;
  while (i < line.length) {
    const c = line.charCodeAt(i);
    if (c === 32 || c === 9 || c === 13) {
      i++;
      continue;
    }
    if (!line.startsWith('{{', i)) return undefined;
    const end = line.indexOf('}}', i + 2);
    if (end < 0) return undefined;
    out.push(line.slice(i + 2, end));
    i = end + 2;
  }
  return out.length > 0 ? out : undefined;
}

/** The first word of an action (`- if .Values.x -` → `if`), `/*` for a comment. */
function verbOf(action: string): string {
  let i = 0;
  while (i < action.length && (action[i] === '-' || action[i] === ' ' || action[i] === '\t')) i++;
  if (action.startsWith('/*', i)) return '/*';
  let j = i;
  while (j < action.length && /[A-Za-z]/.test(action[j]!)) j++;
  return action.slice(i, j);
}

/**
 * A value that starts with a template action (`replicas: {{ .Values.replicaCount }}`, `- {{ .Values.arg }}`)
 * reads as a YAML flow mapping, not as the scalar Helm renders: its first brace becomes `~`, so that
 * it reads as a plain scalar the readers know for a template part (isHelmValue).
 */
function plainTemplates(line: string): string {
  let out = line;
  let from = 0;
  for (;;) {
    const i = out.indexOf('{{', from);
    if (i < 0) return out;
    from = i + 2;
    let j = i - 1;
    while (j >= 0 && (out[j] === ' ' || out[j] === '\t')) j--;
    const before = j < 0 ? '' : out[j]!;
    // the start of a value: after `key:`, a sequence's `-`, or alone on its line
    const valueStart =
      (before === ':' && j < i - 1) ||
      (before === '-' && j < i - 1 && (j === 0 || out[j - 1] === ' ' || out[j - 1] === '\t')) ||
      before === '';
    if (valueStart) out = `${out.slice(0, i)}~${out.slice(i + 1)}`;
  }
}

/** Whether a scalar is a template part: it holds `{{`, or a value starting with one (plainTemplates). */
export function isHelmValue(value: string): boolean {
  return value.includes('{{') || value.startsWith('~{');
}

/** A template part as written (`{{ … }}`), for labels and messages. */
export function shownValue(value: string): string {
  return value.startsWith('~{') ? `{${value.slice(1)}` : value;
}

/** The template read as YAML can read it; undefined when `text` holds no template action. */
export function readHelmTemplate(text: string): HelmTemplate | undefined {
  if (!text.includes('{{')) return undefined;
  const out: string[] = [];
  const conditional: [number, number][] = [];
  const inserted: number[] = [];
  const insertedIndent: number[] = [];
  const open: number[] = [];
  let pos = 0;
  while (pos <= text.length) {
    let nl = text.indexOf('\n', pos);
    if (nl < 0) nl = text.length;
    const line = text.slice(pos, nl);
    const actions = line.includes('{{') ? actionsOf(line) : undefined;
    if (actions) {
      out.push(' '.repeat(line.length));
      for (const a of actions) {
        const verb = verbOf(a);
        if (verb === 'if' || verb === 'with' || verb === 'range' || verb === 'define' || verb === 'block') open.push(nl);
        else if (verb === 'end') {
          const start = open.pop();
          if (start !== undefined) conditional.push([start, pos]);
        } else if (verb !== 'else' && verb !== '/*') {
          inserted.push(pos);
          insertedIndent.push(line.length - line.trimStart().length);
        }
      }
    } else out.push(line.includes('{{') ? plainTemplates(line) : line);
    if (nl >= text.length) break;
    pos = nl + 1;
  }
  // an action left open runs to the end of the file
  for (const start of open) conditional.push([start, text.length]);
  return { source: text, text: out.join('\n'), conditional, inserted, insertedIndent };
}

/** Whether an offset lies between a conditional or loop action and its end. */
export function inConditional(h: HelmTemplate | undefined, offset: number): boolean {
  return h?.conditional.some(([a, b]) => offset >= a && offset < b) ?? false;
}

/**
 * Whether a line inserting content the values decide belongs to the block of the key at `key`: after
 * it, indented as deep as the key or deeper, with no other key of its indentation or less in between.
 */
export function insertsUnder(h: HelmTemplate | undefined, key: number): boolean {
  return insertedUnder(h, key).length > 0;
}

/** The starts of the lines inserting content the values decide that belong to the block of the key at `key` (see insertsUnder). */
export function insertedUnder(h: HelmTemplate | undefined, key: number): number[] {
  const out: number[] = [];
  if (!h) return out;
  const lineStart = h.text.lastIndexOf('\n', key - 1) + 1;
  const column = key - lineStart;
  let pos = h.text.indexOf('\n', key);
  while (pos >= 0 && pos < h.text.length) {
    const start = pos + 1;
    let end = h.text.indexOf('\n', start);
    if (end < 0) end = h.text.length;
    const i = h.inserted.indexOf(start);
    // (a list under the key may sit at the key's own column: `env:` then `- name: …`)
    if (i >= 0) {
      if (h.insertedIndent[i]! < column) return out;
      out.push(start);
    } else {
      const line = h.text.slice(start, end);
      const content = line.trim();
      const indent = line.length - line.trimStart().length;
      if (content !== '' && !content.startsWith('#') && (indent < column || (indent === column && !content.startsWith('-')))) return out;
    }
    pos = end < h.text.length ? end : -1;
  }
  return out;
}
