// DDH904: Sentry traces every request (traces_sample_rate 1.0).
import { isSupplied } from '../../models/settings/query';
import { SENTRY_INIT } from '../../catalogue/libraries';
import * as V from '../../eval/values';
import { originNote } from '../helpers';
import type { Rule } from '../types';
import { kwarg, sentryInits } from './calls';

export const sentryTracesFull: Rule = {
  code: 'DDH904',
  name: 'sentry-traces-full',
  title: 'Sentry traces every request',
  severity: 'information',
  group: 'logging-monitoring',
  checklist: 'error-tracking',
  explainable: true,
  target: 'settings',
  fixSafety: 'safe',
  docs: {
    what: 'A `sentry_sdk.init()` call in the production settings sets `traces_sample_rate` to 1.0 (or more), also as the default of an environment lookup, or sets `enable_tracing=True` without a rate or a `traces_sampler` (which the SDK treats as 1.0). A call that a later one surely replaces (each `init()` makes a new client with its own options: a production module calling it again after the base it imports) is not read; one followed only by a conditional call still is.',
    why: "Every request and its database queries, cache and HTTP calls become a performance transaction sent to Sentry. That adds overhead to each request, and on a busy site the plan's span quota runs out in days: a larger bill, or transactions dropped for the rest of the period. The value comes from Sentry's quick-start snippet, which is meant for trying things out.",
    example: 'sentry_sdk.init(dsn=os.environ["SENTRY_DSN"], traces_sample_rate=1.0)',
    fix: 'Sample a fraction that gives enough data for your traffic (0.05–0.2 is common), or use a `traces_sampler` function to keep more of the endpoints you care about and none of the health checks. The quick fix sets 0.1; it is safe.',
    good: 'sentry_sdk.init(dsn=os.environ["SENTRY_DSN"], traces_sample_rate=float(os.environ.get("SENTRY_TRACES_SAMPLE_RATE", "0.1")))',
    references: [
      { title: 'Sentry for Python: sampling', url: 'https://docs.sentry.io/platforms/python/configuration/sampling/' },
      {
        title: 'Sentry for Python: options (traces_sample_rate)',
        url: 'https://docs.sentry.io/platforms/python/configuration/options/#traces-sample-rate',
      },
    ],
  },
  check(ctx) {
    const inits = sentryInits(ctx);
    if (inits.length === 0) return ctx.notApplicable('the settings do not call sentry_sdk.init()');
    for (const c of inits) {
      const rate = kwarg(ctx, c, SENTRY_INIT.tracesSampleRate.knob);
      if (rate) {
        const n = V.numeric(rate.value);
        if (n === undefined) {
          if (rate.value.kind === 'unknown' && !isSupplied(rate.value)) ctx.unknown('traces_sample_rate is not known statically', rate.loc);
          continue;
        }
        if (n < 1) continue;
        const written = ctx.textAt(rate.loc) ?? '';
        const replacement = /^\d+(\.\d*)?$/.test(written)
          ? '0.1'
          : /^("|')\d+(\.\d*)?\1$/.test(written)
            ? `${written[0]}0.1${written[0]}`
            : undefined;
        ctx.report({
          loc: rate.loc,
          fixes: replacement ? [ctx.fixer.replace(rate.loc, replacement, 'Set traces_sample_rate to 0.1', 'safe')] : [],
          message: `sentry_sdk.init() sets traces_sample_rate=${V.repr(rate.value)}${originNote(rate.value)}: every request is traced, adding overhead and using up the span quota; sample a fraction such as 0.1.`,
        });
        continue;
      }
      const tracing = kwarg(ctx, c, SENTRY_INIT.enableTracing.knob);
      if (!tracing || c.kwargs.has(SENTRY_INIT.samplerKnob.value) || V.truthy(tracing.value) !== true) continue;
      const fix = ctx.fixer.callKeywords(c.loc, [['traces_sample_rate', '0.1']], { title: 'Add traces_sample_rate=0.1', safety: 'safe' });
      ctx.report({
        loc: tracing.loc,
        fixes: fix ? [fix] : [],
        message:
          'sentry_sdk.init() sets enable_tracing=True without traces_sample_rate, which traces every request: set traces_sample_rate to a fraction such as 0.1.',
      });
    }
  },
};
