// DDH410: a Content Security Policy whose script sources allow inline scripts, eval or any host.
import * as V from '../../eval/values';
import { sourceReader } from '../middleware/order';
import { appliedPolicies, cspConfig, djangoCspMajor, sources, type CspPolicy } from '../../models/settings/csp';
import type { Rule, SettingsRuleContext } from '../types';

/** Sources that let any host's scripts run. */
const ANY_HOST = new Set(['*', 'http:', 'https:', 'data:', 'blob:']);

/**
 * Sources that let only code the page already runs make more code: `'unsafe-eval'` (eval, new
 * Function, a string setTimeout) and `blob:`. A blob: URL exists only once a script of the page has
 * made one from a Blob (`URL.createObjectURL`: W3C File API, https://w3c.github.io/FileAPI/#dfn-createObjectURL),
 * so an injected `<script>` element — inline code, or a blob: URL no script made — is still blocked;
 * the page's own scripts can turn text into a script, as with eval ("blob: URLs … are more akin to
 * 'unsafe-inline' content": web-platform-tests, content-security-policy/blob/blob-urls-do-not-match-self.sub.html).
 * `data:` is not one of them: an injected `<script src="data:…">` carries its own code.
 */
const MAKES_CODE = new Set(["'unsafe-eval'", 'blob:']);

