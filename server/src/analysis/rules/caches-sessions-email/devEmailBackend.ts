// DDH803: a development e-mail backend in production (EMAIL_BACKEND; Django 6.1's MAILERS, mail.E001).
import { SMTP_BACKEND } from '../../models/settings/mail';
import { decidable, isSupplied } from '../../models/settings/query';
import { fallbackNote, variablesText } from '../../models/settings/fallback';
import { NON_PRODUCTION_EMAIL_BACKENDS } from '../../catalogue/djangoChecks';
import * as V from '../../eval/values';
import type { Loc, Value } from '../../eval/values';
import { atLeast } from '../../models/project/version';
import { fallbackBasis, originNote, projectSendsMail } from '../helpers';
import { emailHostFromEnvironment } from '../fixes/emailHost';
import { replaceStringLiteral } from '../fixes/stringEdits';
import type { Fix, Rule } from '../types';

const NAMES: Record<string, string> = {
  'django.core.mail.backends.console.EmailBackend': 'console backend, which prints e-mails to the output',
  'django.core.mail.backends.dummy.EmailBackend': 'dummy backend, which drops e-mails',
  'django.core.mail.backends.filebased.EmailBackend': 'file backend, which writes e-mails to files',
  'django.core.mail.backends.locmem.EmailBackend': 'locmem backend, which keeps e-mails in memory',
};

