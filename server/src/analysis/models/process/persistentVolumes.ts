// Whether a file the app writes (a SQLite database) lies, as the production processes that serve
// the app see it, on a volume their containers mount: a compose named volume or bind mount
// (catalogue/persistentVolumes.ts: both outlive the container compose replaces). The file is then
// kept across deploys; what a volume does not change is that every process writes one file.
import * as path from 'node:path';
import type { Loc } from '../../eval/values';
import { COMPOSE_NAMED_VOLUMES_PERSIST } from '../../catalogue/persistentVolumes';
import type { ProcessModel, ProcessSource, ServerInvocation } from './model';

/** A persistent volume a production container mounts where the file lies. */
export interface PersistentMount {
  /** "the named volume fedow_database", "the bind mount ./backend/data". */
  readonly what: string;
  /** A named volume of the container engine, or a folder of the host. */
  readonly kind: 'named' | 'bind';
  /** Its path in the container. */
  readonly container: string;
  /** Where the mount is written. */
  readonly loc: Loc;
  /** The container that mounts it: "the service web". */
  readonly by: string;
  /** How many containers of it the file runs, when it writes more than one (`deploy.replicas`, `scale`). */
  readonly replicas?: { readonly count: number; readonly loc: Loc };
}

/** A compose `volumes:` item that persists: a named volume or a bind mount (an anonymous volume or a tmpfs does not count). */
function persistentItem(
  text: string,
  type: string | undefined,
): { readonly kind: 'named' | 'bind'; readonly source: string; readonly container: string } | undefined {
  if (type !== undefined && type !== 'volume' && type !== 'bind') return undefined;
  const parts = text.split(':');
  if (parts.length < 2) return undefined;
  const [source, container] = [parts[0]!, parts[1]!];
  if (source === '' || !container.startsWith('/') || source.includes('$') || container.includes('$')) return undefined;
  const bind = type === 'bind' || source.startsWith('.') || source.startsWith('/') || source.startsWith('~');
  if (!COMPOSE_NAMED_VOLUMES_PERSIST.value.kinds.includes(bind ? 'bind' : 'named')) return undefined;
  return { kind: bind ? 'bind' : 'named', source, container: path.posix.normalize(container).replace(/(?<!\/)\/+$/, '') || '/' };
}

/** The places a process's paths are known in: each with the folder it runs in, in the container and in the workspace, and its path mapping. */
function pathContexts(sources: readonly (ProcessSource | undefined)[]): ProcessSource[] {
  return sources.filter((s): s is ProcessSource => s !== undefined);
}

function under(p: string, dir: string): boolean {
  return p === dir || p.startsWith(dir === '/' ? '/' : `${dir}/`);
}

/** Whether `file` (a workspace path, or relative to the process's folder) is, in the container, under `container`. */
function holds(file: string, container: string, contexts: readonly ProcessSource[], containerPath = false): boolean {
  // a path written as the container sees it (`/var/log/mysite/django.log`)
  if (containerPath) return under(file, container);
  for (const c of contexts) {
    const ws = path.isAbsolute(file) ? file : c.workingDir ? path.resolve(c.workingDir, file) : undefined;
    if (!ws) continue;
    // the file's path in the container, by the folder the process runs in there and here
    if (c.runDir && c.workingDir && c.runDir.startsWith('/') && under(ws, c.workingDir)) {
      const inContainer = path.posix.join(c.runDir, path.relative(c.workingDir, ws).split(path.sep).join('/'));
      if (under(inContainer, container)) return true;
    }
    // the volume's path in the workspace, by the image's COPY and the bind mounts
    const mapped = c.mapPath?.(container);
    if (mapped && under(ws, mapped)) return true;
  }
  return false;
}

/**
 * Whether `file` (a workspace path, or relative to the process's folder) is, in the container of the
 * process `sources` describe, `containerPath` or under it (a SQLite database Litestream replicates).
 */
export function containerPathHolds(file: string, containerPath: string, sources: readonly ProcessSource[]): boolean {
  return holds(file, containerPath, sources);
}

/**
 * The persistent volumes that hold `file` (a path the settings name: absolute in the workspace, or
 * relative to the process's folder) for every production process that serves the app (`serving`:
 * the app server's command lines, not runserver's), one for each container that runs them; undefined
 * when a serving process runs where no such volume holds it (a container without one, a platform, a
 * host), when none serves, or when a container's mounts are not known.
 */
export function persistentVolumesHolding(
  m: ProcessModel,
  serving: readonly ServerInvocation[],
  file: string,
  containerPath = false,
): readonly PersistentMount[] | undefined {
  const out = new Map<string, PersistentMount>();
  let any = false;
  for (const inv of serving) {
    const containers: { file: string; service: string; contexts: ProcessSource[] }[] = [];
    if (inv.source.kind === 'compose' && inv.source.service) {
      containers.push({ file: inv.source.file, service: inv.source.service, contexts: pathContexts([inv.source]) });
    } else {
      const starters = m.starters.get(inv.source) ?? [];
      if (starters.length === 0) return undefined;
      for (const s of starters) {
        if (!s.production) continue;
        if (s.kind !== 'compose' || !s.service) return undefined;
        containers.push({ file: s.file, service: s.service, contexts: pathContexts([s.source, s.envSource, inv.source]) });
      }
    }
    if (containers.length === 0) return undefined;
    for (const c of containers) {
      const service = m.compose.find((f) => f.file === c.file)?.services.find((s) => s.name === c.service);
      if (!service) return undefined;
      const hit = service.volumeItems
        .map((v) => ({ v, p: persistentItem(v.text, v.type) }))
        .filter((x) => x.p !== undefined && holds(file, x.p.container, c.contexts, containerPath))
        // the innermost mount is the one the file is on
        .sort((a, b) => b.p!.container.length - a.p!.container.length)[0];
      if (!hit) return undefined;
      const p = hit.p!;
      const replicas =
        service.replicas && /^\d{1,4}$/.test(service.replicas.text.trim()) ? Number(service.replicas.text.trim()) : undefined;
      out.set(`${c.file}\0${c.service}`, {
        what: p.kind === 'named' ? `the named volume ${p.source}` : `the bind mount ${p.source}`,
        kind: p.kind,
        container: p.container,
        loc: hit.v.loc,
        by: `the service ${c.service}`,
        ...(replicas !== undefined && replicas > 1 ? { replicas: { count: replicas, loc: service.replicas!.loc } } : {}),
      });
      any = true;
    }
  }
  return any ? [...out.values()] : undefined;
}
