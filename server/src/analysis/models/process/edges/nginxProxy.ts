// nginx-proxy in front of compose services: the containers it proxies are the ones whose environment
// sets VIRTUAL_HOST (it writes an nginx server for each from its template), TLS for one of them
// where a certificate for its host is in /etc/nginx/certs — acme-companion obtains one for a
// container that also sets ACME_HOST (LETSENCRYPT_HOST before acme-companion 2.3) — and what it
// does then (the HTTP→HTTPS redirect, HSTS, the access log) is changed by variables of the proxy's
// container or of the proxied one (catalogue/hops.ts, HOPS['nginx-proxy']). The nginx-proxy service
// of the compose file, else the only production one of the repository; a VIRTUAL_HOST whose proxy is
// not in the repository (an external network, a proxy run elsewhere) is read all the same: what its
// proxy's own variables say is unknown.
import * as path from 'node:path';
import { shownPath } from '../../../base/relPath';
import type { Loc } from '../../../eval/values';
import { composeDir, pathDefaults, type ComposeFile, type ComposeService } from '../../../readers/container/compose';
import { readDotenv } from '../../../readers/container/dotenv';
import { envTemplateFile } from '../envTemplates';
import { scriptWrittenEnv } from '../writtenEnvFiles';
import { finalStage } from '../../../readers/container/dockerfile';
import { dockerfileAt, type Collected } from '../collect';
import { composeServes, composeServiceDevReason as devReasonOf } from './serves';
import type { NginxProxyEdges, NginxProxyInstance, NginxProxyValue, NginxProxyVhost } from './types';

/** nginx-proxy's image (nginxproxy/nginx-proxy, jwilder/nginx-proxy, ghcr.io/nginx-proxy/nginx-proxy), or docker-gen running its template. */
const NGINX_PROXY_IMAGE = /(^|\/)(nginx-proxy|docker-gen)(:|@|$)/i;
/** acme-companion's image, under its names old and new. */
const ACME_COMPANION_IMAGE = /(^|\/)(acme-companion|letsencrypt-nginx-proxy-companion|docker-letsencrypt-nginx-proxy-companion)(:|@|$)/i;

/** The variables of the proxy's container that change what it does for every host. */
const GLOBAL_KNOBS = ['HTTPS_METHOD', 'HSTS', 'DISABLE_ACCESS_LOGS', 'TRUST_DOWNSTREAM_PROXY', 'ENABLE_HTTP_ON_MISSING_CERT'] as const;
/** The variables of a proxied container that nginx-proxy and acme-companion read. */
const VHOST_KNOBS = ['VIRTUAL_HOST', 'ACME_HOST', 'LETSENCRYPT_HOST', 'HTTPS_METHOD', 'HSTS'] as const;

function imageOf(r: Collected, c: ComposeFile, s: ComposeService): string | undefined {
  // a service that builds runs what it builds, whatever `image:` names the result (`build: ./nginx`
  // with `image: "${NGINX_IMAGE}"`: compose tags the image it built with that name)
  if (s.build) {
    const d = dockerfileAt(r, path.resolve(composeDir(c), s.build.context, s.build.dockerfile));
    const base = d ? finalStage(d)?.base : undefined;
    if (base) return base;
  }
  return s.image ? pathDefaults(s.image) : undefined;
}

/**
 * A service's variables among `names`, as compose gives them to its container: its env_file entries
 * read from the repository, then its `environment:`; a value compose interpolates from where it runs
 * (`${HSTS}`) is not known, unless it has a default, which is what runs unless the variable is set.
 */
