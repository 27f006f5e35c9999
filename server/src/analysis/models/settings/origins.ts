// Origins and host names as Django and django-cors-headers read them: taking an origin apart,
// telling a loopback (development) origin, and the text of one a message may repeat.
import { UNSPECIFIED_ADDRESSES } from '../../catalogue/addressRanges';
import { flyPrivateHost } from '../../catalogue/hops';

/** An origin as urllib.parse splits it: scheme and netloc ("" when missing). */
export function splitOrigin(origin: string): { scheme: string; netloc: string } {
  const m = /^([A-Za-z][A-Za-z0-9+.-]*):(\/\/([^/?#]*))?/.exec(origin);
  if (!m) return { scheme: '', netloc: '' };
  return { scheme: m[1]!.toLowerCase(), netloc: m[3] ?? '' };
}

/** A host or origin that a message may repeat: host-like text only, never arbitrary strings. */
export function echoOrigin(origin: string): string | undefined {
  return /^[A-Za-z0-9+.:/*\-[\]]{1,100}$/.test(origin) ? origin : undefined;
}

/** (`*.localhost` too: RFC 6761 §6.3 reserves it for loopback, and browsers resolve it there.) */
const LOOPBACK_NETLOC = /^((?:[a-z0-9-]+\.)*localhost|127\.0\.0\.1|\[::1\])(:\d+)?$/i;

/**
 * The netloc of an origin on the visitor's own machine (`localhost:3000`, `app.localhost`,
 * `127.0.0.1`, `[::1]:8000`, and the unspecified `0.0.0.0:8000`, which a browser connects to the
 * local machine: catalogue/addressRanges.ts UNSPECIFIED_ADDRESSES).
 */
export function isLoopbackNetloc(netloc: string): boolean {
  if (LOOPBACK_NETLOC.test(netloc)) return true;
  const host = netloc.startsWith('[') ? netloc.slice(0, netloc.indexOf(']') + 1) : netloc.replace(/:\d*$/, '');
  return UNSPECIFIED_ADDRESSES.value.includes(host);
}

/**
 * The netloc of an origin on a platform's private network, which only the organisation's own
 * machines reach (Fly's `<app>.internal` and `<app>.flycast`: catalogue/hops.ts FLY_PRIVATE_NETWORK):
 * plain http there is no page a stranger on the visitor's network path can serve.
 */
export function isPrivateNetworkNetloc(netloc: string): boolean {
  if (netloc.startsWith('[')) return false;
  return flyPrivateHost(netloc.replace(/:\d*$/, ''));
}
