// DDH111: a client the production settings configure does not verify the TLS certificate of the
// service it talks to: `AWS_S3_VERIFY = False`, `"verify": False` in a storage's or a search
// client's options, `ssl_cert_reqs` of None/CERT_NONE for Redis or a Celery broker (in OPTIONS or in
// the URL), `verify=False` / `verify_certs=False` given to a client created in the settings.
import * as V from '../../eval/values';
import type { Loc, Value } from '../../eval/values';
import { originNote } from '../helpers';
import type { Rule } from '../types';

/** Keys and keyword arguments whose False turns certificate verification off. */
const VERIFY_KEYS = new Set([
  'VERIFY',
  'VERIFY_CERTS',
  'VERIFY_SSL',
  'SSL_VERIFY',
  'SSL_VERIFY_CERTS',
  'AWS_S3_VERIFY',
  'VERIFY_CERTIFICATE',
]);
/** Keys and keyword arguments whose None / CERT_NONE turns it off (redis-py, kombu, pymongo). */
const CERT_REQS_KEYS = new Set(['SSL_CERT_REQS', 'CERT_REQS', 'TLS_CERT_REQS', 'SSL_CERT_REQUIREMENTS']);

/** A name as upper case with `_` between words (`verifyCerts`, `verify-certs` → VERIFY_CERTS). */
function norm(name: string): string {
  return name
    .replace(/([a-z0-9])([A-Z])/g, '$1_$2')
    .toUpperCase()
    .replace(/[^A-Z0-9]+/g, '_');
}

/** Whether a value says "no certificate required": None, "none"/"CERT_NONE" (any case), 0, ssl.CERT_NONE. */
function certNone(v: Value): boolean {
  if (v.kind === 'none') return true;
  if (v.kind === 'str') return /^(ssl\.)?(cert_)?none$/i.test(v.v.trim());
  if (v.kind === 'int') return v.v === 0;
  return v.kind === 'unknown' && /(^|\.)CERT_NONE$/.test(v.ext ?? '');
}