function variables(
  r: Collected,
  c: ComposeFile,
  s: ComposeService,
  names: readonly string[],
  unread?: string[],
): Map<string, NginxProxyValue> {
  const out = new Map<string, NginxProxyValue>();
  const dir = composeDir(c);
  for (const ef of s.envFiles) {
    const p = path.resolve(dir, ef.path);
    const t = r.ws.fs.readText(p);
    if (t === undefined) {
      // a script production's deploy runs writes it (writtenEnvFiles.ts): what it writes is what it holds,
      // a value from the shell or CI secrets it runs with set there and not known here
      const written = scriptWrittenEnv(r, p);
      if (written) {
        for (const [k, v] of written)
          if (names.includes(k))
            out.set(k, {
              text: v.value,
              loc: v.nameLoc ?? v.token.loc,
              known: v.from === undefined && !v.maybe,
              writtenBy: `${ef.path}, which ${v.writtenBy ?? 'a script'} writes${v.from === undefined ? '' : ' (its value set where it deploys)'}`,
            });
        continue;
      }
      unread?.push(ef.path);
      // the committed template admins copy to it (.env.vhost.example for .env.vhost) says what it is
      // meant to set: presumed, and said so
      const template = envTemplateFile(r, p);
      if (template)
        for (const [k, v] of readDotenv(template.file, template.text))
          if (names.includes(k) && !out.has(k))
            out.set(k, {
              text: v.value,
              loc: v.token.loc,
              known: false,
              template: `${shownPath(r.project, template.file)} (the template of ${ef.path})`,
            });
      continue;
    }
    for (const [k, v] of readDotenv(p, t)) if (names.includes(k)) out.set(k, { text: v.value, loc: v.token.loc, known: !v.token.dynamic });
  }
  for (const [k, v] of s.environment) {
    if (!names.includes(k)) continue;
    const i = v.interpolates;
    if (i?.default) out.set(k, { text: i.default.text, loc: i.default.loc, known: !i.default.dynamic, unlessSet: i.name });
    else out.set(k, { text: v.value, loc: v.token.loc, known: !i && !v.token.dynamic });
  }
  return out;
}

/** A volume that gives the container the Docker socket nginx-proxy reads the running containers from (`/var/run/docker.sock:/tmp/docker.sock:ro`). */
const DOCKER_SOCKET = /docker\.sock:\/tmp\/docker\.sock(:|$)/;

/**
 * Why a service whose env_file is not in the repository is presumed to be the host its compose file's
 * nginx-proxy serves: that proxy reads the running containers from the Docker socket it mounts, and
 * the service is the only other one of the file that opens a port (`expose:` or `ports:`), so the
 * only container a VIRTUAL_HOST there can name. Undefined otherwise.
 */
function soleProxied(
  c: ComposeFile,
  s: ComposeService,
  own: readonly NginxProxyInstance[],
  companions: readonly { compose: ComposeFile; label: string }[],
): string | undefined {
  const proxy = own.find((i) => i.production);
  const sv = proxy && c.services.find((x) => x.name === proxy.service);
  if (!proxy || !sv?.volumes.some((v) => DOCKER_SOCKET.test(v))) return undefined;
  const proxies = new Set(own.map((i) => i.service));
  const opening = c.services.filter(
    (x) => !proxies.has(x.name) && !companionOf(c, x, companions) && (x.expose.length > 0 || x.ports.length > 0),
  );
  if (opening.length !== 1 || opening[0] !== s) return undefined;
  return `${proxy.label} reads the running containers from the Docker socket it mounts, and ${s.name} is the only other service of the file that opens a port`;
}

function companionOf(c: ComposeFile, s: ComposeService, companions: readonly { compose: ComposeFile; label: string }[]): boolean {
  return companions.some((x) => x.compose.file === c.file && x.label.endsWith(`(service ${s.name})`));
}

