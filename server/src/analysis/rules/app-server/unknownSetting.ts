// DDG101: a name in a gunicorn config file that is not a gunicorn setting (gunicorn ignores it
// silently), or a command-line flag gunicorn does not know (it refuses to start).
import type { ConfigName, GunicornConfig } from '../../readers/python/gunicornConfig';
import { settingByName, suggestFlag, suggestSetting, settingExistsIn } from '../../catalogue/gunicornNames';
import type { GunicornSetting } from '../../catalogue/gunicornSettings';
import { gunicornFlagTable } from '../../readers/process/commands';
import type { ParsedOption } from '../../readers/process/commands';
import type { Fix, Rule, RuleContextBase } from '../types';
import { noGunicorn } from './shared';

/**
 * Renames a misspelt config name to the setting it was meant to be. Not offered when the rename
 * cannot be made cleanly: the setting is already set in the file (the rename would silently
 * override or be overridden), or the name is bound more than once. The renamed value (or hook)
 * starts taking effect, so the fix changes behaviour and is unsafe.
 */
function renameFix(ctx: RuleContextBase, cfg: GunicornConfig, other: ConfigName, s: GunicornSetting): Fix | undefined {
  if (cfg.settings.has(s.name) || other.bindings !== 1) return undefined;
  if (ctx.textAt(other.nameLoc) !== other.name) return undefined;
  const effect = other.kind === 'def' ? 'gunicorn then calls this hook' : 'gunicorn then applies this value';
  return { title: `Rename "${other.name}" to "${s.name}" (${effect})`, safety: 'unsafe', edits: [{ ...other.nameLoc, newText: s.name }] };
}

/** Replaces an unknown flag by the suggestion, where the flag is written as one plain word in the file. */
function flagFix(ctx: RuleContextBase, o: ParsedOption, suggestion: string): Fix | undefined {
  if (ctx.textAt(o.flag.loc) !== o.flag.text) return undefined;
  const s = settingByName(gunicornFlagTable().get(suggestion)?.setting?.name ?? '');
  // a switch given a value (`--reloda=1`) would still be refused after the rename
  if (s?.flagValue === 'none' && o.value) return undefined;
  return {
    title: `Replace ${o.flag.text} with ${suggestion} (gunicorn then starts and applies it)`,
    safety: 'unsafe',
    edits: [{ ...o.flag.loc, newText: suggestion }],
  };
}

function reportFlag(ctx: RuleContextBase, o: ParsedOption, where: string, version: string | undefined, reported: Set<string>): void {
  const key = `${o.flag.loc.file}:${o.flag.loc.start}:${o.flag.loc.end}`;
  if (reported.has(key)) return;
  reported.add(key);
  const flag = o.flag.text;
  if (o.ambiguous) {
    const options = [...new Set(o.ambiguous)].slice(0, 4).join(', ');
    ctx.report({
      loc: o.flag.loc,
      message: `${flag}${where} is ambiguous for gunicorn (it could be ${options}) and gunicorn refuses to start: write the option in full.`,
    });
    return;
  }
  const table = gunicornFlagTable();
  // only flags the project's gunicorn has can be suggested
  const flags = [...table.keys()].filter((f) => {
    const s = table.get(f)?.setting;
    return !s || settingExistsIn(s, version);
  });
  const suggestion = suggestFlag(flag, flags);
  const fix = suggestion ? flagFix(ctx, o, suggestion) : undefined;
  ctx.report({
    loc: o.flag.loc,
    message: `gunicorn has no ${flag} option${where}: it stops with "unrecognized arguments"${suggestion ? `; did you mean ${suggestion}?` : '; see gunicorn --help for the options.'}`,
    fixes: fix ? [fix] : [],
  });
}

/** A flag gunicorn knows, but only from a release later than the one the project pins. */
function reportTooNew(ctx: RuleContextBase, o: ParsedOption, where: string, version: string, reported: Set<string>): void {
  const s = o.key ? settingByName(o.key) : undefined;
  if (!s || settingExistsIn(s, version)) return;
  const key = `${o.flag.loc.file}:${o.flag.loc.start}:${o.flag.loc.end}`;
  if (reported.has(key)) return;
  reported.add(key);
  ctx.report({
    loc: o.flag.loc,
    message: `gunicorn ${version} has no ${o.flag.text} option${where} (it arrived in ${s.since}): it stops with "unrecognized arguments"; upgrade gunicorn or remove the option.`,
  });
}

