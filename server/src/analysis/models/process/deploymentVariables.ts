// The variables production's deployment sets for the processes that serve the app, as the
// settings model reads them: from the production workloads of deployment files, the production
// Dockerfiles and compose services that start the app server, and the `--env` of production uWSGI
// command lines; a variable two deployments set differently, or only some platforms set, is not
// known.
import { relPath } from '../../base/relPath';
import * as path from 'node:path';
import type { Loc } from '../../eval/values';
import { uwsgiEnv } from '../../readers/process/appConfigs';
import type { EnvValue, ProcessModel, ProcessSource, Workload } from './model';
import { runsOtherSoftware } from './software';
import { namedForStaging } from '../../readers/devPaths';
import { HEROKU_DYNO, RAILWAY_REFERENCE } from '../../catalogue/platformVariables';
import { filledInWhereDeployed } from '../../secrets/templateValues';

/** A variable the production deployment sets for the processes that serve the app. */
export interface DeploymentVariable {
  readonly name: string;
  /** The value; undefined when it is set but not written here (a secret) or set differently by two processes. With `partial`, the text where it is set. */
  readonly value?: string;
  readonly loc: Loc;
  /** "Deployment web (container django) in k8s/web.yaml". */
  readonly evidence: string;
  /** Why the value is not known, when it is not. */
  readonly why?: string;
  /**
   * Set to a value that is not empty though not known here: a secret, a platform's generated or
   * database value, a variable the platform requires (what a `from` names), in every serving
   * process that sets it. A `${VAR}` filled in at deploy time may be empty.
   */
  readonly nonEmpty?: boolean;
  /**
   * A value filled in in part where it is deployed (`mysql://${DB_USER}:${DB_PASS}@db:3306/shop`):
   * its literal pieces in order, `null` for each part filled in (eval UnknownValue.knownText).
   */
  readonly knownText?: readonly (string | null)[];
  /** The value is the default a compose file gives when this variable is not set where compose runs. */
  readonly defaultOf?: string;
  /** The value is a committed template's, which the deployer may change where the file is made from it (EnvValue.template). */
  readonly template?: string;
  /** Set by some of the production deployments and not by others (two platforms): maybe set. */
  readonly partial?: boolean;
  /** Only a committed template lists it for the deployer to copy by hand (EnvValue.listed): the template. */
  readonly listed?: string;
}

/**
 * The variables the production processes that serve the app get from the deployment files read by
 * a deployment reader (Kubernetes manifests, platform files, app-server configs): each production
 * workload that is not a one-off or scheduled job, starts an app server or runs its image's own
 * command, and names no other settings module than `module`. A variable two such processes set
 * differently is set, its value not known.
 */
export function deploymentVariables(m: ProcessModel, module: string | undefined, root: string): Map<string, DeploymentVariable> {
  const out = new Map<string, DeploymentVariable>();
  const sources = withoutStagingBesideProduction(servingSources(m, module));
  return variablesOf(sources, out, root);
}

const PRODUCTION_NAME = /(^|[-_.])(prod|production|live)([-_.]|$)/i;

/**
 * The sources without the staging ones when a file of the same kind is named for production
 * (manifest_staging.yaml beside manifest_prod.yaml, values-staging.yaml beside values-prod.yaml):
 * staging is a second environment, and where the two set a variable differently production's
 * value is the one that runs in production. Alone, a staging file is taken as production's.
 */
function withoutStagingBesideProduction(sources: readonly ProcessSource[]): ProcessSource[] {
  const named = (s: ProcessSource, re: RegExp): boolean => re.test(path.basename(s.file));
  const staging = (s: ProcessSource): boolean => namedForStaging(path.basename(s.file));
  return sources.filter((s) => !staging(s) || !sources.some((o) => o.kind === s.kind && named(o, PRODUCTION_NAME) && !staging(o)));
}

/**
 * Whether the environment of every process that serves the app in production is written in the
 * repository, so that a variable none of them sets is unset where the app runs: production runs
 * from compose services (their `env_file`s read), systemd units or App Engine's app.yaml (an
 * app-server config or a start script they run adds to that environment; alone, it does not show
 * it), and from nothing whose variables are set outside the repository (a platform's
 * config vars or secrets, a Kubernetes Secret, an image run by something the repository does not
 * show). The files that show it ("docker-compose.prod.yml (service web)"), or undefined.
 */