/** A Redis, AMQP or MongoDB URL that asks for TLS without verification (`rediss://…?ssl_cert_reqs=none`). */
function urlWithoutVerification(s: string): string | undefined {
  // (the cheap tests first: this runs on every string of the settings after each keystroke)
  if (!s.includes('?') || !s.includes('://') || !/^[a-z][a-z0-9+.-]*:\/\//i.test(s)) return undefined;
  const query = s.slice(s.indexOf('?') + 1).split('#')[0]!;
  for (const part of query.split('&')) {
    const eq = part.indexOf('=');
    const k = norm(decodeURIComponent(eq < 0 ? part : part.slice(0, eq)));
    const val = eq < 0 ? '' : part.slice(eq + 1).toLowerCase();
    if (CERT_REQS_KEYS.has(k) && /^(ssl\.)?(cert_)?none$/.test(val)) return part;
    if ((k === 'TLS_ALLOW_INVALID_CERTIFICATES' || k === 'TLS_INSECURE' || k === 'SSL_ALLOW_INVALID_CERTIFICATES') && val === 'true')
      return part;
  }
  return undefined;
}

/** The value that turns verification off, as written (`False`, `None`, `ssl.CERT_NONE`), at a dict key or a keyword argument. */
function verdict(key: string, v: Value): string | undefined {
  // every name of VERIFY_KEYS holds "verif" and every one of CERT_REQS_KEYS "cert", in any case: the
  // other names (nearly all, on every keystroke) are not normalised
  const low = key.toLowerCase();
  if (!low.includes('verif') && !low.includes('cert')) return undefined;
  const k = norm(key);
  if (VERIFY_KEYS.has(k) && v.kind === 'bool' && !v.v) return 'False';
  if (CERT_REQS_KEYS.has(k) && certNone(v)) return v.kind === 'none' ? 'None' : v.kind === 'unknown' ? (v.ext ?? 'CERT_NONE') : V.repr(v);
  return undefined;
}

export const tlsVerifyOff: Rule = {
  code: 'DDH111',
  name: 'tls-verification-off',
  title: 'A client in the settings does not verify TLS certificates',
  severity: 'warning',
  group: 'settings-secrets',
  checklist: 'tls-verified',
  target: 'settings',
  docs: {
    what: 'Reports, in the production settings, what turns off the verification of a service\'s TLS certificate: `AWS_S3_VERIFY = False` (django-storages), a `"verify": False` (or `verify_certs`, `ssl_verify`) in a dict of the settings (a storage\'s OPTIONS, `ELASTICSEARCH_DSL`, `HAYSTACK_CONNECTIONS`), an `ssl_cert_reqs` (or `cert_reqs`) of `None`, `"none"` or `ssl.CERT_NONE` (Redis caches, `CELERY_BROKER_USE_SSL`), a `?ssl_cert_reqs=none` in a `rediss://` or `amqps://` URL, and `verify=False` / `verify_certs=False` / `ssl_cert_reqs=…` given to a client the settings create (`boto3.client(…, verify=False)`, `Elasticsearch(…)`).',
    why: 'TLS without verification encrypts, but to whoever answers: anyone on the network path (a compromised container, a rogue access point, a DNS or BGP hijack) can present any certificate, read the credentials the client sends, and read or change what it stores — uploaded files, cached sessions, queued tasks. It usually starts as a workaround for a self-signed or mismatched certificate and stays.',
    example: 'AWS_S3_VERIFY = False\nCELERY_BROKER_USE_SSL = {"ssl_cert_reqs": ssl.CERT_NONE}',
    fix: 'Verify the certificate: remove the switch (verification is every client\'s default), and when the service uses a private CA give the client that CA\'s bundle instead (`AWS_S3_VERIFY = "/etc/ssl/certs/minio-ca.pem"`, `"ssl_ca_certs": …` with `ssl.CERT_REQUIRED`). There is no quick fix: which CA the service\'s certificate chains to is known only to the deployment.',
    good: 'AWS_S3_VERIFY = "/etc/ssl/certs/storage-ca.pem"\nCELERY_BROKER_USE_SSL = {"ssl_cert_reqs": ssl.CERT_REQUIRED, "ssl_ca_certs": "/etc/ssl/certs/redis-ca.pem"}',
    references: [
      {
        title: 'django-storages: S3 settings (verify)',
        url: 'https://django-storages.readthedocs.io/en/latest/backends/amazon-S3.html#settings',
      },
      { title: 'Celery: broker_use_ssl', url: 'https://docs.celeryq.dev/en/stable/userguide/configuration.html#broker-use-ssl' },
      { title: 'redis-py: SSL connections', url: 'https://redis.readthedocs.io/en/stable/examples/ssl_connection_examples.html' },
    ],
  },
  check(ctx) {
    const found: { loc: Loc; what: string }[] = [];
    const seen = new Set<string>();
    const add = (loc: Loc | undefined, what: string): void => {
      const at = loc ?? ctx.anchor;
      const key = `${at.file}:${at.start}`;
      if (seen.has(key)) return;
      seen.add(key);
      found.push({ loc: at, what });
    };
    // every value of the settings, down through dicts and lists
    const walk = (v: Value, path: string, depth: number, seenValues: Set<Value>): void => {
      if (depth > 6 || seenValues.has(v)) return;
      seenValues.add(v);
      if (v.kind === 'str') {
        const part = urlWithoutVerification(v.v);
        if (part) add(ctx.settings.locOf(v), `${path}${originNote(v)} asks for ${part}`);
        return;
      }
      if (v.kind === 'dict') {
        v.keys.forEach((k, i) => {
          const key = k.kind === 'str' ? k.v : undefined;
          const val = v.values[i]!;
          if (key === undefined) return;
          const what = verdict(key, val);
          const sub = `${path}["${key}"]`;
          if (what) add(ctx.settings.locOf(val), `${sub} is ${what}${originNote(val)}`);
          else walk(val, sub, depth + 1, seenValues);
        });
        return;
      }
      if (v.kind === 'list' || v.kind === 'tuple') v.items.forEach((x, i) => walk(x, `${path}[${i}]`, depth + 1, seenValues));
    };
    ctx.settings.forEachBound((name, value) => {
      if (!V.isUpperName(name)) return;
      const what = verdict(name, value);
      if (what) add(ctx.settings.locOf(value), `${name} = ${what}${originNote(value)}`);
      else walk(value, name, 0, new Set());
    });
    // clients the settings create (`boto3.client("s3", verify=False)`)
    for (const c of ctx.calls) {
      for (const [k, v] of c.kwargs) {
        const what = verdict(k, v);
        if (what) add(c.kwargLocs.get(k) ?? c.loc, `${c.callee}(…, ${k}=${what})`);
      }
    }
    for (const f of found)
      ctx.report({
        loc: f.loc,
        message: `${f.what}: the client accepts any certificate the service (or anyone between) presents; verify it, with the service's CA bundle if it has its own CA.`,
      });
  },
};
