// A compose file whose override file beside it makes the stack the developers'. Compose reads its
// default file (docker-compose.yml, compose.yaml) with the override file beside it
// (docker-compose.override.yml) merged over it whenever it is run with no `-f` (catalogue
// composeEnvironment.ts COMPOSE_DEFAULT_OVERRIDE): the backing services of the one (a database, a
// cache, object storage, a broker) and the app service the other adds or changes are one stack. When
// the app's services of that merged stack run the development server (`manage.py runserver_plus`)
// or name a development settings module (through an env file: `DJANGO_SETTINGS_MODULE=
// mysite.settings.development`), none serves the app with a production server, nothing of the
// repository runs the default file on a host (a script, a CI job that deploys), its name says neither
// production nor staging, and a production process outside it serves the app (a Procfile, a platform
// file, a unit, a workload, an image CI pushes): the default file is the developers' stack, its
// services development's — its database's published port and committed password those of a
// laptop's database. Where nothing else serves the app, the file stays as it was.
import * as path from 'node:path';
import { shownPath } from '../../../base/relPath';
import { COMPOSE_DEFAULT_OVERRIDE } from '../../../catalogue/composeEnvironment';
import { isBackingServiceImage } from '../../../catalogue/databaseImages';
import type { ComposeFile, ComposeService } from '../../../readers/container/compose';
import { namedForProduction, namedForStaging } from '../../../readers/devPaths';
import { roleByName } from '../../project/model';
import type { Collected } from '../collect';
import { runsDevelopmentServer } from '../devStack';
import type { ProcessSource } from '../model';
import { isProxyService } from '../software';
import { apply, deployComposeRuns } from './composeBuildRecipes';
import type { Demotions } from './demotion';
import { productionElsewhere } from './developmentCompose';

export function demoteOverriddenCompose(r: Collected, demoted: Demotions): void {
  const rel = (p: string): string => shownPath(r.project, p);
  const effective = (src: ProcessSource): ProcessSource => demoted.get(src) ?? src;
  let runs: ReturnType<typeof deployComposeRuns> | undefined;
  for (const base of r.compose) {
    // (a merge a deployment command makes is read as one file already, composeLayers.ts)
    if (base.layers) continue;
    const names = COMPOSE_DEFAULT_OVERRIDE.value.get(path.basename(base.file));
    if (!names || namedForProduction(rel(base.file)) || namedForStaging(rel(base.file))) continue;
    const dir = path.dirname(base.file);
    const override = names.map((n) => r.compose.find((c) => c.file === path.join(dir, n) && !c.layers)).find((c) => c !== undefined);
    if (!override) continue;
    // every service of the default file still production's (nothing else said it is not)
    const open = base.services.filter((s) => r.composeDev.get(`${base.file}\0${s.name}`) === undefined);
    if (open.length === 0) continue;
    const dev = developersApp(r, base, override);
    if (!dev) continue;
    const elsewhere = productionElsewhere(r, base.file, effective);
    if (!elsewhere) continue;
    runs ??= deployComposeRuns(r, true);
    if (runs.some((x) => x.runs(base.file))) continue;
    const why = `${path.basename(override.file)} beside it, which compose merges over it when run without -f, makes the stack the developers' (the service ${dev.service}: ${dev.why}), while production serves the app with ${elsewhere.server} (${elsewhere.label})`;
    apply(r, demoted, base.file, new Map(open.map((s) => [s.name, why])));
  }
}

/** Whether a service runs the app's code: it builds an image, or runs one that is not a database's, a cache's or a proxy's. */
function runsAppCode(s: ComposeService): boolean {
  return !isProxyService(s) && (s.build !== undefined || (s.image !== undefined && !isBackingServiceImage(s.image)));
}

/**
 * The app service of the stack the two files make that shows it is the developers' (it runs the
 * development server, or names a development settings module), with why; undefined when none does,
 * or when an app service of the stack serves the app with a production server.
 */
function developersApp(r: Collected, base: ComposeFile, override: ComposeFile): { service: string; why: string } | undefined {
  let found: { service: string; why: string } | undefined;
  const names = new Set([...base.services, ...override.services].filter(runsAppCode).map((s) => s.name));
  // (a service the override file writes but neither builds nor names an image for in either file
  // extends the default file's: read with it)
  for (const s of base.services)
    if (!names.has(s.name) && override.services.some((o) => o.name === s.name && runsAppCode(o))) names.add(s.name);
  for (const name of names) {
    const over = override.services.find((s) => s.name === name);
    // the command the merged service runs: the override's when it writes one (compose replaces
    // `command` and `entrypoint`), else the default file's
    const commandFile = over && (over.command || over.entrypoint) ? override.file : base.file;
    const own = (src: ProcessSource): boolean => src.kind === 'compose' && src.file === commandFile && src.service === name;
    const servers = r.out.invocations.filter((i) => own(i.source));
    if (servers.some((i) => !runsDevelopmentServer(i))) return undefined;
    if (found) continue;
    const devServer = servers.find((i) => runsDevelopmentServer(i));
    if (devServer) {
      const what = devServer.subcommand
        ? `${path.basename(devServer.program.text)} ${devServer.subcommand.text}`
        : `${devServer.server} --reload`;
      found = { service: name, why: `it runs ${what}, the development server` };
      continue;
    }
    // the settings module the merged service names: the override's environment wins (its env file too)
    const module = [serviceSource(r, override.file, name), serviceSource(r, base.file, name)]
      .map((src) => src?.env.get('DJANGO_SETTINGS_MODULE'))
      .find((e) => e !== undefined && !e.from);
    const role = module ? roleByName(module.value.trim()) : undefined;
    if (module && (role === 'development' || role === 'test'))
      found = {
        service: name,
        why: `it sets DJANGO_SETTINGS_MODULE to ${module.value.trim()}, a ${role === 'test' ? 'test' : 'development'} module`,
      };
  }
  return found;
}

/** The process source of a compose service: what it runs, or the image's own command it keeps. */
function serviceSource(r: Collected, file: string, service: string): ProcessSource | undefined {
  const own = (src: ProcessSource): boolean => src.kind === 'compose' && src.file === file && src.service === service;
  return (
    r.composeServiceSources.get(`${file}\0${service}`) ??
    [...r.out.invocations, ...r.out.tasks, ...r.out.scripts, ...r.out.others].map((x) => x.source).find(own)
  );
}