function verdict(p: CspPolicy): { directive: string; bad: string[]; loc?: import('../../eval/values').Value } | undefined {
  const dirs = p.directives;
  if (!dirs) return undefined;
  const directive = dirs.has('script-src') ? 'script-src' : dirs.has('default-src') ? 'default-src' : undefined;
  if (!directive) return { directive: 'script-src', bad: ['(no script-src and no default-src)'] };
  const v = dirs.get(directive)!;
  const list = sources(v).map((s) => s.toLowerCase());
  // with a nonce or a hash, CSP2+ browsers ignore 'unsafe-inline' (kept for older browsers)
  const nonceOrHash = list.some((s) => s === '<csp_nonce_sentinel>' || /^'(nonce|sha256|sha384|sha512)-/.test(s));
  // with 'strict-dynamic', CSP3 browsers ignore 'unsafe-inline' for scripts and every host and
  // scheme source: only scripts with the page's nonce or hash (and what they load) run, so an
  // injected <script> does not (CSP Level 3, "Does a source list allow all inline behavior for
  // type?" and "'strict-dynamic'": https://www.w3.org/TR/CSP3/#allow-all-inline and
  // https://www.w3.org/TR/CSP3/#strict-dynamic-usage; the other sources are kept for older browsers)
  const strictDynamic = list.includes("'strict-dynamic'");
  const bad = list.filter(
    (s) => s === "'unsafe-eval'" || (ANY_HOST.has(s) && !strictDynamic) || (s === "'unsafe-inline'" && !nonceOrHash && !strictDynamic),
  );
  return bad.length > 0 ? { directive, bad: [...new Set(bad)], loc: v } : undefined;
}

/**
 * Where to report: the one item of the directive's list that holds every bad source, when it is
 * written inside the list (so that a comment beside or above that item, the maintainer's reason,
 * is read: engine/intent.ts); else the directive's value.
 */
function reportAt(ctx: SettingsRuleContext, value: V.Value, bad: readonly string[]): V.Loc | undefined {
  const whole = ctx.settings.locOf(value);
  if (!whole || !V.isSeq(value)) return whole;
  const holding = value.items.filter((i) => i.kind === 'str' && i.v.split(/\s+/).some((s) => bad.includes(s.toLowerCase())));
  if (holding.length !== 1) return whole;
  const at = ctx.settings.locOf(holding[0]);
  return at && at.file === whole.file && whole.start <= at.start && at.end <= whole.end ? at : whole;
}

export const cspUnsafeScriptSrc: Rule = {
  code: 'DDH410',
  name: 'csp-unsafe-script-src',
  title: 'CSP allows unsafe script sources',
  severity: 'warning',
  group: 'security-headers',
  checklist: 'csp',
  // a maintainer may need eval for a tag manager's custom variables and say so beside the source
  // (the finding points at the one list item holding the bad sources, so its comment is read)
  explainable: true,
  target: 'settings',
  docs: {
    what: "A Content Security Policy the production settings apply (Django 6.0's `SECURE_CSP`, django-csp's `CONTENT_SECURITY_POLICY` or its 3.x `CSP_*` settings) lets scripts run from anywhere: its `script-src` (or, without one, its `default-src`) holds `'unsafe-inline'` (without a nonce or hash, which make browsers ignore it), `'unsafe-eval'`, `*` or a bare scheme (`https:`, `http:`, `data:`, `blob:`), or the policy has neither directive. With `'strict-dynamic'` in the directive, CSP Level 3 browsers ignore `'unsafe-inline'` and every host and scheme source (only scripts carrying the page's nonce or hash, and those they load, run), so those are not reported; `'unsafe-eval'` still is. A report-only policy is reported as information. Sources read from the environment are not judged.",
    why: "The point of a CSP is that an injected `<script>` does not run. `'unsafe-inline'` lets exactly that run; `*` or a bare scheme lets the attacker load the script from their own host. Such a policy sends a header and passes a presence check, but stops next to no XSS. `'unsafe-eval'` on its own is weaker: an injected `<script>` element is still blocked, but strings the page's own scripts pass to `eval`, `new Function` or a string `setTimeout` run as code, so an injection into such a string (a template literal fed to a client-side template engine) still runs; it is reported as information. `blob:` is the same: a blob: URL exists only once the page's own script makes one from a Blob (`URL.createObjectURL`), so an injected `<script>` is still blocked, but text a script turns into a blob: script runs; also information (`data:` is not: an injected `<script src=\"data:…\">` carries its own code).",
    example: 'SECURE_CSP = {"default-src": [CSP.SELF], "script-src": [CSP.SELF, CSP.UNSAFE_INLINE]}',
    fix: 'Move inline scripts into files, or give them a nonce (`CSP.NONCE` with `{{ csp_nonce }}` in Django 6.0, `NONCE` and `request.csp_nonce` in django-csp), and allow only your own origins and named CDNs. Replace `eval`-based code. There is no quick fix: removing a source breaks the pages that use it until they change.',
    good: 'SECURE_CSP = {"default-src": [CSP.SELF], "script-src": [CSP.SELF, CSP.NONCE]}',
    references: [
      { title: 'Django: Content Security Policy', url: 'https://docs.djangoproject.com/en/6.0/ref/csp/' },
      { title: 'MDN: script-src', url: 'https://developer.mozilla.org/en-US/docs/Web/HTTP/Headers/Content-Security-Policy/script-src' },
      { title: 'Google: CSP is dead, long live CSP (strict CSP)', url: 'https://web.dev/articles/strict-csp' },
      { title: 'W3C File API: URL.createObjectURL (blob: URLs)', url: 'https://w3c.github.io/FileAPI/#dfn-createObjectURL' },
    ],
  },
  check(ctx) {
    const c = cspConfig(ctx.settings, ctx.version.version, sourceReader(ctx));
    const applied = appliedPolicies(c, djangoCspMajor(ctx.project.versions?.djangoCsp));
    if (applied.length === 0) {
      if (c.unknown) return ctx.unknown(c.unknown.reason, c.unknown.loc);
      return ctx.notApplicable('no Content Security Policy is applied');
    }
    for (const p of applied) {
      const v = verdict(p);
      if (!v) continue;
      // 'unsafe-eval' alone: an injected <script> is still blocked; only code the page already runs
      // can turn strings into code (eval, new Function, setTimeout with a string)
      // (blob: likewise: only a script already running makes a blob: URL, MAKES_CODE)
      const evalOnly = v.bad.every((b) => MAKES_CODE.has(b));
      const name = p.setting.name.startsWith('CSP_')
        ? v.bad[0]!.startsWith('(')
          ? 'The django-csp 3.x CSP_* policy'
          : `CSP_${v.directive.toUpperCase().replace(/-/g, '_')}`
        : p.setting.name;
      const what = v.bad[0]!.startsWith('(')
        ? 'sets neither script-src nor default-src, so scripts may come from anywhere'
        : `allows ${v.bad.join(', ')} in ${v.directive}`;
      ctx.report({
        loc: (v.loc && reportAt(ctx, v.loc, v.bad)) || p.setting.loc,
        severity: p.reportOnly || evalOnly ? 'information' : undefined,
        message: evalOnly
          ? `${name}${p.reportOnly ? ' (report-only)' : ''} ${what}: an injected <script> is still blocked, but the page's own scripts may turn text into code (${v.bad.includes('blob:') ? 'a script from a blob: URL they make' : ''}${v.bad.length > 1 ? '; ' : ''}${v.bad.includes("'unsafe-eval'") ? 'eval, new Function, setTimeout with a string' : ''}), so an injection into such text runs; remove ${v.bad.length > 1 ? 'them' : 'it'} once no script needs ${v.bad.length > 1 ? 'them' : v.bad.includes('blob:') ? 'blob: scripts' : 'eval'}.`
          : `${name}${p.reportOnly ? ' (report-only)' : ''} ${what}: an injected script still runs, so the policy stops little XSS; use nonces or hashes and name the hosts you load scripts from.`,
      });
    }
    if (c.unknown) ctx.unknown(c.unknown.reason, c.unknown.loc);
  },
};
