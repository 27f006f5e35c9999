// When the releases a production deployment runs stop getting security fixes: Django's release
// lines, Python's, the Linux distributions the official images are built on (Debian, Alpine,
// Ubuntu), and the gunicorn releases with known request-smuggling vulnerabilities. Each date is as
// its publisher writes it (a month when the publisher gives a month), with the page that says it.
// The quotes are condensed from each page's table (the release and its date, as the page writes them).
// A date is compared with the day of the analysis (base/clock.ts analysisDay): a month has passed
// when the analysis is on the first day of the next month or later. `END_OF_LIFE_AS_OF` is the day
// these tables were last checked against their sources; a release newer than the tables know is
// never reported.

import type { Fact } from './facts';

/** The day the tables below were last checked against their sources. */
export const END_OF_LIFE_AS_OF = '2026-11-26';

export interface EndOfLife {
  /** The release line: "4.2", "3.10", "bullseye", "3.14". */
  readonly release: string;
  /** The last day of support, or its month ("2026-04") when the publisher gives only a month. */
  readonly until: string;
}

export interface EndOfLifeTable {
  readonly product: string;
  /** What the date is the end of ("extended support", "security support", "LTS"). */
  readonly what: string;
  readonly source: { readonly url: string; readonly quote: string };
  readonly releases: readonly EndOfLife[];
  /** What to move to when every release the table lists has ended ("Caddy 2"). */
  readonly successor?: string;
}

export const DJANGO_EOL: EndOfLifeTable = {
  product: 'Django',
  what: 'extended support (security fixes)',
  source: {
    url: 'https://www.djangoproject.com/download/#supported-versions',
    quote:
      'Release series … End of extended support: 4.2 LTS April 2026; 5.2 LTS April 2028; 6.0 April 2027 (unsupported previous releases: 5.1 December 2025, 5.0 April 2025, 4.1 December 2023, 4.0 April 2023, 3.2 LTS April 2024 … 1.7 December 2015, 1.6 April 2015, 1.5 November 2014, 1.4 LTS October 2015)',
  },
  releases: [
    { release: '1.4', until: '2015-10' },
    { release: '1.5', until: '2014-11' },
    { release: '1.6', until: '2015-04' },
    { release: '1.7', until: '2015-12' },
    { release: '1.8', until: '2018-04' },
    { release: '1.9', until: '2017-04' },
    { release: '1.10', until: '2017-12' },
    { release: '1.11', until: '2020-04' },
    { release: '2.0', until: '2019-04' },
    { release: '2.1', until: '2019-12' },
    { release: '2.2', until: '2022-04' },
    { release: '3.0', until: '2021-04' },
    { release: '3.1', until: '2021-12' },
    { release: '3.2', until: '2024-04' },
    { release: '4.0', until: '2023-04' },
    { release: '4.1', until: '2023-12' },
    { release: '4.2', until: '2026-04' },
    { release: '5.0', until: '2025-04' },
    { release: '5.1', until: '2025-12' },
    { release: '5.2', until: '2028-04' },
    { release: '6.0', until: '2027-04' },
  ],
};

export const PYTHON_EOL: EndOfLifeTable = {
  product: 'Python',
  what: 'security support',
  source: {
    url: 'https://devguide.python.org/versions/',
    quote:
      'Supported versions … End of life: 3.14 2030-10, 3.13 2029-10, 3.12 2028-10, 3.11 2027-10, 3.10 2026-10; Unsupported versions: 3.9 2025-10-31, 3.8 2024-10-07, 3.7 2023-06-27, 3.6 2021-12-23, 3.5 2020-09-30, 2.7 2020-01-01',
  },
  releases: [
    { release: '2.7', until: '2020-01-01' },
    { release: '3.5', until: '2020-09-30' },
    { release: '3.6', until: '2021-12-23' },
    { release: '3.7', until: '2023-06-27' },
    { release: '3.8', until: '2024-10-07' },
    { release: '3.9', until: '2025-10-31' },
    { release: '3.10', until: '2026-10' },
    { release: '3.11', until: '2027-10' },
    { release: '3.12', until: '2028-10' },
    { release: '3.13', until: '2029-10' },
    { release: '3.14', until: '2030-10' },
  ],
};

