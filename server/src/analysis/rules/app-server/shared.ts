// Helpers shared by the app-server rules: where a setting's value comes from (for messages), the
// shape of a config expression (`multiprocessing.cpu_count() * 4`), and the usual "nothing to
// check here" outcome.
import { moduleBinding } from '../../models/settings/module';
import { defaultLookup, isEnvironmentDefault, isSupplied } from '../../models/settings/query';
import * as V from '../../eval/values';
import type { Loc, Value } from '../../eval/values';
import { field, namedChildren, type PyNode } from '../../parse/ast';
import { textOf, type GunicornConfig, type Located } from '../../readers/python/gunicornConfig';
import type { AppServerModel, GunicornRun, ProcessSource, SettingOccurrence } from '../../models/appServer/model';
import { requestPathsOf } from '../../models/requestPath/path';
import type { Fix, FixSafety, GunicornRuleContext, RuleContextBase } from '../types';

/**
 * Gunicorn's guide: 4–12 workers serve hundreds or thousands of requests per second. Above it DDG103
 * reports the count; at or below it DDG104 reports a fixed count.
 */
export const MAX_SENSIBLE_WORKERS = 12;

/** " (Procfile (web))", " (GUNICORN_CMD_ARGS in Dockerfile CMD)", "" for config files. */
export function whereNote(o: SettingOccurrence & { runs?: readonly { label: string }[] }): string {
  if (o.source === 'config') return '';
  const label = o.runs?.[0]?.label;
  if (o.source === 'GUNICORN_CMD_ARGS') return label ? ` (GUNICORN_CMD_ARGS for ${label})` : ' (GUNICORN_CMD_ARGS)';
  if (o.source === 'environment') return label ? ` (${label})` : '';
  return label ? ` (${label})` : '';
}

/** How to name the setting in a message: `workers` in a config file, `--workers` on a command line. */
export function settingLabel(o: SettingOccurrence): string {
  if (o.source === 'config') return o.name;
  if (o.source === 'environment') return o.envName ?? o.name;
  return o.option?.flag.text ?? o.name;
}

/** " (the default used when the environment variable X is not set)" for env defaults. */
export function envDefaultNote(v: Value): string {
  if (!isEnvironmentDefault(v)) return '';
  const name = defaultLookup(v)?.name;
  return name ? ` (the default used when ${name} is not set)` : ' (a default used when the environment does not say)';
}

/** Reports nothing-to-check outcomes: no gunicorn in the project. */
export function noGunicorn(ctx: RuleContextBase): boolean {
  const m = ctx.appServer;
  if (m.runs.length === 0 && m.configs.length === 0) {
    // what serves the app instead, when the deployment says (the checklist says why the item does not apply)
    const others = [
      ...new Set(m.commands.filter((c) => c.source.production && c.server !== 'runserver').map((c) => SERVER_NAMES[c.server] ?? c.server)),
    ];
    ctx.notApplicable(
      others.length > 0
        ? `${others.join(' and ')} ${others.length === 1 ? 'serves' : 'serve'} the app, not gunicorn`
        : 'the project has no gunicorn configuration or command line',
    );
    return true;
  }
  return false;
}

const SERVER_NAMES: Readonly<Record<string, string>> = {
  uwsgi: 'uWSGI',
  uvicorn: 'uvicorn',
  daphne: 'Daphne',
  hypercorn: 'Hypercorn',
  granian: 'Granian',
};

/**
 * For a value the rule cannot judge: unknown values make the outcome unknown; values required
 * from the environment are fine. Returns true when the value is not known.
 */
export function unknownValue(ctx: RuleContextBase, o: SettingOccurrence): boolean {
  const v = o.value;
  if (v.kind !== 'unknown') return false;
  if (!isSupplied(v)) ctx.unknown(`${settingLabel(o)} is not known statically: ${v.reason}`, o.loc);
  return true;
}

/** An integer value (ints, and strings gunicorn reads as one). */
export function intOf(v: Value): number | undefined {
  if (v.kind === 'int') return v.v;
  if (v.kind === 'bool') return v.v ? 1 : 0;
  if (v.kind === 'str' && /^\s*\d+\s*$/.test(v.v)) return Number(v.v.trim());
  return undefined;
}

