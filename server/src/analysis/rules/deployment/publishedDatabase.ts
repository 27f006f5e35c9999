// DDG319: a database container of a production compose file published on every interface of the
// host, with no password or one anyone can read or guess.
import * as path from 'node:path';
import { isIpAddress, privateNetworkOf } from '../../catalogue/addressRanges';
import { databaseImage, isBackingServiceImage, type DatabaseImage, type DatabasePassword } from '../../catalogue/databaseImages';
import { isProxyService } from '../../models/process/index';
import { LOOPBACK } from '../../models/requestPath/fronts';
import type { Loc } from '../../eval/values';
import type { ComposeService, ComposeValue } from '../../readers/container/compose';
import { isWeakPassword } from '../../secrets/index';
import { composeServiceProduction } from '../app-server/topology';
import { placeOf } from '../helpers';
import type { Rule } from '../types';

/** Each `${VAR:-default}` (or `${VAR-default}`) replaced by its default, each other `${…}` by `?`. */
function withDefaults(text: string): string {
  let out = '';
  let i = 0;
  for (;;) {
    const at = text.indexOf('${', i);
    const end = at < 0 ? -1 : text.indexOf('}', at + 2);
    if (end < 0) return out + text.slice(i);
    const m = /^[A-Za-z_]\w*:?-(.*)$/.exec(text.slice(at + 2, end));
    out += text.slice(i, at) + (m ? m[1] : '?');
    i = end + 1;
  }
}

/**
 * Where a `ports:` item (short syntax) publishes `port` of the container beyond the host itself:
 * `every` interface for `5432:5432`, `15432:5432`, `0.0.0.0:5432:5432`, `5432` (a random host port);
 * `public` for one address of the host no private range holds (`203.0.113.7:5432:5432`: the world
 * reaches it as it reaches every interface); undefined for another port, the loopback
 * (`127.0.0.1:5432:5432`) or an address of a private network (`10.0.0.5:5432:5432`, a Tailscale
 * `100.x` address: reached from that network only, catalogue/addressRanges.ts). A variable is read as
 * its default (`${DB_BIND:-127.0.0.1}:5432:5432`); a host no default gives is every interface.
 */
export function publishedBeyondHost(text: string, port: number): { reach: 'every' | 'public'; host?: string } | undefined {
  const t = withDefaults(text.trim()).replace(/\/(tcp|udp)$/i, '');
  let host: string | undefined;
  let rest = t;
  if (rest.startsWith('[')) {
    const end = rest.indexOf(']');
    if (end < 0) return undefined;
    host = rest.slice(0, end + 1);
    rest = rest.slice(end + 2);
  }
  const parts = rest.split(':');
  if (parts.length === 3 && host === undefined) host = parts.shift();
  const container = parts[parts.length - 1]!;
  const [from, to] = container.split('-').map((x) => Number.parseInt(x, 10));
  if (from === undefined || Number.isNaN(from)) return undefined;
  if (port < from || port > (to !== undefined && !Number.isNaN(to) ? to : from)) return undefined;
  if (host === undefined || host === '' || host === '0.0.0.0' || host === '::' || host === '[::]') return { reach: 'every' };
  if (LOOPBACK.has(host)) return undefined;
  if (!isIpAddress(host)) return { reach: 'every' };
  return privateNetworkOf(host) ? undefined : { reach: 'public', host };
}

/** The value a service's variable has as written: a literal, or the default of `${VAR:-default}`; undefined when the deploy supplies it. */
function writtenValue(v: ComposeValue): { text: string; loc: Loc } | undefined {
  const i = v.interpolates;
  if (i) return i.default && !i.default.dynamic ? { text: i.default.text, loc: i.default.loc } : undefined;
  if (v.token.dynamic || v.value.includes('$')) return undefined;
  return { text: v.value, loc: v.token.loc };
}

/** The account a password is for, by name. */
function account(env: ReadonlyMap<string, ComposeValue>, a: Omit<DatabasePassword, 'variable'>): string {
  const named = a.userVariable ? env.get(a.userVariable) : undefined;
  const w = named ? writtenValue(named) : undefined;
  return w?.text || a.user || 'its user';
}

