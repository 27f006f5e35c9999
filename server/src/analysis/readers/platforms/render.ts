// render.yaml: each service render runs (web services, workers, cron jobs; not its key-value
// stores), with its start or Docker command (or the image's CMD), its variables (envVarGroups
// included, generated and database values known to be set), the variables render sets, how many
// instances run, its health check, and the pre-deploy command it runs once per deploy.
import * as path from 'node:path';
import { fixedInstances, plainInt, type DeployEnv, type DeployFile, type DeployProcess, type Instances } from '../workload';
import { yget, type YamlNode } from '../yaml';
import { firstDoc, injected, oneOff, seq, str, tok } from './common';

function renderEnv(list: YamlNode | undefined, groups: Map<string, YamlNode>, out: Map<string, DeployEnv>, depth = 0): void {
  for (const item of seq(list)) {
    const key = str(yget(item, 'key'));
    const group = str(yget(item, 'fromGroup'));
    if (group && depth < 3) {
      renderEnv(groups.get(group.value), groups, out, depth + 1);
      continue;
    }
    if (!key) continue;
    const value = str(yget(item, 'value'));
    if (value) {
      out.set(key.value, { name: key.value, value: value.value, token: tok(value), nameLoc: key.loc });
      continue;
    }
    const from = str(yget(item, 'generateValue'))
      ? 'a value render generates'
      : yget(item, 'fromDatabase')
        ? `the database ${str(yget(yget(item, 'fromDatabase'), 'name'))?.value ?? ''}`.trim()
        : yget(item, 'fromService')
          ? `the service ${str(yget(yget(item, 'fromService'), 'name'))?.value ?? ''}`.trim()
          : 'a value set in the render dashboard';
    out.set(key.value, { name: key.value, value: '', token: tok(key), nameLoc: key.loc, from });
  }
}

export function readRender(file: string, text: string): DeployFile {
  const doc = firstDoc(file, text);
  const out: DeployProcess[] = [];
  const name = path.basename(file);
  const groups = new Map<string, YamlNode>();
  for (const g of seq(yget(doc, 'envVarGroups'))) {
    const n = str(yget(g, 'name'));
    const vars = yget(g, 'envVars');
    if (n && vars) groups.set(n.value, vars);
  }
  for (const s of seq(yget(doc, 'services'))) {
    const type = str(yget(s, 'type'))?.value ?? 'web';
    if (type === 'redis' || type === 'keyvalue') continue;
    const sname = str(yget(s, 'name'))?.value ?? '?';
    const env = new Map<string, DeployEnv>();
    renderEnv(yget(s, 'envVars'), groups, env);
    const typeNode = str(yget(s, 'type')) ?? str(yget(s, 'name'));
    if (typeNode)
      injected(
        env,
        tok(typeNode),
        [
          ['RENDER', 'true'],
          ['IS_PULL_REQUEST', 'false'],
          ['RENDER_SERVICE_NAME', sname],
          ['RENDER_EXTERNAL_HOSTNAME', undefined],
          ['RENDER_EXTERNAL_URL', undefined],
          ['PORT', '10000'],
        ],
        'render',
      );
    const start = str(yget(s, 'startCommand')) ?? str(yget(s, 'dockerCommand'));
    // a Docker service without a dockerCommand runs its image's CMD
    const runtime = str(yget(s, 'runtime'))?.value ?? str(yget(s, 'env'))?.value;
    const dfPath = str(yget(s, 'dockerfilePath'));
    const dockerfile =
      runtime === 'docker'
        ? {
            file: path.resolve(path.dirname(file), dfPath?.value ?? './Dockerfile'),
            ...(str(yget(s, 'dockerTarget')) ? { target: str(yget(s, 'dockerTarget'))!.value } : {}),
            loc: (dfPath ?? str(yget(s, 'runtime')) ?? str(yget(s, 'env')))!.loc,
          }
        : undefined;
    // a native runtime (python, node…): render builds it with the buildCommand, no Dockerfile
    const runtimeTok = str(yget(s, 'runtime')) ?? str(yget(s, 'env'));
    const native =
      runtime && runtime !== 'docker' && runtime !== 'image' && runtimeTok
        ? { what: `${name} runs the service ${sname} on render's ${runtime} runtime`, loc: runtimeTok.loc, runtime }
        : undefined;
    const num = str(yget(s, 'numInstances'));
    const scaling = yget(s, 'scaling');
    const maxI = str(yget(scaling, 'maxInstances'));
    const minI = str(yget(scaling, 'minInstances'));
    const instances: Instances | undefined = maxI
      ? {
          min: plainInt(minI?.value ?? '1') ?? 1,
          ...(plainInt(maxI.value) !== undefined ? { max: plainInt(maxI.value) } : {}),
          autoscaled: true,
          why: `render scales it up to ${maxI.value} instances`,
          loc: maxI.loc,
        }
      : num
        ? fixedInstances(num.value, num.loc, `numInstances: ${num.value}`)
        : undefined;
    const health = str(yget(s, 'healthCheckPath'));
    out.push({
      label: `${name} (service ${sname})`,
      file,
      ...(start ? { shell: start.map } : dockerfile ? { dockerfile } : {}),
      ...(native ? { nativeRuntime: native } : {}),
      env,
      ...(type === 'cron' ? { scheduled: true, once: 'render runs a cron job on its schedule' } : {}),
      ...(type === 'web' ? { httpsRedirect: 'render redirects HTTP to HTTPS for web services' } : {}),
      ...(instances ? { instances } : {}),
      probes: health ? [{ kind: 'render health check', path: health.value, pathLoc: health.loc, loc: health.loc }] : [],
      ports: [],
      containerized: true,
    });
    const pre = str(yget(s, 'preDeployCommand'));
    if (pre)
      out.push(
        oneOff(`${name} (service ${sname}, preDeployCommand)`, file, pre.map, env, 'render runs the pre-deploy command once per deploy'),
      );
  }
  return { file, format: 'render.yaml', processes: out };
}