/** Debian releases by codename, with their version number; the date is the end of the Debian LTS team's support. */
export const DEBIAN_EOL: EndOfLifeTable & { readonly numbers: Readonly<Record<string, string>> } = {
  product: 'Debian',
  what: 'long-term support (Debian LTS)',
  source: {
    url: 'https://wiki.debian.org/LTS',
    quote:
      '(condensed from the page’s table) Debian 8 "Jessie" … until June 30, 2020; Debian 9 "Stretch" … June 30, 2022; Debian 10 "Buster" … June 30, 2024; Debian 11 "Bullseye" … August 31, 2026; Debian 12 "Bookworm" … June 30, 2028; Debian 13 "Trixie" … June 30, 2030',
  },
  releases: [
    { release: 'jessie', until: '2020-06-30' },
    { release: 'stretch', until: '2022-06-30' },
    { release: 'buster', until: '2024-06-30' },
    { release: 'bullseye', until: '2026-08-31' },
    { release: 'bookworm', until: '2028-06-30' },
    { release: 'trixie', until: '2030-06-30' },
  ],
  numbers: { '8': 'jessie', '9': 'stretch', '10': 'buster', '11': 'bullseye', '12': 'bookworm', '13': 'trixie' },
};

export const ALPINE_EOL: EndOfLifeTable = {
  product: 'Alpine Linux',
  what: 'security support',
  source: {
    url: 'https://alpinelinux.org/releases/',
    quote:
      'Branch … End of support: v3.21 2026-11-01, v3.20 2026-04-01, v3.19 2025-11-01, v3.18 2025-05-09, v3.17 2024-11-22, v3.16 2024-05-23, v3.15 2023-11-01, v3.14 2023-05-01, v3.13 2022-11-01, v3.12 2022-05-01',
  },
  releases: [
    { release: '3.10', until: '2021-05-01' },
    { release: '3.11', until: '2021-11-01' },
    { release: '3.12', until: '2022-05-01' },
    { release: '3.13', until: '2022-11-01' },
    { release: '3.14', until: '2023-05-01' },
    { release: '3.15', until: '2023-11-01' },
    { release: '3.16', until: '2024-05-23' },
    { release: '3.17', until: '2024-11-22' },
    { release: '3.18', until: '2025-05-09' },
    { release: '3.19', until: '2025-11-01' },
    { release: '3.20', until: '2026-04-01' },
    { release: '3.21', until: '2026-11-01' },
    { release: '3.22', until: '2027-05-01' },
    { release: '3.23', until: '2027-11-01' },
  ],
};

/** Ubuntu LTS releases by version, with their codenames; the date is the end of standard support. */
export const UBUNTU_EOL: EndOfLifeTable & { readonly codenames: Readonly<Record<string, string>> } = {
  product: 'Ubuntu',
  what: 'standard support',
  source: {
    url: 'https://ubuntu.com/about/release-cycle',
    quote:
      'Ubuntu LTS … Released | End of Standard Support: 24.04 LTS (Noble Numbat) Apr 2024 | Apr 2029; 22.04 LTS (Jammy Jellyfish) Apr 2022 | Jun 2027; 20.04 LTS (Focal Fossa) Apr 2020 | May 2025; 18.04 LTS May 2023; 16.04 LTS Apr 2021',
  },
  releases: [
    { release: '16.04', until: '2021-04' },
    { release: '18.04', until: '2023-05' },
    { release: '20.04', until: '2025-05' },
    { release: '22.04', until: '2027-06' },
    { release: '24.04', until: '2029-04' },
  ],
  codenames: { xenial: '16.04', bionic: '18.04', focal: '20.04', jammy: '22.04', noble: '24.04' },
};

/** PostgreSQL major versions; the date is the final release ("end-of-life") of the PostgreSQL Global Development Group. */
export const POSTGRES_EOL: EndOfLifeTable = {
  product: 'PostgreSQL',
  what: 'community support (final release)',
  source: {
    url: 'https://www.postgresql.org/support/versioning/',
    quote:
      'The PostgreSQL Global Development Group supports a major version for 5 years after its initial release. After its five year anniversary, a major version will have one last minor release containing any fixes and will be considered end-of-life (EOL) and no longer supported. … (Final Release:) 18 November 14, 2030; 17 November 8, 2029; 16 November 9, 2028; 15 November 11, 2027; 14 November 12, 2026; 13 November 13, 2025; 12 November 21, 2024; 11 November 9, 2023; 10 November 10, 2022; 9.6 November 11, 2021; 9.5 February 11, 2021; 9.4 February 13, 2020; 9.3 November 8, 2018',
  },
  releases: [
    { release: '9.3', until: '2018-11-08' },
    { release: '9.4', until: '2020-02-13' },
    { release: '9.5', until: '2021-02-11' },
    { release: '9.6', until: '2021-11-11' },
    { release: '10', until: '2022-11-10' },
    { release: '11', until: '2023-11-09' },
    { release: '12', until: '2024-11-21' },
    { release: '13', until: '2025-11-13' },
    { release: '14', until: '2026-11-12' },
    { release: '15', until: '2027-11-11' },
    { release: '16', until: '2028-11-09' },
    { release: '17', until: '2029-11-08' },
    { release: '18', until: '2030-11-14' },
  ],
};