export const unknownSetting: Rule = {
  code: 'DDG101',
  name: 'unknown-gunicorn-setting',
  title: 'Gunicorn setting name or option unknown to gunicorn',
  severity: 'error',
  group: 'app-server',
  checklist: 'gunicorn-settings',
  target: 'gunicorn',
  fixSafety: 'unsafe',
  docs: {
    what: 'Reads every module-level name of the gunicorn config files (gunicorn.conf.py, gunicorn_config.py, gunicorn.py, gunicorn_conf.py and any file given with `-c`/`--config`) and reports a name that is not a gunicorn setting but is close to one (`worker`, `timout`, `log_level`, `bind_address`, `WORKERS`), a function named like a server hook with a typo, a setting the gunicorn release the project pins (requirements, lock file, pyproject.toml, Pipfile) does not have yet (or no longer has), and an option on a gunicorn command line (Procfile, Dockerfile, docker-compose, systemd, shell script, GUNICORN_CMD_ARGS) that gunicorn does not know, that the pinned release does not have yet, or that abbreviates several options. Imports, names starting with an underscore and helper variables the file reads elsewhere are not settings and are left alone.',
    why: 'Gunicorn executes the config file and picks out the names it knows, matching them exactly and in lower case; every other name is ignored without a warning. `worker = 8` therefore leaves gunicorn at its default of one worker, and `timout = 120` keeps the 30 second timeout, and nothing in the logs says so. `gunicorn --check-config` does not catch it either: it loads the same file the same way, so an unknown name passes the check. On the command line it is the opposite: an unknown option stops gunicorn with "unrecognized arguments" at deploy time.',
    example:
      '# gunicorn.conf.py\nworker = 8          # ignored: the setting is "workers"\ntimout = 120        # ignored: the setting is "timeout"\nlog_level = "info"  # ignored: the setting is "loglevel"',
    fix: 'Rename the name to the setting gunicorn reads; the quick fix renames it (or the misspelt option) to the suggestion. It is marked unsafe because the value starts taking effect: check it before applying. It is not offered when the setting is already set in the same file. Names meant as helpers can start with an underscore to say so. For command lines, write the option as `gunicorn --help` lists it.',
    good: '# gunicorn.conf.py\nworkers = 8\ntimeout = 120\nloglevel = "info"',
    references: [
      { title: 'Gunicorn: settings', url: 'https://docs.gunicorn.org/en/stable/settings.html' },
      { title: 'Gunicorn: configuration overview', url: 'https://docs.gunicorn.org/en/stable/configure.html' },
      { title: 'Django: how to use Django with Gunicorn', url: 'https://docs.djangoproject.com/en/stable/howto/deployment/wsgi/gunicorn/' },
    ],
  },
  check(ctx) {
    if (noGunicorn(ctx)) return;
    const m = ctx.appServer;
    const version = m.gunicornVersion?.version;
    for (const cfg of m.configs) {
      for (const other of cfg.others) {
        if (other.used || other.kind === 'class') continue;
        const callable = other.kind === 'def' || (other.value.kind === 'object' && other.value.tag === 'user-fn');
        const s = suggestSetting(other.name, { hooksOnly: other.kind === 'def', noHooks: !callable, version });
        if (!s) continue;
        const also = cfg.settings.get(s.name);
        const what = other.kind === 'def' ? 'server hook' : 'setting';
        const fix = renameFix(ctx, cfg, other, s);
        ctx.report({
          loc: other.nameLoc,
          message: `"${other.name}" is not a gunicorn ${what}, so gunicorn ignores it${other.name === s.name.toUpperCase() ? ' (it reads lower-case names only)' : ''}: did you mean "${s.name}"?${also ? ` (${s.name} is also set in this file)` : ''}`,
          fixes: fix ? [fix] : [],
        });
      }
      for (const s of cfg.settings.values()) {
        if (settingExistsIn(s.def, version)) continue;
        if (s.nameLoc.file !== cfg.file) continue;
        const msg = s.def.removedIn
          ? `"${s.name}" is no longer a gunicorn setting (removed in ${s.def.removedIn})${version ? `; gunicorn ${version} ignores it` : ''}: ${s.name === 'django_settings' ? 'set DJANGO_SETTINGS_MODULE in the environment instead.' : 'remove it.'}`
          : `"${s.name}" is not a setting in gunicorn ${version} (it arrived in ${s.def.since}), so gunicorn ignores it: upgrade gunicorn or remove it.`;
        ctx.report({ loc: s.nameLoc, message: msg });
      }
    }
    const reported = new Set<string>();
    for (const r of m.runs) {
      for (const [options, where] of [
        [r.invocation?.options ?? [], ''],
        [r.cmdArgs?.options ?? [], ' (in GUNICORN_CMD_ARGS)'],
      ] as const) {
        for (const o of options) {
          if (o.unknown || o.ambiguous) reportFlag(ctx, o, where, version, reported);
          else if (version) reportTooNew(ctx, o, where, version, reported);
        }
      }
    }
  },
};
