// DDH903: sentry_sdk.init(send_default_pii=True).
import { isSupplied } from '../../models/settings/query';
import { SENTRY_INIT } from '../../catalogue/libraries';
import * as V from '../../eval/values';
import { originNote } from '../helpers';
import type { Rule } from '../types';
import { kwarg, sentryInits } from './calls';

export const sentrySendPii: Rule = {
  code: 'DDH903',
  name: 'sentry-send-pii',
  title: 'Sentry sends personal data',
  severity: 'warning',
  group: 'logging-monitoring',
  checklist: 'error-tracking',
  target: 'settings',
  fixSafety: 'safe',
  docs: {
    what: 'A `sentry_sdk.init()` call in the production settings (or a module they import) passes `send_default_pii=True`, also as the default of an environment lookup.',
    why: "With it, the Sentry SDK attaches the logged-in user's id, username and e-mail address, the client IP address, cookies and request bodies to every error and transaction. That is personal data sent to a third party — under the GDPR you need a legal basis and a processing agreement for it — and cookies and request bodies can carry session identifiers and whatever users typed into forms, for everyone with access to the Sentry project to read, unless scrubbing catches it.",
    example: 'sentry_sdk.init(dsn=os.environ["SENTRY_DSN"], send_default_pii=True)',
    fix: 'Leave `send_default_pii` off (its default). If you need to know which user hit an error, set only the user id with `sentry_sdk.set_user({"id": ...})`, and use the SDK\'s `before_send` to strip what you do not need. The quick fix sets it to False; it is safe.',
    good: 'sentry_sdk.init(dsn=os.environ["SENTRY_DSN"], send_default_pii=False)',
    references: [
      {
        title: 'Sentry for Django: options (send_default_pii)',
        url: 'https://docs.sentry.io/platforms/python/configuration/options/#send-default-pii',
      },
      { title: 'Sentry: data collected by the Python SDK', url: 'https://docs.sentry.io/platforms/python/data-collected/' },
    ],
  },
  check(ctx) {
    const inits = sentryInits(ctx);
    if (inits.length === 0) return ctx.notApplicable('the settings do not call sentry_sdk.init()');
    for (const c of inits) {
      const pii = kwarg(ctx, c, SENTRY_INIT.sendDefaultPii.knob);
      if (!pii) continue;
      const on = V.truthy(pii.value);
      if (on === undefined) {
        if (!isSupplied(pii.value)) ctx.unknown('send_default_pii is not known statically', pii.loc);
        continue;
      }
      if (!on) continue;
      ctx.report({
        loc: pii.loc,
        fixes: ctx.textAt(pii.loc) === 'True' ? [ctx.fixer.replace(pii.loc, 'False', 'Set send_default_pii=False', 'safe')] : [],
        message: `sentry_sdk.init() sets send_default_pii=True${originNote(pii.value)}: user e-mails, IP addresses, cookies and request bodies go to Sentry; leave it off and set only a user id.`,
      });
    }
  },
};