/** MySQL release series (Community); the date is the end of Oracle's support of the series, as Oracle gives its month. */
export const MYSQL_EOL: EndOfLifeTable = {
  product: 'MySQL',
  what: "Oracle's support (end of life)",
  source: {
    url: 'https://blogs.oracle.com/mysql/post/introducing-mysql-innovation-and-longterm-support-lts-versions',
    quote:
      '(MySQL 5.7: Oracle Lifetime Support Policy, Extended Support ends October 2023; MySQL 5.6: February 2021; MySQL 5.5: December 2018) … "8.0.34+ will transition to only bug fixes until 8.0 End-Of-Life (EOL) scheduled for April-2026" … "LTS Releases will follow the Oracle Lifetime Support Policy, which includes 5 years of premier and 3 years of extended support" (8.4 LTS: April 2032)',
  },
  releases: [
    { release: '5.5', until: '2018-12' },
    { release: '5.6', until: '2021-02' },
    { release: '5.7', until: '2023-10' },
    { release: '8.0', until: '2026-04' },
    { release: '8.4', until: '2032-04' },
  ],
};

/** MariaDB long-term releases (and the older yearly ones); the date is the MariaDB Foundation's end of life. */
export const MARIADB_EOL: EndOfLifeTable = {
  product: 'MariaDB',
  what: "the MariaDB Foundation's maintenance",
  source: {
    url: 'https://mariadb.org/about/#maintenance-policy',
    quote:
      '(condensed from the page’s table: release, end of life) 10.0 2019-03-31; 10.1 2020-10-17; 10.2 2022-05-23; 10.3 2023-05-25; 10.4 2024-06-18; 10.5 2025-06-24; 10.6 2026-07-06; 10.11 2028-02-16; 11.4 2029-05-29 … "MariaDB 10.6 is the latest previously announced LTS, and it is supported from 2021-07-06 to 2026-07-06" (mariadb.org/mariadb-10-11-is-lts)',
  },
  releases: [
    { release: '10.0', until: '2019-03-31' },
    { release: '10.1', until: '2020-10-17' },
    { release: '10.2', until: '2022-05-23' },
    { release: '10.3', until: '2023-05-25' },
    { release: '10.4', until: '2024-06-18' },
    { release: '10.5', until: '2025-06-24' },
    { release: '10.6', until: '2026-07-06' },
    { release: '10.11', until: '2028-02-16' },
    { release: '11.4', until: '2029-05-29' },
  ],
};

/**
 * nginx branches: the open-source project fixes only its current stable (even) and mainline (odd)
 * branches, so a branch is past support once the next stable one is released (the mainline branch
 * before it becomes that stable one). The month of each stable release, from nginx.org's news.
 */
export const NGINX_EOL: EndOfLifeTable = {
  product: 'nginx',
  what: 'support (a newer stable branch replaced it)',
  source: {
    url: 'https://nginx.org/en/download.html',
    quote:
      '(the page lists the "Mainline version", the "Stable version" and "Legacy versions"; nginx.org/en/index.html: nginx-1.28.0 stable version has been released, April 2025; nginx-1.26.0, April 2024; nginx-1.24.0, April 2023; nginx-1.22.0, May 2022; nginx-1.20.0, April 2021; nginx-1.18.0, April 2020; nginx-1.16.0, April 2019; nginx-1.14.0, April 2018; nginx-1.12.0, April 2017)',
  },
  releases: [
    { release: '1.10', until: '2017-04' },
    { release: '1.11', until: '2017-04' },
    { release: '1.12', until: '2018-04' },
    { release: '1.13', until: '2018-04' },
    { release: '1.14', until: '2019-04' },
    { release: '1.15', until: '2019-04' },
    { release: '1.16', until: '2020-04' },
    { release: '1.17', until: '2020-04' },
    { release: '1.18', until: '2021-04' },
    { release: '1.19', until: '2021-04' },
    { release: '1.20', until: '2022-05' },
    { release: '1.21', until: '2022-05' },
    { release: '1.22', until: '2023-04' },
    { release: '1.23', until: '2023-04' },
    { release: '1.24', until: '2024-04' },
    { release: '1.25', until: '2024-04' },
    { release: '1.26', until: '2025-04' },
    { release: '1.27', until: '2025-04' },
  ],
};

