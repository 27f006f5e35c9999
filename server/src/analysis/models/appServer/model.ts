// The app-server model of a project: gunicorn config modules and the process command lines that
// start the app (Procfile, Dockerfile, docker-compose, systemd units, shell scripts), combined into
// what actually runs. Rules of target 'gunicorn' and 'process' read it through RuleContext.appServer.
//
// Each gunicorn command line is a "run": its settings are gunicorn's, in gunicorn's order of
// precedence — defaults read from the environment (WEB_CONCURRENCY, FORWARDED_ALLOW_IPS, PORT),
// then the config file (-c/--config, else ./gunicorn.conf.py in the working directory), then
// GUNICORN_CMD_ARGS, then the command line. A config file no command line loads is a run of its own.
import * as path from 'node:path';
import { Evaluator } from '../../eval/evaluator';
import { RecordingHost, type HostCall } from '../../reuse/recordingHost';
import type { ModuleRef, ModuleResult } from '../../eval/scope';
import * as V from '../../eval/values';
import type { Loc, Value } from '../../eval/values';
import { resolveModuleFile, type DjangoProject } from '../project/model';
import { readLockFile, readRequirementsText, readTomlDependencies } from '../../readers/python/dependencies';
import { compareVersions, detectPackage } from '../project/version';
import {
  optionValue as commandOption,
  parseAppRef,
  parseGunicornArgs,
  type AppRef,
  type ParsedOption,
} from '../../readers/process/commands';
import {
  devReasonOfPath,
  readProcesses,
  type EnvValue,
  type ProcessModel,
  type ProcessSource,
  type ServerInvocation,
} from '../process/index';
import { splitWords } from '../../readers/shell';
import { MappedText, type Token } from '../../readers/text';
import type { ProjectFileView } from '../project/files';
import { readConfig, type ConfigSetting, type GunicornConfig } from '../../readers/python/gunicornConfig';
import { settingByName } from '../../catalogue/gunicornNames';
import { parsePyInt } from './validate';
import { GUNICORN_NEWEST_VERSION, type GunicornSetting } from '../../catalogue/gunicornSettings';

export type { GunicornConfig, ConfigSetting } from '../../readers/python/gunicornConfig';
export type { ServerInvocation, ProcessSource, ProcessModel } from '../process/index';

export type SettingSource = 'config' | 'command line' | 'GUNICORN_CMD_ARGS' | 'environment';

/** One place a setting gets its value. */
export interface SettingOccurrence {
  readonly name: string;
  readonly def: GunicornSetting;
  /** Flag values are strings, converted to int for integer settings when they read as one. */
  readonly value: Value;
  /** Where the value is written (the flag itself for switches). */
  readonly loc: Loc;
  /** Where the setting is named (config name, flag, variable name). */
  readonly nameLoc: Loc;
  readonly source: SettingSource;
  readonly config?: GunicornConfig;
  readonly configSetting?: ConfigSetting;
  readonly option?: ParsedOption;
  /** For 'environment': the variable. */
  readonly envName?: string;
}

export interface ConfigRef {
  readonly text: string;
  readonly loc: Loc;
  readonly token: Token;
  /** found: the file; missing: no such file in the workspace; unknown: cannot tell (variables, paths outside). */
  readonly status: 'found' | 'missing' | 'unknown';
  readonly file?: string;
}

/** The app a run serves. */
export interface AppTarget extends AppRef {
  readonly loc: Loc;
  readonly from: 'command line' | 'wsgi_app';
}

export interface GunicornRun {
  /** "Procfile (web)", "gunicorn.conf.py"… */
  readonly label: string;
  readonly invocation?: ServerInvocation;
  readonly config?: GunicornConfig;
  readonly configRef?: ConfigRef;
  readonly production: boolean;
  /** Effective settings (the value that wins). */
  readonly settings: ReadonlyMap<string, SettingOccurrence>;
  /** Options read from GUNICORN_CMD_ARGS, with the variable's value. */
  readonly cmdArgs?: { readonly env: EnvValue; readonly options: ParsedOption[] };
  /** Where findings about something this run never sets land. */
  readonly anchor: Loc;
  readonly app?: AppTarget;
  /** Why some of the run's settings cannot be known (a config path or options in variables). */
  readonly opaque?: string;
}