/** True / False of a boolean setting's value (strings "true"/"false" too). */
export function boolOf(v: Value): boolean | undefined {
  if (v.kind === 'bool') return v.v;
  if (v.kind === 'none') return false;
  if (v.kind === 'str') {
    const t = v.v.trim().toLowerCase();
    return t === 'true' ? true : t === 'false' ? false : undefined;
  }
  return undefined;
}

export { isWrittenInCode as isWritten } from '../../models/settings/query';

// ---- expression shapes ------------------------------------------------------------------------------

function nodeLoc(file: string, l: Located, n: PyNode = l.node): Loc {
  return { file, start: l.base + n.start, end: l.base + n.end };
}

/** `multiprocessing.cpu_count()`, `os.cpu_count()`, `len(os.sched_getaffinity(0))`, or a name bound to one. */
function isCpuCount(n: PyNode, cfg: GunicornConfig, base: number): boolean {
  const text = (x: PyNode): string => cfg.text.slice(base + x.start, base + x.end);
  if (n.type === 'parenthesized_expression') {
    const inner = namedChildren(n)[0];
    return inner ? isCpuCount(inner, cfg, base) : false;
  }
  if (n.type === 'call') {
    const fn = field(n, 'function');
    if (!fn) return false;
    const t = text(fn);
    if (/(^|\.)(process_)?cpu_count$/.test(t)) return true;
    if (t === 'len' && /sched_getaffinity/.test(text(n))) return true;
    const args = field(n, 'arguments');
    if ((t === 'int' || t === 'round' || t === 'max' || t === 'min') && args)
      return namedChildren(args).some((a) => isCpuCount(a, cfg, base));
    return false;
  }
  if (n.type === 'identifier') {
    const v = moduleBinding(cfg.module, n.text ?? '')?.value as { producedBy?: string } | undefined;
    return v?.producedBy === 'cpu-count';
  }
  return false;
}

function numberOf(n: PyNode): number | undefined {
  if (n.type === 'integer' || n.type === 'float') return Number((n.text ?? '').replace(/_/g, ''));
  return undefined;
}

/**
 * `cpu_count() * 4` (or `4 * cpu_count()`) inside an expression, or inside the expression of a
 * module-level helper it reads (`_w = cpu_count() * 4; workers = _w`): the factor and its location.
 */
export function cpuMultiplier(cfg: GunicornConfig, expr: Located, depth = 0): { factor: number; loc: Loc } | undefined {
  let found: { factor: number; loc: Loc } | undefined;
  const visit = (n: PyNode): void => {
    if (found) return;
    if (n.type === 'binary_operator') {
      const op = n.children.find((c) => !c.named)?.text;
      const left = field(n, 'left');
      const right = field(n, 'right');
      if (op === '*' && left && right) {
        const lf = numberOf(left);
        const rf = numberOf(right);
        if (rf !== undefined && isCpuCount(left, cfg, expr.base)) found = { factor: rf, loc: nodeLoc(cfg.file, expr, n) };
        else if (lf !== undefined && isCpuCount(right, cfg, expr.base)) found = { factor: lf, loc: nodeLoc(cfg.file, expr, n) };
        if (found) return;
      }
    }
    if (n.type === 'identifier' && depth < 3) {
      const helper = cfg.exprs.get(n.text ?? '');
      if (helper && helper !== expr) found = cpuMultiplier(cfg, helper, depth + 1);
      return;
    }
    for (const c of n.children) if (c.named) visit(c);
  };
  visit(expr.node);
  return found;
}

/** The expression reads the CPU count somewhere (`cpu_count() * 2 + 1`, a helper bound to it). */
export function usesCpuCount(cfg: GunicornConfig, expr: Located, depth = 0): boolean {
  const visit = (n: PyNode): boolean => {
    if (isCpuCount(n, cfg, expr.base)) return true;
    if (n.type === 'identifier' && depth < 3) {
      const helper = cfg.exprs.get(n.text ?? '');
      return !!helper && helper !== expr && usesCpuCount(cfg, helper, depth + 1);
    }
    return n.children.some((c) => c.named && visit(c));
  };
  return visit(expr.node);
}

