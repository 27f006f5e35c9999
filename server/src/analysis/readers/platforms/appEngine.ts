// Google App Engine's app.yaml: the one service it describes, with its entrypoint, env_variables and
// the variables App Engine sets, its scaling, its readiness and liveness checks, and whether every
// handler redirects to HTTPS. A DigitalOcean app spec also named app.yaml is told apart here.
import * as path from 'node:path';
import { fixedInstances, plainInt, type DeployEnv, type DeployFile, type Instances, type Probe } from '../workload';
import { yget } from '../yaml';
import { envMap, firstDoc, injected, seq, str, tok } from './common';

/** url patterns of an app.yaml handler that match every path. */
const CATCH_ALL_URLS = new Set(['.*', '/.*', '(.*)', '/(.*)', '.*$', '/.*$', '^.*$', '^/.*$']);
import { readDigitalOcean } from './digitalOcean';

export function readAppEngine(file: string, text: string): DeployFile {
  const doc = firstDoc(file, text);
  const name = path.basename(file);
  // DigitalOcean's app spec is also named app.yaml (in .do/): it has services, not a runtime
  if (!str(yget(doc, 'runtime')))
    return yget(doc, 'services') || yget(doc, 'spec') ? readDigitalOcean(file, text) : { file, format: 'app.yaml', processes: [] };
  const env = new Map<string, DeployEnv>();
  envMap(yget(doc, 'env_variables'), env);
  const flex = str(yget(doc, 'env'))?.value === 'flex';
  injected(
    env,
    tok(str(yget(doc, 'runtime'))!),
    // the variables App Engine sets in every instance (standard; flex sets the second group)
    [
      ...(flex
        ? []
        : ([
            ['GAE_ENV', 'standard'],
            ['GAE_APPLICATION', undefined],
            ['GAE_DEPLOYMENT_ID', undefined],
            ['GAE_RUNTIME', str(yget(doc, 'runtime'))?.value],
          ] as const)),
      ['GAE_INSTANCE', undefined],
      ['GAE_MEMORY_MB', undefined],
      ['GAE_SERVICE', str(yget(doc, 'service'))?.value ?? 'default'],
      ['GAE_VERSION', undefined],
      ['GOOGLE_CLOUD_PROJECT', undefined],
      ['PORT', '8080'],
    ],
    'App Engine',
  );
  const entry = str(yget(doc, 'entrypoint'));
  const manual = str(yget(yget(doc, 'manual_scaling'), 'instances'));
  const autoMax = str(yget(yget(doc, 'automatic_scaling'), 'max_instances')) ?? str(yget(yget(doc, 'basic_scaling'), 'max_instances'));
  const runtime = str(yget(doc, 'runtime'))!;
  const instances: Instances = manual
    ? fixedInstances(manual.value, manual.loc, `manual_scaling instances: ${manual.value}`)
    : {
        min: 1,
        ...(autoMax && plainInt(autoMax.value) !== undefined ? { max: plainInt(autoMax.value) } : {}),
        autoscaled: true,
        why: `App Engine starts instances as traffic grows${autoMax ? ` (up to ${autoMax.value})` : ''}`,
        loc: (autoMax ?? runtime).loc,
      };
  // `secure: always` redirects the plain-HTTP requests a handler matches: the app is redirected for
  // when every handler that hands requests to it (not static_files or static_dir, which App Engine
  // serves itself) says so, a catch-all url among them (static handlers may say what they like)
  const handlers = seq(yget(doc, 'handlers'));
  const toApp = handlers.filter((h) => !str(yget(h, 'static_files')) && !str(yget(h, 'static_dir')));
  const secure =
    toApp.length > 0 &&
    toApp.every((h) => str(yget(h, 'secure'))?.value === 'always') &&
    toApp.some((h) => CATCH_ALL_URLS.has(str(yget(h, 'url'))?.value.trim() ?? ''));
  const probes: Probe[] = [];
  for (const k of ['readiness_check', 'liveness_check']) {
    const p = str(yget(yget(doc, k), 'path'));
    if (p) probes.push({ kind: `App Engine ${k}`, path: p.value, pathLoc: p.loc, loc: p.loc });
  }
  return {
    file,
    format: 'App Engine app.yaml',
    processes: [
      {
        label: `${name} (App Engine ${str(yget(doc, 'service'))?.value ?? 'default'} service)`,
        file,
        ...(entry ? { shell: entry.map } : {}),
        ...(runtime.value !== 'custom'
          ? { nativeRuntime: { what: `${name} runs on App Engine's ${runtime.value} runtime`, loc: runtime.loc, runtime: runtime.value } }
          : {}),
        env,
        instances,
        probes,
        ports: [],
        containerized: true,
        ...(secure ? { httpsRedirect: 'App Engine redirects HTTP to HTTPS (secure: always on every app handler)' } : {}),
      },
    ],
  };
}
