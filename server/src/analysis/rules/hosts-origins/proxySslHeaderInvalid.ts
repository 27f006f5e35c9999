// DDH206: SECURE_PROXY_SSL_HEADER is not a (header, value) pair Django can use.
import { isLiteral, isSupplied } from '../../models/settings/query';
import * as V from '../../eval/values';
import { originNote, plural } from '../helpers';
import type { SettingValue } from '../settings';
import type { Fix, Rule, RuleContext } from '../types';
import { rewriteStringFix } from '../fixes/stringEdits';

/**
 * The request.META key Django would have to look up for a header written the way a proxy's
 * configuration names it ("X-Forwarded-Proto", "x_forwarded_proto", "X_FORWARDED_PROTO"), or
 * undefined when the name is already a META key (HTTP_…, or a server variable such as "HTTPS").
 */
export function metaKeyFor(header: string): string | undefined {
  const h = header.trim();
  if (/^HTTP_[A-Z0-9_]+$/.test(h)) return undefined;
  const looksLikeHeader = /[-a-z]/.test(h) || /^(X_|FORWARDED|FRONT_END_HTTPS|CLOUDFRONT_)/i.test(h);
  if (!looksLikeHeader || !/^[A-Za-z0-9_-]+$/.test(h)) return undefined;
  const key = h.toUpperCase().replace(/-/g, '_');
  return key.startsWith('HTTP_') ? key : `HTTP_${key}`;
}

function pairFix(ctx: RuleContext, s: SettingValue, header: string): Fix | undefined {
  return ctx.fixer.setSetting(s, `(${JSON.stringify(header)}, "https")`, {
    title: `Set SECURE_PROXY_SSL_HEADER = ("${header}", "https") (requests the proxy marks as https are then trusted as secure)`,
    safety: 'unsafe',
  });
}

export const proxySslHeaderInvalid: Rule = {
  code: 'DDH206',
  name: 'proxy-ssl-header-invalid',
  title: 'SECURE_PROXY_SSL_HEADER is malformed',
  severity: 'error',
  group: 'hosts-origins',
  checklist: 'proxy-headers',
  target: 'settings',
  fixSafety: 'unsafe',
  docs: {
    what: 'Flags a production `SECURE_PROXY_SSL_HEADER` that is not a pair of two strings — a single string, a 1-tuple such as `("HTTP_X_FORWARDED_PROTO")` without its value, three items — and a header written as the proxy names it (`"X-Forwarded-Proto"`, `"X_FORWARDED_PROTO"`) instead of the `request.META` key Django looks up (`"HTTP_X_FORWARDED_PROTO"`). Django\'s own checks do not look at this setting.',
    why: "Django unpacks the setting into (header, value) on every request that asks whether it is secure: anything but two items raises ImproperlyConfigured, a 500 on those requests. A header name that is not a META key is never found, so every request looks like plain HTTP: with `SECURE_SSL_REDIRECT` on that is an endless redirect loop, and secure cookies, CSRF's https referer checks and `build_absolute_uri()` all go wrong.",
    example: 'SECURE_PROXY_SSL_HEADER = ("X-Forwarded-Proto", "https")',
    fix: 'Write the META key of the header your proxy sets and the value it sends for https, and only if the proxy always sets (or strips) that header. The quick fixes write the pair with the corrected header name; they are unsafe because Django then trusts the header.',
    good: 'SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")',
    references: [
      { title: 'Django: SECURE_PROXY_SSL_HEADER', url: 'https://docs.djangoproject.com/en/stable/ref/settings/#secure-proxy-ssl-header' },
      {
        title: 'Django: HttpRequest.META',
        url: 'https://docs.djangoproject.com/en/stable/ref/request-response/#django.http.HttpRequest.META',
      },
    ],
  },
  check(ctx) {
    const q = ctx.settings.query('SECURE_PROXY_SSL_HEADER');
    if (q.state === 'supplied' || q.state === 'unknown') return ctx.undecided(q);
    const s = q.setting;
    const v = q.value;
    if (!s.isSet) return ctx.notApplicable('SECURE_PROXY_SSL_HEADER is not set');
    if (V.truthy(v) !== true) return; // None, "", () turn the setting off
    if (v.kind === 'str') {
      const header = /^HTTP_[A-Z0-9_]+$/.test(v.v.trim()) ? v.v.trim() : metaKeyFor(v.v);
      const fix = header ? pairFix(ctx, s, header) : undefined;
      return ctx.report({
        loc: s.loc,
        message: `SECURE_PROXY_SSL_HEADER is a string${originNote(v)}, not a (header, value) pair${/^\(/.test(ctx.textAt(ctx.fixer.rhsOf(s.binding) ?? s.loc) ?? '') ? ' (parentheses alone do not make a tuple)' : ''}: Django raises ImproperlyConfigured on every request that checks for https.`,
        fixes: fix ? [fix] : [],
      });
    }
    if (!V.isSeq(v) || v.kind === 'set') {
      return ctx.report({
        loc: s.loc,
        message: `SECURE_PROXY_SSL_HEADER is a ${V.typeName(v)}${originNote(v)}, not a (header, value) pair: Django cannot unpack it and fails on requests that check for https.`,
      });
    }
    if (v.items.length !== 2) {
      const first = v.items[0];
      const header =
        v.items.length === 1 && first?.kind === 'str' ? (/^HTTP_[A-Z0-9_]+$/.test(first.v) ? first.v : metaKeyFor(first.v)) : undefined;
      const fix = header ? pairFix(ctx, s, header) : undefined;
      return ctx.report({
        loc: s.loc,
        message: `SECURE_PROXY_SSL_HEADER holds ${plural(v.items.length, 'value')}${originNote(v)}; Django needs exactly two (header, value) and raises ImproperlyConfigured on every request that checks for https${v.items.length === 1 ? ' (a 1-tuple needs its value, e.g. "https")' : ''}.`,
        fixes: fix ? [fix] : [],
      });
    }
    const [header, value] = v.items as [V.Value, V.Value];
    if (header.kind === 'unknown' || value.kind === 'unknown') {
      if (!isSupplied(header) && !isSupplied(value))
        ctx.unknown('SECURE_PROXY_SSL_HEADER holds a value that is not known statically', s.loc);
      return;
    }
    if (header.kind !== 'str' || value.kind !== 'str') {
      return ctx.report({
        loc: s.loc,
        message: `SECURE_PROXY_SSL_HEADER must hold two strings (a META key and the value meaning https)${originNote(v)}; Django never matches anything else.`,
      });
    }
    const key = metaKeyFor(header.v);
    if (!key) return;
    const loc = ctx.settings.locOf(header) ?? s.loc;
    const fix = isLiteral(header)
      ? rewriteStringFix(
          ctx,
          loc,
          header.v,
          key,
          `Use "${key}", the key Django looks up in request.META (Django then trusts that header)`,
          'unsafe',
        )
      : undefined;
    ctx.report({
      loc,
      message: `SECURE_PROXY_SSL_HEADER names the header as the proxy writes it${originNote(header)}; Django looks it up in request.META as "${key}", so it is never found and every request looks like plain HTTP.`,
      fixes: fix ? [fix] : [],
    });
  },
};
