// A Dockerfile Dokku does not build: where Dokku deploys a folder (dokku.ts) and `.buildpacks` or a
// BUILDPACK_URL selects the herokuish builder, the Dockerfile at that folder's root is not
// production's image (catalogue DOKKU_HEROKUISH_DETECTION): Dokku runs the Procfile on the Heroku
// buildpacks. Unless something else of production builds or runs it (a CI step that publishes
// images, a production workload, a name or stage filed for production), it is the local image, and
// so are the compose services that build it.
import * as path from 'node:path';
import { shownPath } from '../../../base/relPath';
import { ciPublishesImages } from '../../../readers/container/publishedImages';
import { namedForProduction } from '../../../readers/devPaths';
import type { Collected } from '../collect';
import type { DokkuSign, ProcessSource } from '../model';
import type { Demotions } from './demotion';

export function demoteBesideDokkuBuildpacks(r: Collected, demoted: Demotions, dokku: readonly DokkuSign[]): void {
  const signs = dokku.filter((d) => d.builder === 'herokuish' && d.buildpacksBy);
  if (signs.length === 0 || ciPublishesImages(r.ws.fs, r.project.files)) return;
  const rel = (p: string): string => shownPath(r.project, p);
  for (const sign of signs) {
    const d = r.dockerfiles.find((x) => x.file === path.join(sign.dir, 'Dockerfile'));
    if (!d || r.devImages.has(d.file)) continue;
    if (r.workloads.some((w) => w.source.production && w.process.dockerfile?.file === d.file)) continue;
    if (namedForProduction(rel(d.file)) || d.stages.some((st) => st.name && namedForProduction(st.name))) continue;
    const devReason = `Dokku builds ${rel(sign.dir) || '.'} with the buildpacks its ${sign.buildpacksBy} selects, not this Dockerfile (shown by ${rel(sign.file)}: ${sign.why})`;
    r.devImages.set(d.file, devReason);
    for (const b of r.composeBuilds)
      if (b.dockerfile === d.file && !b.devReason && !namedForProduction(path.basename(b.file)))
        b.devReason = `it builds ${rel(d.file)}, which ${devReason.replace(/^Dokku builds/, 'Dokku does not build:')}`;
    const sources = new Set<ProcessSource>();
    for (const x of [...r.out.invocations, ...r.out.tasks, ...r.out.scripts, ...r.out.forwards, ...r.out.others]) {
      if (!x.source.production || demoted.has(x.source)) continue;
      if (x.source.kind === 'dockerfile' && x.source.file === d.file) sources.add(x.source);
      const b =
        x.source.kind === 'compose'
          ? r.composeBuilds.find((c) => c.file === x.source.file && c.service === x.source.service && c.dockerfile === d.file)
          : undefined;
      if (b?.devReason) demoted.set(x.source, { ...x.source, production: false, devReason: `the service ${b.service}: ${b.devReason}` });
    }
    for (const src of sources) demoted.set(src, { ...src, production: false, devReason: `${rel(d.file)}: ${devReason}` });
  }
}