export function nginxProxyEdges(r: Collected): NginxProxyEdges | undefined {
  const instances: NginxProxyInstance[] = [];
  const companions: { compose: ComposeFile; label: string; loc: Loc; production: boolean }[] = [];
  const proxied: { c: ComposeFile; s: ComposeService; vars: Map<string, NginxProxyValue>; unread?: string[] }[] = [];
  // services whose env_file is not in the repository: it may set VIRTUAL_HOST
  const maybe: { c: ComposeFile; s: ComposeService; vars: Map<string, NginxProxyValue>; unread: string[] }[] = [];
  for (const c of r.compose) {
    for (const s of c.services) {
      const image = imageOf(r, c, s);
      const label = `${shownPath(r.project, c.file)} (service ${s.name})`;
      if (image && ACME_COMPANION_IMAGE.test(image)) {
        companions.push({ compose: c, label, loc: s.nameLoc, production: !r.composeDev.get(`${c.file}\0${s.name}`) });
        continue;
      }
      if (image && NGINX_PROXY_IMAGE.test(image)) {
        const dev = r.composeDev.get(`${c.file}\0${s.name}`);
        instances.push({
          label,
          composeFile: c.file,
          service: s.name,
          loc: s.nameLoc,
          production: !dev,
          ...(dev ? { devReason: dev } : {}),
          env: variables(r, c, s, GLOBAL_KNOBS),
          certsMounted: s.volumes.some((v) => /:\/etc\/nginx\/certs(\/|:|$)/.test(v)),
        });
        continue;
      }
      const unread: string[] = [];
      const vars = variables(r, c, s, VHOST_KNOBS, unread);
      if (vars.has('VIRTUAL_HOST')) proxied.push({ c, s, vars });
      else if (unread.length > 0) maybe.push({ c, s, vars, unread });
    }
  }
  // beside an nginx-proxy of their own compose file, the app's services with such an env_file are
  // taken to be proxied by it, for hosts the repository does not show
  const presumed = new Map<ComposeService, string>();
  for (const x of maybe) {
    const own = instances.filter((i) => i.composeFile === x.c.file);
    if (own.length === 0 || composeServes(r, x.c, x.s).state !== 'app') continue;
    proxied.push(x);
    const why = soleProxied(x.c, x.s, own, companions);
    if (why) presumed.set(x.s, why);
  }
  if (proxied.length === 0 && instances.length === 0) return undefined;
  const production = instances.filter((i) => i.production);
  const withCompanions = instances.map((i) => {
    const own = companions.filter((x) => x.compose.file === i.composeFile);
    const companion = own[0] ?? (companions.length === 1 ? companions[0] : undefined);
    return companion ? { ...i, companion: { label: companion.label, loc: companion.loc } } : i;
  });
  const instanceFor = (c: ComposeFile): { instance?: NginxProxyInstance; why?: string } => {
    const own = withCompanions.filter((i) => i.composeFile === c.file);
    if (own.length > 0) return { instance: own.find((i) => i.production) ?? own[0]! };
    const prod = withCompanions.filter((i) => i.production);
    if (prod.length === 1) return { instance: prod[0]! };
    return {
      why:
        production.length > 1
          ? 'several nginx-proxy services of the repository could serve it, so whose HTTPS_METHOD and HSTS apply is not known'
          : 'the nginx-proxy in front of it runs outside the repository, so its own HTTPS_METHOD and HSTS are not known',
    };
  };
  const vhosts: NginxProxyVhost[] = proxied.map(({ c, s, vars, unread }) => {
    const host = vars.get('VIRTUAL_HOST');
    const { instance, why } = instanceFor(c);
    const dev = devReasonOf(r, c.file, s.name);
    const serves = composeServes(r, c, s);
    const acme = vars.get('ACME_HOST') ?? vars.get('LETSENCRYPT_HOST');
    const own = (k: string) => vars.get(k);
    return {
      composeFile: c.file,
      service: s.name,
      loc: host?.loc ?? s.nameLoc,
      ...(host ? { host } : { hostUnread: unread!.join(', ') }),
      ...(!host && presumed.has(s) ? { hostPresumed: presumed.get(s)! } : {}),
      production: !dev,
      ...(dev ? { devReason: dev } : {}),
      ...(acme ? { acmeHost: acme } : {}),
      ...(own('HTTPS_METHOD') ? { httpsMethod: own('HTTPS_METHOD')! } : {}),
      ...(own('HSTS') ? { hsts: own('HSTS')! } : {}),
      ...(instance ? { instance } : { instanceWhy: why! }),
      tie: { state: serves.state, why: serves.why },
    };
  });
  return { instances: withCompanions, vhosts };
}
