// DDG203: Django's development server started by a production process file.
import { developmentValueTest, readBranch } from '../../models/process/branch';
import type { Rule } from '../types';

export const runserverInProduction: Rule = {
  code: 'DDG203',
  name: 'runserver-in-production',
  title: "Django's development server runs in production",
  severity: 'error',
  group: 'app-server',
  checklist: 'process',
  target: 'process',
  docs: {
    what: 'Reports `manage.py runserver` (also `django-admin runserver`, `python -m django runserver`, django-extensions\' `runserver_plus`) started by a production process: a Procfile\'s processes, a Dockerfile\'s CMD/ENTRYPOINT (last stage), a docker-compose service, a systemd unit or a start script. Files, stages and services meant for development are left alone: names with dev/local/test (Procfile.dev, docker-compose.override.yml, local.yml, a `dev` stage or service), a Procfile a local process manager runs (one of its processes runs Docker Compose or a database server such as `postgres -D databases/postgres`), docker-compose.yml beside a docker-compose.prod.yml, a Dockerfile beside a Dockerfile.prod or above a prod/Dockerfile, a start script only such files run, services that mount the source code, and a runserver in one branch of a script whose other branch starts a production server or hands over to the container\'s command (`exec "$@"`) — unless it is the branch the script takes when the variables it tests are unset (`if [ "$USE_GUNICORN" = True ]; then gunicorn …; else manage.py runserver; fi`): that one runs unless someone sets them, and the finding names the condition. A branch of a script that runs only where a variable equals a development value (`if [ "$ENVIRONMENT" = "local" ]`, `dev`, `localdev`, `development`, `test`, `ci`) is the script\'s development set-up and is not reported. A branch is taken as the environments production starts the script in decide (models/process/branch.ts): one they turn away — `case "$ENV_NAME" in localdev)` where the production compose file sets ENV_NAME=production, or `if [ "${LOCAL_DEV_ENV:-false}" = "true" ]` where only the development compose file\'s env file sets it — is development\'s; one they take (the production compose file sets ENV_NAME=localdev) is reported even beside a gunicorn branch, which production then never runs.',
    why: "Django's documentation says it plainly: runserver has not gone through security audits or performance tests, and is not to be used in production. It serves requests in threads of one process, restarts on code changes, serves static files only with DEBUG on, and has none of the timeouts, worker management and request-size limits of a real server.",
    example: '# Procfile\nweb: python manage.py runserver 0.0.0.0:$PORT',
    fix: 'Run the app with gunicorn (WSGI) or uvicorn/daphne (ASGI), and keep runserver for development files.',
    good: '# Procfile\nweb: gunicorn mysite.wsgi --bind 0.0.0.0:$PORT',
    references: [
      {
        title: 'Django: runserver ("DO NOT USE THIS SERVER IN A PRODUCTION SETTING")',
        url: 'https://docs.djangoproject.com/en/stable/ref/django-admin/#runserver',
      },
      { title: 'Django: how to deploy Django', url: 'https://docs.djangoproject.com/en/stable/howto/deployment/' },
    ],
  },
  check(ctx) {
    const m = ctx.appServer;
    const dev = m.commands.filter((c) => c.server === 'runserver');
    if (m.commands.length === 0) {
      ctx.notApplicable('the project has no process command line');
      return;
    }
    for (const inv of dev) {
      if (!inv.source.production) continue;
      // the branch a script takes when the variables it tests are unset runs unless they are set
      const branch = inv.branch ? readBranch(inv.branch) : undefined;
      const whenUnset = branch?.takenWhenUnset === true && branch.variables.length > 0 ? branch : undefined;
      // `if [ "$DEBUG" ]; then runserver; else gunicorn; fi`: the development branch of a switch (not
      // when production's environment turns the other branch away: its server is not production's)
      if (
        !whenUnset &&
        inv.conditional &&
        m.commands.some((o) => o !== inv && o.server !== 'runserver' && o.source.production && o.source.file === inv.source.file)
      )
        continue;
      // `if [ "$ENVIRONMENT" = "local" ]; then … runserver; fi`: the script's development set-up
      if (!whenUnset && inv.conditional && inv.branch && developmentValueTest(inv.branch)) continue;
      // `if [ "$DEBUG" ]; then exec runserver; fi; exec "$@"`: an entrypoint whose other path runs the image's CMD
      if (!whenUnset && inv.conditional && m.processes.forwards.some((f) => f.source.file === inv.source.file)) continue;
      const sub = inv.subcommand ?? inv.program;
      const condition = whenUnset
        ? ` when ${whenUnset.variables.join(', ')} ${whenUnset.variables.length === 1 ? 'is' : 'are'} not set (${whenUnset.description})`
        : '';
      // an image's command, where a program the analysis does not run generates production's
      // Deployment: the image's default, production's only unless that Deployment passes its own
      const generated = inv.source.kind === 'dockerfile' ? m.processes.generated[0] : undefined;
      const unless = generated
        ? ` (the image's default: production runs it unless the Deployment ${generated.shown} generates passes a command or args of its own, which the analysis cannot read)`
        : '';
      ctx.report({
        loc: sub.loc,
        message: `${inv.subcommand?.text ?? 'runserver'} is Django's development server, started here by ${inv.source.label}${condition}${unless}: it is not built for production (no hardening, no worker management); run gunicorn or uvicorn instead.`,
        ...(generated ? { severity: 'information' as const } : {}),
      });
    }
  },
};
