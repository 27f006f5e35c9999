// Which proxy configurations of the repository are a developer's, not a hop of production's request
// path, and why:
// - filed for development or tests by their path (docker/files/development/nginx/…, tests/nginx.conf,
//   Caddyfile.dev);
// - a Caddyfile whose every site answers only loopback names (`localhost`, `127.0.0.1`): Caddy serves
//   them with its own local certificate authority and no public client reaches them (catalogue
//   CADDY_LOCAL_SITES);
// - a configuration that only development compose files run (their proxy services mount it or build
//   it in), while nothing else of the repository runs a proxy with it: no other image copies it in,
//   no production command line starts nginx or Caddy. A compose file is development's for this when
//   the proxy service itself is (its file's name, its profile…), or when every service of it that
//   builds or runs the app's image is (it mounts the source code, runs runserver, names a
//   development module…): the local stack, whose proxy fronts the development server.
import * as path from 'node:path';
import { shownPath } from '../../base/relPath';
import { CADDY_LOCAL_SITES, caddyLocalHost } from '../../catalogue/hops';
import { isWithin } from '../../files/fs';
import { publishedImage } from '../../readers/container/publishedImages';
import type { ComposeService } from '../../readers/container/compose';
import type { CaddyFile } from '../../readers/proxy/caddy';
import { devReasonOfPath, namedForProduction } from '../../readers/devPaths';
import { composeServicesRunning, isProxyService, type ProcessModel, type ProxyHolder } from '../process/index';
import type { DjangoProject } from '../project/model';

/**
 * The host a Caddy site address names as written (`https://localhost:8443/api` → `localhost`,
 * `[::1]:443` → `::1`); undefined when the address holds a placeholder (`{$DOMAIN:localhost}`: the
 * deployment may give another) or names no host (`:443`).
 */