export function closedEnvironment(m: ProcessModel, module: string | undefined, root: string): string | undefined {
  // (a chart the repository does not hold deploys the app: its templates give it an environment not shown)
  if (chartsServing(m, module).length > 0) return undefined;
  // (nor a program that generates production's manifests: what it gives the app is not read)
  if (m.generated.length > 0) return undefined;
  const sources = servingSources(m, module);
  if (sources.length === 0) return undefined;
  const composed = sources.some((s) => s.kind === 'compose');
  const shown: string[] = [];
  for (const s of sources) {
    if (s.unreadEnv?.length) return undefined;
    // an image compose runs gets its environment from the compose service
    if (s.kind === 'dockerfile' && composed) continue;
    // a start script, a uWSGI, supervisord or Circus configuration adds to the environment of what
    // starts it (a container, a unit): that decides whether it is shown
    if (s.kind === 'shell' || s.kind === 'appconfig') continue;
    const closed = s.kind === 'compose' || s.kind === 'systemd' || (s.kind === 'platform' && s.format === 'app.yaml');
    if (!closed) return undefined;
    const rel = relPath(root, s.file);
    // a compose service's label names its file already ("docker-compose.prod.yml (service web)")
    const where = s.label.includes(path.basename(s.file)) ? s.label : `${s.label} in ${rel}`;
    if (!shown.includes(where)) shown.push(where);
  }
  return shown.length > 0 ? shown.join(', ') : undefined;
}

/** An environment source a process that serves the app in production loads and the repository does not show. */
export interface UnreadEnvironment {
  /** The process's source ("docker-compose.prod.yml (service web)"). */
  readonly label: string;
  /** What it loads ("env_file .env.prod (ignored by git)"): see ProcessSource.unreadEnv. */
  readonly what: string;
}

/**
 * The environment sources the processes that serve the app in production load and the repository
 * does not show (an env_file not committed, an envFrom of a Secret not in it), each once: any
 * variable one of them may hold is maybe set where the app runs (readers/kubernetes/manifests.ts
 * unreadMayHold says which it may hold).
 */
export function unreadEnvironments(m: ProcessModel, module: string | undefined): UnreadEnvironment[] {
  const out: UnreadEnvironment[] = [];
  for (const s of servingSources(m, module))
    for (const what of s.unreadEnv ?? []) if (!out.some((u) => u.what === what)) out.push({ label: s.label, what });
  out.push(...chartEnvironments(m, module));
  out.push(...generatedEnvironments(m));
  return out;
}

/**
 * The environment the programs that generate production's Kubernetes manifests give the app
 * (passes/generatedDeployment.ts): the analysis does not run them, so any variable may be set there.
 */
export function generatedEnvironments(m: ProcessModel): UnreadEnvironment[] {
  return m.generated.map((g) => ({
    label: `production's deployment`,
    what: `the deployment generated by ${g.shown} (${g.generator.tool.noun}, which the analysis does not run)`,
  }));
}

/**
 * The environment charts the repository does not hold give the app, deploying it by their
 * production values: their templates are elsewhere (as a chart's values not known until it is
 * rendered), and may set any variable; the Secrets their values name are among its sources.
 */
export function chartEnvironments(m: ProcessModel, module: string | undefined): UnreadEnvironment[] {
  return chartsServing(m, module).map((c) => {
    const secrets = c.values.secrets.length > 0 ? `; its values name the Secrets ${c.values.secrets.join(', ')}` : '';
    return {
      label: `production's deployment`,
      what: `the Helm chart ${c.shown} configures (not in the repository${secrets})`,
    };
  });
}

/** The charts the repository does not hold whose production values deploy the app (not another settings module's). */
function chartsServing(m: ProcessModel, module: string | undefined): ProcessModel['externalCharts'] {
  return m.externalCharts.filter((c) => {
    const named = c.values.env.get('DJANGO_SETTINGS_MODULE');
    return !named || !module || named === module || module.endsWith('.' + named);
  });
}

