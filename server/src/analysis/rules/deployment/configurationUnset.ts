// DDG328: django-configurations picks the class the settings are from by DJANGO_CONFIGURATION; the
// app's entry point defaults it to a development class and nothing the production processes run sets
// it, so production runs that class, not the one written for production.
import * as path from 'node:path';
import { roleByName } from '../../models/project/roles';
import { productionServers, productionSetsVariable, unreadProductionEnv } from '../app-server/topology';
import type { Rule } from '../types';

const NAME = 'DJANGO_CONFIGURATION';

export const configurationUnset: Rule = {
  code: 'DDG328',
  name: 'configuration-never-set',
  title: 'The deployment never sets DJANGO_CONFIGURATION, so the development class runs',
  severity: 'warning',
  group: 'settings-secrets',
  checklist: 'settings-selected',
  target: 'settings',
  docs: {
    what: 'With django-configurations, reports the `os.environ.setdefault("DJANGO_CONFIGURATION", …)` of wsgi.py/asgi.py (or manage.py) when it names a development class (`Development`, `Dev`, `Local`), the settings module has another class the analysis takes for production (named Production, Prod or Live), and nothing the production processes run sets the variable: no Dockerfile ENV, Procfile, compose environment, manifest, platform file, systemd unit or script gives it a value. When a production process, or whoever starts it, loads an environment the repository lacks (an env_file ignored by git, a Secret), the finding is information and names it: that may set the variable; so it is when the only production process is an image\'s command that nothing in the repository runs (no compose service, manifest or platform file starts it): whoever runs the image gives it its environment. The settings findings of this analysis describe the production class; this one says production does not run it.',
    why: "django-configurations' importer loads the class DJANGO_CONFIGURATION names from the settings module (configurations/importer.py); `setdefault` only applies when the variable is not set. With nothing in the deployment setting it, the server runs the development class — DEBUG on, any host allowed, development keys and backends — while the Production class in the repository is never used.",
    example:
      '# myproj/asgi.py\nos.environ.setdefault("DJANGO_SETTINGS_MODULE", "myproj.settings")\nos.environ.setdefault("DJANGO_CONFIGURATION", "Development")\n\n# Dockerfile\nCMD ["uvicorn", "myproj.asgi:application", "--host", "0.0.0.0"]',
    fix: "Set DJANGO_CONFIGURATION where production starts the app (the Dockerfile's ENV, the manifest's or chart's env, the platform's configuration), or make the production class the default of wsgi.py and asgi.py and let development set its own in manage.py or .env.",
    good: '# Dockerfile\nENV DJANGO_CONFIGURATION=Production\nCMD ["uvicorn", "myproj.asgi:application", "--host", "0.0.0.0"]',
    references: [
      { title: 'django-configurations: usage', url: 'https://django-configurations.readthedocs.io/en/stable/#usage' },
      {
        title: 'Django: designating the settings',
        url: 'https://docs.djangoproject.com/en/stable/topics/settings/#designating-the-settings',
      },
    ],
  },
  check(ctx) {
    const chosen = ctx.evaluation.configuration?.cls;
    if (!chosen) return ctx.notApplicable('the settings are not django-configurations classes');
    // (no default of an entry point, or the deployment names the class: nothing to say)
    const def = ctx.project.configurationDefault;
    if (!def || def.file === undefined || def.offset === undefined) return;
    if (roleByName(def.value) !== 'development') return;
    // (the class the analysis evaluates as production's: another than the default)
    if (chosen === def.value) return;
    const servers = productionServers(ctx);
    if (servers.length === 0) return;
    const m = ctx.appServer;
    if (productionSetsVariable(ctx, servers, NAME)) return;
    const text = ctx.fileText(def.file);
    if (text === undefined) return;
    const at = text.indexOf(def.value, def.offset);
    const end = text.indexOf('\n', def.offset);
    const loc =
      at >= 0 && (end < 0 || at < end)
        ? { file: def.file, start: at, end: at + def.value.length }
        : { file: def.file, start: def.offset, end: end < 0 ? text.length : end };
    const unread = unreadProductionEnv(ctx, servers);
    // an image that nothing of the repository runs in production (no production compose service,
    // manifest or platform file starts it): whoever runs it gives it its environment, which the repository does not show
    const imageOnly = servers.every(
      (s) =>
        s.source.kind === 'dockerfile' &&
        (m.processes.starters.get(s.source) ?? []).every((st) => !(st.source ?? st.workload?.source)?.production),
    );
    const unless =
      unread.length > 0
        ? `${unread[0]}${unread.length > 1 ? ` or ${unread.length - 1} more` : ''}, which the repository lacks,`
        : imageOnly
          ? 'whoever runs the image (nothing in the repository starts it)'
          : "the platform's environment";
    ctx.report({
      loc,
      ...(unread.length > 0 || imageOnly ? { severity: 'information' as const } : {}),
      message: `${path.basename(def.file)} defaults ${NAME} to ${def.value}, a development class, and no deployment file sets it: production runs the ${def.value} class, not ${chosen} (whose settings this analysis reads), unless ${unless} sets it; set ${NAME}=${chosen} where production starts the app.`,
    });
  },
};
