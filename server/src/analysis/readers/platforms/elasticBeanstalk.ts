// AWS Elastic Beanstalk (its Python platform on Amazon Linux 2 and 2023): the environment a source
// bundle's `.ebextensions/*.config` files configure, read together as Elastic Beanstalk applies them
// (in the alphabetical order of their names, a later file's option over an earlier one's), YAML or
// JSON. The first of them (else `.elasticbeanstalk/config.yml`, the EB CLI's) stands for the
// environment; the others run nothing of their own.
//
// - `option_settings` (a map of namespaces, or the list of `namespace`/`option_name`/`value`):
//   `aws:elasticbeanstalk:application:environment` is the processes' environment;
//   `aws:elasticbeanstalk:container:python` `WSGIPath` the app Gunicorn serves on 127.0.0.1:8000
//   behind the instance's nginx when the bundle has no Procfile (with one, the Procfile's processes
//   run, and its variables are theirs: models/requestPath/path.ts ties them); `aws:elbv2:listener:443`
//   with HTTPS, the load balancer's TLS; `aws:elasticbeanstalk:environment` `EnvironmentType:
//   SingleInstance`, no load balancer at all.
// - `Resources:` a redirect action to HTTPS on the load balancer's port-80 listener
//   (`AWSEBV2LoadBalancerListener`'s DefaultActions, or a listener rule on it for every path).
// - `container_commands` (each deploy, on one instance with `leader_only`) and the scripts of
//   `.platform/hooks/{prebuild,predeploy,postdeploy}/` (each deploy, on every instance): the release
//   steps, one-off processes.
// The RDS_* variables are set by the platform when a database is attached to the environment
// (catalogue ELASTIC_BEANSTALK_RDS): set, their values not in the repository.
import * as path from 'node:path';
import type { FileSystem } from '../../files/fs';
import {
  ELASTIC_BEANSTALK_ENVIRONMENT,
  ELASTIC_BEANSTALK_PYTHON,
  ELASTIC_BEANSTALK_RDS,
  ELASTIC_BEANSTALK_RELEASE,
} from '../../catalogue/platformVariables';
import type { Loc } from '../../eval/values';
import { MappedBuilder, MappedText, type Token } from '../text';
import { plainInt, type DeployEnv, type DeployFile, type DeployProcess } from '../workload';
import { parseYamlDocuments, yget, type YamlNode, type YamlScalar } from '../yaml';
import { oneOff, seq, str, tok } from './common';

export const EB_FORMAT = 'Elastic Beanstalk configuration';
/** An environment without a load balancer (EnvironmentType: SingleInstance), or one whose load balancer is a Network Load Balancer. */
export const EB_NO_ALB_FORMAT = 'Elastic Beanstalk configuration (no Application Load Balancer)';

/** `.ebextensions/<name>.config`: a configuration file Elastic Beanstalk reads from the source bundle. */
export function isEbExtensionsConfig(rel: string): boolean {
  return /(^|\/)\.ebextensions\/[^/]{1,200}\.config$/.test(rel.replace(/\\/g, '/'));
}

/** `.elasticbeanstalk/config.yml`: the EB CLI's configuration of the environments it deploys the folder to. */
export function isEbCliConfig(rel: string): boolean {
  return /(^|\/)\.elasticbeanstalk\/config\.ya?ml$/.test(rel.replace(/\\/g, '/'));
}

interface Option {
  readonly key: YamlScalar;
  readonly value: YamlNode | undefined;
  readonly file: string;
}

/** The bundle's options, namespace → option → its last setting. */
type Options = Map<string, Map<string, Option>>;

function setOption(out: Options, ns: string, opt: Option): void {
  let m = out.get(ns);
  if (!m) out.set(ns, (m = new Map()));
  m.set(opt.key.value, opt);
}

/** `option_settings:` as a map of namespaces, or a list of namespace/option_name/value (no namespace: the environment's). */
function readOptions(node: YamlNode | undefined, file: string, out: Options): void {
  if (node?.kind === 'map') {
    for (const e of node.entries) {
      if (e.value?.kind !== 'map') continue;
      for (const o of e.value.entries) setOption(out, e.key.value, { key: o.key, value: o.value, file });
    }
    return;
  }
  for (const item of seq(node)) {
    const ns = str(yget(item, 'namespace'))?.value ?? ELASTIC_BEANSTALK_ENVIRONMENT.namespace;
    const name = str(yget(item, 'option_name'));
    if (name) setOption(out, ns, { key: name, value: yget(item, 'value'), file });
  }
}