/** What lets anyone log in: no password, or one written in the file (guessable or not). */
function weakness(s: ComposeService, db: DatabaseImage): { what: string; loc: Loc; user: string; who?: string } | undefined {
  const env = s.environment;
  if (db.passwordOption) return optionWeakness(s, db, db.passwordOption);
  if (db.authFlags) return flagWeakness(s, db, db.authFlags);
  for (const n of db.noPassword) {
    const v = env.get(n.variable);
    const w = v ? writtenValue(v) : undefined;
    if (!w || w.text === '' || (n.value !== undefined && w.text.trim().toLowerCase() !== n.value)) continue;
    return { what: `${n.variable}=${w.text} lets it accept connections without a password`, loc: w.loc, user: account(env, db.superuser) };
  }
  // a password read from a file (POSTGRES_PASSWORD_FILE: a Docker secret) is not in the repository
  for (const p of db.passwords) {
    if (env.has(`${p.variable}_FILE`)) continue;
    const v = env.get(p.variable);
    const w = v ? writtenValue(v) : undefined;
    if (!w) continue;
    const user = account(env, p);
    // a password that is the user's name: the name is then as secret as the password (and masked alike)
    if (w.text.trim().toLowerCase() === user.trim().toLowerCase())
      return {
        what: `its password (${p.variable}) is the user's own name`,
        loc: w.loc,
        user: `the ${p.userVariable ?? 'default'} account`,
      };
    const beside = [...['POSTGRES_DB', 'MYSQL_DATABASE', 'MARIADB_DATABASE'].map((k) => env.get(k)?.value), s.name];
    return isWeakPassword(w.text, beside)
      ? { what: `its password (${p.variable}) is one anyone can guess`, loc: w.loc, user }
      : {
          what: `its password (${p.variable}) is written in this committed file`,
          loc: w.loc,
          user,
          who: 'anyone with the repository who reaches the host',
        };
  }
  return undefined;
}

/**
 * A server whose password is an option of its command (Redis's `--requirepass`): none when the
 * command does not give it nor a configuration file (the official image then runs without
 * protected mode), a literal one written here; a variable's, a configuration file's: unknown.
 */
function optionWeakness(s: ComposeService, db: DatabaseImage, option: string): ReturnType<typeof weakness> {
  const words = [...(s.entrypoint ?? []), ...(s.command ?? [])];
  if (words.some((w) => /\.conf$/i.test(w.text) || w.dynamic)) return undefined;
  const at = words.findIndex((w) => w.text === option || w.text.startsWith(`${option}=`));
  if (at < 0)
    return {
      what: `it runs without a password (no ${option}; the official image turns protected mode off)`,
      loc: s.imageLoc ?? s.nameLoc,
      user: `the ${db.superuser.user ?? 'default'} user, with every command`,
    };
  const w = words[at]!;
  const value = w.text.includes('=') ? w.text.slice(w.text.indexOf('=') + 1) : words[at + 1]?.text;
  if (!value || value.includes('$')) return undefined;
  return isWeakPassword(value, [s.name])
    ? { what: `its password (${option}) is one anyone can guess`, loc: w.loc, user: `the ${db.superuser.user} user` }
    : {
        what: `its password (${option}) is written in this committed file`,
        loc: w.loc,
        user: `the ${db.superuser.user} user`,
        who: 'anyone with the repository who reaches the host',
      };
}

/**
 * A server that authenticates only when a flag of its command turns it on (Memcached's `-S`): none
 * when the command does not give it; a configuration or a variable's words: unknown.
 */
function flagWeakness(s: ComposeService, db: DatabaseImage, flags: readonly string[]): ReturnType<typeof weakness> {
  const words = [...(s.entrypoint ?? []), ...(s.command ?? [])];
  if (words.some((w) => w.dynamic || flags.includes(w.text) || flags.some((f) => w.text.startsWith(`${f}=`)))) return undefined;
  return {
    what: `it has no authentication (no ${flags[0]})`,
    loc: s.imageLoc ?? s.nameLoc,
    user: db.superuser.user ?? 'any client',
  };
}

