// DDH804: the SMTP backend hands mail to a server on the app server itself (EMAIL_HOST localhost,
// Django's default).
import { decidable } from '../../models/settings/query';
import { fallbackNote, variablesText } from '../../models/settings/fallback';
import { LOCAL_EMAIL_HOSTS, SMTP_BACKEND } from '../../models/settings/mail';
import { mailConfigured } from '../../models/settings/usage';
import { emailHostFromEnvironment } from '../fixes/emailHost';
import { atLeast } from '../../models/project/version';
import { fallbackBasis, originNote, projectSendsMail } from '../helpers';
import type { Fix, Rule } from '../types';

/** The fix that reads EMAIL_HOST from the environment (a required variable), when it can be made. */
function fallbackFixes(ctx: Parameters<typeof emailHostFromEnvironment>[0]): Fix[] {
  const env = emailHostFromEnvironment(ctx);
  return env
    ? [{ title: `Read EMAIL_HOST from the environment (requires ${env.varName} in the environment)`, safety: 'unsafe', edits: env.edits }]
    : [];
}

export const emailHostLocalhost: Rule = {
  code: 'DDH804',
  name: 'email-host-localhost',
  title: 'E-mail handed to a mail server on localhost',
  severity: 'information',
  group: 'caches-sessions-email',
  checklist: 'email',
  explainable: true,
  target: 'settings',
  fixSafety: 'unsafe',
  docs: {
    what: "The production settings send mail with Django's SMTP backend (set, or Django's default) to `EMAIL_HOST` `localhost` or `127.0.0.1`, written or — when `EMAIL_HOST` is never set — Django's default. A default host is information when the settings show that the site sends mail (an e-mail backend or `EMAIL_*`/`DEFAULT_FROM_EMAIL`/`SERVER_EMAIL` settings written, `ADMINS` listed while `LOGGING` leaves an `AdminEmailHandler` on the `django.request` logger's way up — Django's default does, a `LOGGING` that replaces the `django` logger's handlers or disables its existing loggers does not —, `MANAGERS` listed with `BrokenLinkEmailsMiddleware`, a mail-sending app such as django-allauth, djoser or Wagtail's admin; django-allauth's `ACCOUNT_EMAIL_VERIFICATION = \"none\"` is no such sign, nor is django-allauth itself with `SOCIALACCOUNT_ONLY = True`, which disables its local accounts and the mail they need), or when the project's own code does (it imports `django.core.mail`, calls a user's `email_user()`, or routes the password-reset views). E-mail settings written (`EMAIL_HOST` itself, a backend, `EMAIL_PORT`, `DEFAULT_FROM_EMAIL`…) say only where mail would go: when nothing in the settings or the code sends mail, nothing is reported (\"nothing in the project sends mail\"); when nothing sends mail in the settings and the code cannot all be searched, the finding stands on the mail settings written (information), or is a hint when there are none. An installed app the catalogue does not know to send mail is not seen. A host read from the environment, another backend (django-anymail, a development backend: DDH803) and, from Django 6.1, settings that define `MAILERS` are not reported. When the SMTP backend is itself a fallback that a provider's backend replaces once an environment variable is set (`if env(\"MAILGUN_API_KEY\", default=None): EMAIL_BACKEND = \"anymail…\"`) and the repository does not show the deployment leaving that variable unset, the finding is a hint that names the variable.",
    why: "In a container or on a platform such as Heroku or Render there is no mail server on localhost: every `send_mail` fails with a refused connection, so a password reset answers with a server error and error reports to ADMINS are lost. On a server with its own MTA (Postfix), mail leaves from the app server's address, where SPF, DKIM and a clean IP reputation decide whether it reaches an inbox — a transactional mail service (SES, Mailgun, Postmark, SendGrid) takes care of that.",
    example: 'EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"\n# EMAIL_HOST never set: Django sends to localhost:25',
    fix: "Read `EMAIL_HOST` (and `EMAIL_PORT`, `EMAIL_HOST_USER`, `EMAIL_HOST_PASSWORD`, `EMAIL_USE_TLS`) from the environment and point them at your mail provider, or use a provider's backend. When a local MTA is intended, say so: disable DDH804 for the project. The quick fix rewrites a written `EMAIL_HOST` to a required environment lookup, or adds one to the production module when it is never set; it is unsafe because the deployment must then provide the variable.",
    good: 'EMAIL_HOST = os.environ["EMAIL_HOST"]\nEMAIL_PORT = 587\nEMAIL_USE_TLS = True',
    references: [
      { title: 'Django: sending email (SMTP backend)', url: 'https://docs.djangoproject.com/en/stable/topics/email/#smtp-backend' },
      { title: 'Django: EMAIL_HOST', url: 'https://docs.djangoproject.com/en/stable/ref/settings/#email-host' },
      { title: 'django-anymail', url: 'https://anymail.dev/' },
    ],
  },
  check(ctx) {
    if (atLeast(ctx.version.version, '6.1') && ctx.settings.get('MAILERS').isSet) return;
    const backend = ctx.settings.get('EMAIL_BACKEND');
    if (backend.value.kind === 'unknown') return ctx.undecided(decidable(ctx.settings.answerOf(backend)));
    if (backend.value.kind !== 'str' || backend.value.v !== SMTP_BACKEND) return;
    const host = ctx.settings.get('EMAIL_HOST');
    const v = host.value;
    if (v.kind === 'unknown') return ctx.undecided(decidable(ctx.settings.answerOf(host)));
    if (v.kind !== 'str') return;
    const name = v.v.trim().toLowerCase();
    if (!LOCAL_EMAIL_HOSTS.has(name)) return;
    // the SMTP backend itself a functional fallback (`EMAIL_BACKEND = smtp` then `if
    // env("MAILGUN_API_KEY", default=None): EMAIL_BACKEND = anymail…`): production sends through
    // localhost only where the deployment leaves the provider's variable unset
    const viaBackend = ctx.settings.fallback(backend.value);
    // (the environment file production loads, not in the repository, is there to set it: not production's)
    if (viaBackend?.use === 'supplied') return;
    if (viaBackend?.use === 'maybe') {
      const vars = variablesText(viaBackend.variables);
      ctx.report({
        loc: ctx.settings.locOf(backend.value) ?? backend.loc,
        severity: 'hint',
        message: `EMAIL_BACKEND is Django's SMTP backend, sending to EMAIL_HOST ${name},${fallbackNote(viaBackend)}: the settings fall back to it without ${vars}, and the repository does not show whether the deployment sets ${viaBackend.variables.length > 1 ? 'one of them' : 'it'}; where it does not, in a container or on a platform there is no mail server there, so password resets and error reports fail.`,
        basis: fallbackBasis(viaBackend),
      });
      return;
    }
    // a functional fallback (localhost when the mail host variable is missing): production's only
    // where the deployment is seen to leave the variable unset
    const fallback = host.isSet ? ctx.settings.fallback(v) : undefined;
    if (fallback?.use === 'supplied') return;
    if (fallback?.use === 'maybe') {
      ctx.report({
        loc: ctx.settings.locOf(v) ?? host.loc,
        severity: 'information',
        message: `EMAIL_HOST is ${name}${fallbackNote(fallback)}: the settings fall back to it without ${variablesText(fallback.variables)}, and the repository does not show whether the deployment sets it; where it does not, in a container or on a platform there is no mail server there, so password resets and error reports fail.`,
        fixes: fallbackFixes(ctx),
        basis: fallbackBasis(fallback),
      });
      return;
    }
    const subject = host.isSet
      ? `EMAIL_HOST is ${name}${fallback ? fallbackNote(fallback) : originNote(v)}`
      : `EMAIL_HOST is never set, so Django's SMTP backend sends to ${name}`;
    // Where mail would go (EMAIL_HOST written, a backend or mail settings) is not that anything sends
    // it: with nothing in the project sending mail (no error reports to ADMINS, no mail-sending app,
    // no mail API or password-reset views in its code), nothing fails
    const configured = host.isSet ? 'EMAIL_HOST is written' : mailConfigured(ctx.settings);
    const sends = projectSendsMail(ctx);
    if (sends.state === 'no')
      return ctx.notApplicable(
        `nothing in the project sends mail: ${sends.why}${configured ? ` (${configured}: that says only where mail would go)` : ''}`,
      );
    // Django's default host, in a project that shows no sign of sending mail: a hint
    const use = sends.state === 'yes' ? sends.why : configured;
    const consequence = use
      ? `${host.isSet ? '' : ` (${use})`}: in a container or on a platform there is no mail server there, so password resets and error reports fail`
      : `: nothing in the settings shows the site sending mail (no e-mail settings, ADMINS or mail-sending app)${sends.state === 'unknown' ? ` and ${sends.why}` : ''}, but if it does (password resets, error reports), in a container or on a platform there is no mail server there`;
    const env = emailHostFromEnvironment(ctx);
    ctx.report({
      loc: host.isSet ? (ctx.settings.locOf(v) ?? host.loc) : host.loc,
      severity: use ? undefined : 'hint',
      message: `${subject}${consequence}; send through your mail provider (EMAIL_HOST from the environment) or a provider's backend.`,
      basis: fallbackBasis(fallback),
      fixes: env
        ? [
            {
              title: `Read EMAIL_HOST from the environment (requires ${env.varName} in the environment)`,
              safety: 'unsafe',
              edits: env.edits,
            },
          ]
        : [],
    });
  },
};
