// DDH204: CSRF_TRUSTED_ORIGINS trusts plain-http origins or wildcards wider than one site.
import { echoOrigin, isLoopbackNetloc, isPrivateNetworkNetloc, splitOrigin } from '../../models/settings/origins';
import { isLiteral, isSupplied } from '../../models/settings/query';
import * as V from '../../eval/values';
import type { Loc, StrValue } from '../../eval/values';
import { atLeast } from '../../models/project/version';
import { originNote } from '../helpers';
import type { SettingValue } from '../settings';
import type { Fix, Rule, RuleContext } from '../types';
import { entries, removeItemFix, rewriteStringFix } from '../fixes/stringEdits';

type Problem = { kind: 'http'; netloc: string } | { kind: 'any' } | { kind: 'suffix'; suffix: string };

/** What is wrong with one origin (Django 4.0+ semantics), if anything. */
function problemOf(origin: string): Problem | undefined {
  const o = origin.trim();
  if (o === '*') return { kind: 'any' };
  if (!o.includes('://')) return undefined; // no scheme at all: DDH203
  const { scheme, netloc } = splitOrigin(o);
  const host = netloc.replace(/:\d*$/, '');
  // Django strips the "*" and matches the rest as a domain suffix: "*" alone matches nothing, and
  // "*.com" matches every .com site
  if (host === '*') return { kind: 'any' };
  const wildcard = /^\*(\.[A-Za-z0-9-]+)$/.exec(host);
  // (every name under .localhost is the visitor's own machine: RFC 6761 §6.3, see isLoopbackNetloc)
  if (wildcard) return isLoopbackNetloc(wildcard[1]!.slice(1)) ? undefined : { kind: 'suffix', suffix: wildcard[1]! };
  // (a name of Fly's private network, `http://shop.internal`, is reached only from the organisation's machines)
  if (scheme === 'http' && !isLoopbackNetloc(netloc) && !isPrivateNetworkNetloc(netloc)) return { kind: 'http', netloc };
  return undefined;
}

function fixesFor(ctx: RuleContext, s: SettingValue, item: StrValue, loc: Loc, problem: Problem): Fix[] {
  if (problem.kind === 'http' && isLiteral(item)) {
    const https = item.v.replace(/^http:/i, 'https:');
    // the https origin is trusted already: the http one only has to go
    if (V.isSeq(s.value) && s.value.items.some((i) => i.kind === 'str' && i.v.trim() === https.trim())) {
      const fix = removeItemFix(
        ctx,
        s,
        item,
        loc,
        `Remove "${echoOrigin(item.v.trim()) ?? 'the http origin'}" (its https origin is trusted already)`,
      );
      return fix ? [fix] : [];
    }
    const fix = rewriteStringFix(
      ctx,
      loc,
      item.v,
      https,
      `Trust "${echoOrigin(https) ?? 'the https origin'}" instead (plain-http pages of that site are no longer trusted)`,
      'unsafe',
    );
    return fix ? [fix] : [];
  }
  const shown = echoOrigin(item.v);
  const fix = shown === undefined ? undefined : removeItemFix(ctx, s, item, loc, `Remove "${shown}" from CSRF_TRUSTED_ORIGINS`);
  return fix ? [fix] : [];
}

export const csrfOriginInsecure: Rule = {
  code: 'DDH204',
  name: 'csrf-trusted-origin-insecure',
  title: 'CSRF_TRUSTED_ORIGINS trusts http or a wildcard',
  severity: 'warning',
  group: 'hosts-origins',
  checklist: 'csrf-origins',
  target: 'settings',
  fixSafety: 'unsafe',
  docs: {
    what: "Flags entries of the production `CSRF_TRUSTED_ORIGINS` (Django 4.0+ format) that trust a plain-http origin other than localhost (`http://example.com`; `http://*.localhost` is the visitor's own machine too; a name of Fly's private network, `http://shop.internal` or `http://shop.flycast`, which only the organisation's machines reach, is not reported either: docs/hops.md), every site under a top-level domain (`https://*.com`), or that are a bare wildcard (`*`, `https://*`), which Django matches against nothing although it was clearly meant to trust everything. A subdomain wildcard of the site's own domain (`https://*.example.com`) is fine.",
    why: "A trusted origin may send unsafe requests (POST, PUT, DELETE) with the user's cookies. An http origin can be impersonated by anyone on the network path (public Wi-Fi, a compromised router) who injects a page into plain-http traffic, and a wildcard over a whole top-level domain trusts every site registered under it.",
    example: 'CSRF_TRUSTED_ORIGINS = ["http://example.com", "https://*.com"]',
    fix: 'Trust exact https origins, with subdomain wildcards only under your own domain. The quick fixes switch a written origin to https or remove a wildcard entry from a list that holds others; both are unsafe because requests from the old origin start failing.',
    good: 'CSRF_TRUSTED_ORIGINS = ["https://example.com", "https://*.example.com"]',
    references: [
      { title: 'Django: CSRF_TRUSTED_ORIGINS', url: 'https://docs.djangoproject.com/en/stable/ref/settings/#csrf-trusted-origins' },
      { title: 'Django: how CSRF protection works', url: 'https://docs.djangoproject.com/en/stable/ref/csrf/#how-it-works' },
    ],
  },
  check(ctx) {
    const q = ctx.settings.query('CSRF_TRUSTED_ORIGINS');
    if (q.state === 'supplied' || q.state === 'unknown') return ctx.undecided(q);
    const s = q.setting;
    if (!s.isSet) return ctx.notApplicable('CSRF_TRUSTED_ORIGINS is not set');
    // before 4.0 entries were host names, with no scheme to be http and "." for subdomains
    if (!atLeast(ctx.version.version, '4.0'))
      return ctx.notApplicable(`Django ${ctx.version.version} reads CSRF_TRUSTED_ORIGINS as host names`);
    const items = entries(ctx, s);
    if (!items) return;
    let undecided: string | undefined;
    for (const { item, index, loc } of items) {
      if (item.kind === 'unknown') {
        if (!isSupplied(item)) undecided ??= `CSRF_TRUSTED_ORIGINS[${index}] is not known statically`;
        continue;
      }
      if (item.kind !== 'str') continue;
      const problem = problemOf(item.v);
      if (!problem) continue;
      const message =
        problem.kind === 'http'
          ? `CSRF_TRUSTED_ORIGINS trusts the plain-http origin ${echoOrigin(item.v.trim()) ?? `at CSRF_TRUSTED_ORIGINS[${index}]`}${originNote(item)}: anyone on the network path can impersonate it; trust the https origin.`
          : problem.kind === 'suffix'
            ? `CSRF_TRUSTED_ORIGINS[${index}] trusts every site under "${problem.suffix}"${originNote(item)}: limit wildcards to your own domain ("https://*.example.com").`
            : `CSRF_TRUSTED_ORIGINS[${index}] is a bare wildcard${originNote(item)}: Django matches it against nothing, and trusting every origin would disable CSRF protection; list the trusted origins.`;
      ctx.report({ loc, message, fixes: fixesFor(ctx, s, item, loc, problem) });
    }
    if (undecided) ctx.unknown(undecided, s.loc);
  },
};