/** The sources whose environment is the environment of a process that serves the app in production. */
function servingSources(m: ProcessModel, module: string | undefined): ProcessSource[] {
  // Heroku sets an app's config vars (app.json's `env`) in every dyno, over the ENV of the image
  // heroku.yml builds: a heroku.yml process's environment is its image's with the config vars on top
  const configVars = new Map<string, ReadonlyMap<string, EnvValue>>();
  for (const w of m.workloads)
    if (w.source.production && w.source.format === 'app.json') configVars.set(path.dirname(w.source.file), w.source.env);
  const envOf = (w: Workload): ProcessSource => {
    const vars = w.source.format === 'heroku.yml' ? configVars.get(path.dirname(w.source.file)) : undefined;
    return vars ? { ...w.source, env: new Map([...w.source.env, ...vars]) } : w.source;
  };
  const serving = m.workloads.filter((w) => {
    if (!w.source.production || w.process.once || w.process.scheduled || runsOtherSoftware(w)) return false;
    const named = envOf(w).env.get('DJANGO_SETTINGS_MODULE');
    if (named && module && !named.from && named.value !== module && !module.endsWith('.' + named.value)) return false;
    const own = m.invocations.filter((i) => i.source === w.source);
    const tasks = m.tasks.filter((t) => t.source === w.source);
    if (own.some((i) => i.server !== 'runserver')) return true;
    // a start script it runs starts the app server (heroku.yml's `run: web: /app/tools/run.sh`)
    if (
      m.invocations.some(
        (i) => i.server !== 'runserver' && (m.starters.get(i.source) ?? []).some((st) => st.workload === w || st.source === w.source),
      )
    )
      return true;
    // no command of its own (the image's CMD, the Procfile's processes): unless it runs celery or another task
    return !w.process.words && !w.process.shell && tasks.length === 0;
  });
  // …and the production Dockerfiles, compose services and systemd units whose command starts the app
  // server: their ENV, `environment:`, Environment= and EnvironmentFile= are the process's environment too
  const sources: ProcessSource[] = serving.map(envOf);
  for (const i of m.invocations) {
    if (
      !i.source.production ||
      i.server === 'runserver' ||
      (i.source.kind !== 'dockerfile' && i.source.kind !== 'compose' && i.source.kind !== 'systemd')
    )
      continue;
    const named = i.source.env.get('DJANGO_SETTINGS_MODULE');
    if (named && module && named.value !== module && !module.endsWith('.' + named.value)) continue;
    if (!sources.includes(i.source)) sources.push(i.source);
  }
  // …and the compose services that run an image whose own command (its CMD, a start script it
  // runs, a supervisord program) starts the app server: their environment is that command's (the
  // image's ENV, overridden by the env files and `environment:`), which replaces the image's alone
  for (const i of m.invocations) {
    if (!i.source.production || i.server === 'runserver') continue;
    for (const st of m.starters.get(i.source) ?? []) {
      const env = st.kind === 'compose' && st.production ? st.envSource : undefined;
      if (!env || sources.some((s) => s.file === env.file && s.service === env.service)) continue;
      const named = env.env.get('DJANGO_SETTINGS_MODULE');
      if (named && module && named.value !== module && !module.endsWith('.' + named.value)) continue;
      // a start script of the image's (CMD ["sh", "/entrypoint.sh"]) runs after compose set the rest:
      // what it exports before the server (or writes into the env file the settings load) wins there
      const script = i.source.kind === 'shell' ? [...i.source.env].filter(([, v]) => v.exported) : [];
      sources.push({ ...env, production: true, ...(script.length > 0 ? { env: new Map([...env.env, ...script]) } : {}) });
      // the image compose builds: its ENV is in the service's environment already
      const image = i.source.kind === 'dockerfile' ? sources.indexOf(i.source) : -1;
      if (image >= 0 && [...i.source.env.keys()].every((k) => env.env.has(k))) sources.splice(image, 1);
    }
  }
  // …and the compose services and systemd units whose own command (`command: /start`, `ExecStart=/srv/run.sh`)
  // runs a script that starts the app server: their env files and `environment:` are that server's environment
  for (const i of m.invocations) {
    if (!i.source.production || i.server === 'runserver') continue;
    for (const st of m.starters.get(i.source) ?? []) {
      const own = (st.kind === 'compose' || st.kind === 'systemd') && st.production ? st.source : undefined;
      if (!own || sources.includes(own)) continue;
      const named = own.env.get('DJANGO_SETTINGS_MODULE');
      if (named && module && named.value !== module && !module.endsWith('.' + named.value)) continue;
      sources.push(own);
    }
  }
  // …and a production image whose ENTRYPOINT or CMD runs a start script that starts the app server,
  // where nothing in the repository runs the image (no compose service, workload or unit): the
  // container's environment is the image's ENV with what the script exports before the server
  // (`export DJANGO_SECRET_KEY=…`, or the env file it writes that the settings load) on top
  const images = new Set<ProcessSource>(sources);
  for (const i of m.invocations) {
    if (i.source.kind !== 'shell' || !i.source.production || i.server === 'runserver' || (m.starters.get(i.source) ?? []).length > 0)
      continue;
    const exported = new Map([...i.source.env].filter(([, v]) => v.exported));
    for (const sc of m.scripts) {
      if (sc.file !== i.source.file || sc.source.kind !== 'dockerfile' || !sc.source.production || images.has(sc.source)) continue;
      images.add(sc.source);
      const named = sc.source.env.get('DJANGO_SETTINGS_MODULE') ?? exported.get('DJANGO_SETTINGS_MODULE');
      if (named && module && named.value !== module && !module.endsWith('.' + named.value)) continue;
      sources.push({ ...sc.source, env: new Map([...sc.source.env, ...exported]) });
    }
  }
  // …each with what the entrypoint it runs exports before it runs its arguments (`export
  // DATABASE_URL="postgres://…"` then `exec "$@"`, cookiecutter-django's entrypoint): on top
  for (const [k, s] of sources.entries()) {
    const exported = entrypointExports(m, s);
    if (exported.size > 0) sources[k] = { ...s, env: new Map([...s.env, ...exported]) };
  }
  // …and the image whose ENTRYPOINT script exports variables before it runs its arguments (`export
  // CACHE_URL=…` then `exec "$@"`), where nothing the repository shows runs the image (no compose
  // service, workload, unit or platform file): whatever command the deployment kept elsewhere gives
  // it (a generated Deployment's args, the image's CMD), the process has them
  const runElsewhere = sources.some((s) => s.kind !== 'dockerfile' && s.kind !== 'shell' && s.kind !== 'appconfig');
  if (!runElsewhere)
    for (const sc of m.scripts) {
      if (sc.source.kind !== 'dockerfile' || !sc.source.production || sources.some((s) => s.file === sc.source.file)) continue;
      const exported = entrypointExports(m, sc.source);
      if (exported.size === 0) continue;
      const named = exported.get('DJANGO_SETTINGS_MODULE');
      if (named && module && named.value !== module && !module.endsWith('.' + named.value)) continue;
      sources.push({ ...sc.source, label: `${sc.source.label.replace(/ (CMD|ENTRYPOINT)$/, '')} ENTRYPOINT script`, env: exported });
    }
  // …and a production Procfile's app server on a platform no file names (a Procfile alone): the
  // variable only Heroku sets there (DYNO) is maybe set, so a branch on it is neither taken nor skipped
  if (!sources.some((s) => s.env.has(HEROKU_DYNO.name) || s.format === 'app.json' || s.format === 'heroku.yml')) {
    const web = m.invocations.find((i) => i.source.production && i.source.kind === 'procfile' && i.server !== 'runserver');
    if (web) {
      const token = web.program;
      sources.push({
        ...web.source,
        env: new Map([[HEROKU_DYNO.name, { name: HEROKU_DYNO.name, value: '', token, nameLoc: token.loc, maybe: HEROKU_DYNO.why }]]),
      });
    }
  }
  // …and the variables a production uWSGI command line gives the app (`--env NAME=value`, the
  // `env =` of the file it loads), as a uWSGI configuration file's `env =` lines
  for (const i of m.invocations) {
    if (!i.uwsgiConfig || !i.source.production) continue;
    const env = new Map<string, EnvValue>();
    for (const [k, v] of uwsgiEnv(i.uwsgiConfig)) env.set(k, { name: k, value: v.value, token: v.token, nameLoc: v.nameLoc });
    const named = env.get('DJANGO_SETTINGS_MODULE');
    if (env.size === 0 || (named && module && named.value !== module && !module.endsWith('.' + named.value))) continue;
    sources.push({ ...i.source, label: `the uwsgi command of ${i.source.label}`, env });
  }
  return sources;
}

