// DDG101: a name in a gunicorn config file that is not a gunicorn setting (gunicorn ignores it
// silently), or a command-line flag gunicorn does not know (it refuses to start).
import { suggestFlag, suggestSetting, settingExistsIn } from '../../gunicorn/names';
import { gunicornFlagTable } from '../../process/commands';
import type { ParsedOption } from '../../process/commands';
import type { Rule, RuleContext } from '../types';
import { noGunicorn } from './shared';

function reportFlag(ctx: RuleContext, o: ParsedOption, where: string, reported: Set<string>): void {
  const key = `${o.flag.loc.file}:${o.flag.loc.start}:${o.flag.loc.end}`;
  if (reported.has(key)) return;
  reported.add(key);
  const flag = o.flag.text;
  if (o.ambiguous) {
    const options = [...new Set(o.ambiguous)].slice(0, 4).join(', ');
    ctx.report({ loc: o.flag.loc, message: `${flag}${where} is ambiguous for gunicorn (it could be ${options}) and gunicorn refuses to start: write the option in full.` });
    return;
  }
  const flags = [...gunicornFlagTable().keys()];
  const suggestion = suggestFlag(flag, flags);
  ctx.report({
    loc: o.flag.loc,
    message: `gunicorn has no ${flag} option${where}: it stops with "unrecognized arguments"${suggestion ? `; did you mean ${suggestion}?` : '; see gunicorn --help for the options.'}`,
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
  fixSafety: 'safe',
  docs: {
    what:
      'Reads every module-level name of the gunicorn config files (gunicorn.conf.py, gunicorn_config.py, gunicorn.py, gunicorn_conf.py and any file given with `-c`/`--config`) and reports a name that is not a gunicorn setting but is close to one (`worker`, `timout`, `log_level`, `bind_address`, `WORKERS`), a function named like a server hook with a typo, a setting the pinned gunicorn release does not have yet (or no longer has), and an option on a gunicorn command line (Procfile, Dockerfile, docker-compose, systemd, shell script, GUNICORN_CMD_ARGS) that gunicorn does not know or that abbreviates several options. Imports, names starting with an underscore and helper variables the file reads elsewhere are not settings and are left alone.',
    why:
      'Gunicorn executes the config file and picks out the names it knows, matching them exactly and in lower case; every other name is ignored without a warning. `worker = 8` therefore leaves gunicorn at its default of one worker, and `timout = 120` keeps the 30 second timeout, and nothing in the logs says so. On the command line it is the opposite: an unknown option stops gunicorn with "unrecognized arguments" at deploy time.',
    example: '# gunicorn.conf.py\nworker = 8          # ignored: the setting is "workers"\ntimout = 120        # ignored: the setting is "timeout"\nlog_level = "info"  # ignored: the setting is "loglevel"',
    fix: 'Rename the name to the setting gunicorn reads (the quick fix renames it to the suggestion). Names meant as helpers can start with an underscore to say so. For command lines, write the option as `gunicorn --help` lists it.',
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
        ctx.report({
          loc: other.nameLoc,
          message: `"${other.name}" is not a gunicorn ${what}, so gunicorn ignores it${other.name === s.name.toUpperCase() ? ' (it reads lower-case names only)' : ''}: did you mean "${s.name}"?${also ? ` (${s.name} is also set in this file)` : ''}`,
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
      for (const o of r.invocation?.options ?? []) if (o.unknown || o.ambiguous) reportFlag(ctx, o, '', reported);
      for (const o of r.cmdArgs?.options ?? []) if (o.unknown || o.ambiguous) reportFlag(ctx, o, ' (in GUNICORN_CMD_ARGS)', reported);
    }
  },
};
