// DDH205: django-cors-headers lets every origin read responses (allow-all, a catch-all regex, the
// "null" origin); worse with credentials.
import { middlewareHeld } from '../middleware/order';
import { linearRegExp } from '../../base/linearRegExp';
import { isPartial, isSupplied } from '../../models/settings/query';
import * as V from '../../eval/values';
import type { Loc, Value } from '../../eval/values';
import { installedApp, originNote, unknownReason } from '../helpers';
import { MW } from '../../models/settings/middleware';
import type { SettingValue } from '../settings';
import type { Fix, Rule, RuleContext } from '../types';
import { entries, removeItemFix } from '../fixes/stringEdits';
import { CORS_BEHAVIOUR, CORS_HEADERS } from '../../catalogue/libraries';

const S = CORS_HEADERS.settings;

/** An origin no allow-list means to allow: a regex that matches it lets any https site in. */
const PROBE_ORIGINS = ['https://attacker.invalid'];

/**
 * Whether a Python regex, applied with re.match (anchored at the start only), matches any origin;
 * undefined when the pattern uses syntax JavaScript reads differently.
 */
export function matchesAnyOrigin(pattern: string): boolean | undefined {
  let source = pattern;
  let flags = '';
  const inline = /^\(\?([aiLmsux]+)\)/.exec(source);
  if (inline) {
    if (/[aLux]/.test(inline[1]!)) return undefined;
    flags = inline[1]!;
    source = source.slice(inline[0].length);
  }
  source = source
    .replace(/\(\?P</g, '(?<')
    .replace(/\(\?P=(\w+)\)/g, '\\k<$1>')
    .replace(/\\A/g, '^')
    .replace(/\\Z/g, '$');
  if (/\(\?[^:=!<]/.test(source) || /\(\?<[=!]/.test(source.replace(/\(\?<\w+>/g, ''))) return undefined;
  // the project's own pattern: run by the linear-time engine, never by backtracking (a nested
  // quantifier would take seconds on the 24-character probe); one that engine cannot run is unknown
  const re = linearRegExp(`^(?:${source})`, flags);
  if (!re) return undefined;
  return PROBE_ORIGINS.every((o) => re.test(o));
}

/**
 * The paths CORS applies to, for messages: "" for every path (CORS_URLS_REGEX not set, or a
 * catch-all), " (on the paths CORS_URLS_REGEX r"^/api/.*$" matches)" when it limits them.
 */
function pathsNote(v: Value): string {
  if (v.kind !== 'str' || v.v === CORS_HEADERS.settings.urlsRegex.default.value) return '';
  if (matchesAnyPath(v.v)) return '';
  const shown = /^[\w^$.*+?()[\]{}|\\/-]{1,60}$/.test(v.v) ? ` r"${v.v}"` : '';
  return ` (on the paths ${S.urlsRegex.name}${shown} matches)`;
}

/** Whether a CORS_URLS_REGEX matches every path (re.match from the start, as the middleware applies it). */
function matchesAnyPath(pattern: string): boolean {
  return /^\^?(\.\*|\/?\.\*|\.\+|)\$?$/.test(pattern);
}

function setFalseFix(ctx: RuleContext, s: SettingValue): Fix[] {
  const fix = ctx.fixer.setSetting(s, 'False', {
    title: `Set ${s.name} = False (cross-origin requests then need CORS_ALLOWED_ORIGINS)`,
    safety: 'unsafe',
  });
  return fix ? [fix] : [];
}

export const corsAllowAll: Rule = {
  code: 'DDH205',
  name: 'cors-allow-all-origins',
  title: 'CORS allows every origin',
  severity: 'warning',
  group: 'hosts-origins',
  checklist: 'cors',
  // allow-all without credentials (information: other sites read what an anonymous visitor reads)
  // is a choice a comment may explain; with credentials, or where they are not known, it is not
  explainable: 'information',
  target: 'settings',
  fixSafety: 'unsafe',
  docs: {
    what: 'With django-cors-headers in use (`CorsMiddleware` in `MIDDLEWARE`, or the list not known: its app alone adds no header), flags production settings that let every origin read responses: `CORS_ALLOW_ALL_ORIGINS = True` (or the legacy `CORS_ORIGIN_ALLOW_ALL`, which it falls back to), an entry of `CORS_ALLOWED_ORIGIN_REGEXES` (legacy `CORS_ORIGIN_REGEX_WHITELIST`) that matches any https origin (`r".*"`, `r"^https://.*$"`: attackers serve pages over https too), and the `"null"` origin in `CORS_ALLOWED_ORIGINS` (legacy `CORS_ORIGIN_WHITELIST`), which any page can send from a sandboxed iframe. A `"*"` entry in the allow-list is flagged too: django-cors-headers rejects it (corsheaders.E013) and it matches nothing. Each is an error when `CORS_ALLOW_CREDENTIALS` is on, a warning when that is not known, and information when it is off: django-cors-headers then answers allow-all with `Access-Control-Allow-Origin: *`, with which browsers send no cookies, so other sites read only what a visitor without a session would get. The message names the paths `CORS_URLS_REGEX` limits CORS to (django-cors-headers adds no header elsewhere). A public read API is not reported: CORS limited by `CORS_URLS_REGEX` to some paths, `CORS_ALLOW_METHODS` holding only GET, HEAD and OPTIONS (the methods its preflight answer lets browsers send), and `CORS_ALLOW_CREDENTIALS` off (its default): other sites then read only what an anonymous visitor reads there.',
    why: "CORS decides which other sites may read your responses from a visitor's browser. Allowing all of them is harmless for public, cookie-less data, but with `CORS_ALLOW_CREDENTIALS = True` django-cors-headers reflects the caller's origin and allows credentials, so any website the user visits can call your API as that user and read the answers: their data, their CSRF token.",
    example: 'CORS_ALLOW_ALL_ORIGINS = True\nCORS_ALLOW_CREDENTIALS = True',
    fix: 'List the front-end origins in `CORS_ALLOWED_ORIGINS` (read them from the environment when they differ per deployment) and turn allow-all off. The quick fixes set the allow-all setting to False or remove a catch-all entry; both are unsafe because cross-origin callers not listed start failing.',
    good: 'CORS_ALLOWED_ORIGINS = ["https://app.example.com"]\nCORS_ALLOW_CREDENTIALS = True',
    references: [
      { title: 'django-cors-headers: configuration', url: 'https://github.com/adamchainz/django-cors-headers#configuration' },
      { title: 'MDN: CORS and credentials', url: 'https://developer.mozilla.org/en-US/docs/Web/HTTP/CORS#requests_with_credentials' },
      { title: 'PortSwigger: CORS vulnerabilities', url: 'https://portswigger.net/web-security/cors' },
    ],
  },
  check(ctx) {
    const app = installedApp(ctx.settings, CORS_HEADERS.apps.corsheaders);
    const mw = middlewareHeld(ctx, MW.cors);
    if (app === false && mw === false) return ctx.notApplicable('django-cors-headers is not installed');
    // its app alone adds no header: the middleware does (an app installed, its middleware not in the list)
    if (mw === false && CORS_BEHAVIOUR.headersOnlyFromMiddleware.value)
      return ctx.notApplicable('CorsMiddleware is not in MIDDLEWARE, and django-cors-headers adds CORS headers only from it');
    const allowAll = ctx.settings.effective(S.allowAllOrigins.name);
    const origins = ctx.settings.effective(S.allowedOrigins.name);
    const regexes = ctx.settings.effective(S.allowedOriginRegexes.name);
    // neither the app nor the middleware is known to be there: only settings written for it say it is used
    if (!app && !mw && !allowAll.isSet && !origins.isSet && !regexes.isSet)
      return ctx.notApplicable('django-cors-headers is not known to be installed, and no CORS setting is set');
    const credentials = ctx.settings.get(S.allowCredentials.name);
    const withCredentials = credentials.value.kind === 'unknown' ? undefined : V.truthy(credentials.value) === true;
    // without credentials browsers send no cookies: other sites read what an anonymous visitor gets
    const anonymousOnly = withCredentials === false && CORS_BEHAVIOUR.allowAllIsWildcardWithoutCredentials.value;
    const severity = withCredentials ? 'error' : anonymousOnly ? 'information' : 'warning';
    const scope = pathsNote(ctx.settings.get(S.urlsRegex.name).value);
    // a public read API: CORS only on the paths CORS_URLS_REGEX limits it to, a preflight that lets
    // browsers send only safe methods (CORS_ALLOW_METHODS, answered in Access-Control-Allow-Methods),
    // and no credentials: what every origin may do there is read what an anonymous visitor reads
    const methods = safeMethodsOnly(ctx.settings.get(S.allowMethods.name).value);
    const publicRead =
      anonymousOnly && scope !== '' && CORS_BEHAVIOUR.onlyMatchingPaths.value && CORS_BEHAVIOUR.preflightAllowsMethods.value && methods;
    let exempt = false;
    let starReported = false;
    const credNote = withCredentials
      ? `; with ${S.allowCredentials.name} on, any website can call the API${scope} as the signed-in user and read the answers`
      : anonymousOnly
        ? `${scope}, but only without credentials (${S.allowCredentials.name} is off: browsers send no cookies and read no signed-in answers): a public read API at most`
        : scope;
    let undecided: { reason: string; loc?: Loc } | undefined;
    const decide = (s: SettingValue): Value | undefined => {
      if (s.value.kind !== 'unknown') return s.value;
      if (!isSupplied(s.value)) undecided ??= { reason: unknownReason(s), loc: s.loc };
      return undefined;
    };

    const all = decide(allowAll);
    if (all && V.truthy(all) === true && publicRead) exempt = true;
    else if (all && V.truthy(all) === true) {
      ctx.report({
        loc: allowAll.loc,
        severity,
        message: `${allowAll.name} is on${originNote(all)}: every origin may read responses${credNote}; list the allowed origins${anonymousOnly ? ' if some of those responses are not public' : ' instead'}.`,
        fixes: setFalseFix(ctx, allowAll),
      });
    }

    if (decide(origins)) {
      for (const { item, loc } of entries(ctx, origins) ?? []) {
        if (item.kind !== 'str') continue;
        const o = item.v.trim();
        if (o === '*') {
          const fix = removeItemFix(ctx, origins, item, loc, `Remove "*" from ${origins.name}`);
          starReported = true;
          ctx.report({
            loc,
            severity: 'warning',
            message: `${origins.name} holds "*"${originNote(item)}: django-cors-headers rejects it (corsheaders.E013) and it matches no origin; list the front-end origins.`,
            fixes: fix ? [fix] : [],
          });
        } else if (o === 'null' && publicRead) exempt = true;
        else if (o === 'null') {
          const fix = removeItemFix(ctx, origins, item, loc, `Remove "null" from ${origins.name}`);
          ctx.report({
            loc,
            severity,
            message: `${origins.name} trusts the "null" origin${originNote(item)}: any page can send it from a sandboxed iframe${credNote}; remove it.`,
            fixes: fix ? [fix] : [],
          });
        }
      }
    }

    if (decide(regexes)) {
      for (const { item, index, loc } of entries(ctx, regexes) ?? []) {
        if (item.kind === 'unknown') {
          if (!isSupplied(item)) undecided ??= { reason: `${regexes.name}[${index}] is not known statically (a compiled regex?)`, loc };
          continue;
        }
        if (item.kind !== 'str') continue;
        const any = matchesAnyOrigin(item.v);
        if (any === undefined) {
          undecided ??= { reason: `${regexes.name}[${index}] uses regex syntax the analysis does not read`, loc };
          continue;
        }
        if (!any) continue;
        if (publicRead) {
          exempt = true;
          continue;
        }
        const fix = removeItemFix(ctx, regexes, item, loc, `Remove the catch-all pattern from ${regexes.name}`);
        ctx.report({
          loc,
          severity,
          message: `${regexes.name}[${index}] matches any https origin${originNote(item)}${credNote}; anchor it to your own domain (r"^https://\\w+\\.example\\.com$").`,
          fixes: fix ? [fix] : [],
        });
      }
    }
    if (undecided) ctx.unknown(undecided.reason, undecided.loc);
    else if (exempt && !starReported)
      ctx.notApplicable(
        `a public read API: every origin may call only the paths ${S.urlsRegex.name} limits CORS to, only with ${S.allowMethods.name}'s safe methods, and without credentials (${S.allowCredentials.name} is off: browsers send no cookies), so other sites read what an anonymous visitor reads`,
      );
  },
};

/** Safe methods: a read API's preflight allows no others. */
const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

/** Whether CORS_ALLOW_METHODS (as read) holds only GET, HEAD and OPTIONS; false when unknown or not set (its default allows writes). */
function safeMethodsOnly(v: Value): boolean {
  if (!V.isSeq(v) || isPartial(v) || v.items.length === 0) return false;
  return v.items.every((i) => i.kind === 'str' && SAFE_METHODS.has(i.v.trim().toUpperCase()));
}
