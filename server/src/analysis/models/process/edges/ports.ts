// The app's ports a production compose file publishes on every interface of the host beside a
// proxy service (nginx, Caddy, Traefik…): clients can reach the app server there without the
// proxy, so around its TLS, its headers and its limits. `expose:` (the compose network only), a
// loopback address (`127.0.0.1:8000:8000`) and development files and services are left out.
import { parsePort } from '../../../readers/container/compose';
import type { Collected } from '../collect';
import { isProxyService } from '../software';
import { composeServes } from './serves';
import type { PublishedAppPort } from './types';

export function publishedAppPorts(r: Collected): PublishedAppPort[] {
  const out: PublishedAppPort[] = [];
  for (const c of r.compose) {
    const proxies = c.services.filter((s) => isProxyService(s) && !r.composeDev.get(`${c.file}\0${s.name}`)).map((s) => s.name);
    if (proxies.length === 0) continue;
    for (const s of c.services) {
      if (isProxyService(s) || s.ports.length === 0 || r.composeDev.get(`${c.file}\0${s.name}`)) continue;
      // a pass may have found what the service runs to be development's after all
      const runs = r.out.invocations.filter((i) => i.source.kind === 'compose' && i.source.file === c.file && i.source.service === s.name);
      if (runs.length > 0 && runs.every((i) => !i.source.production)) continue;
      const serves = composeServes(r, c, s);
      if (serves.state !== 'app') continue;
      for (const p of s.ports) {
        const port = parsePort(p.text);
        if (!port?.allInterfaces) continue;
        out.push({
          composeFile: c.file,
          service: s.name,
          text: p.text,
          loc: p.loc,
          published: port.published,
          target: port.target,
          proxies,
          why: serves.why,
        });
      }
    }
  }
  return out;
}
