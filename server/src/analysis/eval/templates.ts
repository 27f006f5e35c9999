// Project templates (cookiecutter) read as Python: their template lines (`{% if … %}`) are
// blanked so that the statements around them parse, and template text in strings
// (`{{ cookiecutter.x }}`) is unknown, filled in when the project is generated.
import { PythonDocument } from '../parse/pythonDocument';

/** Template text of a project template (cookiecutter): `{{ cookiecutter.x }}`, `{% if … %}`. */
export const TEMPLATE_TEXT = /\{\{-?\s*cookiecutter\.|\{%-?\s*(?:if|elif|else|endif|for|endfor|raw|endraw|set)\b/;

/** A whole line of template syntax (`{% if cookiecutter.use_celery == "y" %}`, `{%- endif %}`). */
// (to its line's end: ^ and $ see a lone \r, \u2028 or \u2029 as one, and each line start read past it again)
export const TEMPLATE_LINE = /^[ \t]*\{%-?[^\n\r\u2028\u2029]*%\}[ \t]*$/gm;
const TEMPLATE_OPEN = /^\{%-?\s*(?:if|for)\b/;
const TEMPLATE_CLOSE = /^\{%-?\s*(?:endif|endfor)\b/;
// by document and text: an open buffer is one document whose text changes with each keystroke
const untemplated = new WeakMap<PythonDocument, { source: string; doc: PythonDocument; templated: [number, number][] }>();

/**
 * A project template's file (cookiecutter) read as Python: its template lines are blanked (same
 * offsets) so that the statements around them parse; `templated` holds the ranges between an
 * `{% if %}`/`{% for %}` line and its end, whose statements may not be in the generated project.
 */
export function withoutTemplateLines(doc: PythonDocument): { doc: PythonDocument; templated: readonly [number, number][] } {
  if (!doc.text.includes('{%')) return { doc, templated: [] };
  const done = untemplated.get(doc);
  if (done?.source === doc.text) return done;
  const templated: [number, number][] = [];
  const open: number[] = [];
  let any = false;
  const text = doc.text.replace(TEMPLATE_LINE, (line: string, at: number) => {
    any = true;
    const tag = line.trim();
    if (TEMPLATE_OPEN.test(tag)) open.push(at);
    else if (TEMPLATE_CLOSE.test(tag) && open.length > 0) templated.push([open.pop()!, at + line.length]);
    return line.replace(/[^\r\n]/g, ' ');
  });
  const result = any ? { source: doc.text, doc: PythonDocument.parse(text), templated } : { source: doc.text, doc, templated: [] };
  untemplated.set(doc, result);
  return result;
}

export function overlaps(ranges: readonly [number, number][], start: number, end: number): boolean {
  return ranges.some(([a, b]) => start < b && end > a);
}
