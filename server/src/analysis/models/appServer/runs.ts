// The gunicorn runs: each gunicorn command line with its effective settings, in gunicorn's order of
// precedence (defaults read from the environment, the config file, GUNICORN_CMD_ARGS, the command
// line), the config file it loads, the app it serves and why some of its settings cannot be known;
// and each config module no command line loads, as a run of its own.
import { relPath } from '../../base/relPath';
import * as path from 'node:path';
import * as V from '../../eval/values';
import type { Value } from '../../eval/values';
import { parseAppRef, parseGunicornArgs, type ParsedOption } from '../../readers/process/commands';
import { devReasonOfPath, type EnvValue, type ServerInvocation, type Starters } from '../process/index';
import { splitWords } from '../../readers/shell';
import { MappedText, type Token } from '../../readers/text';
import type { GunicornConfig } from '../../readers/python/gunicornConfig';
import { settingByName } from '../../catalogue/gunicornNames';
import type { GunicornSetting } from '../../catalogue/gunicornSettings';
import { parsePyInt } from './validate';
import { defaultConfig, loadConfig, resolveConfigRef } from './configs';
import type { AppServerBuild } from './build';
import type { AppTarget, ConfigRef, GunicornRun, SettingOccurrence, SettingSource } from './types';

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

/** The runs of the gunicorn command lines, then one of each config module none of them loads. */
export function gunicornRuns(b: AppServerBuild, invocations: readonly ServerInvocation[], starters: Starters = new Map()): GunicornRun[] {
  const runs: GunicornRun[] = [];
  const usedConfigs = new Set<string>();
  for (const inv of invocations) {
    if (inv.server !== 'gunicorn') continue;
    runs.push(commandRun(b, inv, usedConfigs, commandEnv(inv, starters)));
  }
  for (const cfg of b.configs.values()) {
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
    const rel = path.relative(b.project.root, cfg.file);
    const app = appFromSetting(settings.get('wsgi_app'));
    runs.push({
      label: relPath(b.project.shownRoot, cfg.file),
      config: cfg,
      production: !devReasonOfPath(rel),
      settings,
      anchor: cfg.anchor,
      app,
    });
  }
  return runs;
}

/**
 * A variable as the command line gets it. Where production compose services run the command as
 * their image's own (its CMD, a start script it runs), the service's environment replaces the
 * image's ENV (starters.ts' envSource holds both): taken when every such service gives the variable
 * the same value; where they differ, or none gives it, the command line's own environment.
 */
function commandEnv(inv: ServerInvocation, starters: Starters): (name: string) => EnvValue | undefined {
  const envs = (starters.get(inv.source) ?? []).flatMap((st) => (st.production && st.envSource ? [st.envSource.env] : []));
  return (name) => {
    const given = envs.map((e) => e.get(name));
    const first = given[0];
    if (first && given.every((g) => g && g.value === first.value && !g.from === !first.from)) return first;
    return inv.env.get(name);
  };
}

