// The app-server model of a project: gunicorn config modules and the process command lines that
// start the app (Procfile, Dockerfile, docker-compose, systemd units, shell scripts), combined into
// what actually runs. Rules of target 'gunicorn' and 'process' read it through RuleContext.appServer.
//
// Each gunicorn command line is a "run": its settings are gunicorn's, in gunicorn's order of
// precedence — defaults read from the environment (WEB_CONCURRENCY, FORWARDED_ALLOW_IPS, PORT),
// then the config file (-c/--config, else ./gunicorn.conf.py in the working directory), then
// GUNICORN_CMD_ARGS, then the command line. A config file no command line loads is a run of its own.
//
// This module builds the model (buildAppServer) and is what the rest of the product imports. The
// steps live beside it:
//   types.ts     the model's shapes (GunicornRun, SettingOccurrence, AppResolution, AppServerModel…)
//   build.ts     what one build shares between its steps, and its lookups of files
//   configs.ts   gunicorn config modules: read once, the file -c/--config names, ./gunicorn.conf.py
//   runs.ts      the runs and their settings in gunicorn's order of precedence
//   apps.ts      where the app a run or a command line serves is, and whether it is ASGI or WSGI
//   keptApps.ts  app modules evaluated on their own, kept for the next analysis (options.reuse)
//   appKinds.ts  ASGI or WSGI: values, worker classes, the production server serving ASGI
//   release.ts   the gunicorn release the project pins (or the newest, assumed)
import { Evaluator } from '../../eval/evaluator';
import type { DjangoProject } from '../project/model';
import { readProcesses } from '../process/index';
import type { ProjectFileView } from '../project/files';
import { bySuffix, type AppServerBuild } from './build';
import { loadConfig } from './configs';
import { gunicornRuns } from './runs';
import { appKind, appValue, resolveApp } from './apps';
import { detectGunicornVersion } from './release';
import type { GunicornConfig } from '../../readers/python/gunicornConfig';
import type { AppServerModel, AppServerOptions, GunicornRun, SettingOccurrence } from './types';
import { LITESTREAM_REPLICATE } from '../../catalogue/litestream';
import { readLitestreamConfig, type LitestreamConfig } from '../../readers/litestreamConfig';
import * as path from 'node:path';
import { envFilesCopiedIntoImage, settingsLoadEnvFile } from './contextEnvFiles';

export type {
  AppKind,
  AppResolution,
  AppServerModel,
  AppServerOptions,
  AppTarget,
  ConfigRef,
  GunicornRun,
  SettingOccurrence,
  SettingSource,
} from './types';
export type { GunicornConfig, ConfigSetting } from '../../readers/python/gunicornConfig';
export type { ServerInvocation, ProcessSource, ProcessModel } from '../process/index';
export { appKindOfValue, productionAsgiServer, productionGreenletServer, workerKind } from './appKinds';
export { fileOnVolume, type FileOnVolume } from './volumes';
export { fileReplicated, type FileReplicated } from './litestream';
export { assumedNote, gunicornAtLeast, gunicornRelease, gunicornVersionOf, pinnedGunicorn } from './release';

/** The app-server model of a project: its gunicorn config modules, server command lines and runs, and the apps they serve. */
export function buildAppServer(ws: ProjectFileView, project: DjangoProject, options: AppServerOptions = {}): AppServerModel {
  const processes = readProcesses(ws, project);
  const evaluator = new Evaluator(ws.hostFor(project), { deadline: options.deadline });
  const gunicornVersion = detectGunicornVersion(ws, project);
  const scan = ws.scanFor(project.root);

  const b: AppServerBuild = {
    ws,
    project,
    options,
    scan,
    evaluator,
    configs: new Map(),
    appModules: new Map(),
    appCache: new Map(),
  };
  for (const f of project.files) if (f.kind === 'gunicorn') loadConfig(b, f.path);
  const runs = gunicornRuns(b, processes.invocations, processes.starters);
  const configList = [...b.configs.values()].filter((c): c is GunicornConfig => c !== undefined);
  const litestreamConfigs: LitestreamConfig[] = [];
  for (const f of project.files) {
    if (!LITESTREAM_REPLICATE.value.configNames.includes(path.basename(f.path))) continue;
    const text = ws.fs.readText(f.path);
    const c = text === undefined ? undefined : readLitestreamConfig(f.path, text);
    if (c) litestreamConfigs.push(c);
  }
  let loadsEnv: { where: string | undefined } | undefined;
  return {
    configs: configList,
    commands: processes.invocations,
    runs,
    processes,
    litestreamConfigs,
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
    resolveApp: (app, inv, run) => resolveApp(b, app, inv, run),
    appKind: (app, inv, run) => appKind(b, app, inv, run),
    appValue: (app, inv, run) => appValue(b, app, inv, run),
    commandCalls: (name) => commandCalls(b, name),
    envFilesCopied: (d) => envFilesCopiedIntoImage(ws, project, processes, d),
    get settingsLoadEnvFile() {
      if (loadsEnv === undefined) loadsEnv = { where: settingsLoadEnvFile(ws, project) };
      return loadsEnv.where;
    },
  };
}

/** A call of another management command by its name: `call_command("collectstatic", …)`. */
const CALL_COMMAND = /\bcall_command\(\s*(?:"([\w-]+)"|'([\w-]+)')/g;

function commandCalls(b: AppServerBuild, name: string): { file: string; calls: string[] }[] {
  if (!/^[\w-]+$/.test(name)) return [];
  const out: { file: string; calls: string[] }[] = [];
  for (const file of bySuffix(b, `management/commands/${name}.py`)) {
    const text = b.ws.text(file);
    if (text === undefined) continue;
    const calls = new Set<string>();
    for (const m of text.matchAll(CALL_COMMAND)) calls.add((m[1] ?? m[2])!);
    out.push({ file, calls: [...calls] });
  }
  return out;
}