/**
 * Traefik Proxy minor versions: only the latest minor gets fixes, and the last minor of a major one
 * year of security fixes after the next major. A version with no security support ends with its
 * active support. Versions after 3.2 are not listed (the page's newest, 3.3, still supported there).
 */
export const TRAEFIK_EOL: EndOfLifeTable = {
  product: 'Traefik',
  what: 'support (security fixes)',
  source: {
    url: 'https://doc.traefik.io/traefik/deprecation/releases/',
    quote:
      '| 3.2 | Oct 28, 2024 | Ended Jan 06, 2025 | No | … | 3.0 | Apr 29, 2024 | Ended Jul 15, 2024 | No | | 2.11 | Feb 12, 2024 | Ends Apr 29, 2025 | Ends Feb 01, 2026 | | 2.10 | Apr 24, 2023 | Ended Feb 12, 2024 | No | … | 2.0 | Sep 16, 2019 | Ended Dec 11, 2019 | No | | 1.7 | Sep 24, 2018 | Ended Dec 31, 2021 | No | (Version | Release Date | Active Support | Security Support)',
  },
  releases: [
    { release: '1.7', until: '2021-12-31' },
    { release: '2.0', until: '2019-12-11' },
    { release: '2.1', until: '2020-03-25' },
    { release: '2.2', until: '2020-09-23' },
    { release: '2.3', until: '2021-01-19' },
    { release: '2.4', until: '2021-08-17' },
    { release: '2.5', until: '2022-01-24' },
    { release: '2.6', until: '2022-05-24' },
    { release: '2.7', until: '2022-06-29' },
    { release: '2.8', until: '2022-10-03' },
    { release: '2.9', until: '2023-04-24' },
    { release: '2.10', until: '2024-02-12' },
    { release: '2.11', until: '2026-02-01' },
    { release: '3.0', until: '2024-07-15' },
    { release: '3.1', until: '2024-10-28' },
    { release: '3.2', until: '2025-01-06' },
  ],
};

/**
 * Redis (open source): the latest stable release is maintained, and only two others get critical and
 * security fixes: the previous minor of the latest, and the previous major. A line's support has so
 * ended by the release that leaves it neither (3.2 by 5.0's release); the month is that release's.
 * 6.0 has the month of 7.4's release, when Redis's security policy lists no release before 6.2 (its
 * own earlier copy still listed 6.0 beside 7.0): a bound, the end may be earlier. A bare major names
 * its last series (`redis:5` is 5.0; `redis:7`, still moving, names none).
 */
export const REDIS_EOL: EndOfLifeTable = {
  product: 'Redis',
  what: 'maintenance (security fixes)',
  source: {
    url: 'https://redis.io/docs/about/releases/',
    quote:
      'The latest stable release is always fully supported and maintained. Two additional versions receive maintenance only, meaning that only fixes for critical bugs and major security issues are committed and released as patches: The previous minor version of the latest stable release. The previous stable major release. … (github.com/redis/redis/security, SECURITY.md: "We generally backport security issues to a single previous major version" | 7.4.x ✅ | 7.2.x ✅ | < 7.2.x ❌ | 6.2.x ✅ | < 6.2.x ❌) (releases: 4.0.0 July 2017, 5.0.0 October 2018, 6.0.0 April 2020, 7.0.0 April 2022, 7.4.0 July 2024: github.com/redis/redis/releases)',
  },
  releases: [
    { release: '2.8', until: '2017-07' },
    { release: '3.0', until: '2017-07' },
    { release: '3.2', until: '2018-10' },
    { release: '4.0', until: '2020-04' },
    { release: '5.0', until: '2022-04' },
    { release: '6.0', until: '2024-07' },
  ],
  successor: 'a release Redis still maintains: github.com/redis/redis/security',
};

/**
 * Caddy 1 (and the 0.x releases before it): Caddy 2, released in May 2020, replaced it, and the 0.x
 * and 1.x lines are no longer developed. Images of it: abiosoft/caddy (Caddy 1 only) and the old 0.x
 * and 1.x tags of `caddy`.
 */
