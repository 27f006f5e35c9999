// DDH305: HSTS starts at a year (possibly preloaded) instead of ramping up from a few minutes.
import { HSTS_START_SECONDS, HSTS_YEAR_SECONDS } from '../../models/settings/hsts';
import * as V from '../../eval/values';
import { originNote } from '../helpers';
import type { Rule } from '../types';
import { MW, PASS, passesTrue, undecided, withMiddleware, type SettingsView, type Verdict } from '../securitySettings';

/** The advice's condition: SECURE_HSTS_SECONDS is a number of a year or more. */
export function hstsRampUpVerdict(view: SettingsView): Verdict {
  const s = view.settings.get('SECURE_HSTS_SECONDS');
  const v = s.value;
  if (v.kind === 'unknown') return undecided(s);
  return (v.kind === 'int' || v.kind === 'float') && v.v >= HSTS_YEAR_SECONDS ? { state: 'fail', setting: s } : PASS;
}

export const hstsYearWithoutRampUp: Rule = {
  code: 'DDH305',
  name: 'hsts-year-without-ramp-up',
  title: 'HSTS set to a year without ramping up',
  severity: 'hint',
  group: 'https-cookies',
  checklist: 'hsts',
  explainable: true,
  target: 'settings',
  docs: {
    what: '`SecurityMiddleware` is installed and the production `SECURE_HSTS_SECONDS` is a year (31536000) or more, the value the deployment guides print, possibly with `SECURE_HSTS_INCLUDE_SUBDOMAINS` and `SECURE_HSTS_PRELOAD`. Django does not check this. A hint: the analysis cannot see whether the site got there step by step, so once it did, silence the hint on that line with `# noqa: DDH305`. A preload flag alone is not reported: preload lists only accept a max-age of a year, so before that it has no effect.',
    why: "HSTS cannot be taken back: a browser that has seen the header refuses plain HTTP to the host (and, with includeSubDomains, to every subdomain) until the max-age runs out, and a preloaded domain is HTTPS-only in every browser for months after it leaves the list. Set to a year before HTTPS has been verified everywhere, one forgotten subdomain or a lapsed certificate locks visitors out for a year. Django's documentation and hstspreload.org advise starting with a small max-age and raising it step by step.",
    example:
      '# first deployment over HTTPS\nSECURE_HSTS_SECONDS = 31536000\nSECURE_HSTS_INCLUDE_SUBDOMAINS = True\nSECURE_HSTS_PRELOAD = True',
    fix: 'On the first rollout, start with `SECURE_HSTS_SECONDS = 300`, check the site and every subdomain over HTTPS, then raise it: a day (86400), a week (604800), a month (2592000), and finally a year. Submit to the preload list only at the end. If the site has already been through that, keep the value and add `# noqa: DDH305` to the line. There is no quick fix: lowering a max-age that browsers already hold would not shorten it for them.',
    good: 'SECURE_HSTS_SECONDS = 300  # ramp up: 1 day, 1 week, 1 month, then 31536000\nSECURE_HSTS_INCLUDE_SUBDOMAINS = True',
    references: [
      {
        title: 'Django: HTTP Strict Transport Security',
        url: 'https://docs.djangoproject.com/en/stable/ref/middleware/#http-strict-transport-security',
      },
      { title: 'hstspreload.org: deployment recommendations', url: 'https://hstspreload.org/#deployment-recommendations' },
      { title: 'Django deployment checklist: HTTPS', url: 'https://docs.djangoproject.com/en/stable/howto/deployment/checklist/#https' },
    ],
  },
  check(ctx) {
    withMiddleware(ctx, MW.security, hstsRampUpVerdict(ctx), ({ setting: s }) => {
      const preload = passesTrue(ctx.settings.get('SECURE_HSTS_PRELOAD').value, true) === true;
      const subdomains = passesTrue(ctx.settings.get('SECURE_HSTS_INCLUDE_SUBDOMAINS').value, true) === true;
      const extras = [subdomains ? 'subdomains' : '', preload ? 'preload' : ''].filter(Boolean).join(' and ');
      ctx.report({
        loc: s.loc,
        message: `SECURE_HSTS_SECONDS is ${V.repr(s.value)}${originNote(s.value)}${extras ? ` with ${extras}` : ''}: browsers keep that for a year or more, so on a first rollout start at ${HSTS_START_SECONDS} and ramp up; if you already did, add # noqa: DDH305.`,
      });
    });
  },
};
