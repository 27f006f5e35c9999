// DDH208: django-cors-headers allows a plain-http origin, or a development origin on localhost, in
// production.
import { middlewareHeld } from '../middleware/order';
import { MW } from '../../models/settings/middleware';
import { echoOrigin, isLoopbackNetloc, isPrivateNetworkNetloc, splitOrigin } from '../../models/settings/origins';
import { fallbackVariables, isUndecidable } from '../../models/settings/query';
import * as V from '../../eval/values';
import { fallbackNote, variablesText } from '../../models/settings/fallback';
import type { Loc } from '../../eval/values';
import { fallbackBasis, installedApp, originNote } from '../helpers';
import { CORS_BEHAVIOUR, CORS_HEADERS } from '../../catalogue/libraries';
import type { Fix, Rule } from '../types';
import { entries, removeItemFix, rewriteStringFix } from '../fixes/stringEdits';

export const corsOriginInsecure: Rule = {
  code: 'DDH208',
  name: 'cors-origin-insecure',
  title: 'CORS allows an http or localhost origin',
  severity: 'warning',
  group: 'hosts-origins',
  checklist: 'cors',
  target: 'settings',
  fixSafety: 'unsafe',
  docs: {
    what: 'With django-cors-headers in use (its app or `CorsMiddleware` installed), flags entries of the production `CORS_ALLOWED_ORIGINS` (or the legacy `CORS_ORIGIN_WHITELIST` it falls back to) that are a plain-http origin (`http://app.example.com`: a warning; not a name of the Fly private network, `http://api.internal` or `http://api.flycast`, which only machines of the same organisation reach: docs/hops.md) or a development origin on the visitor\'s own machine (`http://localhost:3000`, `http://app.localhost`, `http://127.0.0.1:8000`, `http://[::1]`: information), written or as the default of an environment lookup. A development origin written without its scheme (`localhost:8080`, the form before django-cors-headers 3.0) is information too: before 3.0 it was allowed over http and https; from 3.0 it allows nothing and its check rejects it (corsheaders.E013). A list written as one string (`CORS_ORIGIN_WHITELIST = (\'localhost:8080\')`: parentheses without a comma make no tuple) is a warning: from 3.0 django-cors-headers reads each character as an origin, so it allows none, and its check reports corsheaders.E013 for every character, which stops the `migrate` command unless `SILENCED_SYSTEM_CHECKS` silences it; before 3.0 it tested hosts with `in`, so every host inside the string was allowed. Entries read from the environment are not judged; allow-all, catch-all regexes and the `"null"` origin are DDH205\'s. With `CORS_ALLOW_ALL_ORIGINS` on, django-cors-headers reads no list, so the list is not judged; nor where allow-all is on unless variables are set whose presence replaces the list (`if os.environ.get("FRONTEND_HOST"): CORS_ALLOWED_ORIGINS = [...] else: CORS_ALLOW_ALL_ORIGINS = True`): the list as written decides in neither case.',
    why: "An allowed origin may read the API's responses from a visitor's browser (and send the visitor's cookies when `CORS_ALLOW_CREDENTIALS` is on). A plain-http origin can be impersonated by anyone on the network path (public Wi-Fi, a compromised router) who injects a page into its traffic, so it is a warning. A localhost origin is a development setting left in: in production it lets any program on a visitor's computer that serves a page on that port read what the visitor may read; that takes a local foothold, so it is only information.",
    example: 'CORS_ALLOWED_ORIGINS = [\n    "https://app.example.com",\n    "http://app.example.com",\n    "http://localhost:3000",\n]',
    fix: 'Allow exact https origins of your front ends in production; keep development origins in the development settings (or read the list from the environment). The quick fixes switch a written http origin to https and remove a localhost entry from a list that holds others; both are unsafe because callers from the old origin start failing.',
    good: 'CORS_ALLOWED_ORIGINS = ["https://app.example.com"]',
    references: [
      { title: 'django-cors-headers: CORS_ALLOWED_ORIGINS', url: 'https://github.com/adamchainz/django-cors-headers#configuration' },
      { title: 'MDN: Cross-Origin Resource Sharing', url: 'https://developer.mozilla.org/en-US/docs/Web/HTTP/CORS' },
      {
        title: 'PortSwigger: breaking TLS with poorly configured CORS',
        url: 'https://portswigger.net/web-security/cors#breaking-tls-with-poorly-configured-cors',
      },
    ],
  },
  check(ctx) {
    const app = installedApp(ctx.settings, CORS_HEADERS.apps.corsheaders);
    const mw = middlewareHeld(ctx, MW.cors);
    if (app === false && mw === false) return ctx.notApplicable('django-cors-headers is not installed');
    const origins = ctx.settings.effective(CORS_HEADERS.settings.allowedOrigins.name);
    const q = ctx.settings.answerOf(origins);
    if (q.state === 'supplied' || q.state === 'unknown') return ctx.undecided(q);
    if (q.state === 'unset') return ctx.notApplicable(`${origins.name} is not set`);
    // with allow-all on django-cors-headers reads no list (allow-all is DDH205's): on wherever the
    // settings run, or on unless variables are set whose presence replaces the list as well (`if
    // os.environ.get("FRONT"): ORIGINS = [...] else: ALLOW_ALL = True`): either way the list as
    // written is never what decides
    const allowAll = ctx.settings.effective(CORS_HEADERS.settings.allowAllOrigins.name);
    if (CORS_BEHAVIOUR.allowAllIgnoresLists.value && allowAll.value.kind !== 'unknown' && V.truthy(allowAll.value) === true) {
      const unless = fallbackVariables(allowAll.value);
      const replacedBy = fallbackVariables(origins.value);
      if (unless.length === 0)
        return ctx.notApplicable(
          `${allowAll.name} is on: django-cors-headers allows every origin and does not read ${origins.name} (DDH205 reports it)`,
        );
      if (unless.every((n) => replacedBy.includes(n)))
        return ctx.notApplicable(
          `${allowAll.name} is on unless ${variablesText(unless)} is set, and where it is set ${origins.name} is replaced: django-cors-headers reads the list as written in neither case (DDH205 reports allow-all)`,
        );
    }
    // (the one check both cases lead to from 3.0, unless the settings silence it)
    const e013 = CORS_BEHAVIOUR.stringAllowList.value;
    const since = CORS_BEHAVIOUR.hostsOnlyBefore3.value.replace(/\.0$/, '');
    const stops = ctx.settings.strings('SILENCED_SYSTEM_CHECKS')?.includes(e013) ? '' : ', which stops the migrate command';
    if (origins.value.kind === 'str') {
      // a string where a sequence is expected (`("localhost:8080")`: parentheses without a comma):
      // the library iterates it, each character an origin (from 3.0), or tests hosts with `in` (before)
      const text = origins.value.v.trim();
      const shown = echoOrigin(text);
      const dev = isLoopbackNetloc(splitOrigin(text).netloc) || isLoopbackNetloc(text);
      // (a default the deployment's environment file, not in the repository, is there to replace: not production's)
      const fallback = ctx.settings.fallback(origins.value);
      if (fallback?.use === 'supplied') return;
      ctx.report({
        loc: ctx.settings.locOf(origins.value) ?? origins.loc,
        ...(fallback?.use === 'maybe' ? { severity: 'information' as const } : {}),
        basis: fallbackBasis(fallback),
        message: `${origins.name} is a string${shown ? ` ("${shown}")` : ''}, not a list (parentheses without a comma make no tuple): django-cors-headers ${since}+ reads each character as an origin, allows none and reports ${e013} for each${stops}; before ${since} it allowed every host inside the string${dev ? ', the development origin among them' : ''}. Write a list of origins with their scheme.`,
      });
      return;
    }
    if (!V.isSeq(origins.value)) return;
    let undecided: { reason: string; loc: Loc } | undefined;
    for (const { item, index, loc } of entries(ctx, origins) ?? []) {
      if (isUndecidable(item)) undecided ??= { reason: `${origins.name}[${index}] is not known statically`, loc };
      if (item.kind !== 'str') continue;
      const origin = item.v.trim();
      const { scheme, netloc } = splitOrigin(origin);
      const shown = echoOrigin(origin);
      if (netloc === '' && isLoopbackNetloc(origin)) {
        // a development origin written without its scheme (`localhost:8080`): allowed before 3.0,
        // which compared hosts only; from 3.0 it matches no origin and the library's check rejects it
        ctx.report({
          loc,
          severity: 'information',
          message: `${origins.name} lists the development origin ${shown ?? `#${index}`} without a scheme: django-cors-headers before ${since} allowed it (over http and https); ${since} and later compare scheme and host, allow nothing for it and report ${e013}${stops}. Keep development origins in the development settings.`,
        });
        continue;
      }
      if (isLoopbackNetloc(netloc)) {
        // a functional fallback (a localhost origin when the frontend's host variable is missing):
        // production's only where the deployment is seen to leave the variable unset
        // (the list itself the default a helper returns when the variable is unset: its items carry
        // no override of their own)
        const fallback =
          ctx.settings.fallback(item) ?? (origins.value.origin === 'env-default' ? ctx.settings.fallback(origins.value) : undefined);
        // (the environment file production loads, not in the repository, is there to set it: not production's)
        if (fallback?.use === 'supplied') continue;
        if (fallback?.use === 'maybe') {
          ctx.report({
            loc,
            severity: 'hint',
            basis: fallbackBasis(fallback),
            message: `${origins.name} allows the development origin ${shown ?? `#${index}`}${fallbackNote(fallback)}: the settings fall back to it without ${variablesText(fallback.variables)}, and the repository does not show whether the deployment sets it; where it does not, any program serving a page on that port of a visitor's machine may read responses.`,
          });
          continue;
        }
        const fix = removeItemFix(ctx, origins, item, loc, `Remove "${shown ?? 'the localhost origin'}" from ${origins.name}`);
        ctx.report({
          loc,
          severity: 'information',
          basis: fallbackBasis(fallback),
          message: `${origins.name} allows the development origin ${shown ?? `#${index}`}${fallback ? fallbackNote(fallback) : originNote(item)}: in production any program serving a page on that port of a visitor's machine may read responses; keep it in the development settings.`,
          fixes: fix ? [fix] : [],
        });
      } else if (scheme === 'http' && !isPrivateNetworkNetloc(netloc)) {
        // (a name of Fly's private network, `http://shop.internal`: only the organisation's machines reach it)
        const https = origin.replace(/^http:/i, 'https:');
        const fix: Fix | undefined = rewriteStringFix(
          ctx,
          loc,
          item.v,
          https,
          `Allow "${echoOrigin(https) ?? 'the https origin'}" instead (its plain-http pages can no longer read responses)`,
          'unsafe',
        );
        ctx.report({
          loc,
          message: `${origins.name} allows the plain-http origin ${shown ?? `#${index}`}${originNote(item)}: anyone on the network path can inject a page into it and read responses; allow the https origin.`,
          fixes: fix ? [fix] : [],
        });
      }
    }
    if (undecided) ctx.unknown(undecided.reason, undecided.loc);
  },
};