function literalHost(address: string): string | undefined {
  if (address.includes('{') || address.includes('$')) return undefined;
  let a = address.replace(/^[a-z][a-z0-9+.-]{0,20}:\/\//i, '');
  const slash = a.indexOf('/');
  if (slash >= 0) a = a.slice(0, slash);
  if (a.startsWith('[')) {
    const end = a.indexOf(']');
    return end > 1 ? a.slice(1, end) : undefined;
  }
  const colon = a.lastIndexOf(':');
  if (colon >= 0) a = a.slice(0, colon);
  return a === '' ? undefined : a;
}

/** Why a Caddyfile is a developer's by its sites: each of them answers only loopback names; undefined otherwise. */
export function localOnlyCaddy(c: CaddyFile): string | undefined {
  if (c.sites.length === 0) return undefined;
  const written: string[] = [];
  for (const site of c.sites) {
    if (site.addresses.length === 0) return undefined;
    for (const a of site.addresses) {
      const host = literalHost(a.text);
      if (!host || !caddyLocalHost(host)) return undefined;
      if (!written.includes(a.text)) written.push(a.text);
    }
  }
  return `every site of the Caddyfile answers only ${written.join(', ')}, a name only the machine Caddy runs on reaches, which Caddy serves with its own local certificate authority (${CADDY_LOCAL_SITES.source.url})`;
}

/** Why the compose file of a proxy service holding a configuration is the development setup; undefined: production's as far as it shows. */
function holderDev(project: DjangoProject, m: ProcessModel, h: ProxyHolder, proxies: ReadonlySet<ComposeService>): string | undefined {
  const own = m.composeDev.get(`${h.compose.file}\0${h.service.name}`);
  if (own) return own;
  const rel = shownPath(project, h.compose.file);
  if (namedForProduction(rel)) return undefined;
  const app = h.compose.services.filter(
    (s) =>
      !isProxyService(s) &&
      !proxies.has(s) &&
      (s.build !== undefined || (s.image !== undefined && publishedImage(m.published, s.image) !== undefined)),
  );
  if (app.length === 0) return undefined;
  const reasons = app.map((s) => m.composeDev.get(`${h.compose.file}\0${s.name}`));
  if (!reasons.every((r) => r !== undefined)) return undefined;
  return `${rel} is the development setup: ${reasons[0]}`;
}

/**
 * Whether a Dockerfile other than `except` puts the configuration where a proxy reads it: a COPY or
 * ADD of the file itself, or of a folder holding it that is not the whole build context (`COPY . .`
 * puts every file in the image, not in a proxy's configuration). The build context is the
 * Dockerfile's folder or the project's root, as a compose file or CI may give either.
 */
function copiedElsewhere(project: DjangoProject, m: ProcessModel, file: string, except: ReadonlySet<string>): string | undefined {
  for (const d of m.dockerfiles) {
    if (except.has(d.file) || m.devImages.has(d.file) || devReasonOfPath(path.relative(project.root, d.file))) continue;
    const contexts = [...new Set([path.dirname(d.file), project.root])];
    const copies = d.stages.some((st) =>
      st.copies.some(
        (cp) =>
          !cp.from &&
          cp.sources.some((src) =>
            contexts.some((ctx) => {
              const from = path.resolve(ctx, src);
              return from === file || (from !== ctx && isWithin(from, file));
            }),
          ),
      ),
    );
    if (copies) return d.file;
  }
  return undefined;
}

/** The proxy programs a production command line of the repository starts (a Procfile's `caddy run`, a script's `nginx -g …`). */
function productionProxyPrograms(m: ProcessModel): boolean {
  return m.others.some((o) => o.source.production && /^(nginx|caddy|openresty)$/.test(path.basename(o.other.program.text)));
}

/** Why only development compose files run the configuration; undefined when none is seen to, or something production's may. */
function developmentComposeOnly(project: DjangoProject, m: ProcessModel, file: string): string | undefined {
  const holders = composeServicesRunning(m.compose, m.dockerfiles, file);
  if (holders.length === 0) return undefined;
  const proxies = new Set(holders.map((h) => h.service));
  const reasons = holders.map((h) => holderDev(project, m, h, proxies));
  if (!reasons.every((r) => r !== undefined)) return undefined;
  const built = new Set(holders.flatMap((h) => (h.dockerfile ? [h.dockerfile] : [])));
  if (copiedElsewhere(project, m, file, built) || productionProxyPrograms(m)) return undefined;
  const files = [...new Set(holders.map((h) => shownPath(project, h.compose.file)))];
  return `only ${files.join(', ')} run${files.length === 1 ? 's' : ''} it (${reasons[0]})`;
}

/** Whether a compose file of production's (not the development setup) runs a proxy service that mounts or builds in the configuration. */
function productionComposeRuns(project: DjangoProject, m: ProcessModel, file: string): boolean {
  const holders = composeServicesRunning(m.compose, m.dockerfiles, file);
  const proxies = new Set(holders.map((h) => h.service));
  return holders.some((h) => !devReasonOfPath(path.relative(project.root, h.compose.file)) && !holderDev(project, m, h, proxies));
}

/**
 * Why a proxy configuration file is a developer's (filed for development or tests, a Caddyfile that
 * answers only localhost, or one only development compose files run): the local proxy in front of
 * the development server, not a hop of production's request path; undefined for any other.
 */
export function developmentProxyConfig(project: DjangoProject, m: ProcessModel, file: string): string | undefined {
  const byPath = devReasonOfPath(path.relative(project.root, file));
  // (a folder's name says little where a production compose file's proxy service mounts the file as
  // its configuration: `./ci/nginx.conf:/etc/nginx/nginx.conf` of the compose file that deploys)
  if (byPath && !productionComposeRuns(project, m, file)) return byPath;
  const caddy = m.proxy.caddy.find((c) => c.file === file);
  const local = caddy ? localOnlyCaddy(caddy) : undefined;
  if (local) return local;
  return developmentComposeOnly(project, m, file);
}