export const CADDY_EOL: EndOfLifeTable = {
  product: 'Caddy',
  what: 'development',
  source: {
    url: 'https://github.com/caddyserver/caddy/tree/v1',
    quote:
      '(the Caddy v1 website archive, compiled by the Caddy project in June 2020:) "It is provided only as a courtesy for users still requiring documentation for Caddy v1, which was obsoleted in May. Note that Caddy 0.x and 1.x are no longer developed. Please upgrade to the latest version soon." (github.com/caddyserver/examples: "OBSOLETE. This repo was for Caddy v1.")',
  },
  releases: [{ release: '1', until: '2020-05' }],
  successor: 'Caddy 2, with its Caddyfile rewritten',
};

/**
 * Caddy before 0.10.12 speaks only ACMEv1 to Let's Encrypt, which Let's Encrypt turned off in June
 * 2021: such a Caddy can no longer obtain or renew a Let's Encrypt certificate.
 */
export const CADDY_ACME_V1 = {
  firstAcmeV2: '0.10.12',
  source: {
    url: 'https://community.letsencrypt.org/t/end-of-life-plan-for-acmev1/88430',
    quote:
      'In June of 2021 we will entirely disable ACMEv1 as a viable way to get a Let’s Encrypt certificate. … (github.com/caddyserver/caddy/issues/2124, Caddy\'s author: "0.10.12 is the first version to use the ACMEv2 endpoint")',
  },
} as const;

/** The proxies among the tables (a message says "the proxy" rather than "the data service"). */
export const PROXY_EOL_TABLES: ReadonlySet<EndOfLifeTable> = new Set([NGINX_EOL, TRAEFIK_EOL, CADDY_EOL]);

/** The last series of a Redis major that no longer moves (`redis:5` is 5.0 for good). */
const REDIS_LAST_SERIES: Readonly<Record<string, string>> = { '2': '2.8', '3': '3.2', '4': '4.0', '5': '5.0' };

/**
 * The release of a data service an image reference names in its tag: the official `postgres:<major>`
 * (`postgres:13-alpine`, `postgres:9.6`), `postgis/postgis:<pg major>-<postgis>` (the image's tags name
 * PostgreSQL first: https://hub.docker.com/r/postgis/postgis), `timescale/timescaledb:<version>-pg<major>`,
 * `mysql:<series>` (`mysql/mysql-server`), `mariadb:<series>`, `redis:<series>` (`bitnami/redis`); and the proxy beside them, `nginx:<branch>`, `traefik:v<minor>`, Caddy 1 (`abiosoft/caddy:<version>`, with the version as `version`). A tag with a variable, none (`latest`) or
 * only a major that a newer series now answers (`mysql:8`, `mariadb:10`) names no release.
 */
export function dataServiceRelease(ref: string): { table: EndOfLifeTable; release: string; version?: string } | undefined {
  const noDigest = ref.trim().toLowerCase().split('@')[0]!;
  const slash = noDigest.lastIndexOf('/');
  const colon = noDigest.indexOf(':', slash + 1);
  if (colon < 0) return undefined;
  const repo = noDigest.slice(0, colon).replace(/^(docker\.io\/)?(library\/)?/, '');
  const tag = noDigest.slice(colon + 1);
  if (tag.includes('$') || tag.includes('{')) return undefined;
  const first = tag.split('-')[0]!;
  const known = (table: EndOfLifeTable, release: string | undefined) =>
    release && table.releases.some((r) => r.release === release) ? { table, release } : undefined;
  if (repo === 'postgres' || repo === 'postgis/postgis') {
    const m = /^(9\.\d)(?:\.\d{1,2})?$|^(1\d)(?:\.\d{1,2})?$/.exec(first);
    return m ? known(POSTGRES_EOL, m[1] ?? m[2]) : undefined;
  }
  if (repo === 'timescale/timescaledb' || repo === 'timescale/timescaledb-ha') {
    const m = /(?:^|-)pg(1\d)(?:[.-]|$)/.exec(tag);
    return m ? known(POSTGRES_EOL, m[1]) : undefined;
  }
  const series = /^(\d{1,2}\.\d{1,2})(?:\.\d{1,3})?$/.exec(first)?.[1];
  if (repo === 'mysql' || repo === 'mysql/mysql-server') return known(MYSQL_EOL, series);
  if (repo === 'mariadb') return known(MARIADB_EOL, series);
  // nginx and its unprivileged build (`nginx:1.19`, `nginx:1.17.9-alpine`, `nginxinc/nginx-unprivileged:1.20`)
  if (repo === 'nginx' || repo === 'nginxinc/nginx-unprivileged') return known(NGINX_EOL, series);
  // Traefik's tags carry a v or not (`traefik:v2.2.11`, `traefik:2.10`)
  if (repo === 'traefik') return known(TRAEFIK_EOL, /^v?(\d{1,2}\.\d{1,2})(?:\.\d{1,3})?$/.exec(first)?.[1]);
  // Redis and Bitnami's build of it (`redis:3.2-alpine`, `redis:5`, `bitnami/redis:5.0.14-debian-10-r1`)
  if (repo === 'redis' || repo === 'bitnami/redis') return known(REDIS_EOL, series ?? REDIS_LAST_SERIES[first]);
  // Caddy 1 and 0.x (`abiosoft/caddy:0.10.6`, `caddy:0.11.0`; `caddy:2` is Caddy 2)
  if (repo === 'abiosoft/caddy' || repo === 'caddy') {
    const v = /^v?([01]\.\d{1,2}(?:\.\d{1,2})?)$/.exec(first)?.[1];
    const r = v ? known(CADDY_EOL, '1') : undefined;
    return r && v ? { ...r, version: v } : undefined;
  }
  return undefined;
}

