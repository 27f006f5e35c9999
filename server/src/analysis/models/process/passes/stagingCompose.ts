// A compose file named for staging (docker-compose-staging.yml, deploy/staging/compose.yml) beside
// a compose file of the project that runs the app in production (docker-compose.yml,
// docker-compose.prod.yml): staging is a second environment, and production is the other file. The
// staging file's services are not production's: its throwaway defaults (`${SECRET_KEY:-dev_key}`)
// and its ports are staging's. Alone, a staging file is taken as production's, as a deployment file
// named for staging is elsewhere (deploymentVariables.ts withoutStagingBesideProduction).
import { shownPath } from '../../../base/relPath';
import { namedForStaging } from '../../../readers/devPaths';
import type { Collected } from '../collect';
import type { ProcessSource } from '../model';
import { apply } from './composeBuildRecipes';
import type { Demotions } from './demotion';

export function demoteStagingCompose(r: Collected, demoted: Demotions): void {
  const rel = (p: string): string => shownPath(r.project, p);
  const staging = r.compose.filter((c) => namedForStaging(rel(c.file)));
  if (staging.length === 0) return;
  const sources: ProcessSource[] = [...r.out.invocations, ...r.out.tasks, ...r.out.scripts, ...r.out.forwards, ...r.out.others].map(
    (x) => x.source,
  );
  // a compose file some service of which runs the app in production: a command of its own, or the
  // image it builds run with the image's own command
  const runsApp = (file: string): boolean =>
    sources.some((s) => s.kind === 'compose' && s.file === file && s.production && !demoted.has(s)) ||
    (r.compose
      .find((c) => c.file === file)
      ?.services.some((s) => s.build !== undefined && r.composeServiceSources.get(`${file}\0${s.name}`)?.production === true) ??
      false);
  const production = r.compose.find((c) => !namedForStaging(rel(c.file)) && runsApp(c.file));
  if (!production) return;
  for (const c of staging) {
    const why = `its name says staging, while ${rel(production.file)} runs the app in production`;
    const reasons = new Map<string, string>();
    for (const s of c.services) if (r.composeDev.get(`${c.file}\0${s.name}`) === undefined) reasons.set(s.name, why);
    if (reasons.size > 0) apply(r, demoted, c.file, reasons);
  }
}
