// Whether the production SECURE_PROXY_SSL_HEADER makes Django believe a header at all, as Django
// reads it (catalogue PROXY_SSL_HEADER_MATCH): a (META key, value) pair of two strings. A pair
// Django unpacks but whose items are not both strings — `("HTTP_X_FORWARDED_PROTO", None)` — never
// matches what a request carries: no client can make a request https by it (DDH206 reports the
// value itself).
import { PROXY_SSL_HEADER_MATCH } from '../../catalogue/djangoDefaults';
import * as V from '../../eval/values';

export type ProxySslHeaderUse =
  /** Falsy (None, "", ()): Django reads no header for the scheme. */
  | { readonly state: 'off' }
  /** Django compares request.META[key] with the second item (itself unknown or not). */
  | { readonly state: 'reads'; readonly key: string }
  /** Django never takes a request for https by it, or fails on it; why, in words. */
  | { readonly state: 'never-https'; readonly why: string }
  | { readonly state: 'unknown'; readonly reason: string };

/** How Django uses a known SECURE_PROXY_SSL_HEADER value. */
export function proxySslHeaderUse(v: V.Known): ProxySslHeaderUse {
  if (V.truthy(v) === false) return { state: 'off' };
  const { items } = PROXY_SSL_HEADER_MATCH.value; // two strings
  if (!V.isSeq(v) || v.kind === 'set' || v.items.length !== items)
    return { state: 'never-https', why: `it is not a (header, value) pair of ${items} items, which Django cannot use` };
  const [key, secure] = v.items as [V.Value, V.Value];
  if (key.kind === 'unknown') return { state: 'unknown', reason: 'the header SECURE_PROXY_SSL_HEADER names is not known statically' };
  if (key.kind !== 'str') return { state: 'never-https', why: `its header is a ${V.typeName(key)}, not a request.META key` };
  if (secure.kind !== 'unknown' && secure.kind !== 'str')
    return {
      state: 'never-https',
      why: `its second item is ${secure.kind === 'none' ? 'None' : `a ${V.typeName(secure)}`}, which Django compares with the header's text and never matches`,
    };
  return { state: 'reads', key: key.v };
}

/**
 * Whether the production settings say a proxy terminating TLS stands in front of Django: a known
 * SECURE_PROXY_SSL_HEADER (written, or as written unless overridden) that Django reads. Where the
 * repository shows no hop of it (another repository runs the proxy), what it does is unknown.
 */
export function proxyExpected(a: { readonly state: string; readonly value?: V.Value }): boolean {
  if ((a.state !== 'known' && a.state !== 'overridable') || !a.value || a.value.kind === 'unknown') return false;
  return proxySslHeaderUse(a.value).state === 'reads';
}