/**
 * The number an expression that reads the CPU count gives on a machine of `cores` cores: integer
 * arithmetic (`+ - * // /`, parentheses), `int()`, `round()`, `max()`, `min()` over the CPU count,
 * numbers and the module's helpers; undefined for anything else.
 */
export function workersOnCores(cfg: GunicornConfig, expr: Located, cores: number, depth = 0): number | undefined {
  const ev = (n: PyNode): number | undefined => {
    if (isCpuCount(n, cfg, expr.base)) return cores;
    const num = numberOf(n);
    if (num !== undefined) return num;
    if (n.type === 'parenthesized_expression') {
      const inner = namedChildren(n)[0];
      return inner ? ev(inner) : undefined;
    }
    if (n.type === 'binary_operator') {
      const op = n.children.find((c) => !c.named)?.text;
      const l = field(n, 'left');
      const r = field(n, 'right');
      const a = l ? ev(l) : undefined;
      const b = r ? ev(r) : undefined;
      if (a === undefined || b === undefined) return undefined;
      if (op === '+') return a + b;
      if (op === '-') return a - b;
      if (op === '*') return a * b;
      if (op === '//' && b !== 0) return Math.floor(a / b);
      if (op === '/' && b !== 0) return a / b;
      return undefined;
    }
    if (n.type === 'call') {
      const fn = field(n, 'function')?.text;
      const args = field(n, 'arguments');
      const vals = args ? namedChildren(args).map(ev) : [];
      if (vals.length === 0 || vals.some((v) => v === undefined)) return undefined;
      const xs = vals as number[];
      if ((fn === 'int' || fn === 'round') && xs.length === 1) return fn === 'int' ? Math.trunc(xs[0]!) : Math.round(xs[0]!);
      if (fn === 'max') return Math.max(...xs);
      if (fn === 'min') return Math.min(...xs);
      return undefined;
    }
    if (n.type === 'identifier' && depth < 3) {
      const helper = cfg.exprs.get(n.text ?? '');
      return helper && helper !== expr ? workersOnCores(cfg, helper, cores, depth + 1) : undefined;
    }
    return undefined;
  };
  const v = ev(expr.node);
  return v === undefined || !Number.isFinite(v) ? undefined : Math.trunc(v);
}

export { V };

/**
 * How a process is reached: only through a proxy ('yes'); only from the ingress controller's pods by
 * a NetworkPolicy ('policy': what and where; it holds only where the cluster's network plugin
 * enforces it, catalogue NETWORK_POLICY_ENFORCEMENT); only from the cluster's pods, every Service
 * selecting them ClusterIP and nothing opening them outside ('cluster': what and where, catalogue
 * CLUSTER_INTERNAL_SERVICE); or directly as well ('no').
 */
export type ProxyOnly =
  | { readonly state: 'yes' }
  | { readonly state: 'policy'; readonly why: string; readonly loc: Loc; readonly holdsIf: string }
  | { readonly state: 'cluster'; readonly why: string; readonly loc: Loc }
  | { readonly state: 'no' };

export function proxyOnly(model: AppServerModel, source: ProcessSource | undefined): ProxyOnly {
  const ps = source?.kind === 'kubernetes' ? model.processes.workloads.filter((w) => w.source === source).map((w) => w.process) : [];
  const by = ps.find((p) => p.reachableOnlyFrom)?.reachableOnlyFrom;
  if (by) return { state: 'policy', why: by.why, loc: by.loc, holdsIf: by.holdsIf };
  if (onlyReachableViaProxy(model, source)) return { state: 'yes' };
  const inCluster = ps.length > 0 && ps.every((p) => p.reachableInCluster) ? ps[0]!.reachableInCluster : undefined;
  return inCluster ? { state: 'cluster', why: inCluster.why, loc: inCluster.loc } : { state: 'no' };
}

