// What a host address a port is published on says about who reaches it. Docker publishes
// `HOST:PORT:CONTAINER` on that address of the host only; an empty host, 0.0.0.0 or :: is every
// interface. An address of a private network (RFC 1918), of the shared space carriers and overlay
// networks such as Tailscale number from (RFC 6598), or a link-local one is reached only from that
// network; any other address is reached from wherever it is routed: the world, for a public one.
import type { Fact } from './facts';

/** An IPv4 range (CIDR) and the network it names. */
export interface AddressRange {
  readonly prefix: string;
  readonly network: string;
}

/** Docker: a published port bound to one address of the host listens on that address only. */
export const PUBLISH_TO_ONE_ADDRESS: Fact<true> = {
  value: true,
  knob: 'ports: "HOST_IP:HOST_PORT:CONTAINER_PORT" (docker run -p)',
  source: {
    url: 'https://docs.docker.com/engine/network/port-publishing/',
    quote: '`-p 192.168.1.100:8080:80` Map port 8080 on the Docker host IP 192.168.1.100 to TCP port 80 in the container.',
  },
};

/** The addresses reached only from a network of their own: never routed on the public Internet. */
export const PRIVATE_RANGES: Fact<readonly AddressRange[]> = {
  value: [
    { prefix: '10.0.0.0/8', network: 'a private network (RFC 1918)' },
    { prefix: '172.16.0.0/12', network: 'a private network (RFC 1918)' },
    { prefix: '192.168.0.0/16', network: 'a private network (RFC 1918)' },
    { prefix: '100.64.0.0/10', network: 'a carrier-grade NAT or overlay network such as Tailscale (RFC 6598 shared address space)' },
    { prefix: '169.254.0.0/16', network: 'the link-local network (RFC 3927)' },
  ],
  source: {
    url: 'https://www.rfc-editor.org/rfc/rfc1918#section-3',
    quote:
      'The Internet Assigned Numbers Authority (IANA) has reserved the following three blocks of the IP address space for private internets: 10.0.0.0 - 10.255.255.255 (10/8 prefix), 172.16.0.0 - 172.31.255.255 (172.16/12 prefix), 192.168.0.0 - 192.168.255.255 (192.168/16 prefix). RFC 6598 (https://www.rfc-editor.org/rfc/rfc6598): "Shared Address Space … 100.64.0.0/10" for CGN, not routed on the public Internet; Tailscale assigns its devices addresses from it (https://tailscale.com/kb/1015/100.x-addresses). RFC 3927: 169.254/16 is link-local.',
  },
};

/** IPv6: unique local addresses (RFC 4193, fc00::/7) and link-local ones (RFC 4291, fe80::/10). */
export const PRIVATE_IPV6: Fact<readonly { readonly firstBits: number; readonly mask: number; readonly network: string }[]> = {
  value: [
    { firstBits: 0xfc00, mask: 0xfe00, network: 'a private network (RFC 4193 unique local address)' },
    { firstBits: 0xfe80, mask: 0xffc0, network: 'the link-local network (RFC 4291)' },
  ],
  source: {
    url: 'https://www.rfc-editor.org/rfc/rfc4193#section-3.1',
    quote:
      'Local IPv6 unicast addresses have the following format: | 7 bits |1| … Prefix FC00::/7 prefix to identify Local IPv6 unicast addresses. RFC 4291 2.5.6: Link-Local addresses … 1111111010 (fe80::/10).',
  },
};

function ipv4(text: string): number | undefined {
  const parts = text.split('.');
  if (parts.length !== 4) return undefined;
  let n = 0;
  for (const p of parts) {
    if (!/^\d{1,3}$/.test(p)) return undefined;
    const v = Number.parseInt(p, 10);
    if (v > 255) return undefined;
    n = n * 256 + v;
  }
  return n;
}

/**
 * The network a host address is reached only from (`10.0.0.5`: a private network), or undefined
 * for any other address (public: reached from wherever it is routed) or text that is not an address.
 */
export function privateNetworkOf(address: string): string | undefined {
  const a = address.replace(/^\[/, '').replace(/\]$/, '');
  const v4 = ipv4(a);
  if (v4 !== undefined) {
    for (const r of PRIVATE_RANGES.value) {
      const [base, bits] = r.prefix.split('/');
      const size = 2 ** (32 - Number(bits));
      const start = ipv4(base!)!;
      if (v4 >= start && v4 < start + size) return r.network;
    }
    return undefined;
  }
  if (!a.includes(':')) return undefined;
  const first = a.split(':')[0]!;
  if (!/^[0-9a-f]{1,4}$/i.test(first)) return undefined;
  const word = Number.parseInt(first, 16);
  return PRIVATE_IPV6.value.find((r) => (word & r.mask) === r.firstBits)?.network;
}

/** Whether the text is an IP address (v4 or v6, bracketed or not). */
export function isIpAddress(address: string): boolean {
  const a = address.replace(/^\[/, '').replace(/\]$/, '');
  return ipv4(a) !== undefined || (/^[0-9a-f:.]+$/i.test(a) && a.includes(':'));
}

/**
 * The unspecified addresses (0.0.0.0, ::): never a host's address on a network; a browser that
 * connects to one reaches the visitor's own machine (on macOS and Linux), as it does localhost, and
 * Chrome now blocks it. An origin on one is the visitor's machine, not a site on the network path.
 */
export const UNSPECIFIED_ADDRESSES: Fact<readonly string[]> = {
  value: ['0.0.0.0', '[::]'],
  source: {
    url: 'https://chromestatus.com/feature/5106143060033536',
    quote:
      "Chrome's PNA protection … can be bypassed using the IP address 0.0.0.0 to access services listening on the localhost on macOS and Linux. … Since 0.0.0.0 is not used in practice (and should not be used) … we're deprecating it. RFC 1122 §3.2.1.3: { 0, 0 } … MUST NOT be sent, except as a source address.",
  },
};
