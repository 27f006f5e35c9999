// DDH108: DEBUG read from the environment with a default that turns it on (fails open).
import { isEnvironmentDefault } from '../../models/settings/query';
import * as V from '../../eval/values';
import type { Loc, Value } from '../../eval/values';
import { toEnvironmentFix } from '../fixes/stringEdits';
import type { SettingValue } from '../settings';
import type { BasisLink, Fix, Rule, RuleContext } from '../types';
import { isProjectHelper, lookupCall, within } from './lookups';
import { placeOf } from '../helpers';
import { fallbackLink } from '../basis';

/** The false spelling of a true one, keeping its case: "True" → "False", "yes" → "no", "1" → "0". */
const FALSE_OF: Record<string, string> = { true: 'false', yes: 'no', on: 'off', y: 'n', t: 'f', '1': '0' };

function sameCase(word: string, like: string): string {
  if (like === like.toUpperCase() && like !== like.toLowerCase()) return word.toUpperCase();
  if (like[0] === like[0]!.toUpperCase() && like[0] !== like[0]!.toLowerCase()) return word[0]!.toUpperCase() + word.slice(1);
  return word;
}

/** Python source for the false counterpart of a written default, or undefined when there is none. */
export function falseCounterpart(source: string): string | undefined {
  if (source === 'True') return 'False';
  if (/^[1-9]\d*$/.test(source)) return '0';
  const m = /^([rRuU]?)(["'])([^"'\\]*)\2$/.exec(source);
  if (!m) return undefined;
  const flipped = FALSE_OF[m[3]!.toLowerCase()];
  return flipped === undefined ? undefined : `${m[1]}${m[2]}${sameCase(flipped, m[3]!)}${m[2]}`;
}

/** Strings that read as "off" to a person but are true to Python: the string-default pitfall. */
const FALSE_LOOKING = /^(false|no|off|n|f|0|none|)$/i;

export const debugEnvDefault: Rule = {
  code: 'DDH108',
  name: 'debug-env-default-true',
  title: 'DEBUG is on unless the environment turns it off',
  severity: 'warning',
  group: 'settings-secrets',
  checklist: 'debug-off',
  // with the variable unset (Django's check runs under the defaults) DEBUG is on: security.W018
  django: ['security.W018'],
  target: 'settings',
  fixSafety: 'unsafe',
  docs: {
    what: 'Flags a production `DEBUG` read from the environment whose default turns it on: `os.environ.get("DEBUG", "True") == "True"`, `env.bool("DEBUG", default=True)`, `config("DEBUG", default=True, cast=bool)`. Also flags defaults that look false but are not: django-environ returns a default as written, without casting it, so `env.bool("DEBUG", default="False")` gives the string `"False"`, which is true; so does `os.environ.get("DEBUG", "False")` used as it is. The finding lands on the default. A deployment file that sets the variable (a compose env file, the .env made from a committed template, a manifest) does not silence it: the written default still runs wherever a deployment forgets the variable (another environment, the file changed), so it is reported saying who sets it here (the default is kept beside the deployment\'s value, through comparisons and lower()/upper()).',
    why: 'Such a setting fails open: any deployment that forgets the variable (a new host, a renamed variable, a cron container started without the env file) runs with DEBUG on and shows tracebacks, settings and SQL to whoever triggers an error. A default should be the safe value, and development should be the one that opts in.',
    example: 'DEBUG = os.environ.get("DJANGO_DEBUG", "True") == "True"',
    fix: 'Make the default false and set the variable in development (e.g. in its `.env`). The quick fix turns the default into its false counterpart (`True` → `False`, `"true"` → `"false"`, `"1"` → `"0"`; a string default of django-environ into the boolean `False`), or, when the expression cannot simply be flipped, rewrites DEBUG to a boolean lookup with a False default. With a helper of the project (`envbool("DEBUG", "True")`) it flips the default argument when the helper is a plain `(name, default)` function that hands the default to the lookup, and offers nothing otherwise: rewriting the call would drop the helper\'s own parsing. It is unsafe: development without the variable loses DEBUG.',
    good: 'DEBUG = os.environ.get("DJANGO_DEBUG", "False") == "True"',
    references: [
      { title: 'Django: DEBUG', url: 'https://docs.djangoproject.com/en/stable/ref/settings/#debug' },
      { title: 'django-environ: Env.bool and defaults', url: 'https://django-environ.readthedocs.io/en/latest/api.html#environ.Env.bool' },
      { title: 'python-decouple: casting', url: 'https://github.com/HBNetwork/python-decouple#usage' },
    ],
  },
  check(ctx) {
    const q = ctx.settings.query('DEBUG');
    if (q.state === 'supplied' || q.state === 'unknown') return ctx.undecided(q);
    const s = q.setting;
    // the deployment sets the variable (compose's env file, a manifest): the default the code writes
    // still runs wherever a deployment forgets it, a fail-open default all the same
    const given = !isEnvironmentDefault(q.value) && q.value.writtenDefault ? q.value : undefined;
    const v = given?.writtenDefault ?? q.value;
    if (!isEnvironmentDefault(v)) return ctx.notApplicable('DEBUG is not read from the environment with a default (see DDH107)');
    if (V.truthy(v) !== true) return;
    const env = v.env?.[0];
    if (!env) return;
    const setBy = given ? deploymentSetter(ctx, given) : undefined;
    const call = lookupCall(ctx, env);
    // the default the lookup is given, else (django-environ's Env(DEBUG=(bool, True)) scheme) the value's own
    const valueLoc = ctx.settings.locOf(v);
    const defaultLoc =
      ctx.settings.locOf(V.none('derived', call?.defaultArg)) ?? (valueLoc && !within(env.loc, valueLoc) ? valueLoc : undefined);
    const pitfall = v.kind === 'str' && FALSE_LOOKING.test(v.v.trim());
    const message = pitfall
      ? `DEBUG is the string ${V.repr(v)} when the environment variable ${env.name} is not set, and every non-empty string is true: DEBUG is on; use the boolean False as the default.`
      : `DEBUG is on when the environment variable ${env.name} is not set${setBy ? ` (${setBy} sets it; another deployment, or this one's file changed, may not)` : ''}: make the default False so that a deployment that forgets the variable does not run with DEBUG.`;
    ctx.report({
      loc: defaultLoc ?? s.loc,
      severity: pitfall ? 'error' : 'warning',
      // the claim is the written default itself (it fails open): certain unless the deployment sets the variable
      basis: given ? [givenLink(env.name, setBy)] : [fallbackLink(ctx, env)],
      message,
      fixes: debugDefaultFixes(ctx, s, v, env.name, call?.callee, defaultLoc),
    });
  },
};

/** Where the deployment sets the variable a value came from: "compose.prod.yml:12", "the .env made from .env.prod.example". */
function deploymentSetter(ctx: RuleContext, given: Value): string | undefined {
  const ref = given.env?.find((e) => e.style === 'deployment');
  if (!ref) return 'the deployment';
  if (ref.template) return ref.template;
  return ref.loc.file ? placeOf(ctx, ref.loc) : 'the deployment';
}

/** The claim is the written default itself: certain of the code; the deployment seen here sets the variable, said by the message. */
function givenLink(variable: string, setBy: string | undefined): BasisLink {
  return {
    kind: 'value',
    subject: variable,
    state: 'known',
    how: `the default written in the settings turns DEBUG on wherever ${variable} is missing${setBy ? `; ${setBy} sets it here` : ''}`,
  };
}

function debugDefaultFixes(
  ctx: RuleContext,
  s: SettingValue,
  v: Value,
  varName: string,
  callee: string | undefined,
  defaultLoc: Loc | undefined,
): Fix[] {
  const title = `Make DEBUG default to False when ${varName} is not set (development must then set it)`;
  const source = defaultLoc ? ctx.textAt(defaultLoc) : undefined;
  if (defaultLoc && source !== undefined) {
    if (v.kind === 'str') {
      // env.bool() returns a string default as it is: the boolean is what was meant; any other
      // string stays true whatever it says, so only a rewrite to a boolean lookup helps
      if (callee !== undefined && /\.bool$/.test(callee) && v.env?.[0]?.style === 'environ')
        return [ctx.fixer.replace(defaultLoc, 'False', title, 'unsafe')];
    } else {
      const flipped = falseCounterpart(source);
      if (flipped !== undefined) return [ctx.fixer.replace(defaultLoc, flipped, title, 'unsafe')];
    }
  }
  // DEBUG's own statement reads the variable: rewrite it to a boolean lookup — unless it reads it
  // through a helper of the project, whose parsing of the value the rewrite would silently replace
  const rhs = s.binding?.stmt;
  const env = v.env?.[0];
  if (env && within(env.loc, rhs) && !isProjectHelper(ctx, callee)) {
    const fix = toEnvironmentFix(ctx, s, 'bool');
    if (fix) return [fix];
  }
  return [];
}
