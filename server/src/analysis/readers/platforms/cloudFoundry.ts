// Cloud Foundry's app manifest (`manifest.yml`, `manifest-production.yml`: what `cf push` reads), and
// cloud.gov's, GSA's Cloud Foundry: each application (and each of its `processes:`) as the process
// Cloud Foundry runs — its `command:` (without one, the buildpack's: the Python buildpack runs the
// Procfile beside it, read as the Procfile it is), its `instances:`, its `env:` as written, a value
// `cf push` fills in (`((name))` from --var or --vars-file) or one CI renders (`${NAME}`) set but not
// known here, the variables Cloud Foundry sets in every instance, and the credentials of the
// services bound to it (VCAP_SERVICES, and DATABASE_URL when a bound service has a uri), set from
// outside the repository. Top-level attributes (the deprecated inheritance) apply to every
// application unless it sets its own.
//
// The file is told from a Kubernetes manifest also named manifest.yml by its content (files/scan.ts
// looksLikeCfManifest): a top-level `applications:` list, and no `apiVersion:` or `kind:`.
import * as path from 'node:path';
import { CLOUD_FOUNDRY_INTERNAL_DOMAIN } from '../../catalogue/hops';
import {
  CLOUD_FOUNDRY_DATABASE_URL,
  CLOUD_FOUNDRY_MANIFEST_VARIABLES,
  CLOUD_FOUNDRY_PROVIDED,
  CLOUD_FOUNDRY_SERVICES,
} from '../../catalogue/platformVariables';
import { fixedInstances, type DeployEnv, type DeployFile, type DeployProcess, type Probe } from '../workload';
import { yget, type YamlNode } from '../yaml';
import { envMap, firstDoc, seq, str, tok } from './common';
import type { Token } from '../text';

export const CF_FORMAT = 'Cloud Foundry manifest';
export const CLOUD_GOV_FORMAT = 'cloud.gov manifest';
/** The runtime of an application that names no buildpack: the one Cloud Foundry detects from the app's files. */
export const CF_DETECTED_BUILDPACK = '(detected buildpack)';

/** A host name on cloud.gov's own domains (its apps' `*.app.cloud.gov`, its API `api.fr.cloud.gov`). */
const CLOUD_GOV_HOST = /\b(?:app|fr)\.cloud\.gov\b/;
/** What CI renders into the file before `cf push` (`${NAME}`, envsubst). */
const RENDERED = /\$\{[A-Za-z_]\w{0,100}\}/;

/** The names of the service instances an application binds (`- my-db` or `- name: my-db`). */
function serviceNames(n: YamlNode | undefined): { name: string; token: Token }[] {
  const out: { name: string; token: Token }[] = [];
  for (const item of seq(n)) {
    const s = str(item) ?? str(yget(item, 'name'));
    if (s && s.value.trim() !== '') out.push({ name: s.value.trim(), token: tok(s) });
  }
  return out;
}

/**
 * The application's routes when every one is on Cloud Foundry's internal domain (`api.apps.internal`):
 * only other apps reach it, over the container network (catalogue CLOUD_FOUNDRY_INTERNAL_DOMAIN).
 */
function internalRoutes(n: YamlNode | undefined): { how: string; loc: Token['loc'] } | undefined {
  const routes = seq(n)
    .map((item) => str(yget(item, 'route')) ?? str(item))
    .filter((r) => r !== undefined);
  if (routes.length === 0) return undefined;
  const host = (r: string): string => r.trim().toLowerCase().split('/')[0]!.split(':')[0]!;
  const internal = (r: string): boolean => CLOUD_FOUNDRY_INTERNAL_DOMAIN.value.some((d) => host(r) === d || host(r).endsWith(`.${d}`));
  if (!routes.every((r) => internal(r.value))) return undefined;
  const shown = routes.map((r) => r.value.trim()).join(', ');
  return {
    how: `internal routes only (${shown})`,
    loc: routes[0]!.loc,
  };
}

/** Whether the file shows cloud.gov: a route, or any value, on cloud.gov's domains. */
export function showsCloudGov(text: string): boolean {
  return CLOUD_GOV_HOST.test(text.length > 256 * 1024 ? text.slice(0, 256 * 1024) : text);
}