export type AppResolution =
  | {
      readonly status: 'found';
      readonly file: string;
      readonly module: string;
      readonly isPackage: boolean;
      readonly attr?: string;
      readonly attrMissing?: boolean;
    }
  | { readonly status: 'missing'; readonly module: string }
  | { readonly status: 'external' | 'unknown'; readonly module: string };

export type AppKind = 'asgi' | 'wsgi';

export interface AppServerModel {
  /** Gunicorn config modules (found by name or named with -c/--config), evaluated. */
  readonly configs: readonly GunicornConfig[];
  /** Process command lines that start a server (gunicorn, uvicorn, daphne, hypercorn, runserver). */
  readonly commands: readonly ServerInvocation[];
  /** Gunicorn runs: each gunicorn command line with its config, and each config no command line loads. */
  readonly runs: readonly GunicornRun[];
  readonly processes: ProcessModel;
  /** The gunicorn version the project pins, when it pins one exactly. */
  readonly gunicornVersion?: { readonly version: string; readonly source: string };
  /** Whether a config module is used in production (loaded by a production run, or by none and not named for development). */
  configProduction(config: GunicornConfig): boolean;
  /** Where a setting takes effect in production runs (deduplicated by location), with those runs. */
  occurrences(name: string): (SettingOccurrence & { readonly runs: readonly GunicornRun[] })[];
  /** Where the app module of a run or a command line is. */
  resolveApp(app: AppRef, invocation?: ServerInvocation, run?: GunicornRun): AppResolution;
  /** Whether an app is an ASGI or a WSGI application, when that can be told. */
  appKind(app: AppRef, invocation?: ServerInvocation, run?: GunicornRun): AppKind | undefined;
}

export interface AppServerOptions {
  /** Wall-clock deadline (ms since epoch) for evaluating config modules. */
  readonly deadline?: number;
  /**
   * Keep the evaluation of each app module (`dojo/wsgi.py`) for the next analysis of the workspace,
   * which takes it again while the workspace answers what it asked alike (the language server:
   * every keystroke's analysis evaluated the app module again for the proxy rules).
   */
  readonly reuse?: boolean;
}

/** An app module's evaluation, with the workspace's answers it was made from (see AppServerOptions.reuse). */
interface KeptApp {
  readonly calls: readonly HostCall[];
  readonly mod: ModuleResult;
}

/** The kept app module evaluations of each workspace, by project root, file and module name. */
const keptApps = new WeakMap<ProjectFileView, Map<string, KeptApp>>();

/** At most this many app module evaluations are kept per workspace (beyond, all are dropped). */
const KEPT_APPS_MAX = 64;

/** Libraries whose modules are legitimately named as apps (`django.core.wsgi:get_wsgi_application()`). */
const EXTERNAL_PACKAGES = new Set([
  'django',
  'channels',
  'starlette',
  'fastapi',
  'flask',
  'whitenoise',
  'asgiref',
  'a2wsgi',
  'uvicorn',
  'gunicorn',
  'newrelic',
  'sentry_sdk',
  'opentelemetry',
  'ddtrace',
  'werkzeug',
  'wagtail',
  'mezzanine',
  'django_tenants',
  'configurations',
  'cbs',
]);

