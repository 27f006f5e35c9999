// DDG322: production runs a release past its end of life: the Django the dependency files pin, the
// Python of a production image's base, or the Linux distribution that base is built on; the Python a
// production platform builds the app on (runtime.txt, .python-version, render's PYTHON_VERSION, App
// Engine's runtime) when no image of the repository runs it; and the database a production compose
// file or manifest runs (postgres:11, mysql:5.7, mariadb:10.4, redis:3.2), and the proxy in front of it
// (nginx, Traefik, Caddy 1).
import { analysisDay } from '../../base/clock';
import { compareVersions } from '../../base/versions';
import {
  ALPINE_EOL,
  APP_ENGINE_PYTHON,
  baseImageReleases,
  CADDY_ACME_V1,
  CADDY_EOL,
  dataServiceRelease,
  PROXY_EOL_TABLES,
  DEBIAN_EOL,
  DJANGO_EOL,
  endedBy,
  type EndOfLifeTable,
  lastDay,
  POSTGRES_EOL,
  PYTHON_EOL,
  spoken,
  UBUNTU_EOL,
} from '../../catalogue/endOfLife';
import { isBackingServiceImage } from '../../catalogue/databaseImages';
import { isProxyService } from '../../models/process/index';
import {
  builtStage,
  composeServiceProduction,
  productionPythonDockerfiles,
  stageChain,
  targetedPythonDockerfiles,
} from '../app-server/topology';
import { echoable, fileOf, placeOf, requirementLoc } from '../helpers';
import type { Loc } from '../../eval/values';
import type { DockerStage } from '../../readers/container/dockerfile';
import type { Rule } from '../types';

/** The supported lines of a table on `day`: the two newest ("5.2 or 6.0"), or the oldest "or newer" ("3.11 or newer"). */
function supported(table: EndOfLifeTable, day: string, orNewer = false): string {
  const open = table.releases.filter((r) => lastDay(r.until) >= day).map((r) => r.release);
  if (open.length === 0 && table.successor) return table.successor;
  // a table that lists only the branches already replaced (nginx's): the publisher's current one
  if (open.length === 0) return 'its current stable branch';
  return orNewer ? `${open[0]} or newer` : open.slice(-2).join(' or ');
}

/** "postgresql.org/support/versioning": a source page, short enough for a message. */
function short(url: string): string {
  return url.replace(/^https?:\/\/(www\.)?/, '').replace(/\/$/, '');
}

/**
 * What is past its end of life in a base image's tag on \`day\`: its Python and the distribution it is
 * built on, with the supported releases to move to; undefined when nothing is.
 */
function endedBase(base: string, day: string): string | undefined {
  const r = baseImageReleases(base);
  const parts: string[] = [];
  const instead: string[] = [];
  const py = r.python ? endedBy(PYTHON_EOL, r.python, day) : undefined;
  if (py) {
    parts.push(`Python ${r.python} (${PYTHON_EOL.what} ended ${spoken(py.until)})`);
    instead.push(`Python ${supported(PYTHON_EOL, day, true)}`);
  }
  const distro: [EndOfLifeTable, string | undefined][] = [
    [DEBIAN_EOL, r.debian],
    [ALPINE_EOL, r.alpine],
    [UBUNTU_EOL, r.ubuntu],
  ];
  for (const [table, release] of distro) {
    const e = release ? endedBy(table, release, day) : undefined;
    if (!e) continue;
    parts.push(`${table.product} ${release} (${table.what} ended ${spoken(e.until)})`);
    instead.push(`${table.product} ${supported(table, day, true)}`);
  }
  if (parts.length === 0) return undefined;
  return `${parts.join(' on ')}, with no security fixes since; move to a supported base (${instead.join(' on ')})`;
}