/** A variables file `cf push --vars-file` reads: its values by name, and the file (relative, for messages). */
export interface CfVarsFile {
  readonly name: string;
  readonly values: ReadonlyMap<string, string>;
}

/** The flat map of a variables file (`name: value`); nested values are not read. */
export function readCfVarsFile(name: string, file: string, text: string): CfVarsFile | undefined {
  const doc = firstDoc(file, text);
  if (doc?.kind !== 'map') return undefined;
  const values = new Map<string, string>();
  for (const e of doc.entries) {
    const k = str(e.key);
    const v = str(e.value);
    if (k && v) values.set(k.value, v.value);
  }
  return { name, values };
}

/** Every `((name))` of a value filled in from the vars file, or undefined when one is not in it. */
function fillVars(value: string, vars: CfVarsFile | undefined): string | undefined {
  if (!vars) return undefined;
  // (the catalogue's CLOUD_FOUNDRY_MANIFEST_VARIABLES pattern, every occurrence)
  const all = /\(\([\w.\-/]{1,100}\)\)/g;
  let missing = false;
  const out = value.replace(all, (m) => {
    const got = vars.values.get(m.slice(2, -2));
    if (got === undefined) missing = true;
    return got ?? m;
  });
  return missing ? undefined : out;
}

/**
 * The manifest's processes; `vars`, the production variables file beside it (catalogue
 * CLOUD_FOUNDRY_VARS_FILES), fills in the `((name))` it gives.
 */