export const devEmailBackend: Rule = {
  code: 'DDH803',
  name: 'dev-email-backend',
  title: 'Development e-mail backend in production',
  severity: 'warning',
  group: 'caches-sessions-email',
  checklist: 'email',
  django: ['mail.E001'],
  target: 'settings',
  fixSafety: 'unsafe',
  docs: {
    what: "The production e-mail backend is one of Django's development backends: console, file, locmem or dummy — also as the default of an environment lookup. From Django 6.1, when the settings define `MAILERS`, Django reads `MAILERS[\"default\"][\"BACKEND\"]` instead of `EMAIL_BACKEND` and reports a development backend there itself (`mail.E001`, which `SILENCED_SYSTEM_CHECKS` silences); otherwise the deprecated `EMAIL_BACKEND` is checked (no Django id). When nothing in the project sends mail — no `ADMINS` that Django mails error reports to, no `MANAGERS` with `BrokenLinkEmailsMiddleware`, no mail-sending app (django-allauth, djoser, django-registration, Wagtail's admin…), and none of the project's own modules using Django's mail API, a user's `email_user()` or the password-reset views (the auth URLconf included) — the `EMAIL_BACKEND` finding is information saying so: nothing is lost until something sends mail. An installed app the catalogue does not know to send mail is not seen.",
    why: 'Nothing is actually sent: password-reset and sign-up confirmation mails, error reports to ADMINS, notifications. Nobody notices until a user cannot reset a password. The console backend also writes every message — reset links with their tokens included — to the application log.',
    example: 'EMAIL_BACKEND = os.environ.get("EMAIL_BACKEND", "django.core.mail.backends.console.EmailBackend")',
    fix: "Use the SMTP backend (`django.core.mail.backends.smtp.EmailBackend`, Django's default) with the host and credentials from the environment, or a provider's backend such as django-anymail's. Keep development backends in the development settings. The quick fix rewrites the backend's string (also an environment default) to the SMTP backend, and reads `EMAIL_HOST` from the environment when it is still `localhost` (see DDH804); it is unsafe because the deployment must provide a mail server.",
    good: 'EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"\nEMAIL_HOST = os.environ["EMAIL_HOST"]',
    references: [
      { title: 'Django: e-mail backends', url: 'https://docs.djangoproject.com/en/stable/topics/email/#email-backends' },
      { title: 'Django: EMAIL_BACKEND', url: 'https://docs.djangoproject.com/en/stable/ref/settings/#email-backend' },
      { title: 'Django system checks: mail', url: 'https://docs.djangoproject.com/en/stable/ref/checks/#mail' },
    ],
  },
  check(ctx) {
    const mailers = ctx.settings.get('MAILERS');
    if (atLeast(ctx.version.version, '6.1') && mailers.isSet) {
      const mv = mailers.value;
      if (mv.kind === 'unknown') return ctx.undecided(decidable(ctx.settings.answerOf(mailers)));
      if (mv.kind !== 'dict') return;
      const entry = V.dictGetStr(mv, 'default');
      if (entry === undefined) return ctx.unknown('MAILERS may hold a "default" entry the analysis cannot read', mailers.loc);
      if (entry === null || entry.kind !== 'dict')
        return entry?.kind === 'unknown' && !isSupplied(entry)
          ? ctx.unknown('MAILERS["default"] is not known statically', mailers.loc)
          : undefined;
      const backend = V.dictGetStr(entry, 'BACKEND');
      if (backend === undefined) return ctx.unknown('MAILERS["default"] may hold a BACKEND the analysis cannot read', mailers.loc);
      if (backend === null) return; // SMTP
      return judge(backend, 'MAILERS["default"]["BACKEND"]', 'mail.E001', mailers.loc);
    }
    const s = ctx.settings.get('EMAIL_BACKEND');
    if (s.value.kind === 'unknown') return ctx.undecided(decidable(ctx.settings.answerOf(s)));
    judge(s.value, 'EMAIL_BACKEND', null, s.loc);

    function judge(v: Value, name: string, django: string | null, fallback: Loc): void {
      if (v.kind === 'unknown') return isSupplied(v) ? undefined : ctx.unknown(`${name} is not known statically`, ctx.settings.locOf(v));
      if (v.kind !== 'str' || !NON_PRODUCTION_EMAIL_BACKENDS.includes(v.v)) return;
      const loc = ctx.settings.locOf(v);
      let fix: Fix | undefined = replaceStringLiteral(
        ctx,
        loc,
        SMTP_BACKEND,
        'Use the SMTP backend (the deployment must then provide EMAIL_HOST and its credentials)',
        'unsafe',
      );
      // with EMAIL_HOST still localhost the SMTP backend would only fail differently (DDH804): read it too
      const host = fix && django === null ? emailHostFromEnvironment(ctx) : undefined;
      if (fix && host)
        fix = {
          ...fix,
          title: `Use the SMTP backend, with EMAIL_HOST from the environment (requires ${host.varName} in the environment)`,
          edits: [...fix.edits, ...host.edits],
        };
      // a functional fallback (the console backend when no SMTP credentials are set): production's
      // only where the deployment is seen to leave the variable unset
      const use = ctx.settings.fallback(v);
      // (the environment file production loads, not in the repository, is there to set it: not production's)
      if (use?.use === 'supplied') return;
      if (use?.use === 'maybe') {
        ctx.report({
          loc: loc ?? fallback,
          django,
          basis: fallbackBasis(use),
          severity: 'information',
          message: `${name} is the ${NAMES[v.v]}${fallbackNote(use)}: the settings fall back to it without ${variablesText(use.variables)}, and the repository does not show whether the deployment sets ${use.variables.length > 1 ? 'one of them' : 'it'}; where it does not, password resets and error reports are never delivered.`,
          fixes: fix ? [fix] : [],
        });
        return;
      }
      // (EMAIL_BACKEND only: from 6.1 Django's own check reports MAILERS' backend whatever sends mail)
      const sends = django === null ? projectSendsMail(ctx) : undefined;
      if (sends?.state === 'no') {
        ctx.report({
          loc: loc ?? fallback,
          django,
          basis: fallbackBasis(use),
          severity: 'information',
          message: `${name} is the ${NAMES[v.v]}${use ? fallbackNote(use) : originNote(v)}, but nothing in the project sends mail (${sends.why}): once something does (password resets, error reports), it is never delivered.`,
          fixes: fix ? [fix] : [],
        });
        return;
      }
      ctx.report({
        loc: loc ?? fallback,
        django,
        basis: fallbackBasis(use),
        message: `${name} is the ${NAMES[v.v]}${use ? fallbackNote(use) : originNote(v)}: password resets and error reports are never delivered; use the SMTP backend or a provider's backend.`,
        fixes: fix ? [fix] : [],
      });
    }
  },
};
