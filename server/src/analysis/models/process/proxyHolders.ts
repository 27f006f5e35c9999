// Which compose files run a proxy configuration of the repository: those whose proxy service (nginx,
// Caddy…, or a service building an image FROM one) mounts the file (or a folder holding it), or
// builds an image that COPYs it in. A
// configuration's `proxy_pass http://django:8000` names the django service of those files, not a
// service of the same name in another compose file (local.yml's beside production.yml's).
import * as path from 'node:path';
import { composeDir, type ComposeFile, type ComposeService } from '../../readers/container/compose';
import { type Dockerfile, targetStage } from '../../readers/container/dockerfile';
import { isWithin } from '../../files/fs';
import { composeProxyMounts } from './sources/compose';
import { isProxyService, PROXY_IMAGE } from './software';

function holds(dirOrFile: string, file: string): boolean {
  return dirOrFile === file || isWithin(dirOrFile, file);
}

/** A compose proxy service that mounts or copies in a configuration, with the Dockerfile it builds it into (when it does). */
export interface ProxyHolder {
  readonly compose: ComposeFile;
  readonly service: ComposeService;
  /** The Dockerfile whose image holds the configuration (a COPY of it), when it is copied in rather than mounted. */
  readonly dockerfile?: string;
}

/** The compose proxy services that mount or copy in `file`; empty when none is seen to. */
export function composeServicesRunning(compose: readonly ComposeFile[], dockerfiles: readonly Dockerfile[], file: string): ProxyHolder[] {
  const out: ProxyHolder[] = [];
  for (const c of compose) {
    const dir = composeDir(c);
    for (const s of c.services) {
      const context = s.build ? path.resolve(dir, s.build.context) : undefined;
      const d = s.build ? dockerfiles.find((x) => x.file === path.resolve(context!, s.build!.dockerfile)) : undefined;
      // a proxy service by its image, name or folder, or one that builds a proxy's image (`FROM nginx`)
      const builtProxy = d !== undefined && PROXY_IMAGE.test(targetStage(d, s.build?.target)?.base ?? '');
      if (!isProxyService(s) && !builtProxy) continue;
      if (composeProxyMounts(s, dir, '').some((m) => holds(m.host, file))) {
        out.push({ compose: c, service: s });
        continue;
      }
      if (!context) continue;
      const copied = d?.stages.some((st) =>
        st.copies.some((cp) => !cp.from && cp.sources.some((src) => holds(path.resolve(context, src), file))),
      );
      if (copied) out.push({ compose: c, service: s, dockerfile: d!.file });
    }
  }
  return out;
}

/** The compose files whose proxy services mount or copy in `file`; empty when none is seen to. */
export function composeFilesRunning(compose: readonly ComposeFile[], dockerfiles: readonly Dockerfile[], file: string): Set<string> {
  return new Set(composeServicesRunning(compose, dockerfiles, file).map((h) => h.compose.file));
}

/**
 * Whether every proxy service of a compose file runs an image it does not build with a configuration
 * the file bind-mounts into it: then a configuration none of them mounts is not what fronts that
 * file's services. False for a file without a proxy service, or with one that builds its image (a
 * build may render its configuration from a template, which the repository shows under another name).
 */
export function proxyServicesConfigured(c: ComposeFile): boolean {
  const proxies = c.services.filter((s) => isProxyService(s));
  return proxies.length > 0 && proxies.every((s) => s.build === undefined && composeProxyMounts(s, composeDir(c), '').length > 0);
}
