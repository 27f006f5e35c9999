// DDH412: a Content Security Policy configured but not sent as written: a CSP middleware without
// its policy or a policy without its middleware, django-csp 3.x settings that 4.x ignores, Django's
// CSP middleware before 6.0, or Django's and django-csp's policies both applied.
import { entryName, infoOf, sourceReader } from '../middleware/order';
import { decidable } from '../../models/settings/query';
import { CSP_MIDDLEWARE, cspConfig, DJANGO_CSP_SINCE, djangoCspMajor } from '../../models/settings/csp';
import * as V from '../../eval/values';
import type { Loc } from '../../eval/values';
import { atLeast } from '../../models/project/version';
import type { Rule, SettingsRuleContext } from '../types';

/** The entry that is the CSP middleware `path` (its own path, else a project's subclass of it listed in its place). */
function middlewareEntry(ctx: SettingsRuleContext, path: string): { loc: Loc; name: string } {
  const s = ctx.settings.get('MIDDLEWARE');
  const items = V.isSeq(s.value) ? s.value.items : [];
  const item = items.find((i) => i.kind === 'str' && i.v === path) ?? items.find((i) => i.kind === 'str' && infoOf(ctx, i.v).is === path);
  return { loc: (item && ctx.settings.locOf(item)) || s.loc, name: entryName(ctx, item?.kind === 'str' ? item.v : undefined, path) };
}

