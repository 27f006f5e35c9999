// DDH201: Django's security.W020 — ALLOWED_HOSTS is empty.
import { isEnvironmentDefault } from '../../models/settings/query';
import * as V from '../../eval/values';
import type { Rule } from '../types';
import { skippedAssignment } from '../skippedAssignment';

export const allowedHostsEmpty: Rule = {
  code: 'DDH201',
  name: 'allowed-hosts-empty',
  title: 'ALLOWED_HOSTS is empty',
  severity: 'error',
  group: 'hosts-origins',
  checklist: 'allowed-hosts',
  django: ['security.W020'],
  target: 'settings',
  fixSafety: 'unsafe',
  docs: {
    what: 'Mirrors Django\'s `security.W020`: the production `ALLOWED_HOSTS` is empty (also when never set). A list that only holds empty strings (`[""]`) is reported too, without W020: Django\'s check only asks whether the list is empty, yet no host matches. A list read from the environment that is empty only when the variable is missing is not flagged: that fails closed, as it should (and is what the quick fixes write).',
    why: 'With DEBUG off and no allowed hosts, Django answers every request with "400 Bad Request": the site is down on its first request.',
    example: 'ALLOWED_HOSTS = []',
    fix: 'List the host names the site answers to, or read them from the environment.',
    good: 'ALLOWED_HOSTS = os.environ.get("DJANGO_ALLOWED_HOSTS", "").split(",")',
    references: [
      { title: 'Django: ALLOWED_HOSTS', url: 'https://docs.djangoproject.com/en/stable/ref/settings/#allowed-hosts' },
      { title: 'Django system checks: security.W020', url: 'https://docs.djangoproject.com/en/stable/ref/checks/#security' },
    ],
  },
  check(ctx) {
    const q = ctx.settings.query('ALLOWED_HOSTS');
    if (q.state === 'supplied' || q.state === 'unknown') return ctx.undecided(q);
    const s = q.setting;
    const v = q.value;
    const items = V.isSeq(v) ? v.items : v.kind === 'str' ? [v] : undefined;
    if (!items) return;
    const effective = items.filter((i) => !(i.kind === 'str' && i.v.trim() === ''));
    if (effective.length > 0 || items.some((i) => i.kind === 'unknown')) return;
    // empty unless its variable is set: Django rejects every request, so it fails closed, as it
    // should; it is the form the product's own fixes write (see the parity test's KNOWN)
    if (isEnvironmentDefault(v)) return;
    // set under `if not DEBUG:`: whenever DEBUG is off, which is when an empty list rejects every
    // request, the hosts are there (DEBUG itself on in production is DDH107's and DDH108's)
    if (!s.isSet && skippedAssignment(ctx, s)?.whenDebugOff)
      return ctx.notApplicable('ALLOWED_HOSTS is set under `if not DEBUG:`, so it is set whenever DEBUG is off');
    // [""]: not empty for Django's check (`if not ALLOWED_HOSTS`), yet no host matches
    const onlyBlank = V.isSeq(v) ? v.items.length > 0 : v.kind === 'str' && v.v !== '';
    ctx.report({
      loc: s.loc,
      django: onlyBlank ? null : undefined,
      message: onlyBlank
        ? "ALLOWED_HOSTS holds only empty strings: no host name matches them, so with DEBUG off Django rejects every request (Django's own check, which only asks whether the list is empty, does not see it); list the site's host names or read them from the environment."
        : s.isSet
          ? "ALLOWED_HOSTS is empty: with DEBUG off Django rejects every request; list the site's host names or read them from the environment."
          : "ALLOWED_HOSTS is never set in the production settings: with DEBUG off Django rejects every request; list the site's host names.",
      fixes: s.isSet ? [ctx.fixer.toEnvironment(s, 'list')].filter((f) => f !== undefined) : [],
    });
  },
};