export const publishedDatabase: Rule = {
  code: 'DDG319',
  name: 'database-published-weak-password',
  title: 'Database published to the world with a password anyone has',
  severity: 'error',
  group: 'database',
  checklist: 'db-security',
  target: 'process',
  docs: {
    what: 'Reports a service of a production compose file that runs an official PostgreSQL, MySQL, MariaDB, Redis or Memcached image and publishes the database\'s port on every interface of the host (`ports: - "5432:5432"`, no `127.0.0.1:` in front) or on one public address of the host, when the database accepts connections without a password (`POSTGRES_HOST_AUTH_METHOD: trust`, `MYSQL_ALLOW_EMPTY_PASSWORD`) or its password is written in the file — one anyone can guess (`postgres`, `admin`, the user\'s name) or any other literal; a Redis (or Valkey) server started without `--requirepass` or a configuration file has no password at all (the official image turns protected mode off), and a Memcached server started without `-S` (SASL) lets every client in. A password the deploy supplies (`${POSTGRES_PASSWORD}`, a `_FILE` secret) and a development compose file are not reported (nor a docker-compose.yml whose docker-compose.override.yml, which a plain `docker compose up` merges over it, runs the app with the development server or a development settings module while production serves it elsewhere, from a Procfile or a platform), nor is a port published on one address of a private network (`10.0.0.5:5432:5432`, RFC 1918; a Tailscale or other `100.64.0.0/10` address, RFC 6598; a link-local one): Docker listens on that address only, and only that network reaches it (catalogue/addressRanges.ts). The variables and defaults of each image are those its documentation gives (catalogue/databaseImages.ts).',
    why: 'Docker publishes a port by writing its own firewall rules: `5432:5432` opens the database to every address that can reach the host, even past a host firewall such as ufw. Scanners try the default accounts of published databases within minutes; with the password in the repository (or none), anyone gets the superuser: every row of the app, and on PostgreSQL `COPY … FROM PROGRAM` runs commands on the host.',
    example:
      'services:\n  db:\n    image: postgres:16\n    ports:\n      - "5432:5432"\n    environment:\n      POSTGRES_PASSWORD: postgres',
    fix: 'Do not publish the database: the app reaches it as `db:5432` over the compose network. If something on the host needs it, publish it on the loopback interface only (`127.0.0.1:5432:5432`). Set a strong password from outside the repository (`POSTGRES_PASSWORD_FILE` with a compose secret, or `${POSTGRES_PASSWORD:?}` from the environment), and change the one that was published.',
    good: 'services:\n  db:\n    image: postgres:16\n    environment:\n      POSTGRES_PASSWORD_FILE: /run/secrets/db_password\n    secrets:\n      - db_password',
    references: [
      {
        title: 'Docker: packet filtering and firewalls (published ports)',
        url: 'https://docs.docker.com/engine/network/packet-filtering-firewalls/',
      },
      { title: 'Docker Official Images: postgres', url: 'https://hub.docker.com/_/postgres' },
    ],
  },
  check(ctx) {
    const m = ctx.appServer;
    let databases = 0;
    for (const c of m.processes.compose) {
      // beside an app service that is not production's (mounting the source, running runserver), a
      // database is the local one, whatever the file's name says
      const apps = c.services.filter((o) => (o.build || o.image) && !(o.image && isBackingServiceImage(o.image)) && !isProxyService(o));
      if (apps.some((o) => !composeServiceProduction(m, ctx.project, c.file, o))) continue;
      for (const s of c.services) {
        const db = s.image ? databaseImage(s.image) : undefined;
        if (!db || !composeServiceProduction(m, ctx.project, c.file, s)) continue;
        databases++;
        const hit = s.ports.map((p) => ({ p, on: publishedBeyondHost(p.text, db.port) })).find((x) => x.on !== undefined);
        if (!hit?.on) continue;
        const { p: published, on } = hit;
        const where = on.reach === 'every' ? 'on every interface of the host' : `on ${on.host}, a public address of the host`;
        const weak = weakness(s, db);
        if (!weak) continue;
        ctx.report({
          loc: published.loc,
          message: `${db.name} (${path.basename(c.file)}, service ${s.name}) is published ${where} (\`${published.text}\`) and ${weak.what} (${placeOf(ctx, weak.loc)}): ${weak.who ?? 'anyone who reaches the host'} ${db.access ?? `logs in as ${weak.user}`}; do not publish it (or only on 127.0.0.1)${db.access ? '' : ', and set a strong password from a secret'}.`,
        });
      }
    }
    if (databases === 0) ctx.notApplicable('no production compose file runs a PostgreSQL, MySQL, MariaDB, Redis or Memcached image');
  },
};
