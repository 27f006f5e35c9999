// Shared by the two session-cookie rules (security.W010–W012 and W013–W015): Django makes each
// check once, with an id that says what uses sessions — the app, the middleware, or both.
import type { RuleContext } from '../types';
import { strictTransportInFront } from '../../models/requestPath/front';
import {
  MW,
  cookieChecksStrict,
  describeNotTrue,
  failingPlace,
  middlewareInstalled,
  subclassInstalled,
  mustBeTrue,
  productionOnlySafety,
  securitySettingFix,
} from '../securitySettings';

/** Exactly what Django's _session_app() tests: the module name, not an AppConfig path. */
const SESSIONS_APP = 'django.contrib.sessions';

export interface SessionCookieCheck {
  readonly setting: 'SESSION_COOKIE_SECURE' | 'SESSION_COOKIE_HTTPONLY';
  /** The ids for: the app only, the middleware only, both. */
  readonly ids: readonly [string, string, string];
  /** What goes wrong, e.g. "browsers also send it over plain HTTP, where it can be read". */
  readonly consequence: string;
  /** The same in a few words, for a cookie the app does not set yet: "it is also sent over plain HTTP". */
  readonly shortConsequence: string;
}

export function checkSessionCookie(ctx: RuleContext, c: SessionCookieCheck): void {
  const verdict = mustBeTrue(ctx, c.setting, cookieChecksStrict(ctx));
  if (verdict.state === 'pass') return;
  const app = ctx.settings.contains('INSTALLED_APPS', SESSIONS_APP);
  const { installed: mw, list } = middlewareInstalled(ctx, MW.session);
  if (app === false && mw === false) return ctx.notApplicable('neither django.contrib.sessions nor SessionMiddleware is installed');
  if (app === undefined) {
    const apps = ctx.settings.get('INSTALLED_APPS');
    return ctx.unknown(
      `INSTALLED_APPS ${apps.value.kind === 'unknown' ? 'is not known statically' : 'holds items the analysis cannot read'}, so whether sessions are used is unknown`,
      apps.loc,
    );
  }
  // The id depends on both, and the list that cannot be read has said so already.
  if (mw === undefined) return;
  if (verdict.state === 'unknown') return ctx.unknown(verdict.reason, verdict.loc);
  if (verdict.state !== 'fail') return;
  const s = verdict.setting;
  const [appId, mwId, bothId] = c.ids;
  const django = app && mw ? bothId : app ? appId : mwId;
  const who = app && mw ? '' : app ? `'${SESSIONS_APP}' is installed and ` : 'SessionMiddleware is installed and ';
  const place = failingPlace(ctx, s);
  const { loc, skipped } = place;
  const fix = skipped
    ? undefined
    : securitySettingFix(ctx, s, 'True', { title: `Set ${s.name} = True`, safety: productionOnlySafety(ctx) });
  // without SessionMiddleware Django sets no session cookie (the app alone only stores sessions for
  // code that uses SessionStore itself): the flag matters once the middleware is added
  // (the project's subclass of SessionMiddleware sets it as the middleware does)
  const noCookie = app && !mw && !(list && subclassInstalled(list, MW.session));
  // Django reports it (parity), but a token-only JSON API never sets the cookie: said, as information
  const api = ctx.appKind?.tokenJsonApi;
  const tokenApi = !noCookie && api?.state === 'yes';
  // nothing of the app writes a session (models/settings/appCookies.ts): the middleware sets no cookie today
  const unset = !noCookie && !tokenApi ? ctx.cookiesSet?.session : undefined;
  const noneSet = unset?.state === 'no' ? unset : undefined;
  // (Secure only) a hop in front that redirects HTTP and sends HSTS keeps browsers off plain HTTP
  const strict = c.setting === 'SESSION_COOKIE_SECURE' && !noCookie && !tokenApi && !noneSet ? strictTransportInFront(ctx) : undefined;
  ctx.report({
    ...(place.basis ? { basis: place.basis } : {}),
    loc,
    django,
    severity: noCookie || tokenApi || noneSet || strict ? 'information' : undefined,
    message: noCookie
      ? `${who}${c.setting} ${describeNotTrue(s, cookieChecksStrict(ctx), place)}; without SessionMiddleware no session cookie is set, but once it is added ${c.consequence}; set it to True.`
      : tokenApi
        ? `${who}${c.setting} ${describeNotTrue(s, cookieChecksStrict(ctx), place)}; ${api!.brief} sets no session cookie, but once a view logs a user in ${c.shortConsequence}; set it to True.`
        : noneSet
          ? `${who}${c.setting} ${describeNotTrue(s, cookieChecksStrict(ctx), place)}; nothing sets a session cookie today (${noneSet.brief ?? noneSet.why}), so this matters only once something does (a login, the admin, request.session): then ${c.shortConsequence}; set it to True.`
          : strict
            ? `${who}${c.setting} ${describeNotTrue(s, cookieChecksStrict(ctx), place)}, but ${strict}; marking it Secure is defence in depth (without the policy ${c.shortConsequence}); set it to True.`
            : `${who}${c.setting} ${describeNotTrue(s, cookieChecksStrict(ctx), place)}: ${c.consequence}; set it to True.`,
    fixes: fix ? [fix] : [],
  });
}
