// DDH104: Django's security.W025 — an entry of SECRET_KEY_FALLBACKS fails the SECRET_KEY strength test.
import { isSupplied } from '../../models/settings/query';
import { SECRET_KEY_MIN_LENGTH } from '../../catalogue/djangoChecks';
import { originNote } from '../helpers';
import { entries, removeItemFix } from '../fixes/stringEdits';
import type { Rule } from '../types';
import { secretKeyWeakness } from '../../catalogue/djangoChecks';
import { fallbackLink, readingLink } from '../basis';

export const weakSecretKeyFallback: Rule = {
  code: 'DDH104',
  name: 'weak-secret-key-fallback',
  title: 'A SECRET_KEY_FALLBACKS entry is weak',
  severity: 'error',
  group: 'settings-secrets',
  checklist: 'secret-key',
  django: ['security.W025'],
  djangoVersions: { since: '4.1' },
  target: 'settings',
  fixSafety: 'unsafe',
  docs: {
    what: "Mirrors Django's `security.W025` (Django 4.1+): an entry of `SECRET_KEY_FALLBACKS` is shorter than 50 characters, has fewer than 5 different characters, or starts with `django-insecure-` — the test `SECRET_KEY` must pass (DDH102). The message names the entry by its index, never its value. Also flags `SECRET_KEY_FALLBACKS` written as one string: Django then takes each character as a key.",
    why: 'Django accepts signatures made with any fallback key: sessions, password-reset links, signed cookies. A weak fallback is as easy to guess or brute-force as a weak SECRET_KEY, and whoever guesses it can forge all of them. Fallbacks are meant for a short rotation period, with keys that were once strong SECRET_KEYs.',
    example: 'SECRET_KEY_FALLBACKS = ["old-key"]',
    fix: 'Remove the weak key (what was signed with it stops validating: users log in again) or replace it with the real previous key, read from the environment. The quick fix removes a weak key written in a list that holds others; it is unsafe for that reason.',
    good: 'SECRET_KEY_FALLBACKS = [k for k in os.environ.get("DJANGO_SECRET_KEY_FALLBACKS", "").split(",") if k]',
    references: [
      { title: 'Django system checks: security.W025', url: 'https://docs.djangoproject.com/en/stable/ref/checks/#security' },
      { title: 'Django: SECRET_KEY_FALLBACKS', url: 'https://docs.djangoproject.com/en/stable/ref/settings/#secret-key-fallbacks' },
    ],
  },
  check(ctx) {
    const q = ctx.settings.query('SECRET_KEY_FALLBACKS');
    if (q.state === 'supplied' || q.state === 'unknown') return ctx.undecided(q);
    const s = q.setting;
    const v = q.value;
    if (!s.isSet) return ctx.notApplicable('SECRET_KEY_FALLBACKS is not set (no old keys are accepted)');
    if (v.kind === 'str') {
      if (v.v === '') return;
      return ctx.report({
        loc: s.loc,
        // a string whatever the variable holds: how the settings read it
        ...(v.env?.[0] ? { basis: [readingLink(v.env[0].name)] } : {}),
        message: `SECRET_KEY_FALLBACKS is a string${originNote(v)}, not a list: Django takes each of its characters as a key, each far shorter than ${SECRET_KEY_MIN_LENGTH} characters; make it a list of keys.`,
      });
    }
    const items = entries(ctx, s);
    if (!items) return;
    let undecided: string | undefined;
    for (const { item, index, loc } of items) {
      if (item.kind === 'unknown') {
        if (!isSupplied(item)) undecided ??= `SECRET_KEY_FALLBACKS[${index}] is not known statically`;
        continue;
      }
      if (item.kind !== 'str') continue;
      const weakness = secretKeyWeakness(item.v, ctx.version.version);
      if (!weakness) continue;
      const fix = removeItemFix(ctx, s, item, loc, `Remove SECRET_KEY_FALLBACKS[${index}] (what was signed with it stops validating)`);
      ctx.report({
        loc,
        ...(item.origin === 'env-default' && item.env?.[0] ? { basis: [fallbackLink(ctx, item.env[0])] } : {}),
        message: `SECRET_KEY_FALLBACKS[${index}] ${weakness}${originNote(item)}: remove it, or use the real previous key read from the environment.`,
        fixes: fix ? [fix] : [],
      });
    }
    if (undecided) ctx.unknown(undecided, s.loc);
  },
};
