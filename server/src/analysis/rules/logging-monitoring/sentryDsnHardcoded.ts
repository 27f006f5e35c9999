// DDH905: the Sentry DSN written in the code (SENTRY_DSN setting, dsn= argument, RAVEN_CONFIG).
import { defaultLookup, isEnvironmentDefault, isSupplied } from '../../models/settings/query';
import * as V from '../../eval/values';
import type { Loc, Value } from '../../eval/values';
import { isWrittenInCode, originNote } from '../helpers';
import type { Fix, Rule, RuleContext } from '../types';
import { kwarg, sentryInits } from './calls';
import { fallbackLink } from '../basis';

export const sentryDsnHardcoded: Rule = {
  code: 'DDH905',
  name: 'sentry-dsn-hardcoded',
  title: 'Sentry DSN in the code',
  severity: 'warning',
  group: 'logging-monitoring',
  checklist: 'error-tracking',
  target: 'settings',
  fixSafety: 'unsafe',
  docs: {
    what: 'The Sentry DSN is written in the production settings: a `SENTRY_DSN` setting, the `dsn` argument of `sentry_sdk.init()` (keyword or first positional), or `RAVEN_CONFIG["dsn"]` (the legacy raven client) — as a literal, built from literals, or as the default of an environment lookup. A word in its place (`NOT_CONFIGURED`), which holds no project key, is not reported. The DSN is never shown in the message.',
    why: "The DSN is the key that lets a client submit events to your Sentry project. Anyone who has it — every clone of the repository — can flood the project with fake errors (using up the quota and hiding real ones) or send misleading ones. Written in code it cannot differ between environments, so development and staging errors land in the production project, and it cannot be rotated without a commit. Sentry does not treat a DSN as a password (browser SDKs have to publish theirs), hence a warning rather than an error; but a server's DSN has no reason to be public.",
    example: 'sentry_sdk.init(dsn="https://0123abcd@o123.ingest.sentry.io/456", traces_sample_rate=0.1)',
    fix: 'Read the DSN from the environment, and leave it unset where Sentry should stay off (the SDK does nothing without a DSN). Rotate the key in the Sentry project settings if the repository is not private. The quick fix rewrites the value to a required `SENTRY_DSN` lookup in the style the project uses (or drops a written fallback), and can add the name to `.env.example`; it is unsafe because the deployment must then provide the variable.',
    good: 'sentry_sdk.init(dsn=os.environ.get("SENTRY_DSN"), traces_sample_rate=0.1)',
    references: [
      { title: 'Sentry: Data Source Name (DSN)', url: 'https://docs.sentry.io/concepts/key-terms/dsn-explainer/' },
      { title: 'Sentry for Python: options (dsn)', url: 'https://docs.sentry.io/platforms/python/configuration/options/#dsn' },
    ],
  },
  check(ctx) {
    const seen = new Set<string>();
    const candidates: { value: Value; loc: Loc; where: string }[] = [];
    const s = ctx.settings.get('SENTRY_DSN');
    if (s.isSet) candidates.push({ value: s.value, loc: s.loc, where: 'SENTRY_DSN' });
    const raven = ctx.settings.get('RAVEN_CONFIG');
    if (raven.isSet && raven.value.kind === 'dict') {
      const dsn = V.dictGetStr(raven.value, 'dsn');
      if (dsn) candidates.push({ value: dsn, loc: ctx.settings.locOf(dsn) ?? raven.loc, where: 'RAVEN_CONFIG["dsn"]' });
    }
    for (const c of sentryInits(ctx)) {
      const k = kwarg(ctx, c, 'dsn');
      const first = c.args[0];
      if (k) candidates.push({ value: k.value, loc: k.loc, where: 'The dsn of sentry_sdk.init()' });
      else if (first)
        candidates.push({ value: first, loc: ctx.settings.locOf(first) ?? c.loc, where: 'The DSN passed to sentry_sdk.init()' });
    }
    if (candidates.length === 0) return ctx.notApplicable('no Sentry DSN is configured in the settings');
    for (const cand of candidates) {
      const v = cand.value;
      if (v.kind === 'unknown') {
        if (!isSupplied(v)) ctx.unknown(`${cand.where} is not known statically`, cand.loc);
        continue;
      }
      if (v.kind !== 'str' || v.v.trim() === '') continue;
      // a DSN is a URL with the project's key as its user ("https://<key>@o1.ingest.sentry.io/2"):
      // a word in its place ("NOT_CONFIGURED", "disabled") is a marker, with no key to move or rotate
      if (!/^[a-z][a-z0-9+.-]*:\/\/[^@\s/]+@/i.test(v.v.trim())) continue;
      if (!isWrittenInCode(v) && !isEnvironmentDefault(v)) continue;
      const where = ctx.settings.locOf(v) ?? cand.loc;
      const key = `${where.file}:${where.start}`;
      if (seen.has(key)) continue;
      seen.add(key);
      const lookup = defaultLookup(v);
      ctx.report({
        loc: where,
        // a fallback: the claim is the written DSN itself
        ...(lookup ? { basis: [fallbackLink(ctx, lookup)] } : {}),
        fixes: dsnFixes(ctx, v, where),
        message: `${cand.where} is written in the code${originNote(v)}: read the Sentry DSN from the environment (e.g. SENTRY_DSN) so that it can differ per environment and be rotated.`,
      });
    }
  },
};

/**
 * A written DSN becomes a required `SENTRY_DSN` lookup; a written fallback of a lookup is dropped,
 * making the lookup required. Production keeps reporting to Sentry, as the code intended, once the
 * deployment provides the variable: unsafe, as the title says.
 */
function dsnFixes(ctx: RuleContext, v: Value, where: Loc): Fix[] {
  const lookup = defaultLookup(v);
  const name = lookup?.name ?? 'SENTRY_DSN';
  const fix = lookup
    ? ctx.fixer.requireEnvironment(lookup.loc, `Drop the written DSN fallback (requires ${name} in the environment)`)
    : ctx.fixer.exprToEnvironment(where, name, 'secret', {
        title: `Read the Sentry DSN from the environment (requires ${name} in the environment)`,
      });
  return fix ? [fix, ctx.fixer.envExample(name)].filter((f): f is Fix => f !== undefined) : [];
}
