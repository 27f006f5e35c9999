// Which compose files run a proxy configuration of the repository: those whose proxy service (nginx,
// Caddy…) mounts the file (or a folder holding it), or builds an image that COPYs it in. A
// configuration's `proxy_pass http://django:8000` names the django service of those files, not a
// service of the same name in another compose file (local.yml's beside production.yml's).
import * as path from 'node:path';
import type { ComposeFile } from '../../readers/container/compose';
import type { Dockerfile } from '../../readers/container/dockerfile';
import { isWithin } from '../../files/fs';
import { composeProxyMounts } from './sources/compose';
import { isProxyService } from './software';

function holds(dirOrFile: string, file: string): boolean {
  return dirOrFile === file || isWithin(dirOrFile, file);
}

/** The compose files whose proxy services mount or copy in `file`; empty when none is seen to. */
export function composeFilesRunning(compose: readonly ComposeFile[], dockerfiles: readonly Dockerfile[], file: string): Set<string> {
  const out = new Set<string>();
  for (const c of compose) {
    const dir = path.dirname(c.file);
    for (const s of c.services) {
      if (!isProxyService(s)) continue;
      if (composeProxyMounts(s, dir, '').some((m) => holds(m.host, file))) {
        out.add(c.file);
        continue;
      }
      if (!s.build) continue;
      const context = path.resolve(dir, s.build.context);
      const d = dockerfiles.find((x) => x.file === path.resolve(context, s.build!.dockerfile));
      const copied = d?.stages.some((st) =>
        st.copies.some((cp) => !cp.from && cp.sources.some((src) => holds(path.resolve(context, src), file))),
      );
      if (copied) out.add(c.file);
    }
  }
  return out;
}

/**
 * Whether every proxy service of a compose file runs an image it does not build with a configuration
 * the file bind-mounts into it: then a configuration none of them mounts is not what fronts that
 * file's services. False for a file without a proxy service, or with one that builds its image (a
 * build may render its configuration from a template, which the repository shows under another name).
 */
export function proxyServicesConfigured(c: ComposeFile): boolean {
  const proxies = c.services.filter((s) => isProxyService(s));
  return proxies.length > 0 && proxies.every((s) => s.build === undefined && composeProxyMounts(s, path.dirname(c.file), '').length > 0);
}
