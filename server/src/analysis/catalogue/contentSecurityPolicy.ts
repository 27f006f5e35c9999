// What a Content-Security-Policy header restricts, as browsers read it: which of its directives
// decide the scripts a page may run. A policy without any of them (`frame-ancestors 'none'` alone)
// restricts framing or other loads, never which scripts run.
import type { Fact } from './facts';

/** The directives that restrict scripts: script-src and its -elem/-attr forms, and default-src, which each falls back to. */
export const CSP_SCRIPT_DIRECTIVES: Fact<readonly string[]> = {
  value: ['script-src', 'script-src-elem', 'script-src-attr', 'default-src'],
  knob: 'Content-Security-Policy: <directive> <sources>; …',
  source: {
    url: 'https://developer.mozilla.org/en-US/docs/Web/HTTP/Reference/Headers/Content-Security-Policy/script-src',
    quote:
      'The HTTP Content-Security-Policy (CSP) script-src directive specifies valid sources for JavaScript. … Fallback: Yes. If this directive is absent, the user agent will look for the default-src directive.',
  },
};

/**
 * The directive names of a policy as written (`frame-ancestors 'none'; img-src *` → frame-ancestors,
 * img-src), lower case; undefined when the text is not a literal policy (a variable fills it in).
 */
export function cspDirectives(policy: string): string[] | undefined {
  if (policy.includes('$') || policy.includes('{')) return undefined;
  return policy
    .split(';')
    .map((d) => d.trim().split(/\s+/)[0]!.toLowerCase())
    .filter((d) => d !== '');
}

/** Whether a policy as written restricts scripts: true/false, undefined when the text is not literal. */
export function cspRestrictsScripts(policy: string): boolean | undefined {
  const names = cspDirectives(policy);
  return names === undefined ? undefined : names.some((n) => CSP_SCRIPT_DIRECTIVES.value.includes(n));
}