/**
 * Where a platform that builds the app on its own Python (no Dockerfile) reads the Python version,
 * in the order it reads them: the first file (or variable) that says one wins.
 */
export interface PlatformPythonSource {
  readonly platform: string;
  /** The files at the app's root, or the variable, in the platform's order. */
  readonly reads: readonly string[];
  readonly source: { readonly url: string; readonly quote: string };
}

export const HEROKU_PYTHON_VERSION: PlatformPythonSource = {
  platform: 'Heroku',
  reads: ['runtime.txt', '.python-version'],
  source: {
    url: 'https://devcenter.heroku.com/articles/python-runtimes',
    quote:
      'The buildpack will look for a Python version in the following places (in descending order of precedence): runtime.txt file (deprecated), .python-version file (recommended), The python_full_version and python_version fields in Pipfile.lock (Pipenv users only)',
  },
};

export const RENDER_PYTHON_VERSION: PlatformPythonSource = {
  platform: 'Render',
  reads: ['PYTHON_VERSION', '.python-version'],
  source: {
    url: 'https://render.com/docs/python-version',
    quote:
      "Set a different Python version in any of the following ways (in descending order of precedence): 1. Set your service's PYTHON_VERSION environment variable to a fully qualified Python version (e.g., 3.13.5). … 2. Add a file named .python-version to the root of your repo.",
  },
};

/**
 * Cloud Foundry's Python buildpack (`python_buildpack`, github.com/cloudfoundry/python-buildpack): the
 * version in runtime.txt at the root of the app it pushes, read as `python-3.8.10` or with the patch
 * or minor release left to the buildpack as `x` (`python-3.8.x`: the latest 3.8 it ships; `python-3.x`:
 * no series said). The buildpack's supply step reads runtime.txt alone (then Pipfile.lock's
 * `python_version` when there is none), not `.python-version`, and matches it with libbuildpack's
 * FindMatchingVersion, whose constraints take `*` as `x` (src/python/supply/supply.go InstallPython).
 */
export const CLOUD_FOUNDRY_PYTHON_VERSION: PlatformPythonSource = {
  platform: 'Cloud Foundry',
  reads: ['runtime.txt'],
  source: {
    url: 'https://docs.cloudfoundry.org/buildpacks/python/index.html#runtime',
    quote:
      'You can specify a version of the Python runtime by including it within a runtime.txt file. … To request the latest Python version in a patch line, replace the patch version with x: 3.6.x. To request the latest version in a minor line, replace the minor version: 3.x.',
  },
};

/**
 * App Engine standard's `runtime: python3X` runs CPython 3.X, whose end of life (PYTHON_EOL) is the one
 * compared: App Engine stops maintaining a runtime when its language version is no longer maintained
 * upstream, and its own end-of-support date for the runtime is set from it. The legacy `python27`
 * runtime, which Google kept patching after CPython 2.7's end of life, has App Engine's own date.
 */
export const APP_ENGINE_PYTHON: PlatformPythonSource & { readonly legacy: EndOfLife & { readonly url: string; readonly quote: string } } = {
  platform: 'App Engine',
  reads: ['runtime'],
  source: {
    url: 'https://cloud.google.com/appengine/docs/standard/lifecycle/runtime-lifecycle',
    quote:
      'When a language version is no longer actively maintained by the respective community, App Engine will also stop providing maintenance and support for that language runtime. … End of Support: … Language patches: No automatic updates',
  },
  legacy: {
    release: '2.7',
    until: '2024-01-30',
    url: 'https://cloud.google.com/appengine/docs/standard/long-term-support',
    quote: 'Legacy runtimes have reached end of support on January 30, 2024.',
  },
};

