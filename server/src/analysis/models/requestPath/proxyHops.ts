// The repository's nginx and Caddy as hops of a deployment's request path: the configurations tied
// to a command line by where it listens or by the compose service that runs it (fronts.ts), each
// one hop after the platform, ingress or router in front of it, with what it does of each protection
// as coverage.ts reads it from the servers and sites that hand requests to that command line. A
// configuration tied to the app only by the site it serves or by being the only one (not to a
// process) is no hop of a particular deployment: the rules still read it through coverage.ts.
import * as path from 'node:path';
import type { AppServerModel, ServerInvocation } from '../appServer/model';
import type { DjangoProject } from '../project/model';
import type { CaddySite } from '../../readers/proxy/caddy';
import { servesTls, type NginxServer, type ProxyTarget } from '../../readers/proxy/configs';
import { type Coverage, type Fronting, PROTECTION_LABEL, projectTies, proxyCoverage } from './coverage';
import type { ProxyUse } from './fronts';
import type { Hop, HopAnswer, PathProtection } from './hop';

export interface ProxyHops {
  /**
   * The nginx and Caddy hops in front of a command line; for a compose service (`service`) those
   * that proxy to that service or to an address in its own container, else those that proxy to no
   * compose service.
   */
  of(inv: ServerInvocation, service: { readonly file: string; readonly name?: string } | undefined): Hop[];
}

const PROTECTIONS: readonly PathProtection[] = ['https-redirect', 'hsts', 'access-log'];

function answer(c: Coverage, label: string, p: PathProtection): HopAnswer {
  switch (c.state) {
    case 'all':
      return { state: 'yes', how: `${label} ${PROTECTION_LABEL[p]} (${c.where})` };
    case 'some':
      return { state: 'no', how: `${label} ${PROTECTION_LABEL[p]} only in part: not for ${c.missing.slice(0, 3).join(', ')}` };
    case 'none':
      return { state: 'no', how: `${label} does not` };
    case 'unknown':
      return { state: 'unknown', why: c.reason };
  }
}

/** One hop for the places of one configuration file that hand requests to the command line. */
function hopOf(project: DjangoProject, appServer: AppServerModel, file: string, uses: readonly ProxyUse[]): Hop {
  const root = project.shownRoot;
  const rel = path.relative(root, file).split(path.sep).join('/');
  const caddy = uses.some((u) => u.caddy);
  const label = `${caddy ? 'Caddy' : 'nginx'} (${rel})`;
  const servers = new Set<NginxServer>(uses.flatMap((u) => (u.nginx ? [u.nginx.server] : [])));
  const sites = new Set<CaddySite>(uses.flatMap((u) => (u.caddy ? [u.caddy.site] : [])));
  const locations = new Set(uses.flatMap((u) => (u.nginx ? [u.nginx.location] : [])));
  const fronts: Fronting = { server: (s) => servers.has(s), site: (s) => sites.has(s), location: (l) => locations.has(l) };
  const model = appServer.processes.proxy;
  const does = Object.fromEntries(PROTECTIONS.map((p) => [p, answer(proxyCoverage(model, root, p, fronts), label, p)])) as Record<
    PathProtection,
    HopAnswer
  >;
  let tls: HopAnswer;
  if (caddy)
    tls =
      does['https-redirect'].state === 'yes'
        ? { state: 'yes', how: `${label} ends TLS (automatic HTTPS for its site address)` }
        : does['https-redirect'].state === 'unknown'
          ? does['https-redirect']
          : { state: 'no', how: `${label} serves its site over plain HTTP` };
  else {
    const ending = [...servers].find(servesTls);
    const listen = ending?.listens.find((l) => l.ssl);
    tls = ending
      ? {
          state: 'yes',
          how: `${label} ends TLS (listen … ssl${listen ? ` at ${path.relative(root, listen.loc.file).split(path.sep).join('/')}` : ''})`,
        }
      : { state: 'no', how: `${label} listens without TLS` };
  }
  const first = uses[0]!;
  const loc = first.nginx?.proxyPass.loc ?? first.caddy?.directive.nameLoc;
  return { kind: caddy ? 'caddy' : 'nginx', label, file, ...(loc ? { loc } : {}), does, tls };
}

/** The nginx and Caddy hops of the project's deployments (ties without the settings, as coverage.ts reads them). */
export function proxyHopsOf(project: DjangoProject, appServer: AppServerModel): ProxyHops {
  const ties = projectTies(project, appServer);
  const composeNames = new Set(appServer.processes.compose.flatMap((c) => c.services.map((s) => s.name.toLowerCase())));
  // a template's address written with variables is tied to the command line binding the same one
  const byProcess = ties.uses.filter((u) => u.tie.state === 'app' && u.tie.by === 'process' && (u.use.targets || u.use.addressForm));
  return {
    of(inv, service) {
      if (byProcess.length === 0) return [];
      const name = service?.name?.toLowerCase();
      const reaches = (t: ProxyTarget): boolean => {
        const compose = t.kind === 'tcp' && composeNames.has(t.host);
        return compose ? name !== undefined && t.kind === 'tcp' && t.host === name : true;
      };
      const byFile = new Map<string, ProxyUse[]>();
      for (const { use, tie } of byProcess) {
        if (tie.state !== 'app' || !tie.endpoints.some((e) => e.invocation === inv)) continue;
        if (use.targets && !use.targets.some((t) => reaches(t.target))) continue;
        byFile.set(use.file, [...(byFile.get(use.file) ?? []), use]);
      }
      return [...byFile].map(([file, uses]) => hopOf(project, appServer, file, uses));
    },
  };
}
