// DDG327: a Dockerfile's legacy `ENV KEY value` form written as if it set several variables
// (`ENV A 1 \` then `B 2` on the next line, or `ENV A B=2`): Docker sets one, A, to all the rest.
import type { Rule } from '../types';
import { dockerfilesToCheck } from '../app-server/topology';

/** "B, C and D". */
function list(names: readonly string[]): string {
  return names.length === 1 ? names[0]! : `${names.slice(0, -1).join(', ')} and ${names[names.length - 1]}`;
}

export const envLegacyOneVariable: Rule = {
  code: 'DDG327',
  name: 'docker-env-legacy-one-variable',
  title: "A Dockerfile's legacy ENV sets one variable where several were meant",
  severity: 'warning',
  group: 'app-server',
  checklist: 'process',
  target: 'process',
  docs: {
    what: "Reports an `ENV` instruction of a production Dockerfile that runs Python written in the legacy form, `ENV KEY value` without `=`, whose value reads as more variables: a continuation line that starts with an upper-case name and a value (`ENV PIP_NO_CACHE_DIR off \\` then `PYTHONUNBUFFERED 1`), or an upper-case `NAME=` word in the value (`ENV ONE TWO= THREE=world`, Docker's own example).",
    why: 'In the legacy form Docker takes the first word as the only name and everything after it, continuation lines included, as its value. The other variables are never set: `PYTHONUNBUFFERED` does not unbuffer the logs, `NODE_ENV` stays unset so a build runs in development mode, pip keeps its cache. The first variable gets a value nobody meant (`false PIP_NO_CACHE_DIR off …`), which the program reading it may take as true. The build shows no error.',
    example: 'ENV POETRY_VIRTUALENVS_CREATE false \\\n    PIP_NO_CACHE_DIR off \\\n    PYTHONUNBUFFERED 1',
    fix: 'Use the `KEY=value` form, which sets every pair (quote a value with spaces), or one `ENV` per variable.',
    good: 'ENV POETRY_VIRTUALENVS_CREATE=false \\\n    PIP_NO_CACHE_DIR=off \\\n    PYTHONUNBUFFERED=1',
    references: [{ title: 'Dockerfile reference: ENV (the alternative syntax)', url: 'https://docs.docker.com/reference/dockerfile/#env' }],
  },
  check(ctx) {
    const seen = new Set<string>();
    for (const d of dockerfilesToCheck(ctx)) {
      for (const stage of d.stages) {
        for (const [name, v] of stage.env) {
          if (!v.swallowed?.length) continue;
          const key = `${v.nameLoc.file}:${v.nameLoc.start}`;
          if (seen.has(key)) continue;
          seen.add(key);
          const shown = v.value.length > 40 ? `${v.value.slice(0, 37).trimEnd()} …` : v.value;
          const verb = v.swallowed.length === 1 ? 'is' : 'are';
          ctx.report({
            loc: v.nameLoc,
            message: `ENV ${name} in the legacy form (no =) sets one variable, ${name}, to the whole rest of the instruction ("${shown}"): ${list(v.swallowed)} ${verb} never set. Write each pair as KEY=value.`,
          });
        }
      }
    }
  },
};