/** A known vulnerability of gunicorn, and the first release the advisory lists as fixed. */
export interface GunicornAdvisory {
  readonly id: string;
  readonly fixedIn: string;
  readonly what: string;
  readonly source: { readonly url: string; readonly quote: string };
}

export const GUNICORN_ADVISORIES: readonly GunicornAdvisory[] = [
  {
    id: 'CVE-2024-1135',
    fixedIn: '22.0.0',
    what: 'request smuggling through conflicting Transfer-Encoding headers, bypassing endpoint restrictions',
    source: {
      url: 'https://github.com/advisories/GHSA-w3h3-4rj7-4ph4',
      quote:
        'Gunicorn fails to properly validate Transfer-Encoding headers, leading to HTTP Request Smuggling (HRS) vulnerabilities. … This issue has been addressed in version 22.0.0.',
    },
  },
  {
    id: 'CVE-2024-6827',
    fixedIn: '23.0.0',
    what: 'request smuggling (TE.CL) through a Transfer-Encoding value gunicorn does not validate',
    source: {
      url: 'https://github.com/advisories/GHSA-hc5x-x2vx-497g',
      quote:
        "Gunicorn version 21.2.0 does not properly validate the value of the 'Transfer-Encoding' header as specified in the RFC standards, which leads to the default fallback method of 'Content-Length,' making it vulnerable to TE.CL request smuggling. (Patched versions: 23.0.0)",
    },
  },
];

/**
 * gunicorn worker classes that hand gunicorn's listening sockets to another server, which parses
 * HTTP itself: with them gunicorn only manages the processes, so its own parser's request-smuggling
 * bugs (GUNICORN_ADVISORIES) are not on the request path.
 */
export interface ForeignParserWorker {
  /** The worker_class as written (`-k uvicorn.workers.UvicornWorker`). */
  readonly workerClass: string;
  /** Who parses HTTP instead. */
  readonly parser: string;
  readonly source: { readonly url: string; readonly quote: string };
}

const UVICORN_WORKERS = {
  url: 'https://github.com/encode/uvicorn/blob/0036d13ab5adffba00ad155c1ec3e8c301b50f00/uvicorn/workers.py',
  quote:
    'class UvicornWorker(Worker): … CONFIG_KWARGS = {"loop": "uvloop", "http": "httptools"} … server = Server(config=self.config) … loop.run_until_complete(server.serve(sockets=self.sockets)) … class UvicornH11Worker(UvicornWorker): CONFIG_KWARGS = {"loop": "asyncio", "http": "h11"}',
};
const UVICORN_WORKER_PACKAGE = {
  url: 'https://github.com/Kludex/uvicorn-worker/blob/065502ef88d97765fc6d82d355ebc17f077588dc/uvicorn_worker/_workers.py',
  quote:
    'class UvicornWorker(Worker): … CONFIG_KWARGS: dict[str, Any] = {"loop": "auto", "http": "auto"} … server = Server(config=self.config) … await server.serve(sockets=self.sockets) … class UvicornH11Worker(UvicornWorker): CONFIG_KWARGS = {"loop": "asyncio", "http": "h11"}',
};

export const GUNICORN_FOREIGN_PARSER_WORKERS: readonly ForeignParserWorker[] = [
  { workerClass: 'uvicorn.workers.UvicornWorker', parser: 'uvicorn (httptools or h11)', source: UVICORN_WORKERS },
  { workerClass: 'uvicorn.workers.UvicornH11Worker', parser: 'uvicorn (h11)', source: UVICORN_WORKERS },
  { workerClass: 'uvicorn_worker.UvicornWorker', parser: 'uvicorn (httptools or h11)', source: UVICORN_WORKER_PACKAGE },
  { workerClass: 'uvicorn_worker.UvicornH11Worker', parser: 'uvicorn (h11)', source: UVICORN_WORKER_PACKAGE },
];

/** The day a release's support ends, as a comparable `YYYY-MM-DD` (a month's last day for a month). */
export function lastDay(until: string): string {
  if (/^\d{4}-\d{2}-\d{2}$/.test(until)) return until;
  const [y, m] = until.split('-').map(Number);
  const last = new Date(Date.UTC(y!, m!, 0)).getUTCDate();
  return `${until}-${String(last).padStart(2, '0')}`;
}

