// DDH504: SessionMiddleware missing, or below a middleware that reads request.session.
import { NEEDS_SESSION } from '../../models/settings/middleware';
import type { Rule } from '../types';
import { MW, find, has, infoOf, readMiddleware, short, violations, type MwItem, type OrderConstraint } from './order';
import { reportWithChange } from '../fixes/listEdits';

/** SessionMiddleware above every middleware that reads request.session in this configuration (models/settings/middleware.ts). */
const ORDER: OrderConstraint = {
  item: MW.session,
  absent: 'SessionMiddleware is not installed',
  mustPrecede: (i, ctx) => {
    const need = NEEDS_SESSION.get(i.is ?? i.name);
    return need ? need.needs(ctx.settings) === true : false;
  },
};

export const sessionMiddlewareOrder: Rule = {
  code: 'DDH504',
  name: 'session-middleware-order',
  title: 'SessionMiddleware is missing or too low',
  severity: 'error',
  group: 'middleware',
  checklist: 'middleware-order',
  target: 'settings',
  fixSafety: 'safe',
  docs: {
    what: "A middleware that reads `request.session` while handling the request has no `SessionMiddleware` above it: `AuthenticationMiddleware` always; `MessageMiddleware` with the default `FallbackStorage` or `SessionStorage` (not with `CookieStorage`); `CsrfViewMiddleware` when `CSRF_USE_SESSIONS` is on. Reported on SessionMiddleware when it comes after them, or on the middleware that needs it when MIDDLEWARE has no SessionMiddleware at all. A project's own class deriving from one of them (a `SessionMiddleware` subclass that changes the cookie, say), found in the workspace, counts as that middleware; a class named `SessionMiddleware` whose module is not in the workspace leaves the rule undecided rather than reporting SessionMiddleware missing. (Other middleware that need AuthenticationMiddleware above them are DDH508's.)",
    why: "Each of them checks for `request.session` and raises ImproperlyConfigured when it is not there, so every request ends in a 500. Django's system checks catch this only for the admin (admin.E410), and only when the admin is installed.",
    example:
      'MIDDLEWARE = [\n    "django.middleware.security.SecurityMiddleware",\n    "django.contrib.auth.middleware.AuthenticationMiddleware",\n    "django.contrib.sessions.middleware.SessionMiddleware",\n    "django.contrib.messages.middleware.MessageMiddleware",\n]',
    fix: 'Put SessionMiddleware above AuthenticationMiddleware, MessageMiddleware and (with CSRF_USE_SESSIONS) CsrfViewMiddleware, or add it when it is missing. The quick fix moves SessionMiddleware directly above the first of them; it is safe, since every request fails as the list stands. When SessionMiddleware is missing there is no quick fix: adding it also means choosing a session engine (and creating its table), and sessions bring their own cookie settings.',
    good: 'MIDDLEWARE = [\n    "django.middleware.security.SecurityMiddleware",\n    "django.contrib.sessions.middleware.SessionMiddleware",\n    "django.middleware.csrf.CsrfViewMiddleware",\n    "django.contrib.auth.middleware.AuthenticationMiddleware",\n    "django.contrib.messages.middleware.MessageMiddleware",\n]',
    references: [
      { title: 'Django: middleware ordering', url: 'https://docs.djangoproject.com/en/stable/ref/middleware/#middleware-ordering' },
      { title: 'Django: enabling sessions', url: 'https://docs.djangoproject.com/en/stable/topics/http/sessions/#enabling-sessions' },
      { title: 'Django: message storage backends', url: 'https://docs.djangoproject.com/en/stable/ref/contrib/messages/#storage-backends' },
      { title: 'Django: CSRF_USE_SESSIONS', url: 'https://docs.djangoproject.com/en/stable/ref/settings/#csrf-use-sessions' },
    ],
  },
  check(ctx) {
    const list = readMiddleware(ctx);
    if (!list) return;
    const dependents: MwItem[] = [];
    let uncertain = false;
    for (const [name, need] of NEEDS_SESSION) {
      const item = find(list, name);
      if (!item) continue;
      const needs = need.needs(ctx.settings);
      if (needs === undefined) uncertain = true;
      if (needs) dependents.push(item);
    }
    if (dependents.length === 0) {
      if (uncertain)
        return ctx.unknown(
          'MESSAGE_STORAGE or CSRF_USE_SESSIONS is not known statically, so whether MessageMiddleware or CsrfViewMiddleware needs sessions is unknown',
        );
      return list.complete
        ? ctx.notApplicable('no middleware that reads request.session is installed')
        : ctx.unknown(`${list.setting.name} holds items the analysis cannot read`, list.setting.loc);
    }
    if (!find(list, MW.session)) {
      if (has(list, MW.session) === undefined)
        return ctx.unknown(`${list.setting.name} holds items the analysis cannot read`, list.setting.loc);
      // a class named SessionMiddleware that the analysis cannot read (its package is not in the
      // workspace) is most likely a subclass of Django's: say less than "has none"
      const namesake = list.items.find(
        (i) => i.name?.endsWith('.SessionMiddleware') && i.is === i.name && infoOf(ctx, i.name).answers === undefined,
      );
      if (namesake)
        return ctx.unknown(
          `${list.setting.name} lists a SessionMiddleware the analysis cannot read (its module is not in the workspace): whether it is Django's SessionMiddleware is unknown`,
          namesake.loc,
        );
      for (const d of dependents) {
        ctx.report({
          loc: d.loc,
          message: `${NEEDS_SESSION.get(d.is!)!.what} needs SessionMiddleware above it, and ${list.setting.name} has none: every request fails with ImproperlyConfigured; add SessionMiddleware.`,
        });
      }
      return;
    }
    const found = violations(ctx, ORDER);
    if (!found || found.above.length === 0) return;
    const { item: session, above } = found;
    const names = above.map((d) => short(d.name!));
    const first = above[0]!;
    reportWithChange(
      ctx,
      {
        loc: session.loc,
        message: `${short(session.name!)} comes after ${names.join(' and ')}, which ${above.length > 1 ? 'read' : 'reads'} request.session: every request fails with ImproperlyConfigured; move ${short(session.name!)} above ${above.length > 1 ? 'them' : 'it'}.`,
      },
      {
        setting: list.setting,
        kind: 'move',
        items: [session],
        before: first,
        title: `Move ${short(session.name!)} above ${short(first.name!)}`,
        safety: 'safe',
      },
    );
  },
};
