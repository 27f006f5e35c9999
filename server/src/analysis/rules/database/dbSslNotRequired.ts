// DDH703: PostgreSQL/MySQL on a remote host without SSL required.
import { isSupplied } from '../../models/settings/query';
import * as V from '../../eval/values';
import type { DictValue } from '../../eval/values';
import { originNote } from '../helpers';
import type { Rule } from '../types';
import { databaseEntries, key, locOfKey, noDatabaseReason, options, type DbEntry } from './entries';

const PG_SECURE = new Set(['require', 'verify-ca', 'verify-full']);
const MYSQL_SECURE = new Set(['REQUIRED', 'VERIFY_CA', 'VERIFY_IDENTITY']);

/**
 * Hosts whose traffic never leaves the machine or the deployment's private container network:
 * empty (libpq/MySQL default: the local socket), loopback names and addresses, a Unix socket
 * directory, and single-label names (docker-compose and Kubernetes service names, /etc/hosts
 * aliases), with their qualified forms `*.svc[.cluster.local]` and `host.docker.internal`.
 * Everything else with a dot (a DNS name, an IP address other than loopback) is remote.
 */
export function isLocalHost(host: string): boolean {
  const h = host
    .trim()
    .toLowerCase()
    .replace(/^\[|\]$/g, '');
  if (h === '' || h === 'localhost' || h === '::1' || h === '0.0.0.0' || h.startsWith('/')) return true;
  if (/^127\.\d+\.\d+\.\d+$/.test(h)) return true;
  if (h.endsWith('.localhost') || h === 'host.docker.internal') return true;
  // Kubernetes service names, fully qualified: as private as their single-label form
  if (/\.svc(\.cluster\.local)?$/.test(h)) return true;
  return !h.includes('.') && !h.includes(':');
}

type Verdict = { ok: true } | { ok: false; detail: string; at?: V.Value } | { unknown: string };

function pgVerdict(o: DictValue): Verdict {
  if (V.dictGetStr(o, 'service')) return { unknown: 'OPTIONS["service"] takes the connection settings from a pg_service file' };
  const mode = V.dictGetStr(o, 'sslmode');
  if (mode === undefined) return { unknown: 'OPTIONS may set sslmode where the analysis cannot see it' };
  if (mode === null) return { ok: false, detail: 'OPTIONS has no "sslmode"' };
  if (mode.kind === 'unknown') return isSupplied(mode) ? { ok: true } : { unknown: 'OPTIONS["sslmode"] is not known statically' };
  if (mode.kind === 'str' && PG_SECURE.has(mode.v)) return { ok: true };
  const shown =
    mode.kind === 'str' && ['disable', 'allow', 'prefer'].includes(mode.v) ? `"${mode.v}"` : 'not require/verify-ca/verify-full';
  return { ok: false, detail: `OPTIONS["sslmode"] is ${shown}${originNote(mode)}`, at: mode };
}

function mysqlVerdict(o: DictValue): Verdict {
  if (V.dictGetStr(o, 'read_default_file')) return { unknown: 'OPTIONS["read_default_file"] may require SSL in a MySQL option file' };
  const ssl = V.dictGetStr(o, 'ssl');
  const mode = V.dictGetStr(o, 'ssl_mode');
  if (ssl === undefined || mode === undefined) return { unknown: 'OPTIONS may configure SSL where the analysis cannot see it' };
  if (ssl && (ssl.kind === 'unknown' ? isSupplied(ssl) : V.truthy(ssl) === true)) return { ok: true };
  if (mode) {
    if (mode.kind === 'unknown') return isSupplied(mode) ? { ok: true } : { unknown: 'OPTIONS["ssl_mode"] is not known statically' };
    if (mode.kind === 'str' && MYSQL_SECURE.has(mode.v.toUpperCase())) return { ok: true };
    const shown =
      mode.kind === 'str' && ['DISABLED', 'PREFERRED'].includes(mode.v.toUpperCase())
        ? `"${mode.v.toUpperCase()}"`
        : 'not REQUIRED/VERIFY_CA/VERIFY_IDENTITY';
    return { ok: false, detail: `OPTIONS["ssl_mode"] is ${shown}${originNote(mode)}`, at: mode };
  }
  return { ok: false, detail: 'OPTIONS has neither "ssl" nor "ssl_mode"' };
}