/**
 * The variables an entrypoint script that `source` runs exports before it runs its arguments (`exec
 * "$@"`, unconditionally): the process it execs has them, whatever the source itself sets.
 */
function entrypointExports(m: ProcessModel, source: ProcessSource): Map<string, EnvValue> {
  const out = new Map<string, EnvValue>();
  for (const sc of m.scripts) {
    if (sc.source !== source || !sc.file) continue;
    for (const f of m.forwards) {
      if (f.source.file !== sc.file || !f.source.production || f.forward.conditional) continue;
      for (const [name, v] of f.source.env) if (v.exported) out.set(name, v);
    }
  }
  return out;
}

/**
 * A value written with parts filled in where it is deployed, as its literal pieces in order with
 * `null` for each part filled in; undefined when nothing of it is literal. A part filled in is a
 * shell's or compose's `${X}` and `$X`, a command's `$(…)` or backquotes (Kubernetes' `$(VAR)`
 * alike), a template's `{{ … }}`, and any other `$` (compose's `$$`): the repository does not show
 * its text. One pass over the text (an unclosed part runs to its end).
 */
export function literalPieces(text: string): (string | null)[] | undefined {
  const out: (string | null)[] = [];
  let literal = '';
  const filledIn = (): void => {
    if (literal !== '') out.push(literal);
    literal = '';
    if (out[out.length - 1] !== null) out.push(null);
  };
  const past = (close: string, from: number): number => {
    const at = text.indexOf(close, from);
    return at < 0 ? text.length : at + close.length;
  };
  let i = 0;
  while (i < text.length) {
    const c = text[i]!;
    const next = text[i + 1];
    if (c === '$') {
      filledIn();
      if (next === '{') i = past('}', i + 2);
      else if (next === '(') i = past(')', i + 2);
      else {
        i++;
        while (i < text.length && isNameChar(text.charCodeAt(i))) i++;
      }
    } else if (c === '{' && next === '{') {
      filledIn();
      i = past('}}', i + 2);
    } else if (c === '`') {
      filledIn();
      i = past('`', i + 1);
    } else {
      literal += c;
      i++;
    }
  }
  if (literal !== '') out.push(literal);
  return out.some((p) => p !== null) && out.includes(null) ? out : undefined;
}