/**
 * The process can only be reached through a proxy: a Procfile process (the platform's router is
 * the only way in), or a docker-compose service that publishes no port beside a proxy service (a
 * Kubernetes workload whose pods a NetworkPolicy lets only the ingress controller reach: proxyOnly).
 */
export function onlyReachableViaProxy(model: AppServerModel, source: ProcessSource | undefined): boolean {
  if (!source) return false;
  // a Procfile's process or a platform file's (heroku.yml, app.json, render.yaml, fly.toml, app.yaml…):
  // only the platform's router reaches it
  if (behindPlatformRouter(source)) return true;
  if (source.kind === 'compose' && source.service) return composeBehindProxy(model, source.file, source.service);
  // a start script, an image's command or a uWSGI file: every production container that runs it is
  // a compose service only a proxy reaches
  if (source.kind === 'shell' || source.kind === 'dockerfile' || source.kind === 'appconfig') {
    const starters = (model.processes.starters.get(source) ?? []).filter((s) => s.production);
    return (
      starters.length > 0 &&
      starters.every(
        (s) =>
          s.kind === 'procfile' ||
          (s.kind === 'workload' && !!s.workload && behindPlatformRouter(s.workload.source)) ||
          (s.kind === 'compose' && !!s.service && composeBehindProxy(model, s.file, s.service)),
      )
    );
  }
  return false;
}

/** A process a platform runs behind its router: a Procfile's, or a platform file's (see HOPS: each platform's router is its only way in). */
function behindPlatformRouter(source: { readonly kind: string }): boolean {
  return source.kind === 'procfile' || source.kind === 'platform';
}

/**
 * A compose service that publishes no port and that a proxy fronts: a proxy service of its compose
 * file, or one that routes to it by its labels or variables while running elsewhere (Traefik's
 * labels, nginx-proxy's VIRTUAL_HOST): only containers of its networks can reach it.
 */
function composeBehindProxy(model: AppServerModel, file: string, service: string): boolean {
  const svc = model.processes.compose.find((c) => c.file === file)?.services.find((s) => s.name === service);
  if (!svc || svc.ports.length > 0 || svc.networkMode?.text === 'host') return false;
  const edges = model.processes.edges;
  return (
    model.processes.proxies.some((p) => p.composeFile === file) ||
    edges.traefik.routers.some((r) => r.composeFile === file && (r.composeService ?? r.target?.composeService) === service) ||
    edges.nginxProxy.vhosts.some((v) => v.composeFile === file && v.service === service)
  );
}

/**
 * Rewrites a config file's literal value (`reload = True` → `False`), where the setting's last
 * assignment in the file is that literal; undefined for anything else (expressions, flags).
 */
export function configLiteralFix(
  ctx: RuleContextBase,
  o: SettingOccurrence,
  literal: RegExp,
  newText: (old: string) => string,
  title: string,
  safety: FixSafety,
): Fix | undefined {
  const expr = o.configSetting?.expr;
  if (o.source !== 'config' || !expr || !o.config) return undefined;
  const old = ctx.textAt(o.loc);
  if (old === undefined || old !== textOf(o.config, expr) || !literal.test(old)) return undefined;
  return { title, safety, edits: [{ file: o.loc.file, start: o.loc.start, end: o.loc.end, newText: newText(old) }] };
}

/**
 * The Cloud Run services every deployment of these gunicorn runs is (each deployment's hops include
 * Cloud Run: a Knative service.yaml, a Terraform google_cloud_run_service, a Cloud Build
 * `gcloud run deploy`), as labels; undefined when one run is deployed elsewhere too, or where is not known.
 */
export function onCloudRun(ctx: GunicornRuleContext, runs: readonly GunicornRun[]): string[] | undefined {
  const labels = new Set<string>();
  if (runs.length === 0) return undefined;
  for (const r of runs) {
    if (!r.invocation) return undefined;
    const { deployments } = requestPathsOf(ctx.project, ctx.appServer, r.invocation);
    if (deployments.length === 0) return undefined;
    for (const d of deployments) {
      const hop = d.hops.find((h) => h.kind === 'cloud-run');
      if (!hop) return undefined;
      labels.add(hop.label);
    }
  }
  return [...labels];
}
