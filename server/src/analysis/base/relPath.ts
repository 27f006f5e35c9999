// How a message names a file: its path from the project's root (or the repository's, or the
// workspace's), with forward slashes — `docker/single/Dockerfile`, never `Dockerfile` alone, which
// in a repository with several Dockerfiles names none of them. The editor turns these into links.
import * as nodePath from 'node:path';

/** `file` relative to `root`, with forward slashes; its own name when it is the root itself. */
export function relPath(root: string, file: string): string {
  const rel = nodePath.relative(root, file).split(nodePath.sep).join('/');
  return rel || nodePath.basename(file);
}

/**
 * A process's or a hop's label with the file it comes from: the file's own name at the start of the
 * label becomes its path (`cla_backend.ini (uWSGI)` → `docker/cla_backend.ini (uWSGI)`); a label that
 * does not start with it gets the path after it (`Deployment web (container app) in k8s/web.yaml`).
 */
export function labelWithPath(label: string, root: string, file: string): string {
  const rel = relPath(root, file);
  if (label === rel || label.startsWith(`${rel} `) || label.includes(` in ${rel}`)) return label;
  const base = nodePath.basename(file);
  if (label === base || label.startsWith(`${base} `)) return rel + label.slice(base.length);
  return `${label} in ${rel}`;
}