function tokenValue(t: Token, setting: GunicornSetting | undefined): Value {
  const loc = t.loc;
  const env: V.EnvRef[] = t.env.map((e) => ({ name: e.name, style: 'unknown', hasDefault: e.value !== undefined, loc }));
  if (t.dynamic) {
    const named = t.env.find((e) => e.value === undefined);
    const v = named
      ? V.required({ name: named.name, style: 'unknown', hasDefault: false, loc }, undefined, loc)
      : V.unknown(`set at run time (${t.text})`, loc);
    return { ...v, env: env.length ? env : v.env };
  }
  const origin: V.Origin = t.env.length > 0 ? 'env-default' : 'literal';
  let v: Value = V.str(t.text, origin, loc);
  if (setting && (setting.type === 'pos-int' || setting.type === 'bounded-int')) {
    const n = parsePyInt(t.text);
    if (n !== undefined) v = V.int(n, origin, loc);
  }
  return env.length ? { ...v, env } : v;
}

/** The value of a parsed gunicorn option. */
function optionValue(o: ParsedOption, def: GunicornSetting): Value {
  if (o.isSwitch) return V.bool(def.name !== 'sendfile', 'literal', o.flag.loc);
  if (o.value) return tokenValue(o.value, def);
  return V.unknown(`${o.flag.text} has no value`, o.flag.loc);
}

/**
 * The gunicorn release a dependency file pins exactly, if it does (read by the dependency readers:
 * requirement lines, TOML through its parser, Pipfile.lock as JSON). Ranges (`>=21`, `~=21.2`) are
 * not pins: the installed release is not known, so nothing version-specific is reported.
 */
export function pinnedGunicorn(kind: string, text: string): string | undefined {
  if (!/gunicorn/i.test(text)) return undefined;
  const r =
    kind === 'requirements'
      ? readRequirementsText(text, 'requirements.txt', 'gunicorn')
      : kind === 'lockfile'
        ? readLockFile(text, 'lock', 'gunicorn')
        : readTomlDependencies(text, kind, 'gunicorn');
  return r && !('error' in r) ? r.exact : undefined;
}

/** The gunicorn release the project's dependency files pin (the project model reads them). */
function detectGunicornVersion(ws: ProjectFileView, project: DjangoProject): { version: string; source: string } | undefined {
  const g = project.versions ? project.versions.gunicorn : detectPackage(ws.fs, project.files, project.root, 'gunicorn');
  return g?.exact ? { version: g.exact, source: g.source } : undefined;
}

/** What kind of application a value is, from the library call that built it. */
export function appKindOfValue(v: Value | undefined): AppKind | undefined {
  if (!v) return undefined;
  const ext = v.kind === 'unknown' ? v.ext : v.kind === 'object' ? v.tag : undefined;
  if (!ext) return undefined;
  const callee = ext.split('(')[0]!.toLowerCase();
  if (/a2wsgi\.asgimiddleware|asgi_to_wsgi|asgitowsgi/.test(callee)) return 'wsgi';
  if (/a2wsgi\.wsgimiddleware|wsgitoasgi|wsgi_to_asgi/.test(callee)) return 'asgi';
  if (
    /asgi|protocoltyperouter|get_default_application|urlrouter|authmiddlewarestack|originvalidator|starlette|fastapi|quart|litestar|sanic/.test(
      callee,
    )
  )
    return 'asgi';
  if (/wsgi|whitenoise|cling|dj_static|werkzeug|flask/.test(callee)) return 'wsgi';
  return undefined;
}

