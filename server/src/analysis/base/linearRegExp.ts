// Patterns the project writes (a CORS_ALLOWED_ORIGIN_REGEXES entry) are run by V8's linear-time
// engine only (the `l` flag, behind --enable-experimental-regexp-engine): a pattern with nested
// quantifiers that would backtrack for seconds on even a short string is run in time linear in it.
// A pattern that engine cannot run (back-references, look-arounds, and in this V8 the i and u
// flags) is not run at all: undefined, and the rule that asked says it cannot tell. The flag is set once, for this process (or worker),
// before the first such pattern is compiled; it changes nothing for patterns without `l`.
import * as v8 from 'node:v8';

let enabled = false;

export function linearRegExp(source: string, flags = ''): RegExp | undefined {
  if (!enabled) {
    v8.setFlagsFromString('--enable-experimental-regexp-engine');
    enabled = true;
  }
  try {
    return new RegExp(source, `${flags.replace(/[^gimsuy]/g, '')}l`);
  } catch {
    return undefined;
  }
}