/** The end of support of a release line in a table, when it is known and has passed on `day` (YYYY-MM-DD). */
export function endedBy(table: EndOfLifeTable, release: string, day: string): EndOfLife | undefined {
  const r = table.releases.find((x) => x.release === release);
  return r && lastDay(r.until) < day ? r : undefined;
}

/** "April 2026", "31 October 2025": a date as people read it. */
export function spoken(until: string): string {
  const months = ['January', 'February', 'March', 'April', 'May', 'June', 'July', 'August', 'September', 'October', 'November', 'December'];
  const [y, m, d] = until.split('-');
  const month = months[Number(m) - 1] ?? m;
  return d ? `${Number(d)} ${month} ${y}` : `${month} ${y}`;
}

/**
 * Images outside the official library whose tags name the Python they carry: nikolaik/python-nodejs
 * writes `python<X.Y>-nodejs<N>[-<distribution>]` (a tag without a distribution is built on the
 * current Debian of its day, which the tag does not name).
 */
export const PYTHON_TAGGED_IMAGES: ReadonlyMap<string, { readonly tagPrefix: string; readonly source: Fact<string>['source'] }> = new Map([
  [
    'nikolaik/python-nodejs',
    {
      tagPrefix: 'python',
      source: {
        url: 'https://github.com/nikolaik/docker-python-nodejs#tags',
        quote:
          'To use a specific combination of Python and Node.js see the following table of available image tags. | Tag | Python version | Node.js version | Distro | python3.12-nodejs22 | 3.12.3 | 22.0.0 | bookworm | python3.12-nodejs22-bullseye | 3.12.3 | 22.0.0 | bullseye |',
      },
    },
  ],
]);

/**
 * The releases an image reference names in its tag, as the official images write their tags:
 * `python:<version>[-<variant>][-<distribution>]` (`python:3.8-slim-buster`, `python:3.9-alpine3.13`,
 * `python:alpine3.14`), `debian:<codename or number>`, `alpine:<version>`, `ubuntu:<version or
 * codename>`. A tag with a variable, or none (`latest`), names no release.
 */
export function baseImageReleases(ref: string): { python?: string; debian?: string; alpine?: string; ubuntu?: string } {
  const noDigest = ref.trim().toLowerCase().split('@')[0]!;
  const slash = noDigest.lastIndexOf('/');
  const colon = noDigest.indexOf(':', slash + 1);
  if (colon < 0) return {};
  const name = noDigest.slice(slash + 1, colon);
  const tag = noDigest.slice(colon + 1);
  if (tag.includes('$') || tag.includes('{')) return {};
  const parts = tag.split('-');
  const out: { python?: string; debian?: string; alpine?: string; ubuntu?: string } = {};
  const minor = (s: string): string | undefined => /^(\d{1,2}\.\d{1,2})(?:\.\d{1,3})?(?:[a-z]+\d*)?$/.exec(s)?.[1];
  const debianCodename = (s: string): string | undefined => (DEBIAN_EOL.releases.some((r) => r.release === s) ? s : undefined);
  const tagged = PYTHON_TAGGED_IMAGES.get(noDigest.slice(0, colon).replace(/^(?:index\.)?docker\.io\//, ''));
  if (name === 'python') {
    out.python = minor(parts[0]!);
    for (const p of parts) {
      out.debian ??= debianCodename(p);
      const a = /^alpine(\d{1,2}\.\d{1,2})$/.exec(p);
      if (a) out.alpine = a[1];
    }
  } else if (tagged) {
    if (parts[0]!.startsWith(tagged.tagPrefix)) out.python = minor(parts[0]!.slice(tagged.tagPrefix.length));
    for (const p of parts.slice(1)) out.debian ??= debianCodename(p);
  } else if (name === 'debian') {
    const first = parts[0]!;
    out.debian = debianCodename(first) ?? DEBIAN_EOL.numbers[first.split('.')[0]!];
  } else if (name === 'alpine') out.alpine = minor(parts[0]!);
  else if (name === 'ubuntu') {
    const first = parts[0]!;
    out.ubuntu = UBUNTU_EOL.codenames[first] ?? /^(\d{2}\.\d{2})(?:\.\d+)?$/.exec(first)?.[1];
  }
  // the releases named, without the parts that name none
  return Object.fromEntries(Object.entries(out).filter(([, v]) => v !== undefined));
}
