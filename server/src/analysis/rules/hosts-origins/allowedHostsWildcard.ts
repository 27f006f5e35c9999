// DDH202: ALLOWED_HOSTS accepts any host ("*"), also as an environment default or a fallback.
import * as V from '../../eval/values';
import { originNote, unknownReason } from '../helpers';
import type { Rule } from '../types';

export const allowedHostsWildcard: Rule = {
  code: 'DDH202',
  name: 'allowed-hosts-wildcard',
  title: 'ALLOWED_HOSTS accepts any host',
  severity: 'warning',
  group: 'hosts-origins',
  checklist: 'allowed-hosts',
  target: 'settings',
  fixSafety: 'unsafe',
  docs: {
    what:
      "Flags `\"*\"` in the production `ALLOWED_HOSTS`, including when it is the default of an environment lookup or a fallback assigned when the list is empty. Django's own checks do not look at wildcards. Also flags `\"*.example.com\"`, a pattern Django does not understand (it matches nothing; `\".example.com\"` is the subdomain wildcard).",
    why:
      'Host-header validation is what stops an attacker from making Django build absolute URLs — password-reset links, redirects, cache keys — with a host of their choosing. `"*"` turns it off.',
    example: 'ALLOWED_HOSTS = os.environ.get("ALLOWED_HOSTS", "*").split(",")',
    fix: 'List the exact host names (a leading dot allows subdomains), and let a missing environment variable mean "no hosts" rather than "any host".',
    good: 'ALLOWED_HOSTS = os.environ.get("DJANGO_ALLOWED_HOSTS", "").split(",")',
    references: [
      { title: 'Django: ALLOWED_HOSTS', url: 'https://docs.djangoproject.com/en/stable/ref/settings/#allowed-hosts' },
      { title: 'Django security: host header validation', url: 'https://docs.djangoproject.com/en/stable/topics/security/#host-header-validation' },
    ],
  },
  check(ctx) {
    const s = ctx.settings.get('ALLOWED_HOSTS');
    const v = s.value;
    if (v.kind === 'unknown') {
      if (v.origin === 'env') return;
      return ctx.unknown(unknownReason(s), s.loc);
    }
    const items = V.isSeq(v) ? v.items : v.kind === 'str' ? [v] : [];
    for (const item of items) {
      if (item.kind !== 'str') continue;
      const host = item.v.trim();
      const loc = ctx.settings.locOf(item) ?? s.loc;
      if (host === '*') {
        ctx.report({ loc, message: `ALLOWED_HOSTS accepts any host ("*")${originNote(item)}: list the site's host names instead.` });
      } else if (host.startsWith('*.')) {
        ctx.report({
          loc,
          severity: 'warning',
          message: `ALLOWED_HOSTS entry "${host}" matches nothing: Django's subdomain wildcard is "${host.slice(1)}".`,
        });
      }
    }
  },
};