interface Command {
  readonly name: string;
  readonly command: YamlScalar;
  readonly leaderOnly: boolean;
  readonly file: string;
}

/** The configuration files of the bundle, in the order Elastic Beanstalk applies them. */
function configFiles(fs: FileSystem, root: string): string[] {
  const dir = path.join(root, '.ebextensions');
  return fs
    .readDir(dir)
    .filter((e) => e.isFile && e.name.endsWith('.config'))
    .map((e) => e.name)
    .sort()
    .map((n) => path.join(dir, n));
}

const rel = (root: string, f: string): string => path.relative(root, f).split(path.sep).join('/');

/** A value the deployment fills in (a CloudFormation function or dynamic reference), not written here. */
function filledIn(v: YamlNode | undefined): string | undefined {
  if (v?.kind === 'map') return 'a CloudFormation function';
  const s = str(v);
  if (s && /\{\{resolve:/.test(s.value)) return `a CloudFormation dynamic reference (${s.value.trim()})`;
  if (s && /`\{"Fn::/.test(s.value)) return 'a CloudFormation function';
  return undefined;
}

/** Whether a listener action redirects to HTTPS (`Type: redirect`, `RedirectConfig: {Protocol: HTTPS}`). */
function redirectsToHttps(actions: YamlNode | undefined): boolean {
  return seq(actions).some(
    (a) =>
      str(yget(a, 'Type'))?.value.toLowerCase() === 'redirect' &&
      str(yget(yget(a, 'RedirectConfig'), 'Protocol'))?.value.toUpperCase() === 'HTTPS',
  );
}

/** Whether a listener rule's conditions take every path (`path-pattern` `*` or `/*`). */
function everyPath(conditions: YamlNode | undefined): boolean {
  const cs = seq(conditions);
  return (
    cs.length > 0 &&
    cs.every((c) => {
      if (str(yget(c, 'Field'))?.value !== 'path-pattern') return false;
      const values = [...seq(yget(c, 'Values')), ...seq(yget(yget(c, 'PathPatternConfig'), 'Values'))].map((v) => str(v)?.value);
      return values.length > 0 && values.some((v) => v === '*' || v === '/*');
    })
  );
}

/** Whether `n` names the environment's port-80 listener (`Ref: AWSEBV2LoadBalancerListener`). */
function refsDefaultListener(n: YamlNode | undefined): boolean {
  return str(yget(n, 'Ref'))?.value === 'AWSEBV2LoadBalancerListener' || str(n)?.value === 'AWSEBV2LoadBalancerListener';
}

/** A redirect of plain HTTP to HTTPS a config file's `Resources:` writes on the load balancer: how, where. */
function resourceRedirect(doc: YamlNode | undefined): { how: string; loc: Loc } | undefined {
  const resources = yget(doc, 'Resources');
  if (resources?.kind !== 'map') return undefined;
  for (const e of resources.entries) {
    const type = str(yget(e.value, 'Type'))?.value;
    const props = yget(e.value, 'Properties');
    if (type === 'AWS::ElasticLoadBalancingV2::Listener') {
      const port = str(yget(props, 'Port'))?.value;
      if ((e.key.value === 'AWSEBV2LoadBalancerListener' || port === '80') && redirectsToHttps(yget(props, 'DefaultActions')))
        return { how: `Resources ${e.key.value}`, loc: e.key.loc };
    }
    if (
      type === 'AWS::ElasticLoadBalancingV2::ListenerRule' &&
      refsDefaultListener(yget(props, 'ListenerArn')) &&
      redirectsToHttps(yget(props, 'Actions')) &&
      everyPath(yget(props, 'Conditions'))
    )
      return { how: `Resources ${e.key.value}, a rule for every path`, loc: e.key.loc };
  }
  return undefined;
}

/** The module Gunicorn is given for a WSGIPath: `mysite.wsgi:application` as written, `mysite/wsgi.py` as the module `mysite.wsgi`. */
export function wsgiApp(wsgiPath: string): string {
  const p = wsgiPath.trim();
  if (!p.includes('/') && !p.endsWith('.py')) return p;
  return p
    .replace(/^\.?\//, '')
    .replace(/\.py$/, '')
    .split('/')
    .filter((x) => x !== '')
    .join('.');
}

/**
 * The Elastic Beanstalk environment that `file` stands for (the first `.ebextensions/*.config` of its
 * bundle, else the EB CLI's `.elasticbeanstalk/config.yml`), read with the bundle's other
 * configuration files, Procfile and platform hooks; a configuration file after the first runs nothing
 * of its own.
 */
export function readElasticBeanstalk(fs: FileSystem, file: string, text: string): DeployFile {
  const slashed = file.replace(/\\/g, '/');
  const root = path.dirname(path.dirname(file));
  const configs = configFiles(fs, root);
  const none: DeployFile = { file, format: EB_FORMAT, processes: [] };
  if (isEbCliConfig(slashed) ? configs.length > 0 : configs[0] !== file) return none;
  const texts = configs.length > 0 ? configs.map((f) => ({ f, t: f === file ? text : (fs.readText(f) ?? '') })) : [];

  const options: Options = new Map();
  const commands: Command[] = [];
  let redirect: { how: string; loc: Loc; file: string } | undefined;
  let anchor: Token | undefined;
  const notes: string[] = [];
  for (const { f, t } of texts) {
    const stream = parseYamlDocuments(f, t);
    const doc = stream.documents[0];
    for (const p of stream.problems.slice(0, 3)) notes.push(`${rel(root, f)}: ${p.message}`);
    if (doc?.kind !== 'map') continue;
    anchor ??= tok(doc.entries[0]!.key);
    readOptions(yget(doc, 'option_settings'), f, options);
    const cc = yget(doc, 'container_commands');
    if (cc?.kind === 'map')
      for (const e of [...cc.entries].sort((a, b) => (a.key.value < b.key.value ? -1 : a.key.value > b.key.value ? 1 : 0))) {
        const command = str(yget(e.value, 'command'));
        if (!command || command.value.trim() === '') continue;
        const leader = str(yget(e.value, 'leader_only'))?.value.toLowerCase() === 'true';
        commands.push({ name: e.key.value, command, leaderOnly: leader, file: f });
      }
    const r = resourceRedirect(doc);
    if (r) redirect = { ...r, file: f };
  }
  if (!anchor) {
    // the EB CLI's file alone (or configuration files with nothing in them): the environment, as the platform sets it up
    const doc = parseYamlDocuments(file, text).documents[0];
    const first = doc?.kind === 'map' ? doc.entries[0]?.key : undefined;
    if (!first) return none;
    anchor = tok(first);
  }
  const opt = (ns: string, name: string): Option | undefined => options.get(ns)?.get(name);
  const optStr = (ns: string, name: string): YamlScalar | undefined => str(opt(ns, name)?.value);

  // the environment properties, then the variables the platform sets
  const env = new Map<string, DeployEnv>();
  for (const o of options.get(ELASTIC_BEANSTALK_ENVIRONMENT.namespace)?.values() ?? []) {
    const s = str(o.value);
    const from = filledIn(o.value);
    if (from) env.set(o.key.value, { name: o.key.value, value: '', token: tok(s ?? o.key), nameLoc: o.key.loc, from });
    else env.set(o.key.value, { name: o.key.value, value: s?.value ?? '', token: tok(s ?? o.key), nameLoc: o.key.loc });
  }
  for (const v of ELASTIC_BEANSTALK_RDS.variables)
    if (!env.has(v))
      env.set(v, {
        name: v,
        value: '',
        token: anchor,
        nameLoc: anchor.loc,
        from: `Elastic Beanstalk, ${ELASTIC_BEANSTALK_RDS.when} (${ELASTIC_BEANSTALK_RDS.source.url})`,
      });

  // the load balancer: none in a single-instance environment; its HTTPS listener and redirect as written
  const envType = optStr('aws:elasticbeanstalk:environment', 'EnvironmentType');
  const lbType = optStr('aws:elasticbeanstalk:environment', 'LoadBalancerType');
  const noAlb = envType?.value === 'SingleInstance' || lbType?.value.toLowerCase() === 'network';
  const listener = 'aws:elbv2:listener:443';
  const protocol = optStr(listener, 'Protocol') ?? optStr('aws:elb:listener:443', 'ListenerProtocol');
  const enabled = optStr(listener, 'ListenerEnabled');
  const certificate = optStr(listener, 'SSLCertificateArns') ?? optStr('aws:elb:listener:443', 'SSLCertificateId');
  const https =
    enabled?.value.toLowerCase() === 'false'
      ? undefined
      : protocol?.value.toUpperCase() === 'HTTPS'
        ? protocol
        : !protocol
          ? certificate
          : undefined;
  const at = (loc: Loc): string => rel(root, loc.file);
  const platformTls: DeployProcess['platformTls'] = https
    ? { known: true, how: `its listener 443 is HTTPS (${at(https.loc)}: ${listener})`, loc: https.loc }
    : undefined;
  const httpsRedirect = redirect
    ? `Elastic Beanstalk's load balancer redirects HTTP to HTTPS (${rel(root, redirect.file)}: ${redirect.how}) for the environment`
    : undefined;

  // what serves the app: the Procfile's processes, the Docker platform's image, or Gunicorn on WSGIPath
  const procfile = fs.readText(path.join(root, 'Procfile')) !== undefined;
  const dockerfile = !procfile && fs.readText(path.join(root, 'Dockerfile')) !== undefined;
  let shell: MappedText | undefined;
  if (!procfile && !dockerfile) {
    const py = ELASTIC_BEANSTALK_PYTHON;
    const wsgi = optStr(py.namespace, 'WSGIPath');
    const workers = optStr(py.namespace, 'NumProcesses');
    const threads = optStr(py.namespace, 'NumThreads');
    const b = new MappedBuilder(anchor.loc.file, anchor.loc.start);
    b.push(`gunicorn --bind ${py.bind} `, anchor.loc.start, anchor.loc.end);
    // (the worker count as written; unwritten, the platform's default of one process, which is gunicorn's own)
    if (workers && plainInt(workers.value) !== undefined) {
      b.push('--workers=', workers.loc.start, workers.loc.end);
      b.pushMapped(workers.map);
      b.push(' ', workers.loc.end, workers.loc.end);
    }
    if (threads && plainInt(threads.value) !== undefined) {
      b.push('--threads=', threads.loc.start, threads.loc.end);
      b.pushMapped(threads.map);
      b.push(' ', threads.loc.end, threads.loc.end);
    } else b.push(`--threads=${py.threads} `, anchor.loc.start, anchor.loc.end);
    const app = wsgiApp(wsgi?.value ?? py.wsgiPathDefault);
    if (wsgi && app === wsgi.value) b.pushMapped(wsgi.map);
    else if (wsgi) b.push(app, wsgi.loc.start, wsgi.loc.end);
    else b.push(app, anchor.loc.start, anchor.loc.end);
    shell = b.build();
  }
  const shown = rel(root, anchor.loc.file);
  const web: DeployProcess = {
    label: `${shown} (Elastic Beanstalk environment${procfile ? ', its Procfile' : dockerfile ? ', its Dockerfile' : ''})`,
    file,
    ...(shell ? { shell } : {}),
    ...(dockerfile ? { dockerfile: { file: path.join(root, 'Dockerfile'), loc: anchor.loc } } : {}),
    ...(!dockerfile ? { nativeRuntime: { what: 'Elastic Beanstalk runs it on its Python platform', loc: anchor.loc } } : {}),
    env,
    probes: [],
    ports: [],
    pushedDir: root,
    containerized: dockerfile,
    ...(httpsRedirect && !noAlb ? { httpsRedirect } : {}),
    ...(platformTls && !noAlb ? { platformTls } : {}),
    ...(notes.length > 0 ? { notes } : {}),
  };

  // the release steps: container_commands, then the platform hooks
  const release: DeployProcess[] = [];
  for (const c of commands)
    release.push({
      ...oneOff(
        `${rel(root, c.file)} (container_commands ${c.name})`,
        file,
        c.command.map,
        env,
        `Elastic Beanstalk runs container_commands at each deploy, ${c.leaderOnly ? 'on one instance (leader_only)' : 'on every instance'}`,
      ),
      pushedDir: root,
      containerized: false,
    });
  for (const hook of ELASTIC_BEANSTALK_RELEASE.hooks) {
    const dir = path.join(root, '.platform', 'hooks', hook);
    for (const e of fs
      .readDir(dir)
      .filter((x) => x.isFile)
      .sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0))) {
      const script = path.join(dir, e.name);
      const body = fs.readText(script);
      if (body === undefined || body.length > 256 * 1024) continue;
      release.push({
        ...oneOff(
          `${rel(root, script)} (Elastic Beanstalk ${hook} hook)`,
          file,
          MappedText.slice(script, body),
          env,
          `Elastic Beanstalk runs the ${hook} hooks at each deploy, on every instance`,
        ),
        pushedDir: root,
        containerized: false,
      });
    }
  }
  return { file, format: noAlb ? EB_NO_ALB_FORMAT : EB_FORMAT, processes: [web, ...release] };
}