export const pastEndOfLife: Rule = {
  code: 'DDG322',
  name: 'release-past-end-of-life',
  title: 'Production runs a release past its end of life',
  severity: 'warning',
  group: 'deployment',
  checklist: 'supported-versions',
  target: 'process',
  docs: {
    what: "Reports a Django release line whose extended support has ended, as the dependency files pin it (a lock file, an `==` pin, or a constraint whose newest allowed release is past it; an assumed version is never reported), and the base image of a production Dockerfile that runs Python when its tag names a Python line past its end of life (`python:3.8`) or a distribution past its support (`-buster`, `alpine3.14`, `debian:10`, `ubuntu:20.04`, also as the bare base a Python is installed on), and an image outside the official library whose tags name the Python they carry (`nikolaik/python-nodejs:python3.9-nodejs21`). A Dockerfile whose last stage is for tests (`FROM backend AS test`) is built for production with `--target`, which the analysis does not read: its base is reported when every stage that runs Python is built on it. Where no production image runs the app, the Python the production platform builds it on, from the file that platform reads, in its order: the Python buildpack of a Procfile or app.json (Heroku, Scalingo, Dokku) reads `runtime.txt` then `.python-version`; Cloud Foundry's Python buildpack (an application of its manifest.yml naming `python_buildpack` or its repository, or none) reads `runtime.txt` alone at the folder it pushes, `python-3.8.x` naming the 3.8 series; render's python runtime reads `PYTHON_VERSION` then `.python-version`; App Engine standard's `runtime: python39` (compared with CPython's end of life, which App Engine's runtime support follows; `python27` with App Engine's own date). And the database a production compose service or manifest runs, as its image tag names the release (`postgres:11`, `postgis/postgis:12-3.1`, `mysql:5.7`, `mariadb:10.4`; `latest` or a bare major names none; not an init container, a Job or a CronJob, which use the image's client tools: `pg_isready`, `pg_dump`), also when the service builds its image from a Dockerfile `FROM` one of them (`FROM postgres:14` with maintenance scripts added; one finding on that FROM for every service that builds it), the Redis beside it as broker or cache (`redis:3.2-alpine`, `redis:5`, `bitnami/redis:4.0`; Redis maintains its latest release, the minor before it and the previous major), and the proxy it runs in front (not those of a development compose file: the developers’ stack — one named or filed for development, or one whose app service shows two signs of it, such as runserver picked as the mode of the image’s start script with `DJANGO_DEBUG: \"1\"` or runserver’s port published, while production serves the app elsewhere): nginx (`nginx:1.19`, `nginxinc/nginx-unprivileged:1.20`: nginx fixes only its current stable and mainline branches), Traefik, and Caddy 1 (`abiosoft/caddy:1.0.3`, also as the FROM of the Dockerfile a proxy service builds: Caddy 2 replaced it in May 2020; a Caddy before 0.10.12 speaks only ACMEv1, which Let's Encrypt turned off in June 2021, so it cannot get or renew its certificate). The dates are the publishers' (Django's download page, Python's devguide, Debian LTS, Alpine's and Ubuntu's release pages, PostgreSQL's versioning policy, Oracle's MySQL and the MariaDB Foundation's maintenance policies, Redis's release policy, nginx's release news, Traefik's release page, the Caddy v1 archive and Let's Encrypt's ACMEv1 end of life: catalogue/endOfLife.ts), compared with the day of the analysis.",
    why: 'A release past its end of life gets no more security fixes: every vulnerability found since (in Django, CPython, OpenSSL, glibc or musl) stays open in production, and scanners and compliance audits flag the image. Upgrading late also means crossing several releases at once, with their deprecations.',
    example: '# requirements.txt\nDjango==3.2.25\n\n# Dockerfile\nFROM python:3.8-slim-buster',
    fix: "Upgrade to a supported release: Django's current LTS or the latest release (read the release notes of each version crossed, and run the tests with warnings on), and a base image of a supported Python on a supported distribution (`python:3.12-slim-bookworm`). Pin the tag so the next end of life is visible.",
    good: '# requirements.txt\nDjango==5.2.8\n\n# Dockerfile\nFROM python:3.12-slim-bookworm',
    references: [
      { title: 'Django: supported versions', url: 'https://www.djangoproject.com/download/#supported-versions' },
      { title: 'Python: status of Python versions', url: 'https://devguide.python.org/versions/' },
      { title: 'Debian LTS', url: 'https://wiki.debian.org/LTS' },
      { title: 'Alpine Linux releases', url: 'https://alpinelinux.org/releases/' },
      { title: 'Heroku: specifying a Python version', url: 'https://devcenter.heroku.com/articles/python-runtimes' },
      { title: 'Render: setting your Python version', url: 'https://render.com/docs/python-version' },
      {
        title: 'App Engine standard: runtime lifecycle',
        url: 'https://cloud.google.com/appengine/docs/standard/lifecycle/runtime-lifecycle',
      },
      { title: 'PostgreSQL: versioning policy', url: 'https://www.postgresql.org/support/versioning/' },
      { title: 'MariaDB: maintenance policy', url: 'https://mariadb.org/about/#maintenance-policy' },
      { title: 'Redis: release cycle', url: 'https://redis.io/docs/about/releases/' },
      { title: "Let's Encrypt: end of life plan for ACMEv1", url: 'https://community.letsencrypt.org/t/end-of-life-plan-for-acmev1/88430' },
    ],
  },
  check(ctx) {
    const day = analysisDay();
    const m = ctx.appServer;
    const v = ctx.project.djangoVersion;
    if (!v.assumed && v.file) {
      const ended = endedBy(DJANGO_EOL, v.version, day);
      if (ended)
        ctx.report({
          loc: requirementLoc(ctx, v.file, 'django', v.exact),
          message: `Django ${v.exact ?? v.version} (${v.source}) has had no security fixes since ${spoken(ended.until)}, when ${DJANGO_EOL.what} of ${v.version} ended: upgrade to a supported release (${supported(DJANGO_EOL, day)}).`,
        });
    }
    for (const d of productionPythonDockerfiles(ctx.appServer, ctx.project)) {
      const chain = stageChain(d);
      const root = chain[chain.length - 1];
      const ended = root ? endedBase(root.base, day) : undefined;
      if (!root || !ended) continue;
      ctx.report({
        loc: root.baseLoc,
        message: `the production image is built on ${root.base}: ${ended}.`,
      });
    }
    // a Dockerfile whose last stage is for tests (\`FROM backend AS test\`): production builds
    // another stage with --target; when every stage it may build is on one base, that base is its
    for (const { dockerfile, chains } of targetedPythonDockerfiles(ctx.appServer, ctx.project)) {
      const roots = [...new Set(chains.map((c) => c[c.length - 1]!))];
      const bases = new Set(roots.map((r) => r.base));
      const root = roots[0]!;
      const ended = bases.size === 1 ? endedBase(root.base, day) : undefined;
      if (!ended) continue;
      const last = stageChain(dockerfile)[0]!;
      const stages = chains.map((c) => c[0]!.name).filter((n): n is string => !!n && echoable(n) !== undefined);
      ctx.report({
        loc: root.baseLoc,
        message: `the production image is built on ${root.base} (the last stage of ${fileOf(ctx, dockerfile.file)}${last.name && echoable(last.name) ? `, ${echoable(last.name)},` : ''} is for tests, so production builds another with --target; every stage that runs Python${stages.length > 0 ? `, ${stages.join(', ')},` : ''} is built on it): ${ended}.`,
      });
    }
    // the Python a platform builds the app on, where no production image says it
    const images = productionPythonDockerfiles(m, ctx.project).length > 0;
    for (const p of m.processes.platformPython) {
      if (p.onlyWithoutDockerfile && images) continue;
      const legacy = p.legacy ? APP_ENGINE_PYTHON.legacy : undefined;
      const ended = legacy ? (lastDay(legacy.until) < day ? legacy : undefined) : endedBy(PYTHON_EOL, p.version, day);
      if (!ended) continue;
      const whose = legacy
        ? `App Engine's legacy python27 runtime, out of support since ${spoken(ended.until)} (${short(legacy.url)})`
        : `Python ${p.version}, out of ${PYTHON_EOL.what} since ${spoken(ended.until)} (${short(PYTHON_EOL.source.url)})`;
      ctx.report({
        loc: p.loc,
        message: `${p.platform.platform}${p.presumed ? ` (${p.presumed})` : ''} builds the app (${fileOf(ctx, p.said)}) on ${whose}: \`${p.written}\` at ${placeOf(ctx, p.loc)} (${p.how}); name a supported Python there (${supported(PYTHON_EOL, day, true)}).`,
      });
    }
    // the databases production runs beside the app
    const services: { image: string; loc: Loc; who: string; runs?: string }[] = [];
    const builtFrom = new Map<DockerStage, { names: string[]; file: string }>();
    for (const c of m.processes.compose) {
      // beside the app services production runs (those that build or run an image, not themselves a
      // database, cache or proxy), every one of them: a database in a file with a local app service
      // (mounting the source, running runserver) is the local database
      // (a service that builds its image FROM a database's, \`FROM postgres:14\` with maintenance
      // scripts added, runs that database: the release is the one its Dockerfile names)
      const built = new Map(c.services.map((o) => [o, builtStage(m, c.file, o)]));
      const backing = (o: (typeof c.services)[number]): boolean => {
        const b = built.get(o);
        return b ? dataServiceRelease(b.root.base) !== undefined : !!o.image && isBackingServiceImage(o.image);
      };
      const apps = c.services.filter((o) => (o.build || o.image) && !backing(o) && !isProxyService(o));
      // (judged by the services that run the app when some do: another tool's container beside
      // them, a headless browser's API, does not make the file a local one)
      const runners = apps.filter((o) =>
        [...m.processes.invocations, ...m.processes.tasks, ...m.processes.scripts].some(
          (x) => x.source.kind === 'compose' && x.source.file === c.file && x.source.service === o.name,
        ),
      );
      const judged = runners.length > 0 ? runners : apps;
      if (judged.length === 0 || judged.some((o) => !composeServiceProduction(m, ctx.project, c.file, o))) continue;
      for (const s of c.services) {
        if (!composeServiceProduction(m, ctx.project, c.file, s)) continue;
        const b = built.get(s);
        if (b && dataServiceRelease(b.root.base)) {
          // (services built from one Dockerfile: one finding, on its FROM, naming them all)
          const same = builtFrom.get(b.root);
          if (same) {
            if (!same.names.includes(s.name)) same.names.push(s.name);
          } else builtFrom.set(b.root, { names: [s.name], file: c.file });
        } else if (s.image)
          services.push({ image: s.image, loc: s.imageLoc ?? s.nameLoc, who: `the service ${s.name} of ${fileOf(ctx, c.file)}` });
      }
    }
    for (const [root, { names, file }] of builtFrom) {
      const shown =
        names.length > 2
          ? `${names.length} services (${names[0]} and ${names.length - 1} more)`
          : names.length === 2
            ? `the services ${names[0]} and ${names[1]}`
            : `the service ${names[0]}`;
      services.push({
        image: root.base,
        loc: root.baseLoc,
        who: `${shown} of ${fileOf(ctx, file)}`,
        runs: `${names.length > 1 ? 'build their image' : 'builds its image'} FROM ${root.base} (${placeOf(ctx, root.baseLoc)})`,
      });
    }
    // (a container that runs to completion — an init container waiting with pg_isready, a Job's
    // pg_dump — uses the image's client tools: it is no data service)
    for (const w of m.processes.workloads)
      if (
        w.source.production &&
        w.process.image &&
        w.source.kind === 'kubernetes' &&
        !w.process.once &&
        !w.process.scheduled &&
        !w.process.label.includes('(init container ')
      )
        services.push({
          image: w.process.image,
          loc: w.process.imageLoc ?? w.process.object?.loc ?? { file: w.source.file, start: 0, end: 0 },
          who: w.process.label,
        });
    for (const sv of services) {
      const r = dataServiceRelease(sv.image);
      const e = r ? endedBy(r.table, r.release, day) : undefined;
      if (!r || !e) continue;
      const proxy = PROXY_EOL_TABLES.has(r.table);
      const to = supported(r.table, day, true);
      const named = r.version ? `${r.table.product} ${r.version} (${r.table.product} ${r.release})` : `${r.table.product} ${r.release}`;
      const runs = `${sv.who} ${sv.runs ?? `runs ${sv.image} (${placeOf(ctx, sv.loc)})`}`;
      // (a Caddy before ACMEv2 cannot get a Let's Encrypt certificate at all since ACMEv1's end; \`0.10\`
      // may be 0.10.12 or later, so only a full version says it)
      if (r.table === CADDY_EOL && r.version?.split('.').length === 3 && compareVersions(r.version, CADDY_ACME_V1.firstAcmeV2) < 0) {
        ctx.report({
          loc: sv.loc,
          message: `${runs}: ${named}, out of ${r.table.what} since ${spoken(e.until)}, and before ${CADDY_ACME_V1.firstAcmeV2} Caddy speaks only ACMEv1, which Let's Encrypt turned off in June 2021: it can no longer get or renew a certificate; move to ${to}.`,
        });
        continue;
      }
      ctx.report({
        loc: sv.loc,
        message: `${runs}: ${named}, out of ${r.table.what} since ${spoken(e.until)} (${short(r.table.source.url)}), so ${proxy ? 'the proxy' : 'the data service'} gets no security fixes; upgrade it (${proxy || r.table.successor ? to : `${r.table.product} ${to}`})${r.table === POSTGRES_EOL ? ', moving its data with pg_upgrade or a dump and restore' : ''}.`,
      });
    }
  },
};
