// DDH203: Django's 4_0.E001 — a CSRF_TRUSTED_ORIGINS entry without a scheme (Django 4.0+).
import { echoOrigin } from '../../models/settings/origins';
import { isEnvironmentDefault, isLiteral, isSupplied } from '../../models/settings/query';
import type { Loc, Value } from '../../eval/values';
import { originNote } from '../helpers';
import type { SettingValue } from '../settings';
import type { Fix, Rule, RuleContext } from '../types';
import { entries, rewriteStringFix, toEnvironmentFix } from '../fixes/stringEdits';

/** The origin a pre-4.0 host entry meant: `.example.com` was the subdomain wildcard, 4.0+ writes `https://*.example.com`. */
function withScheme(host: string): string {
  return `https://${host.startsWith('.') ? `*${host}` : host}`;
}

/** The fixes for an entry: an https scheme for a written host; a lookup that yields no empty entry. */
function schemeFixes(ctx: RuleContext, s: SettingValue, item: Value, loc: Loc): Fix[] {
  if (item.kind !== 'str') return [];
  const host = item.v.trim();
  if (host === '') {
    // "".split(",") is [""]: read the list so that an unset variable gives []
    const env = item.env?.[0];
    const stmt = s.binding?.stmt;
    if (!isEnvironmentDefault(item) || !env || !stmt || env.loc.file !== stmt.file || env.loc.start < stmt.start || env.loc.end > stmt.end)
      return [];
    const fix = toEnvironmentFix(ctx, s, 'list');
    return fix ? [fix] : [];
  }
  // "*" alone stays as it is: what was meant is not a single origin (see DDH204)
  if (!isLiteral(item) || host === '*' || host !== item.v || !/^\.?[A-Za-z0-9*][A-Za-z0-9.*-]*(:\d+)?$/.test(host)) return [];
  const origin = withScheme(host);
  const fix = rewriteStringFix(ctx, loc, item.v, origin, `Write the origin with its scheme: "${origin}"`, 'safe');
  return fix ? [{ ...fix, preferred: true }] : [];
}

export const csrfOriginNoScheme: Rule = {
  code: 'DDH203',
  name: 'csrf-trusted-origin-without-scheme',
  title: 'A CSRF_TRUSTED_ORIGINS entry has no scheme',
  severity: 'error',
  group: 'hosts-origins',
  checklist: 'csrf-origins',
  django: ['4_0.E001'],
  djangoVersions: { since: '4.0' },
  target: 'settings',
  fixSafety: 'safe',
  docs: {
    what: 'Mirrors Django\'s `4_0.E001` (Django 4.0+, run by every management command, not only `check --deploy`): an entry of `CSRF_TRUSTED_ORIGINS` does not contain `://`. That includes host names written the pre-4.0 way (`example.com`, `.example.com`) and the empty entry that `os.environ.get("CSRF_TRUSTED_ORIGINS", "").split(",")` gives when the variable is unset.',
    why: 'Since Django 4.0 trusted origins are compared with the browser\'s Origin header, scheme included: an entry without a scheme matches nothing, so cross-origin POSTs from that site (a separate front end, a payment provider\'s callback page) fail with "403 CSRF verification failed". The system check error also stops `manage.py migrate` and every other command that runs checks.',
    example: 'CSRF_TRUSTED_ORIGINS = ["example.com", ".example.com"]',
    fix: 'Write full origins: `https://example.com`, and `https://*.example.com` for subdomains. The quick fix adds `https://` to a written host (turning `.example.com` into `https://*.example.com`), or reads an environment list so that an unset variable gives an empty list.',
    good: 'CSRF_TRUSTED_ORIGINS = ["https://example.com", "https://*.example.com"]',
    references: [
      { title: 'Django: CSRF_TRUSTED_ORIGINS', url: 'https://docs.djangoproject.com/en/stable/ref/settings/#csrf-trusted-origins' },
      {
        title: 'Django 4.0 release notes: CSRF_TRUSTED_ORIGINS changes',
        url: 'https://docs.djangoproject.com/en/stable/releases/4.0/#csrf-trusted-origins-changes',
      },
    ],
  },
  check(ctx) {
    const q = ctx.settings.query('CSRF_TRUSTED_ORIGINS');
    if (q.state === 'supplied' || q.state === 'unknown') return ctx.undecided(q);
    const s = q.setting;
    if (!s.isSet) return ctx.notApplicable('CSRF_TRUSTED_ORIGINS is not set');
    const items = entries(ctx, s);
    if (!items) return;
    let undecided: string | undefined;
    const seen = new Set<string>();
    for (const { item, index, loc } of items) {
      if (item.kind === 'unknown') {
        if (!isSupplied(item)) undecided ??= `CSRF_TRUSTED_ORIGINS[${index}] is not known statically`;
        continue;
      }
      if (item.kind !== 'str' || item.v.includes('://')) continue;
      // the items split from one environment default share its location: one finding for them
      const at = `${loc.file}:${loc.start}`;
      if (seen.has(at)) continue;
      seen.add(at);
      const shown = echoOrigin(item.v.trim());
      const message =
        item.v.trim() === ''
          ? `CSRF_TRUSTED_ORIGINS holds an empty entry${originNote(item)}: Django 4.0+ rejects entries without a scheme (4_0.E001); drop empty entries.`
          : `CSRF_TRUSTED_ORIGINS entry ${shown ? `"${shown}"` : `#${index}`} has no scheme${originNote(item)}: since Django 4.0 it matches no origin; write it as "${withScheme(shown ?? 'host')}".`;
      ctx.report({ loc, message, fixes: schemeFixes(ctx, s, item, loc) });
    }
    if (undecided) ctx.unknown(undecided, s.loc);
  },
};