/** The kind of worker a gunicorn worker class runs (undefined: a custom class). */
export function workerKind(workerClass: string): AppKind | undefined {
  const t = workerClass.trim().replace(/^egg:gunicorn#/, '');
  const lower = t.toLowerCase();
  if (['sync', 'gthread', 'eventlet', 'gevent', 'gevent_wsgi', 'gevent_pywsgi', 'tornado', 'ginterpreter'].includes(lower)) return 'wsgi';
  if (/^gunicorn\.workers\.(sync|gthread|ggevent|geventlet|gtornado|ginterpreter)\./.test(t)) return 'wsgi';
  if (lower === 'asgi' || /^gunicorn\.workers\.gasgi\./.test(t) || /uvicorn|asgi/.test(lower)) return 'asgi';
  return undefined;
}

/**
 * A production app server that serves Django over ASGI, described for a message ("gunicorn with
 * the worker class cl.workers.UvicornWorker (Procfile (web))"), or undefined when none is known to:
 * gunicorn with an ASGI worker class (uvicorn's, its own `asgi`, or a custom class serving an ASGI
 * application), uvicorn, daphne or hypercorn (unless the application they serve is a WSGI one or
 * uvicorn runs with --interface wsgi), granian with --interface asgi or asginl.
 */
export function productionAsgiServer(m: AppServerModel): string | undefined {
  for (const r of m.runs) {
    if (!r.production) continue;
    const wc = r.settings.get('worker_class');
    if (wc?.value.kind !== 'str') continue;
    const name = wc.value.v.trim();
    const kind = workerKind(name) ?? (r.app ? m.appKind(r.app, r.invocation, r) : undefined);
    if (kind === 'asgi') return `gunicorn with the worker class ${name} (${r.label})`;
  }
  for (const inv of m.commands) {
    if (!inv.source.production) continue;
    if (inv.server === 'uvicorn' || inv.server === 'daphne' || inv.server === 'hypercorn') {
      const iface = inv.server === 'uvicorn' ? commandOption(inv, '--interface')?.value : undefined;
      // an interface set at run time may be wsgi: not known to be ASGI
      if (iface && (iface.dynamic || iface.text.trim().toLowerCase() === 'wsgi')) continue;
      if (inv.app && m.appKind(inv.app, inv) === 'wsgi') continue;
      return `${inv.server} (${inv.source.label})`;
    }
    if (inv.server === 'granian') {
      const given = (commandOption(inv, '--interface')?.value ?? inv.env.get('GRANIAN_INTERFACE')?.token)?.text.trim().toLowerCase();
      if (given === 'asgi' || given === 'asginl') return `granian --interface ${given} (${inv.source.label})`;
    }
  }
  return undefined;
}

/** The app a `wsgi_app = "mysite.wsgi:application"` setting names. */
function appFromSetting(o: SettingOccurrence | undefined): AppTarget | undefined {
  if (o?.value.kind !== 'str') return undefined;
  const text = o.value.v;
  const map = new MappedText(
    o.loc.file,
    text,
    Array.from(text, () => o.loc.start),
    Array.from(text, () => o.loc.end),
    o.loc.start,
  );
  const token: Token = { text, loc: o.loc, map, quoted: true, env: [], dynamic: false };
  const ref = parseAppRef(token);
  return ref ? { ...ref, loc: o.loc, from: 'wsgi_app' } : undefined;
}

export function buildAppServer(ws: ProjectFileView, project: DjangoProject, options: AppServerOptions = {}): AppServerModel {
  const processes = readProcesses(ws, project);
  const evaluator = new Evaluator(ws.hostFor(project), { deadline: options.deadline });
  const gunicornVersion = detectGunicornVersion(ws, project);
  const scan = ws.scanFor(project.root);

  // ---- config modules ----
  const configs = new Map<string, GunicornConfig | undefined>();
  const loadConfig = (file: string): GunicornConfig | undefined => {
    if (!configs.has(file)) {
      const doc = ws.document(file);
      if (!doc) configs.set(file, undefined);
      else {
        const m = /\S[^\r\n]*/.exec(doc.text);
        const anchor: Loc = m ? { file, start: m.index, end: m.index + m[0].trimEnd().length } : { file, start: 0, end: 0 };
        configs.set(file, readConfig(doc, file, evaluator, anchor));
      }
    }
    return configs.get(file);
  };
  for (const f of project.files) if (f.kind === 'gunicorn') loadConfig(f.path);

  const exists = (p: string): boolean => (scan?.pythonFiles.has(p) ?? false) || ws.fileExists(p);
  /** Files of the workspace whose path ends with `tail` (`config/gunicorn.py`). */
  const bySuffix = (tail: string): string[] => {
    const norm = tail
      .replace(/^\.?\/+/, '')
      .split('/')
      .filter((p) => p && p !== '.')
      .join(path.sep);
    if (!norm) return [];
    const out: string[] = [];
    for (const f of scan?.pythonFiles ?? []) if (f === norm || f.endsWith(path.sep + norm)) out.push(f);
    return out;
  };

  const runDirs = (src: ProcessSource | undefined): string[] => {
    const dirs: string[] = [];
    if (src?.workingDir) dirs.push(src.workingDir);
    if (src && (src.kind === 'procfile' || src.kind === 'compose' || src.kind === 'dockerfile')) dirs.push(path.dirname(src.file));
    dirs.push(project.root);
    if (scan) dirs.push(scan.root);
    return [...new Set(dirs)];
  };

  const resolveConfigRef = (token: Token, src: ProcessSource | undefined): ConfigRef => {
    let text = token.text;
    const base = { text, loc: token.loc, token };
    if (token.dynamic) return { ...base, status: 'unknown' };
    if (text.startsWith('python:')) {
      const mod = text.slice(7);
      const r = resolveModuleFile(ws.fs, [...runDirs(src), ...project.importRoots], mod);
      if (r) return { ...base, status: 'found', file: r.file };
      const tail = bySuffix(mod.split('.').join('/') + '.py');
      return tail.length === 1 ? { ...base, status: 'found', file: tail[0] } : { ...base, status: tail.length > 1 ? 'unknown' : 'missing' };
    }
    if (text.startsWith('file:')) text = text.slice(5);
    if (path.isAbsolute(text)) {
      const mapped = src?.mapPath?.(text);
      if (mapped && exists(mapped)) return { ...base, status: 'found', file: mapped };
      // a host path (systemd) or an unmapped container path: match its tail in the workspace
      const parts = text.split('/').filter(Boolean);
      for (let k = 0; k < parts.length - 1; k++) {
        const hits = bySuffix(parts.slice(k).join('/'));
        if (hits.length === 1) return { ...base, status: 'found', file: hits[0] };
        if (hits.length > 1) return { ...base, status: 'unknown' };
      }
      const byName = bySuffix(parts[parts.length - 1] ?? '');
      return byName.length === 1 ? { ...base, status: 'found', file: byName[0] } : { ...base, status: 'unknown' };
    }
    for (const d of runDirs(src)) {
      const p = path.resolve(d, text);
      if (exists(p)) return { ...base, status: 'found', file: p };
    }
    const hits = bySuffix(text);
    if (hits.length === 1) return { ...base, status: 'found', file: hits[0] };
    if (hits.length > 1) return { ...base, status: 'unknown' };
    // a path relative to a working directory we could not map
    if (src?.runDir && !src.workingDir) return { ...base, status: 'unknown' };
    return { ...base, status: bySuffix(path.basename(text)).length > 0 ? 'unknown' : 'missing' };
  };

  // ---- runs ----
  const runs: GunicornRun[] = [];
  const usedConfigs = new Set<string>();
  for (const inv of processes.invocations) {
    if (inv.server !== 'gunicorn') continue;
    const src = inv.source;
    const settings = new Map<string, SettingOccurrence>();
    const put = (o: SettingOccurrence): void => {
      const prev = settings.get(o.name);
      // repeatable flags add up (bind, raw_env…)
      if (
        prev &&
        o.def.repeatable &&
        o.source === prev.source &&
        (o.source === 'command line' || o.source === 'GUNICORN_CMD_ARGS') &&
        prev.option
      ) {
        const items = V.isSeq(prev.value) ? prev.value.items : [prev.value];
        const more = V.isSeq(o.value) ? o.value.items : [o.value];
        settings.set(o.name, { ...o, value: V.seq('list', [...items, ...more], o.value.origin, o.loc) });
        return;
      }
      settings.set(o.name, o);
    };
    const fromOption = (o: ParsedOption, source: SettingSource): void => {
      if (!o.key) return;
      const def = settingByName(o.key);
      if (!def) return;
      let value = optionValue(o, def);
      if (def.repeatable && !V.isSeq(value)) value = V.seq('list', [value], value.origin, value.loc);
      put({
        name: def.name,
        def,
        value,
        loc: o.isSwitch ? o.flag.loc : (o.value?.loc ?? o.flag.loc),
        nameLoc: o.flag.loc,
        source,
        option: o,
      });
    };
    // 1. defaults gunicorn reads from the environment
    const envDefault = (envName: string, setting: string, wrap?: (v: string) => string): void => {
      const e = inv.env.get(envName);
      const def = settingByName(setting);
      if (!e || !def) return;
      const t = wrap ? { ...e.token, text: wrap(e.token.text) } : e.token;
      put({
        name: setting,
        def,
        value: tokenValue(t, def),
        loc: e.token.loc,
        nameLoc: e.nameLoc ?? e.token.loc,
        source: 'environment',
        envName,
      });
    };
    envDefault('WEB_CONCURRENCY', 'workers');
    envDefault('FORWARDED_ALLOW_IPS', 'forwarded_allow_ips');
    envDefault('PORT', 'bind', (p) => `0.0.0.0:${p}`);
    // 2. GUNICORN_CMD_ARGS (parsed now, applied after the config file)
    const cmdEnv = inv.env.get('GUNICORN_CMD_ARGS');
    const cmdArgs =
      cmdEnv && !cmdEnv.token.dynamic
        ? { env: cmdEnv, options: parseGunicornArgs(splitWords(cmdEnv.token.map, 'split')).options }
        : undefined;
    // 3. the config file
    const cfgOpt =
      [...inv.options].reverse().find((o) => o.key === 'config' && o.value) ??
      [...(cmdArgs?.options ?? [])].reverse().find((o) => o.key === 'config' && o.value);
    let configRef: ConfigRef | undefined;
    let config: GunicornConfig | undefined;
    if (cfgOpt?.value) {
      configRef = resolveConfigRef(cfgOpt.value, src);
      if (configRef.file) config = loadConfig(configRef.file);
    } else {
      for (const d of runDirs(src)) {
        const p = path.join(d, 'gunicorn.conf.py');
        if (exists(p)) {
          config = loadConfig(p);
          break;
        }
      }
    }
    if (config) {
      usedConfigs.add(config.file);
      for (const s of config.settings.values())
        put({ name: s.name, def: s.def, value: s.value, loc: s.loc, nameLoc: s.nameLoc, source: 'config', config, configSetting: s });
    }
    for (const o of cmdArgs?.options ?? []) fromOption(o, 'GUNICORN_CMD_ARGS');
    for (const o of inv.options) fromOption(o, 'command line');
    let app: AppTarget | undefined = inv.app ? { ...inv.app, loc: inv.app.token.loc, from: 'command line' } : undefined;
    app ??= appFromSetting(settings.get('wsgi_app'));
    const hidden = [...inv.positionals, ...inv.options.map((o) => o.value).filter((t): t is Token => !!t)].find(
      (t) => t.forwardsArgs || (t.dynamic && /^\$\{?\w+\}?$/.test(t.text) && !inv.options.some((o) => o.value === t)),
    );
    const opaque =
      configRef?.status === 'unknown'
        ? `the config file ${configRef.text} could not be found`
        : cmdEnv?.token.dynamic
          ? 'GUNICORN_CMD_ARGS is set at run time'
          : hidden
            ? `${hidden.text} adds options at run time`
            : undefined;
    runs.push({
      label: src.label,
      invocation: inv,
      config,
      configRef,
      production: src.production,
      settings,
      cmdArgs,
      anchor: inv.program.loc,
      app,
      opaque,
    });
  }
  for (const cfg of configs.values()) {
    if (!cfg || usedConfigs.has(cfg.file)) continue;
    const settings = new Map<string, SettingOccurrence>();
    for (const s of cfg.settings.values())
      settings.set(s.name, {
        name: s.name,
        def: s.def,
        value: s.value,
        loc: s.loc,
        nameLoc: s.nameLoc,
        source: 'config',
        config: cfg,
        configSetting: s,
      });
    const rel = path.relative(project.root, cfg.file);
    const app = appFromSetting(settings.get('wsgi_app'));
    runs.push({ label: path.basename(cfg.file), config: cfg, production: !devReasonOfPath(rel), settings, anchor: cfg.anchor, app });
  }

  // ---- apps ----
  // An app module is evaluated on its own (not in the config modules' evaluator): what it reads is
  // then all in its own calls, and a kept evaluation can be checked against them.
  const appModules = new Map<string, ModuleResult>();
  const evaluateApp = (ref: ModuleRef): ModuleResult => {
    const recorder = new RecordingHost(ws.hostFor(project));
    let kept = options.reuse ? keptApps.get(ws) : undefined;
    if (options.reuse && !kept) keptApps.set(ws, (kept = new Map()));
    const keptKey = `${project.root}\0${ref.file}\0${ref.name}\0${ref.isPackage}`;
    const before = kept?.get(keptKey);
    if (before && before.calls.every((c) => recorder.replay(c))) {
      appModules.set(ref.file, before.mod);
      return before.mod;
    }
    const calls: HostCall[] = [];
    recorder.logs.push(calls);
    const mod = new Evaluator(recorder, { deadline: options.deadline }).evaluate(ref);
    recorder.logs.pop();
    appModules.set(ref.file, mod);
    if (kept) {
      if (kept.size >= KEPT_APPS_MAX) kept.clear();
      // an evaluation cut short (its budget) or failing is not kept: it may go further next time
      if (mod.status === 'done') kept.set(keptKey, { calls, mod });
      else kept.delete(keptKey);
    }
    return mod;
  };
  const appCache = new Map<string, AppResolution>();
  const resolveApp = (app: AppRef, inv?: ServerInvocation, run?: GunicornRun): AppResolution => {
    const src = inv?.source ?? run?.invocation?.source;
    const roots: string[] = [];
    const mapDir = (d: string): string | undefined =>
      path.isAbsolute(d)
        ? src?.mapPath?.(d)
        : src?.workingDir
          ? path.resolve(src.workingDir, d)
          : path.resolve(src ? path.dirname(src.file) : project.root, d);
    const chdir = run?.settings.get('chdir')?.value;
    if (chdir?.kind === 'str') {
      const d = mapDir(chdir.v);
      if (d) roots.push(d);
    }
    const pp = run?.settings.get('pythonpath')?.value;
    if (pp?.kind === 'str')
      for (const p of pp.v.split(',')) {
        const d = mapDir(p.trim());
        if (d) roots.push(d);
      }
    // uWSGI's --chdir and --pythonpath (its own names for the same), from the command line or the file it loads
    for (const o of inv?.uwsgiConfig?.options ?? []) {
      if (o.when || o.value.dynamic || !['chdir', 'pythonpath', 'python-path', 'pp'].includes(o.key)) continue;
      const d = mapDir(o.value.text);
      if (d) roots.push(d);
    }
    const appDir = inv?.server === 'uvicorn' ? inv.options.find((o) => o.key === '--app-dir')?.value : undefined;
    if (appDir && !appDir.dynamic) {
      const d = mapDir(appDir.text);
      if (d) roots.push(d);
    }
    roots.push(...runDirs(src), ...project.importRoots);
    const key = `${[...new Set(roots)].join('|')}\0${app.module}\0${app.attr ?? ''}\0${inv?.server ?? 'gunicorn'}`;
    const cached = appCache.get(key);
    if (cached) return cached;
    const result = ((): AppResolution => {
      const top = app.module.split('.')[0]!;
      const r = resolveModuleFile(ws.fs, [...new Set(roots)], app.module);
      let file = r?.file;
      let isPackage = r?.isPackage ?? false;
      if (!file) {
        const rel = app.module.split('.').join('/');
        const hits = [...bySuffix(rel + '.py'), ...bySuffix(rel + '/__init__.py')];
        if (hits.length === 0)
          return EXTERNAL_PACKAGES.has(top) ? { status: 'external', module: app.module } : { status: 'missing', module: app.module };
        if (hits.length > 1) return { status: 'unknown', module: app.module };
        file = hits[0]!;
        isPackage = file.endsWith('__init__.py');
      }
      const attr = app.attr ?? (inv?.server === 'gunicorn' || inv?.server === 'uwsgi' || !inv ? 'application' : undefined);
      if (!attr) return { status: 'found', file, module: app.module, isPackage };
      let mod: ModuleResult;
      try {
        mod = evaluateApp({ name: app.module, file, isPackage });
      } catch {
        return { status: 'found', file, module: app.module, isPackage, attr };
      }
      const first = attr.split('.')[0]!;
      const missing = mod.status === 'done' && !mod.scope.vars.has(first) && !mod.scope.mayHave(first);
      return { status: 'found', file, module: app.module, isPackage, attr, attrMissing: missing };
    })();
    appCache.set(key, result);
    return result;
  };

  const appKind = (app: AppRef, inv?: ServerInvocation, run?: GunicornRun): AppKind | undefined => {
    const r = resolveApp(app, inv, run);
    if (r.status === 'found' && r.attr && !app.call) {
      const mod = appModules.get(r.file);
      const v = mod?.scope.vars.get(r.attr.split('.')[0]!)?.value;
      const k = appKindOfValue(v);
      if (k) return k;
    }
    if (r.status === 'external')
      return /asgi/i.test(app.module) || /asgi/i.test(app.attr ?? '')
        ? 'asgi'
        : /wsgi/i.test(app.module) || /wsgi/i.test(app.attr ?? '')
          ? 'wsgi'
          : undefined;
    const last = app.module.split('.').pop()!.toLowerCase();
    if (last === 'asgi' || last.endsWith('_asgi')) return 'asgi';
    if (last === 'wsgi' || last.endsWith('_wsgi')) return 'wsgi';
    return undefined;
  };

  const configList = [...configs.values()].filter((c): c is GunicornConfig => c !== undefined);
  return {
    configs: configList,
    commands: processes.invocations,
    runs,
    processes,
    gunicornVersion,
    configProduction: (c) => runs.some((r) => r.config === c && r.production),
    occurrences: (name) => {
      const out = new Map<string, SettingOccurrence & { runs: GunicornRun[] }>();
      for (const r of runs) {
        if (!r.production) continue;
        const o = r.settings.get(name);
        if (!o) continue;
        const key = `${o.loc.file}:${o.loc.start}:${o.loc.end}`;
        const prev = out.get(key);
        if (prev) prev.runs.push(r);
        else out.set(key, { ...o, runs: [r] });
      }
      return [...out.values()];
    },
    resolveApp,
    appKind,
  };
}

/** The newest gunicorn when the project does not pin one. */
export function gunicornVersionOf(model: AppServerModel): string {
  return model.gunicornVersion?.version ?? GUNICORN_NEWEST_VERSION;
}

/**
 * The gunicorn release version-dependent findings are judged against: the one the dependency files
 * pin, or (assumed) the newest this analysis knows. A finding that holds only because of the
 * assumption is information, and says so (see assumedNote).
 */
export function gunicornRelease(model: AppServerModel): { readonly version: string; readonly assumed: boolean } {
  return model.gunicornVersion
    ? { version: model.gunicornVersion.version, assumed: false }
    : { version: GUNICORN_NEWEST_VERSION, assumed: true };
}

/** " Assuming gunicorn 26.2.0 (no dependency file pins it): pin gunicorn to confirm." for assumed releases. */
export function assumedNote(pkg: string, release: { readonly version: string; readonly assumed: boolean }): string {
  return release.assumed ? ` Assuming ${pkg} ${release.version} (no dependency file pins it): pin ${pkg} to confirm.` : '';
}

/** Whether the project's gunicorn is at least `v` (true when unknown). */
export function gunicornAtLeast(model: AppServerModel, v: string): boolean {
  return compareVersions(gunicornVersionOf(model), v) >= 0;
}