export const cspNotApplied: Rule = {
  code: 'DDH412',
  name: 'csp-not-applied',
  title: 'CSP configured but not sent as written',
  severity: 'warning',
  group: 'security-headers',
  checklist: 'csp',
  target: 'settings',
  docs: {
    what: "The Content Security Policy settings and middleware do not match, so the policy written is not the one browsers get: Django's `ContentSecurityPolicyMiddleware` on a Django before 6.0 (an error: the module does not exist); the middleware with neither `SECURE_CSP` nor `SECURE_CSP_REPORT_ONLY` set, or a policy without the middleware; django-csp's `CONTENT_SECURITY_POLICY` without `CSPMiddleware`; django-csp 3.x `CSP_*` settings next to a 4.x `CONTENT_SECURITY_POLICY` (ignored); `CSPMiddleware` with only 3.x settings when the dependency files install django-csp 4 or later (no header is sent); as information, `CSPMiddleware` with only 3.x settings when the dependency files do not say which django-csp, or with no policy at all (django-csp 4 sends no header then; neither is reported when the dependency files keep django-csp below 4.0, which reads the 3.x settings), and both Django's and django-csp's policies applied at once.",
    why: 'None of these fail loudly (except the first, which stops Django from starting): the site simply goes without the policy someone wrote and reviewed. django-csp 4.0 (2024) changed its settings to one `CONTENT_SECURITY_POLICY` dict and stopped reading the `CSP_*` names; an upgrade that misses this ships without a policy, and only the `csp.E001` system check (with `csp` in INSTALLED_APPS) says so. Two CSP middlewares send two headers; browsers enforce both, so a source allowed by one and not the other is blocked in ways neither configuration explains.',
    example:
      '# django-csp 4.x installed\nMIDDLEWARE = [..., "csp.middleware.CSPMiddleware"]\nCSP_DEFAULT_SRC = ("\'self\'",)\nCSP_SCRIPT_SRC = ("\'self\'", "cdn.example.com")',
    fix: 'Keep one CSP: on Django 6.0+ prefer Django\'s middleware with `SECURE_CSP`; with django-csp 4, move the `CSP_*` values into `CONTENT_SECURITY_POLICY = {"DIRECTIVES": {...}}` (django-csp\'s `csp.E001` check prints the converted dict). Add the middleware that reads the policy you set, or delete the policy nobody reads. No quick fix: which of the two is intended is a decision.',
    good: 'MIDDLEWARE = [..., "csp.middleware.CSPMiddleware"]\nCONTENT_SECURITY_POLICY = {"DIRECTIVES": {"default-src": [SELF], "script-src": [SELF, "cdn.example.com"]}}',
    references: [
      { title: 'Django: Content Security Policy', url: 'https://docs.djangoproject.com/en/6.0/ref/csp/' },
      { title: 'django-csp: migrating from 3.x to 4.0', url: 'https://django-csp.readthedocs.io/en/latest/migration-guide.html' },
      { title: 'django-csp: configuration', url: 'https://django-csp.readthedocs.io/en/latest/configuration.html' },
    ],
  },
  check(ctx) {
    const c = cspConfig(ctx.settings, ctx.version.version, sourceReader(ctx));
    const version = ctx.version.version;
    const { django, djangoCsp } = c.middleware;
    let applies = false;
    if (django === true) {
      applies = true;
      const entry = middlewareEntry(ctx, CSP_MIDDLEWARE.django);
      if (!atLeast(version, DJANGO_CSP_SINCE)) {
        ctx.report({
          loc: entry.loc,
          severity: 'error',
          message: `MIDDLEWARE lists ${entry.name === 'ContentSecurityPolicyMiddleware' ? `${CSP_MIDDLEWARE.django},` : `${entry.name}: its base, ${CSP_MIDDLEWARE.django},`} which does not exist before Django ${DJANGO_CSP_SINCE} (this project uses ${version}): Django cannot load its middleware and refuses to start; use django-csp, or upgrade Django.`,
        });
      } else if (c.django.length === 0 && !c.unknown) {
        ctx.report({
          loc: entry.loc,
          message: `${entry.name} is installed but neither SECURE_CSP nor SECURE_CSP_REPORT_ONLY holds a policy, so no CSP header is sent; set SECURE_CSP (or SECURE_CSP_REPORT_ONLY to start).`,
        });
      }
    }
    if (django === false) {
      for (const p of c.django) {
        applies = true;
        ctx.report({
          loc: p.setting.loc,
          message: `${p.setting.name} is set but ContentSecurityPolicyMiddleware is not in MIDDLEWARE, so the policy is never sent; add "${CSP_MIDDLEWARE.django}" to MIDDLEWARE.`,
        });
      }
    }
    if (djangoCsp === false) {
      for (const p of c.djangoCsp) {
        applies = true;
        ctx.report({
          loc: p.setting.loc,
          message: `${p.setting.name} is set but django-csp's CSPMiddleware is not in MIDDLEWARE, so the policy is never sent; add "${CSP_MIDDLEWARE.djangoCsp}" to MIDDLEWARE (or, on Django 6.0+, move the policy to SECURE_CSP).`,
        });
      }
    }
    if (djangoCsp === true) {
      applies = true;
      const first = c.legacy[0];
      if (c.djangoCsp.length > 0 && first) {
        ctx.report({
          loc: first.loc,
          message: `${c.legacy
            .map((s) => s.name)
            .slice(0, 3)
            .join(
              ', ',
            )}${c.legacy.length > 3 ? '…' : ''} ${c.legacy.length === 1 ? 'is a' : 'are'} django-csp 3.x setting${c.legacy.length === 1 ? '' : 's'}, which django-csp 4 (the version CONTENT_SECURITY_POLICY belongs to) no longer reads: ${c.legacy.length === 1 ? 'it has' : 'they have'} no effect; move the values into CONTENT_SECURITY_POLICY["DIRECTIVES"] and delete them.`,
        });
      } else if (c.djangoCsp.length === 0 && first && !c.unknown) {
        // the dependency files may say which django-csp it is: before 4.0 the CSP_* settings are the right ones
        const pinned = djangoCspMajor(ctx.project.versions?.djangoCsp);
        if (pinned === '4') {
          const exact = ctx.project.versions?.djangoCsp?.exact;
          ctx.report({
            loc: first.loc,
            message: `The policy is written as django-csp 3.x settings (${first.name}…) but the dependency files install django-csp ${exact ?? '4 or later'}, which reads none of them: no CSP header is sent; move them into CONTENT_SECURITY_POLICY = {"DIRECTIVES": {...}}.`,
          });
        } else if (pinned === undefined) {
          ctx.report({
            loc: first.loc,
            severity: 'information',
            message: `The policy is written as django-csp 3.x settings (${first.name}…): django-csp 4.0 and later read none of them and send no header; if the project installs django-csp 4, move them into CONTENT_SECURITY_POLICY = {"DIRECTIVES": {...}}, else pin django-csp<4.`,
          });
        }
      } else if (c.djangoCsp.length === 0 && !c.unknown && djangoCspMajor(ctx.project.versions?.djangoCsp) !== '3') {
        const entry = middlewareEntry(ctx, CSP_MIDDLEWARE.djangoCsp);
        ctx.report({
          loc: entry.loc,
          severity: 'information',
          message: `django-csp's ${entry.name} is installed without CONTENT_SECURITY_POLICY: django-csp 4 sends no header then (3.x sent default-src 'self'); set CONTENT_SECURITY_POLICY.`,
        });
      }
    }
    if (django === true && djangoCsp === true && atLeast(version, DJANGO_CSP_SINCE) && c.django.length > 0) {
      const entry = middlewareEntry(ctx, CSP_MIDDLEWARE.djangoCsp);
      ctx.report({
        loc: entry.loc,
        severity: 'information',
        message: `Both Django's ${middlewareEntry(ctx, CSP_MIDDLEWARE.django).name} and django-csp's ${entry.name} are installed: each sends its own policy and browsers enforce both, so a source must be allowed by both; keep one (Django's own on 6.0+).`,
      });
    }
    if (c.unknown) ctx.unknown(c.unknown.reason, c.unknown.loc);
    else if (django === undefined || djangoCsp === undefined) ctx.undecided(decidable(ctx.settings.query('MIDDLEWARE')));
    else if (!applies) ctx.notApplicable('no CSP middleware or policy setting is configured');
  },
};
