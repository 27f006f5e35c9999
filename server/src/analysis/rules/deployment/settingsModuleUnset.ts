// DDG320: no deployment file sets DJANGO_SETTINGS_MODULE, and the app module the production server
// loads defaults it to a development module: production runs that one, not the production module.
import * as path from 'node:path';
import { roleByName } from '../../models/project/roles';
import type { SettingsMention } from '../../models/project/types';
import { productionServers, productionSetsVariable, unreadProductionEnv } from '../app-server/topology';
import type { Rule } from '../types';

/** Kinds of mention that are defaults or tools, not a deployment setting the variable. */
const NOT_DEPLOYMENT = new Set(['wsgi', 'asgi', 'manage', 'pytest', 'ci']);

export const settingsModuleUnset: Rule = {
  code: 'DDG320',
  name: 'settings-module-never-set',
  title: 'The deployment never sets DJANGO_SETTINGS_MODULE, so the development default runs',
  severity: 'warning',
  group: 'settings-secrets',
  checklist: 'settings-selected',
  target: 'project',
  docs: {
    what: 'Reports the `os.environ.setdefault("DJANGO_SETTINGS_MODULE", …)` of wsgi.py/asgi.py (or manage.py) when it names a development module (`config.settings.local`, `mysite.settings.dev`), the production module is only known by its name (settings/production.py), and nothing the production processes run sets the variable: no Procfile, Dockerfile ENV, compose environment, manifest, platform file, systemd unit or script names a module, and no production process\'s environment sets DJANGO_SETTINGS_MODULE. When a production process, or whoever starts it, loads an environment file the repository lacks (an env_file ignored by git) or a Secret, the finding is information and names it: that file may set the variable.',
    why: '`setdefault` only applies when the variable is not set: with nothing in the deployment setting it, the server loads the development module — DEBUG on, a development SECRET_KEY, a local database or e-mail backend — while the production module in the repository is never used. The checks of this analysis, which read the production module, then describe a configuration that does not run.',
    example:
      '# mysite/wsgi.py\nos.environ.setdefault("DJANGO_SETTINGS_MODULE", "mysite.settings.local")\n\n# Procfile\nweb: gunicorn mysite.wsgi',
    fix: "Set DJANGO_SETTINGS_MODULE where production starts the app (the platform's environment, the Dockerfile's ENV, the manifest's env, `--env` of the Procfile's command), or make the production module the default of wsgi.py and asgi.py and let development set its own in manage.py or .env.",
    good: '# Procfile\nweb: DJANGO_SETTINGS_MODULE=mysite.settings.production gunicorn mysite.wsgi',
    references: [
      {
        title: 'Django: designating the settings',
        url: 'https://docs.djangoproject.com/en/stable/topics/settings/#designating-the-settings',
      },
      {
        title: 'Django: deploying with WSGI (the settings module)',
        url: 'https://docs.djangoproject.com/en/stable/howto/deployment/wsgi/#configuring-the-settings-module',
      },
    ],
  },
  check(ctx) {
    const p = ctx.project;
    const choice = p.production;
    if (!choice || (choice.via !== 'name' && choice.via !== 'only'))
      return ctx.notApplicable('the production settings module is named by the deployment or chosen in the settings');
    const servers = productionServers(ctx);
    if (servers.length === 0) return;
    // the deployment names a module somewhere, or a production process's environment sets the variable
    if (p.mentions.some((x) => !x.devOnly && !NOT_DEPLOYMENT.has(x.kind))) return;
    if (productionSetsVariable(ctx, servers, 'DJANGO_SETTINGS_MODULE')) return;
    const defaults = p.mentions.filter(
      (x) => NOT_DEPLOYMENT.has(x.kind) && x.kind !== 'pytest' && x.kind !== 'ci' && roleByName(x.module) === 'development',
    );
    const at: SettingsMention | undefined =
      defaults.find((x) => x.servedBy) ?? defaults.find((x) => x.kind === 'wsgi' || x.kind === 'asgi');
    if (!at) return;
    const text = ctx.fileText(at.file);
    if (text === undefined) return;
    let start = 0;
    for (let line = 0; line < at.line && start >= 0; line++) start = text.indexOf('\n', start) + 1;
    const col = text.indexOf(at.module, start);
    const end = text.indexOf('\n', start);
    const loc =
      col >= 0 && (end < 0 || col < end)
        ? { file: at.file, start: col, end: col + at.module.length }
        : { file: at.file, start, end: end < 0 ? text.length : end };
    // (what the repository lacks may set it: said, at information)
    const unread = unreadProductionEnv(ctx, servers);
    ctx.report({
      loc,
      // (what the repository lacks may set it: said, at information)
      ...(unread.length > 0 ? { severity: 'information' as const } : {}),
      message: `${path.basename(at.file)} defaults DJANGO_SETTINGS_MODULE to ${at.module}, a development module, and no deployment file sets it${at.servedBy ? ` (the app module served by ${at.servedBy})` : ''}: production runs ${at.module}, not ${choice.module.name}, unless ${unread.length > 0 ? `${unread[0]}${unread.length > 1 ? ` or ${unread.length - 1} more` : ''}, which the repository lacks,` : "the platform's environment"} sets it; set it where production starts the app.`,
    });
  },
};
