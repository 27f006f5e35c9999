// The reverse proxy in front of the app, read after every source: the proxy configuration folders
// of the workspace (deploy/nginx/mysite.conf…) as evidence, and the nginx configurations themselves
// read into the proxy model (readers/proxy/configs.ts), through what compose's proxy services mount.
import * as path from 'node:path';
import type { ScanResult } from '../../../files/scan';
import { isWithin } from '../../../files/fs';
import type { CaddyEnvValue, CaddyFile } from '../../../readers/proxy/caddy';
import { readProxyModel, type ProxyModel } from '../../../readers/proxy/configs';
import type { Collected } from '../collect';
import type { EnvValue } from '../model';

/**
 * Where the nginx image reads its configuration: nginx.conf, a file of conf.d or of Debian's
 * sites-enabled and sites-available, a template its entrypoint renders into conf.d (the image's
 * documentation, hub.docker.com/_/nginx, "Using environment variables in nginx configuration").
 */
const NGINX_CONFIG_PATH = /^\/etc\/nginx\/(?:nginx\.conf|conf\.d\/[^/]+|sites-(?:enabled|available)\/[^/]+|templates\/[^/]+\.template)$/;

/** Adds the proxy folders' evidence to `r.proxies`, and reads the project's nginx configurations. */
export function readProxies(r: Collected): ProxyModel {
  const { ws, project } = r;
  // nginx/caddy configuration folders (deploy/nginx/mysite.conf…)
  const scan = ws.scanFor(project.root);
  if (scan) proxyFolders(r, scan);
  // the nginx configurations themselves (any *.conf holding a server or http block)
  const proxyRoot = scan?.root ?? project.root;
  const files = project.files
    .filter(
      (f) =>
        f.kind === 'proxy' || (f.kind === 'config' && (path.basename(f.path) === 'nginx.conf' || path.basename(f.path) === 'Caddyfile')),
    )
    .map((f) => ({
      path: f.path,
      rel: path.relative(proxyRoot, f.path).split(path.sep).join('/'),
      ...(f.rendered ? { template: true, filled: f.rendered.expressions } : {}),
    }));
  // the file a compose proxy service mounts where nginx reads its configuration, whatever its name
  // or folder (`./ci/nginx.conf:/etc/nginx/nginx.conf`, `./deploy/site:/etc/nginx/conf.d/default.conf`)
  const listed = new Set(files.map((f) => f.path));
  for (const m of r.proxyMounts) {
    if (
      listed.has(m.host) ||
      !NGINX_CONFIG_PATH.test(m.container) ||
      !ws.contains(m.host) ||
      !ws.fs.exists(m.host) ||
      ws.fs.isDirectory(m.host)
    )
      continue;
    listed.add(m.host);
    files.push({ path: m.host, rel: path.relative(proxyRoot, m.host).split(path.sep).join('/') });
  }
  const proxy = readProxyModel(
    ws.fs,
    // (their includes are looked for up to the repository's root: a configuration above the
    // analysed folder, models/project/fronting.ts, includes from the repository's mirror of /etc/nginx)
    project.repositoryRoot ?? proxyRoot,
    files,
    r.proxyMounts,
  );
  for (const c of proxy.nginx)
    if (!r.proxies.some((p) => p.loc.file === c.file))
      r.proxies.push({ label: path.relative(proxyRoot, c.file), loc: { file: c.file, start: 0, end: 0 } });
  return proxy.caddy.length === 0 ? proxy : { ...proxy, caddy: proxy.caddy.map((c) => withEnvironment(r, c)) };
}

/**
 * A Caddyfile with the environment Caddy adapts it in (its `{$VAR}` are filled from it): that of
 * the production compose proxy services that mount it, the values they all agree on. A value the
 * deployment supplies from outside the repository (`${DOMAIN}` of the shell compose runs in) is not
 * known, so not there; one every such compose file requires to be set and not empty
 * (`DOMAIN: ${DOMAIN:?}`) is there as required, its value not known.
 */
function withEnvironment(r: Collected, c: CaddyFile): CaddyFile {
  const groups = new Set(r.proxyMounts.filter((m) => m.host === c.file || isWithin(m.host, c.file)).map((m) => m.group));
  const envs: Map<string, EnvValue>[] = [];
  const files: string[] = [];
  for (const g of groups) {
    const at = g.lastIndexOf('#');
    if (r.composeDev.get(`${g.slice(0, at)}\0${g.slice(at + 1)}`) !== undefined) continue;
    const env = r.proxyEnv.get(g);
    if (env) {
      envs.push(env);
      files.push(path.basename(g.slice(0, at)));
    }
  }
  if (envs.length === 0) return c;
  const out = new Map<string, CaddyEnvValue>();
  for (const [name, v] of envs[0]!) {
    if (v.nonEmpty && !v.maybe && !v.atCreation && envs.every((e) => e.get(name)?.nonEmpty)) {
      out.set(name, { value: '', required: [...new Set(files)].join(', ') });
      continue;
    }
    if (v.from || v.maybe || v.atCreation || v.token.dynamic) continue;
    if (!envs.every((e) => e.get(name)?.value === v.value && !e.get(name)?.from)) continue;
    out.set(name, { value: v.value, ...(v.template ? { template: v.template } : {}) });
  }
  return out.size === 0 ? c : { ...c, env: out };
}

/** The first configuration file of each nginx, caddy, traefik or haproxy folder of the project's scan. */
function proxyFolders(r: Collected, scan: ScanResult): void {
  const { ws, project } = r;
  // Every folder of the workspace's scan is looked at for each of its projects: the test whether a
  // folder lies within the scan's root is a prefix test first (what the scan lists is built from
  // its root), path.relative only for what is not (20 projects, 5,000 files: ~4,800 calls of
  // path.relative, ~25 ms, for folders that were all within it)
  for (const d of scan.directories) {
    if (
      !within(d, project.root) &&
      !within(d, scan.root) &&
      !path
        .relative(scan.root, d)
        .split(path.sep)
        .every((p) => p !== '..')
    )
      continue;
    const b = path.basename(d).toLowerCase();
    if (b === 'nginx' || b === 'caddy' || b === 'traefik' || b === 'haproxy') {
      const entry = ws.fs.readDir(d).find((e) => e.isFile && /\.(conf|cfg|toml|ya?ml)$|^Caddyfile/.test(e.name));
      if (entry)
        r.proxies.push({
          label: path.relative(scan.root, path.join(d, entry.name)),
          loc: { file: path.join(d, entry.name), start: 0, end: 0 },
        });
    }
  }
}

/** Whether `dir` is `root` or lies within it, by its spelling (both absolute and normalised). */
function within(dir: string, root: string): boolean {
  return dir === root || dir.startsWith(root.endsWith(path.sep) ? root : root + path.sep);
}
