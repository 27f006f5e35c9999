// DDG202: the app module (or config file) a server command line names is not in the workspace.
import { moduleNameOf } from '../../models/project/model';
import type { AppRef } from '../../readers/process/commands';
import type { AppResolution } from '../../models/appServer/model';
import type { ServerInvocation } from '../../models/process/model';
import type { Rule, RuleContextBase } from '../types';
import { fileOf } from '../helpers';

function appText(app: AppRef): string {
  return app.attr ? `${app.module}:${app.attr}` : app.module;
}

/** The project's wsgi/asgi modules, for "did you mean". */
function entryModules(ctx: RuleContextBase): string[] {
  const out: string[] = [];
  for (const f of ctx.project.files) {
    if (f.kind !== 'wsgi' && f.kind !== 'asgi') continue;
    for (const root of ctx.project.importRoots) {
      const m = moduleNameOf(root, f.path);
      if (m) {
        out.push(m.name);
        break;
      }
    }
  }
  return out;
}

export const appModuleMissing: Rule = {
  code: 'DDG202',
  name: 'app-module-missing',
  title: 'The app module a server command names is missing',
  severity: 'error',
  group: 'app-server',
  checklist: 'process',
  target: 'process',
  docs: {
    what: "Resolves the application a server command line names (`gunicorn mysite.wsgi:application`, `uvicorn mysite.asgi:application`, daphne, hypercorn, gunicorn's `wsgi_app` setting) against the workspace, from the process's working directory, `--chdir`, `--pythonpath` and the project's import roots, and reports a module that exists nowhere in the workspace, or a module that does not define the attribute named (gunicorn's default is `application`). A gunicorn config file given with `-c` that exists nowhere in the workspace is reported too. Modules of libraries (`django.core.wsgi:get_wsgi_application()`) are left alone, and so is a command a compose service runs in a prebuilt image no file of the repository builds (`image: quay.io/acme/flask-app` without `build:`, its name published by no build): the image carries its own code.",
    why: 'The server imports the module at start-up and exits with "No module named …", "Failed to find attribute" or "… doesn\'t exist" when it is not there: the deploy fails, or the platform keeps restarting the process. It typically happens after renaming the project package (`startproject config` vs `mysite`) or moving the settings, since the Procfile or Dockerfile is not run in development.',
    example: '# Procfile (the project package is "config")\nweb: gunicorn mysite.wsgi:application',
    fix: 'Name the module that holds the WSGI/ASGI application (the package with wsgi.py/asgi.py, as seen from the working directory) and the attribute it defines.',
    good: 'web: gunicorn config.wsgi:application',
    references: [
      { title: 'Gunicorn: running gunicorn (APP_MODULE)', url: 'https://docs.gunicorn.org/en/stable/run.html' },
      { title: 'Django: how to use Django with Gunicorn', url: 'https://docs.djangoproject.com/en/stable/howto/deployment/wsgi/gunicorn/' },
    ],
  },
  check(ctx) {
    const m = ctx.appServer;
    if (m.commands.length === 0 && m.runs.length === 0) {
      ctx.notApplicable('the project has no app server command line');
      return;
    }
    const reported = new Set<string>();
    const entries = entryModules(ctx);
    const report = (app: AppRef & { loc?: { file: string; start: number; end: number } }, r: AppResolution, server: string): void => {
      const loc = app.loc ?? app.token.loc;
      const key = `${loc.file}:${loc.start}`;
      if (reported.has(key)) return;
      if (r.status === 'missing') {
        reported.add(key);
        const guess = entries.find((e) => e.split('.').pop() === app.module.split('.').pop());
        ctx.report({
          loc,
          message: `${server} serves ${appText(app)}, but the module ${app.module} is not in the workspace: ${server} fails to start ("No module named").${guess && guess !== app.module ? ` Did you mean ${guess}?` : ''}`,
        });
      } else if (r.status === 'found' && r.attrMissing && r.attr) {
        reported.add(key);
        ctx.report({
          loc,
          message: `${server} serves ${appText(app)}, but ${fileOf(ctx, r.file)} defines no "${r.attr}": ${server} fails to start ("Failed to find attribute").`,
        });
      } else if (r.status === 'unknown') ctx.unknown(`${app.module} exists in several places in the workspace`, loc);
    };
    // (a process that runs another project, a sibling site's service, names that project's modules;
    // one run in a prebuilt image no file of the repository builds names the image's own code)
    const prebuilt = (inv: ServerInvocation | undefined): boolean =>
      inv?.source.kind === 'compose' && m.processes.prebuiltImages.has(`${inv.source.file}\0${inv.source.service}`);
    for (const r of m.runs) {
      if (r.invocation?.source.otherProject || prebuilt(r.invocation)) continue;
      if (r.app) report(r.app, m.resolveApp(r.app, r.invocation, r), 'gunicorn');
      const ref = r.configRef;
      if (ref?.status === 'missing') {
        const key = `${ref.loc.file}:${ref.loc.start}`;
        if (!reported.has(key)) {
          reported.add(key);
          ctx.report({
            loc: ref.loc,
            message: `gunicorn loads the config file ${ref.text} (-c), which is not in the workspace: gunicorn stops at start-up; check the path from the working directory.`,
          });
        }
      }
    }
    for (const inv of m.commands) {
      if (!inv.app || inv.server === 'gunicorn' || inv.server === 'runserver' || inv.source.otherProject || prebuilt(inv)) continue;
      report(inv.app, m.resolveApp(inv.app, inv), inv.server);
    }
  },
};