export const dbSslNotRequired: Rule = {
  code: 'DDH703',
  name: 'db-ssl-not-required',
  title: 'Database connection does not require SSL',
  severity: 'warning',
  group: 'database',
  checklist: 'db-security',
  target: 'settings',
  docs: {
    what: 'A production PostgreSQL or MySQL entry of `DATABASES` connects to a remote host without requiring TLS: for PostgreSQL, `OPTIONS["sslmode"]` is not `require`, `verify-ca` or `verify-full` (`ssl_require=True` in dj-database-url sets it); for MySQL, `OPTIONS` has no `ssl` dict and no `ssl_mode` of `REQUIRED`/`VERIFY_CA`/`VERIFY_IDENTITY`. Local means: no host (the local socket), `localhost`, a loopback address, a Unix socket directory, or a single-label name such as a docker-compose or Kubernetes service name (`db`, `postgres`, also `db.default.svc.cluster.local` and `host.docker.internal`), whose traffic stays on the deployment\'s private network. A DNS name with a dot or a non-loopback IP address is remote, including private addresses. A host, URL or sslmode read from the environment is not judged.',
    why: "libpq's default `sslmode=prefer` uses TLS only if the server offers it, never checks the certificate, and silently falls back to plain text; MySQL clients behave alike. The database password and every query and result then cross the network readable and alterable by anyone on the path — a managed database across a cloud network, a database in another data centre. An environment variable such as PGSSLMODE can also require it, which a settings file cannot show.",
    example:
      'DATABASES = {\n    "default": {\n        "ENGINE": "django.db.backends.postgresql",\n        "HOST": "db.example.com",\n        ...\n    }\n}',
    fix: 'Require TLS in OPTIONS: `"sslmode": "require"` at least, `"verify-full"` with the provider\'s CA certificate (`"sslrootcert"`) to also rule out a man in the middle; for MySQL an `"ssl"` dict with the CA, or `"ssl_mode": "REQUIRED"`. With dj-database-url, pass `ssl_require=True` or add `?sslmode=require` to the URL. There is no quick fix: whether the server offers TLS, and with which certificate, is known only to the deployment.',
    good: 'DATABASES = {\n    "default": {\n        "ENGINE": "django.db.backends.postgresql",\n        "HOST": "db.example.com",\n        "OPTIONS": {"sslmode": "verify-full", "sslrootcert": "/etc/ssl/certs/db-ca.pem"},\n        ...\n    }\n}',
    references: [
      { title: 'PostgreSQL: SSL support in libpq (sslmode)', url: 'https://www.postgresql.org/docs/current/libpq-ssl.html' },
      {
        title: 'Django: PostgreSQL connection settings',
        url: 'https://docs.djangoproject.com/en/stable/ref/databases/#postgresql-connection-settings',
      },
      { title: 'Django: MySQL connection settings', url: 'https://docs.djangoproject.com/en/stable/ref/databases/#mysql-db-api-drivers' },
      {
        title: 'Django deployment checklist: databases',
        url: 'https://docs.djangoproject.com/en/stable/howto/deployment/checklist/#databases',
      },
    ],
  },
  check(ctx) {
    const { entries, unknown } = databaseEntries(ctx);
    let undecided = unknown;
    let remote = 0;
    const judge = (e: DbEntry): void => {
      if (e.engine !== 'postgresql' && e.engine !== 'mysql') return;
      const host = key(e, 'HOST');
      if (host === undefined) return void (undecided ??= { reason: `the HOST of ${e.label} is not known statically`, loc: e.loc });
      if (host?.kind === 'unknown') {
        if (!isSupplied(host)) undecided ??= { reason: `the HOST of ${e.label} is not known statically`, loc: locOfKey(ctx, e, host) };
        return;
      }
      const name = host === null || host.kind === 'none' ? '' : (V.pyStr(host) ?? '');
      if (isLocalHost(name)) return;
      remote++;
      const o = options(e);
      if (o === 'env') return;
      if (o === undefined) return void (undecided ??= { reason: `the OPTIONS of ${e.label} are not known statically`, loc: e.loc });
      const verdict = e.engine === 'postgresql' ? pgVerdict(o) : mysqlVerdict(o);
      if ('unknown' in verdict) return void (undecided ??= { reason: `${e.label}: ${verdict.unknown}`, loc: e.loc });
      if (verdict.ok) return;
      const optLoc = ctx.settings.locOf(key(e, 'OPTIONS') ?? undefined);
      ctx.report({
        loc: (verdict.at && ctx.settings.locOf(verdict.at)) || optLoc || e.loc,
        message: `${e.label} connects to a remote host${originNote(host!)} without requiring SSL (${verdict.detail}): the password and data can cross the network in clear text; require TLS in OPTIONS (${e.engine === 'postgresql' ? '"sslmode": "require" or "verify-full"' : '"ssl_mode": "REQUIRED"'}).`,
      });
    };
    for (const e of entries) judge(e);
    if (undecided) ctx.unknown(undecided.reason, undecided.loc);
    else if (remote === 0) ctx.notApplicable(noDatabaseReason(entries) ?? 'no PostgreSQL or MySQL database on a remote host');
  },
};
