// Paths as the processes see them and as the workspace has them: a file's path from its project,
// a container's paths (COPY, bind mounts) mapped back to the workspace, and the workspace file a
// process names (a start script, a uWSGI configuration).
import * as path from 'node:path';
import type { DjangoProject } from '../project/model';
import type { ScannedFile } from '../../files/scan';
import type { FileView } from '../../files/view';
import type { Collected } from './collect';
import type { ProcessSource } from './model';
import { IMAGE_PATH } from '../../catalogue/imagePath';
import { copyMapper } from '../../readers/container/dockerfile';

/** A file's path from its project's root (or from its scan's root, when it lies outside the project). */
export function relTo(project: DjangoProject, ws: FileView, file: string): string {
  const root = ws.scanFor(file)?.root ?? project.root;
  const base = file.startsWith(project.root + path.sep) ? project.root : root;
  return path.relative(base, file);
}

/**
 * The workspace file of a `kind` a process names by `p`: an absolute path through the process's
 * container paths (COPY, volumes), else the one file of that kind ending with the most of its
 * folders; a relative one from the process's working folder, its file's folder or the project's root.
 */
export function workspaceFileFor(r: Collected, p: string, source: ProcessSource, kind: ScannedFile['kind']): string | undefined {
  const exists = (f: string | undefined): f is string => !!f && r.ws.fs.exists(f);
  if (p.startsWith('/')) {
    const mapped = source.mapPath?.(p);
    if (exists(mapped)) return mapped;
    const parts = p.split('/').filter((x) => x !== '' && x !== '.');
    const score = (f: string): number => {
      const fp = f.split(path.sep);
      let n = 0;
      while (n < parts.length && n < fp.length && fp[fp.length - 1 - n] === parts[parts.length - 1 - n]) n++;
      return n;
    };
    const cands = r.project.files.filter((f) => f.kind === kind && score(f.path) > 0).map((f) => ({ f: f.path, n: score(f.path) }));
    const best = Math.max(0, ...cands.map((c) => c.n));
    const top = cands.filter((c) => c.n === best);
    return top.length === 1 ? top[0]!.f : undefined;
  }
  // a bare command name is looked up on the PATH: a script the image installs there (`COPY start.sh
  // /usr/local/bin/app`, then `app`) before a file of that name beside the command
  if (!p.includes('/') && source.mapPath) {
    const installed = installedOnPath(p, source.mapPath, (f) => isFile(r, f));
    if (installed) return installed;
  }
  for (const dir of [source.workingDir, path.dirname(source.file), r.project.root]) {
    const f = dir ? path.resolve(dir, p) : undefined;
    if (exists(f)) return f;
  }
  return undefined;
}

/** Whether a workspace path is a file (not a folder). */
export function isFile(r: Collected, f: string | undefined): f is string {
  return !!f && r.ws.fs.exists(f) && !r.ws.fs.isDirectory(f);
}

/** The workspace file an image installs as the command `name` on its PATH, through its COPY instructions. */
export function installedOnPath(
  name: string,
  mapPath: (p: string) => string | undefined,
  exists: (f: string | undefined) => boolean,
): string | undefined {
  for (const dir of IMAGE_PATH.value) {
    const f = mapPath(`${dir}/${name}`);
    if (exists(f)) return f;
  }
  return undefined;
}

/** Container path → workspace path, from a stage's COPY instructions and compose volumes. */
export function pathMapper(
  ws: FileView,
  context: string,
  copies: readonly { sources: string[]; dest: string; from?: string }[],
  volumes: readonly { host: string; container: string }[] = [],
): (p: string) => string | undefined {
  const scan = ws.scanFor(context);
  return copyMapper(context, copies, (abs) => abs === context || (scan?.directories.has(abs) ?? false), volumes);
}

/** A compose volume that binds a host path (`./nginx:/etc/nginx/conf.d`), resolved from the compose file's folder. */
export function bindMount(volume: string, dir: string): { host: string; container: string } | undefined {
  const m = /^(\.{1,2}(?:\/[^:]*)?|\/[^:]*):(\/[^:]*)/.exec(volume);
  return m ? { host: path.resolve(dir, m[1]!), container: m[2]! } : undefined;
}