/** The run of one gunicorn command line; the config file it loads is added to `usedConfigs`. */
function commandRun(
  b: AppServerBuild,
  inv: ServerInvocation,
  usedConfigs: Set<string>,
  env: (name: string) => EnvValue | undefined,
): GunicornRun {
  const src = inv.source;
  const settings = new Map<string, SettingOccurrence>();
  // 1. defaults gunicorn reads from the environment
  envDefault(settings, env, 'WEB_CONCURRENCY', 'workers');
  envDefault(settings, env, 'FORWARDED_ALLOW_IPS', 'forwarded_allow_ips');
  envDefault(settings, env, 'PORT', 'bind', portBind);
  // 2. GUNICORN_CMD_ARGS (parsed now, applied after the config file)
  const cmdEnv = env('GUNICORN_CMD_ARGS');
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
    configRef = resolveConfigRef(b, cfgOpt.value, src);
    if (configRef.file) config = loadConfig(b, configRef.file);
  } else config = defaultConfig(b, src);
  if (config) {
    usedConfigs.add(config.file);
    for (const s of config.settings.values())
      put(settings, {
        name: s.name,
        def: s.def,
        value: s.value,
        loc: s.loc,
        nameLoc: s.nameLoc,
        source: 'config',
        config,
        configSetting: s,
      });
  }
  for (const o of cmdArgs?.options ?? []) fromOption(settings, o, 'GUNICORN_CMD_ARGS');
  for (const o of inv.options) fromOption(settings, o, 'command line');
  let app: AppTarget | undefined = inv.app ? { ...inv.app, loc: inv.app.token.loc, from: 'command line' } : undefined;
  app ??= appFromSetting(settings.get('wsgi_app'));
  return {
    label: src.label,
    invocation: inv,
    config,
    configRef,
    production: src.production,
    settings,
    cmdArgs,
    anchor: inv.program.loc,
    app,
    opaque: opaqueReason(inv, configRef, cmdEnv?.token.dynamic === true),
  };
}

/** Why some of a run's settings cannot be known: its config file not found, GUNICORN_CMD_ARGS set at run time, options added at run time. */
function opaqueReason(inv: ServerInvocation, configRef: ConfigRef | undefined, cmdArgsDynamic: boolean): string | undefined {
  const hidden = [...inv.positionals, ...inv.options.map((o) => o.value).filter((t): t is Token => !!t)].find(
    (t) => t.forwardsArgs || (t.dynamic && /^\$\{?\w+\}?$/.test(t.text) && !inv.options.some((o) => o.value === t)),
  );
  return configRef?.status === 'unknown'
    ? `the config file ${configRef.text} could not be found`
    : inv.argsOfUnread
      ? `its words are the arguments of ${inv.argsOfUnread}, a script the repository does not hold: that script decides what runs and with which options`
      : cmdArgsDynamic
        ? 'GUNICORN_CMD_ARGS is set at run time'
        : hidden
          ? `${hidden.text} adds options at run time`
          : undefined;
}

/** Sets a setting of a run; repeatable flags add up (bind, raw_env…). */
function put(settings: Map<string, SettingOccurrence>, o: SettingOccurrence): void {
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
}

/** Sets the setting a parsed gunicorn option gives (options gunicorn does not know are left out). */
function fromOption(settings: Map<string, SettingOccurrence>, o: ParsedOption, source: SettingSource): void {
  if (!o.key) return;
  const def = settingByName(o.key);
  if (!def) return;
  let value = optionValue(o, def);
  if (def.repeatable && !V.isSeq(value)) value = V.seq('list', [value], value.origin, value.loc);
  put(settings, {
    name: def.name,
    def,
    value,
    loc: o.isSwitch ? o.flag.loc : (o.value?.loc ?? o.flag.loc),
    nameLoc: o.flag.loc,
    source,
    option: o,
  });
}

/** Sets a default gunicorn reads from the environment variable `envName`, its value passed through `wrap`. */
function envDefault(
  settings: Map<string, SettingOccurrence>,
  env: (name: string) => EnvValue | undefined,
  envName: string,
  setting: string,
  wrap?: (v: string) => string,
): void {
  const e = env(envName);
  const def = settingByName(setting);
  if (!e || !def) return;
  const t = wrap ? { ...e.token, text: wrap(e.token.text) } : e.token;
  put(settings, {
    name: setting,
    def,
    // (a secret or platform-supplied value: set, its value not written here)
    value: e.from ? V.unknown(`${envName} is set by ${e.from}`, e.token.loc) : tokenValue(t, def),
    loc: e.token.loc,
    nameLoc: e.nameLoc ?? e.token.loc,
    source: 'environment',
    envName,
  });
}

/** `PORT` as gunicorn binds it. */
const portBind = (p: string): string => `0.0.0.0:${p}`;
