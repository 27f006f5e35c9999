// The image of a VS Code dev container: a Dockerfile `.devcontainer/devcontainer.json` builds
// (`"dockerFile"`, `"build": {"dockerfile"}`) for the editor, without a `target` (a stage of a
// Dockerfile production builds too), that no production compose service or platform file builds.
import { shownPath } from '../../../base/relPath';
import * as path from 'node:path';
import { readDevContainer } from '../../../readers/container/devContainer';
import type { Collected } from '../collect';
import type { Demotions } from './demotion';

/** The devcontainer.json files the Dockerfiles' images may be built by: the project's and the repository's. */
function devContainerFiles(r: Collected): string[] {
  const roots = [...new Set([r.project.root, r.project.repositoryRoot].filter((d): d is string => d !== undefined))];
  return roots.flatMap((d) => [path.join(d, '.devcontainer', 'devcontainer.json'), path.join(d, '.devcontainer.json')]);
}

export function demoteDevContainerImages(r: Collected, demoted: Demotions): void {
  for (const json of devContainerFiles(r)) {
    const text = r.ws.fs.readText(json);
    if (text === undefined) continue;
    const dc = readDevContainer(text);
    if (dc.target || !dc.dockerfile) continue;
    const file = path.resolve(path.dirname(json), dc.dockerfile);
    if (!r.dockerfiles.some((d) => d.file === file) || r.devImages.has(file)) continue;
    if (r.composeBuilds.some((b) => b.dockerfile === file && !b.devReason)) continue;
    if (r.workloads.some((w) => w.source.production && w.process.dockerfile?.file === file)) continue;
    const shown = shownPath(r.project, json);
    const devReason = `the image of the dev container ${shown} builds`;
    r.devImages.set(file, devReason);
    for (const x of [...r.out.invocations, ...r.out.tasks, ...r.out.scripts, ...r.out.forwards, ...r.out.others])
      if (x.source.kind === 'dockerfile' && x.source.file === file && x.source.production && !demoted.has(x.source))
        demoted.set(x.source, { ...x.source, production: false, devReason });
  }
}
