// DDH504: SessionMiddleware missing, or below a middleware that reads request.session.
import { isSupplied } from '../../core/query';
import * as V from '../../eval/values';
import type { Rule, RuleContext } from '../types';
import { MW, find, has, orderUnknownReason, readMiddleware, short, type MwItem } from './order';
import { reportWithChange } from '../../fixes/listEdits';

const SESSION_MESSAGE_STORAGES = new Set([
  'django.contrib.messages.storage.fallback.FallbackStorage',
  'django.contrib.messages.storage.session.SessionStorage',
]);

/** Whether the middleware reads request.session in its request phase: true/false/undefined (unknown). */
function needsSession(ctx: RuleContext, name: string): boolean | undefined {
  if (name === MW.auth) return true;
  if (name === MW.messages) {
    const s = ctx.settings.get('MESSAGE_STORAGE', V.str('django.contrib.messages.storage.fallback.FallbackStorage', 'default', ctx.anchor));
    if (s.value.kind === 'unknown') return isSupplied(s.value) ? false : undefined;
    return s.value.kind === 'str' && SESSION_MESSAGE_STORAGES.has(s.value.v);
  }
  if (name === MW.csrf) {
    const v = ctx.settings.get('CSRF_USE_SESSIONS').value;
    return v.kind === 'unknown' && isSupplied(v) ? false : V.truthy(v);
  }
  return false;
}

const WHY: Record<string, string> = {
  [MW.auth]: 'AuthenticationMiddleware',
  [MW.messages]: 'MessageMiddleware (session-based message storage)',
  [MW.csrf]: 'CsrfViewMiddleware (CSRF_USE_SESSIONS is on)',
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
    what: "A middleware that reads `request.session` while handling the request has no `SessionMiddleware` above it: `AuthenticationMiddleware` always; `MessageMiddleware` with the default `FallbackStorage` or `SessionStorage` (not with `CookieStorage`); `CsrfViewMiddleware` when `CSRF_USE_SESSIONS` is on. Reported on SessionMiddleware when it comes after them, or on the middleware that needs it when MIDDLEWARE has no SessionMiddleware at all. (Other middleware that need AuthenticationMiddleware above them are DDH508's.)",
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
    for (const name of [MW.auth, MW.messages, MW.csrf]) {
      const item = find(list, name);
      if (!item) continue;
      const needs = needsSession(ctx, name);
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
    const session = find(list, MW.session);
    if (!session) {
      if (has(list, MW.session) === undefined)
        return ctx.unknown(`${list.setting.name} holds items the analysis cannot read`, list.setting.loc);
      for (const d of dependents) {
        ctx.report({
          loc: d.loc,
          message: `${WHY[d.name!]} needs SessionMiddleware above it, and ${list.setting.name} has none: every request fails with ImproperlyConfigured; add SessionMiddleware.`,
        });
      }
      return;
    }
    if (!list.ordered) return ctx.unknown(orderUnknownReason(list), list.setting.loc);
    const above = dependents.filter((d) => d.index < session.index);
    if (above.length === 0) return;
    const names = above.map((d) => short(d.name!));
    const first = above.reduce((a, b) => (b.index < a.index ? b : a));
    reportWithChange(
      ctx,
      {
        loc: session.loc,
        message: `SessionMiddleware comes after ${names.join(' and ')}, which ${above.length > 1 ? 'read' : 'reads'} request.session: every request fails with ImproperlyConfigured; move SessionMiddleware above ${above.length > 1 ? 'them' : 'it'}.`,
      },
      {
        setting: list.setting,
        kind: 'move',
        items: [session],
        before: first,
        title: `Move SessionMiddleware above ${short(first.name!)}`,
        safety: 'safe',
      },
    );
  },
};
