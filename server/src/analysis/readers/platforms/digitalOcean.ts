// DigitalOcean's app spec (.do/app.yaml, .do/deploy.template.yaml): its services, workers and jobs,
// with their run commands, the app's and their own variables (secrets and bound values known to be
// set), instance counts and autoscaling, health checks and HTTP ports.
import * as path from 'node:path';
import { fixedInstances, plainInt, type DeployEnv, type DeployFile, type DeployProcess, type Instances } from '../workload';
import { yget, type YamlNode } from '../yaml';
import { firstDoc, seq, str, tok, writtenOf } from './common';

function doEnv(list: YamlNode | undefined, out: Map<string, DeployEnv>): void {
  for (const item of seq(list)) {
    const key = str(yget(item, 'key'));
    if (!key) continue;
    const value = str(yget(item, 'value'));
    const type = str(yget(item, 'type'))?.value;
    if (value && type !== 'SECRET' && !value.value.includes('${')) {
      out.set(key.value, { name: key.value, value: value.value, token: tok(value), nameLoc: key.loc });
      continue;
    }
    out.set(key.value, {
      name: key.value,
      value: '',
      token: tok(value ?? key),
      nameLoc: key.loc,
      from:
        type === 'SECRET'
          ? 'an encrypted secret of the app'
          : value
            ? `a value bound by the platform (${value.value})`
            : 'a value set in the dashboard',
    });
  }
}

export function readDigitalOcean(file: string, text: string): DeployFile {
  const top = firstDoc(file, text);
  const doc = yget(top, 'spec') ?? top;
  const name = path.basename(file);
  const out: DeployProcess[] = [];
  const appEnv = new Map<string, DeployEnv>();
  doEnv(yget(doc, 'envs'), appEnv);
  for (const [list, what] of [
    ['services', 'service'],
    ['workers', 'worker'],
    ['jobs', 'job'],
  ] as const) {
    for (const c of seq(yget(doc, list))) {
      const cname = str(yget(c, 'name'))?.value ?? '?';
      const env = new Map(appEnv);
      doEnv(yget(c, 'envs'), env);
      const run = str(yget(c, 'run_command'));
      const count = str(yget(c, 'instance_count'));
      const auto = yget(c, 'autoscaling');
      const maxA = str(yget(auto, 'max_instance_count'));
      const instances: Instances | undefined = maxA
        ? {
            min: plainInt(str(yget(auto, 'min_instance_count'))?.value ?? '1') ?? 1,
            ...(plainInt(maxA.value) !== undefined ? { max: plainInt(maxA.value) } : {}),
            autoscaled: true,
            why: `autoscaling up to ${maxA.value} instances`,
            loc: maxA.loc,
          }
        : count
          ? fixedInstances(count.value, count.loc, `instance_count: ${count.value}`)
          : undefined;
      const kind = str(yget(c, 'kind'))?.value;
      // a buildpack environment (environment_slug) and no Dockerfile: built without one
      const slug = str(yget(c, 'environment_slug'));
      const native =
        slug && !yget(c, 'dockerfile_path') && !yget(c, 'image')
          ? { what: `${name} builds the ${what} ${cname} with the ${slug.value} buildpack`, loc: slug.loc }
          : undefined;
      const health = str(yget(yget(c, 'health_check'), 'http_path'));
      const port = str(yget(c, 'http_port'));
      out.push({
        label: `${name} (${what} ${cname})`,
        file,
        ...(run ? { shell: run.map } : {}),
        ...(native ? { nativeRuntime: native } : {}),
        env,
        ...(what === 'job' ? { once: `the platform runs the job ${kind ? `(${kind}) ` : ''}once per deploy` } : {}),
        ...(instances && what !== 'job' ? { instances } : {}),
        probes: health ? [{ kind: 'health_check', path: health.value, pathLoc: health.loc, loc: health.loc }] : [],
        ports: port ? [{ ...writtenOf(port)!, what: 'http_port' }] : [],
        containerized: true,
      });
    }
  }
  return { file, format: 'DigitalOcean app spec', processes: out };
}