export function readCloudFoundry(file: string, text: string, vars?: CfVarsFile): DeployFile {
  const doc = firstDoc(file, text);
  const format = showsCloudGov(text) ? CLOUD_GOV_FORMAT : CF_FORMAT;
  const apps = yget(doc, 'applications');
  if (doc?.kind !== 'map' || apps?.kind !== 'seq' || yget(doc, 'apiVersion') || yget(doc, 'kind')) return { file, format, processes: [] };
  const name = path.basename(file);
  const processes: DeployProcess[] = [];
  for (const app of apps.items) {
    if (app?.kind !== 'map') continue;
    const appName = str(yget(app, 'name'));
    const at = (key: string): YamlNode | undefined => yget(app, key) ?? yget(doc, key);
    const first = app.entries[0]?.key;
    if (!first) continue;
    const anchor = tok(appName ?? first);
    const env = new Map<string, DeployEnv>();
    // (the top level's env first, the application's over it)
    envMap(yget(doc, 'env'), env);
    envMap(yget(app, 'env'), env);
    for (const [k, v] of env) {
      const filled = CLOUD_FOUNDRY_MANIFEST_VARIABLES.pattern.exec(v.value) ?? RENDERED.exec(v.value);
      if (!filled) continue;
      const known = RENDERED.test(v.value) ? undefined : fillVars(v.value, vars);
      if (known !== undefined) {
        // (the production vars file gives every `((name))`: the value cf push sets, known)
        env.set(k, { ...v, value: known });
        continue;
      }
      const how = filled[0].startsWith('((') ? 'cf push --var or --vars-file' : 'what renders the file before cf push';
      env.set(k, {
        ...v,
        value: '',
        token: { ...v.token, dynamic: true },
        from: `${name}'s ${filled[0]}, filled in by ${how} (not known here)`,
      });
    }
    for (const v of CLOUD_FOUNDRY_PROVIDED.variables)
      if (!env.has(v))
        env.set(v, { name: v, value: '', token: anchor, nameLoc: anchor.loc, from: 'Cloud Foundry, which sets it in every instance' });
    const services = serviceNames(at('services'));
    const bound = services.map((s) => s.name).join(', ');
    if (!env.has(CLOUD_FOUNDRY_SERVICES.variable)) {
      const t = services[0]?.token ?? anchor;
      env.set(CLOUD_FOUNDRY_SERVICES.variable, {
        name: CLOUD_FOUNDRY_SERVICES.variable,
        value: '',
        token: t,
        nameLoc: t.loc,
        from:
          services.length > 0
            ? `Cloud Foundry, with the credentials of the services bound (${bound})`
            : 'Cloud Foundry, which sets it in every instance',
      });
    }
    if (services.length > 0 && !env.has(CLOUD_FOUNDRY_DATABASE_URL.variable))
      env.set(CLOUD_FOUNDRY_DATABASE_URL.variable, {
        name: CLOUD_FOUNDRY_DATABASE_URL.variable,
        value: '',
        token: services[0]!.token,
        nameLoc: services[0]!.token.loc,
        from: `Cloud Foundry, from the services bound (${bound})`,
        maybe: CLOUD_FOUNDRY_DATABASE_URL.when,
      });
    const docker = str(yget(at('docker'), 'image'));
    const buildpacks = [...seq(at('buildpacks')).map((n) => str(n)), str(at('buildpack'))].filter((s) => s !== undefined);
    const pythonBuildpack = buildpacks.find((b) => /python/i.test(b.value));
    const native = docker
      ? undefined
      : {
          what:
            buildpacks.length > 0
              ? `Cloud Foundry builds it with ${buildpacks.map((b) => b.value).join(', ')}`
              : 'Cloud Foundry builds it with a buildpack',
          loc: (buildpacks[0] ?? appName ?? anchor).loc,
          // the Python buildpack as written (`python_buildpack`, its repository's URL), or the one Cloud
          // Foundry detects when none is named (it uses the Python buildpack for an app with a
          // requirements.txt or setup.py at its root: docs.cloudfoundry.org/buildpacks/python)
          ...(pythonBuildpack
            ? { runtime: pythonBuildpack.value.trim() }
            : buildpacks.length === 0
              ? { runtime: CF_DETECTED_BUILDPACK }
              : {}),
        };
    // (`path:` names the folder cf push uploads, relative to the manifest; an archive is not one)
    const pushed = str(at('path'));
    const pushedDir =
      pushed && pushed.value.trim() !== '' && !/\.(?:zip|jar|war|tgz|tar\.gz)$/i.test(pushed.value.trim()) && !pushed.value.includes('((')
        ? path.resolve(path.dirname(file), pushed.value.trim())
        : undefined;
    const label = (what: string): string => `${name} (application ${appName?.value ?? '?'}${what})`;
    const internalOnly = yget(app, 'no-route') ? undefined : internalRoutes(at('routes'));
    const common = {
      file,
      env,
      probes: [] as Probe[],
      ports: [],
      containerized: true,
      ...(pushedDir ? { pushedDir } : {}),
      ...(native ? { nativeRuntime: native } : {}),
      ...(internalOnly ? { internalOnly } : {}),
    };
    const health = (n: YamlNode): Probe[] => {
      const p = str(yget(n, 'health-check-http-endpoint'));
      return p ? [{ kind: 'Cloud Foundry health check', path: p.value, pathLoc: p.loc, loc: p.loc }] : [];
    };
    const instancesOf = (n: YamlNode | undefined) => {
      const i = str(n);
      return i ? fixedInstances(i.value, i.loc, `instances: ${i.value}`) : undefined;
    };
    // (v3 manifests: each process type with its own command and instances; `web` gets the routes)
    const typed = seq(yget(app, 'processes')).filter((p) => str(yget(p, 'type')));
    if (typed.length > 0) {
      for (const p of typed) {
        const type = str(yget(p, 'type'))!.value;
        const command = str(yget(p, 'command')) ?? (type === 'web' ? str(at('command')) : undefined);
        const instances = instancesOf(yget(p, 'instances')) ?? (type === 'web' ? instancesOf(at('instances')) : undefined);
        processes.push({
          ...common,
          label: label(`, process ${type}`),
          ...(command ? { shell: command.map } : {}),
          ...(instances ? { instances } : {}),
          probes: health(p),
        });
      }
      continue;
    }
    const command = str(at('command'));
    const instances = instancesOf(at('instances'));
    processes.push({
      ...common,
      label: label(''),
      ...(command ? { shell: command.map } : {}),
      ...(docker ? { image: docker.value, imageLoc: docker.loc } : {}),
      ...(instances ? { instances } : {}),
      probes: health(app),
    });
  }
  return { file, format, processes };
}