/** A character of a shell variable's name: a letter, a digit or `_`. */
function isNameChar(code: number): boolean {
  return (code >= 48 && code <= 57) || (code >= 65 && code <= 90) || (code >= 97 && code <= 122) || code === 95;
}

function variablesOf(
  sources: readonly ProcessSource[],
  out: Map<string, DeploymentVariable>,
  root: string,
): Map<string, DeploymentVariable> {
  const maybes = new Set<string>();
  for (const source of sources) {
    const where = `${source.label} in ${relPath(root, source.file)}`;
    for (const [name, v] of source.env) {
      // given only to apps created from the file (app.json's env): production's value is set
      // where the platform keeps it, outside the repository
      if (v.atCreation) continue;
      // maybe set (a Helm template's condition): neither set nor unset, whatever else sets it
      if (v.maybe) {
        out.set(name, { name, loc: v.token.loc, evidence: where, why: v.maybe, partial: true });
        maybes.add(name);
        continue;
      }
      if (maybes.has(name)) continue;
      const dynamic = v.token.dynamic || /\$\{|\$\(|\{\{/.test(v.value);
      // a committed template's placeholder (empty, a secret's, a credential): filled in where it is deployed
      const from =
        v.from ??
        (v.template && !v.keptBy && filledInWhereDeployed(name, v.value) ? `${v.template}, filled in where it is deployed` : undefined);
      const value = from || dynamic ? undefined : v.value;
      // a Railway reference (`${{Postgres.DATABASE_URL}}`): another service's variable, set when it deploys
      const reference = value === undefined && !from && RAILWAY_REFERENCE.pattern.test(v.value);
      const why = from
        ? `set from ${from}`
        : reference
          ? 'a Railway reference, filled in from another service when it deploys'
          : dynamic
            ? 'its value is filled in when the file is deployed'
            : undefined;
      const nonEmpty = from !== undefined || reference || (value !== undefined && value !== '');
      const knownText = dynamic && !from && !reference ? literalPieces(v.value) : undefined;
      const prev = out.get(name);
      if (!prev) {
        out.set(name, {
          name,
          ...(value !== undefined ? { value } : {}),
          loc: v.token.loc,
          evidence: where,
          ...(why ? { why } : {}),
          ...(nonEmpty ? { nonEmpty } : {}),
          ...(knownText ? { knownText } : {}),
          ...(v.defaultOf && value !== undefined ? { defaultOf: v.defaultOf } : {}),
          ...(v.template && value !== undefined ? { template: v.template } : {}),
          ...(v.listed ? { listed: v.listed } : {}),
        });
      } else if (prev.value !== value) {
        out.set(name, {
          name,
          loc: prev.loc,
          evidence: `${prev.evidence} and ${where}`,
          why: `${prev.evidence} and ${where} set it differently`,
          ...(prev.nonEmpty && nonEmpty ? { nonEmpty: true } : {}),
        });
      } else if (prev.nonEmpty && !nonEmpty) {
        const { nonEmpty: _, ...rest } = prev;
        out.set(name, rest);
      }
      // (another production process sets it otherwise than from a template's list: not only listed)
      const now = out.get(name);
      if (prev && now?.listed && !v.listed) {
        const { listed: _, ...rest } = now;
        out.set(name, rest);
      }
    }
  }
  // Two platforms the repository deploys to (app.json and render.yaml, a manifest and fly.toml):
  // each is one production, not both at once. A variable only some of them set is set or not
  // depending on where the app runs: neither is assumed.
  const platformFiles = [...new Set(sources.filter((s) => isOwnDeployment(s, sources)).map((s) => deploymentOf(s)))];
  if (platformFiles.length > 1) {
    for (const [name, v] of out) {
      const setIn = platformFiles.filter((f) => sources.some((s) => deploymentOf(s) === f && s.env.has(name)));
      if (setIn.length === 0 || setIn.length === platformFiles.length) continue;
      const rel = (f: string): string => relPath(root, f);
      const missing = platformFiles.filter((f) => !setIn.includes(f));
      out.set(name, {
        name,
        // the text where it is set, for a lookup whose default is the same text (the same either way)
        ...(v.value !== undefined ? { value: v.value } : {}),
        loc: v.loc,
        evidence: v.evidence,
        why: `${setIn.map(rel).join(', ')} set${setIn.length === 1 ? 's' : ''} it and ${missing.map(rel).join(', ')} do${missing.length === 1 ? 'es' : ''} not: whether it is set depends on where the app runs`,
        partial: true,
      });
    }
  }
  return out;
}

/**
 * The deployment a source belongs to, as one production: app.json and heroku.yml of one folder are
 * one Heroku app; the workloads of one Helm chart (its templates/ folder), or of manifests in one
 * folder, are parts of one release (a web Deployment beside a socket server's), not two productions.
 */
function deploymentOf(s: ProcessSource): string {
  if (s.format === 'app.json' || s.format === 'heroku.yml') return path.join(path.dirname(s.file), 'heroku');
  if (s.kind !== 'kubernetes') return s.file;
  const parts = s.file.split(path.sep);
  const templates = parts.lastIndexOf('templates');
  return templates > 0 ? parts.slice(0, templates).join(path.sep) : path.dirname(s.file);
}

/**
 * Whether a serving source is a production of its own (a platform file, a manifest, an app-server
 * configuration run on a host): an app-server configuration that production's containers or
 * platform also serve the app beside is what one of them runs (through a start script the analysis
 * did not follow), part of that production rather than another.
 */
function isOwnDeployment(s: ProcessSource, sources: readonly ProcessSource[]): boolean {
  if (s.kind === 'platform' || s.kind === 'kubernetes') return true;
  if (s.kind !== 'appconfig') return false;
  return !sources.some((o) => o.kind === 'platform' || o.kind === 'kubernetes' || o.kind === 'dockerfile' || o.kind === 'compose');
}
