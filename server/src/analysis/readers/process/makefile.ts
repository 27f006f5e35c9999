// A Makefile's recipes, for the process commands that run `make <target>` (a Procfile's
// `web: make serve`, a Dockerfile's `CMD ["make", "run"]`): the recipe lines of a target, each the
// text make hands to the shell (the leading tab and the `@`, `-` and `+` prefixes removed, a line
// continued with a backslash kept whole). Make's own variables (`$(PORT)`, `${DJANGO_ENV}`) reach the
// shell reader as command substitutions or expansions: dynamic, never guessed. Pattern rules,
// conditionals (`ifeq`) and includes are not followed; a target defined twice keeps the recipe make
// runs (the last one with a recipe).
import { MappedText } from '../text';

/** A rule line `a b: deps`: its targets and where its colon is (undefined for an assignment `A := b`, `A ?= b`, `A = b`). */
function ruleLine(line: string): { targets: string[]; colon: number } | undefined {
  const colon = line.indexOf(':');
  const eq = line.indexOf('=');
  if (colon <= 0 || (eq >= 0 && eq < colon) || line[colon + 1] === '=') return undefined;
  return {
    targets: line
      .slice(0, colon)
      .trim()
      .split(/[ \t]+/),
    colon,
  };
}

/** The recipe of `target` in a Makefile's text (undefined when the file does not define it), as mapped lines. */
export function makeRecipe(file: string, text: string, target: string): MappedText[] | undefined {
  return makeRule(file, text, target)?.recipe;
}

/** A target's rule: its prerequisites (of every rule line naming it; make runs them first) and its recipe. */
export function makeRule(file: string, text: string, target: string): { prerequisites: string[]; recipe: MappedText[] } | undefined {
  const prerequisites: string[] = [];
  let seen = false;
  let found: MappedText[] | undefined;
  let current: MappedText[] | undefined;
  let pos = 0;
  while (pos < text.length) {
    // a logical line: physical lines joined while they end with a backslash
    let end = text.indexOf('\n', pos);
    if (end < 0) end = text.length;
    while (end < text.length && end > pos && text[end - 1] === '\\') {
      const next = text.indexOf('\n', end + 1);
      end = next < 0 ? text.length : next;
    }
    const lineStart = pos;
    pos = end + 1;
    const line = text.slice(lineStart, end);
    if (line.startsWith('\t')) {
      if (!current) continue;
      let s = lineStart + 1;
      while (s < end && (text[s] === '@' || text[s] === '-' || text[s] === '+' || text[s] === ' ')) s++;
      let e = end;
      if (e > s && text[e - 1] === '\r') e--;
      if (e > s && text[s] !== '#') {
        current.push(MappedText.slice(file, text, s, e));
        found = current;
      }
      continue;
    }
    if (line.trim() === '' || line.trimStart().startsWith('#')) continue;
    current = undefined;
    const rule = ruleLine(line);
    if (!rule || !rule.targets.includes(target)) continue;
    const colon = rule.colon;
    seen = true;
    const semi = line.indexOf(';', colon);
    for (const p of line
      .slice(colon + 1, semi > 0 ? semi : undefined)
      .split('|')[0]!
      .trim()
      .split(/[ \t]+/))
      if (p && !prerequisites.includes(p)) prerequisites.push(p);
    // a rule line without a recipe adds prerequisites and keeps the recipe found before
    current = [];
    // `serve: ; gunicorn …` (a recipe on the rule line)
    if (semi > 0) {
      current.push(MappedText.slice(file, text, lineStart + semi + 1, end));
      found = current;
    }
  }
  return seen ? { prerequisites, recipe: found ?? [] } : undefined;
}

/** The first target of a Makefile (what a bare `make` runs), skipping special targets (`.PHONY`). */
export function defaultTarget(text: string): string | undefined {
  for (const line of text.split('\n')) {
    if (line.startsWith('\t') || line.trimStart().startsWith('#')) continue;
    const first = ruleLine(line)?.targets[0];
    if (first && !first.startsWith('.') && !first.includes('%')) return first;
  }
  return undefined;
}
