// DDG304: no build or release step of the production setup runs collectstatic.
import * as path from 'node:path';
import { requestPathsOf } from '../../models/requestPath/path';
import { devReasonOfPath } from '../../readers/devPaths';
import type { Rule } from '../types';
import { isManage, productionServers } from './topology';

// (a YAML manifest too: a Kubernetes Job or init container, an Ansible task of the deployment's playbook)
const KINDS = new Set(['dockerfile', 'shell', 'procfile', 'compose', 'config', 'ci', 'systemd', 'manifest']);

export const collectstaticMissing: Rule = {
  code: 'DDG304',
  name: 'collectstatic-not-run',
  title: 'No production build or release step runs collectstatic',
  severity: 'information',
  group: 'deployment',
  checklist: 'collectstatic',
  target: 'process',
  docs: {
    what: "Where production processes start the app from a Dockerfile, docker-compose, a systemd unit or a start script, reports when no production file (Dockerfile RUN, build or start script, Procfile, compose command, platform config, a YAML manifest — a Kubernetes Job, an Ansible task of the deployment's playbook —, CI workflow) runs `collectstatic`. A management command of the project's own that production runs (`manage.py build`) counts when its module calls `call_command(\"collectstatic\", …)`. Projects whose only production process file is a Procfile are left alone: Heroku's Python buildpack (and Dokku's) runs collectstatic during the build; not a Procfile that an Elastic Beanstalk environment runs (its `.ebextensions` beside it), whose platform runs no collectstatic: there its `container_commands` or `.platform/hooks` scripts are the release step. Each production server is judged alone: beside a Procfile, another production deployment (a compose file running gunicorn) still needs a collectstatic step, and the finding is placed on its command, not on the Procfile's line. Development files do not count. Not applicable when the production `INSTALLED_APPS` is written without `django.contrib.staticfiles`: there is no collectstatic command (a JSON API whose front end is served elsewhere); the checklist says so with the place. Not applicable either to a token-only JSON API (no admin, login or template view routed, no module rendering a template or using the session, and either Django REST framework authenticating by a header only and rendering JSON only, or views answering `JsonResponse` with a middleware or decorator of the project reading the `Authorization` header: `models/settings/appKind.ts`): no page links a static file, so nothing collected would be served.",
    why: 'Django does not serve static files in production: WhiteNoise, nginx or a CDN serve what `collectstatic` copied into STATIC_ROOT. Without the step the admin and every page lose their CSS and JavaScript, and with ManifestStaticFilesStorage every `{% static %}` tag raises an error because the manifest is missing.',
    example:
      'FROM python:3.12-slim\nCOPY . .\nRUN pip install --no-cache-dir -r requirements.txt\nCMD ["gunicorn", "mysite.wsgi", "--bind", "0.0.0.0:8000"]',
    fix: 'Run `python manage.py collectstatic --noinput` in the image build (a RUN after the code is copied, with settings that need no secrets) or in the release step before the new version takes traffic.',
    good: 'RUN python manage.py collectstatic --noinput',
    references: [
      { title: 'Django: deploying static files', url: 'https://docs.djangoproject.com/en/stable/howto/static-files/deployment/' },
      { title: 'Heroku: Django and static assets', url: 'https://devcenter.heroku.com/articles/django-assets' },
    ],
  },
  check(ctx) {
    const m = ctx.appServer;
    const servers = productionServers(ctx);
    if (servers.length === 0) return;
    const staticfiles = ctx.appKind?.staticfiles;
    if (staticfiles?.state === 'no') return ctx.notApplicable(staticfiles.why);
    // a token-only JSON API serves no page that links a static file: nothing collected would be served
    const api = ctx.appKind?.tokenJsonApi;
    if (api?.state === 'yes') return ctx.notApplicable(`no page links a static file: ${api.why}`);
    // Heroku's Python buildpack (a Procfile) and DigitalOcean App Platform's run collectstatic themselves;
    // Elastic Beanstalk, which runs a Procfile too, does not (its release steps are container_commands and hooks)
    const onBeanstalk = (c: (typeof servers)[number]): boolean =>
      requestPathsOf(ctx.project, ctx.appServer, c).deployments.some((d) => d.hops.some((h) => h.kind === 'elastic-beanstalk'));
    const buildpack = (c: (typeof servers)[number]): boolean =>
      (c.source.kind === 'procfile' && !onBeanstalk(c)) || (c.source.kind === 'platform' && c.source.format === 'DigitalOcean app spec');
    // each server judged alone: one a buildpack builds is covered (a Procfile beside
    // prod/docker-compose.prod.yml running gunicorn); the others need a collectstatic step
    const uncovered = servers.filter((c) => !buildpack(c));
    if (uncovered.length === 0) {
      ctx.notApplicable("the app runs on a platform whose Python buildpack runs collectstatic (a Procfile, DigitalOcean's App Platform)");
      return;
    }
    if (m.processes.tasks.some((t) => t.source.production && isManage(t.task, 'collectstatic'))) return;
    // a management command of the project's own that production runs (`manage.py build`) and that
    // runs collectstatic itself (`call_command("collectstatic", …)`)
    for (const t of m.processes.tasks) {
      const sub = t.task.kind === 'manage' ? t.task.subcommand?.text : undefined;
      if (!t.source.production || !sub) continue;
      if (m.commandCalls(sub).some((c) => c.calls.includes('collectstatic'))) return;
    }
    for (const f of ctx.project.files) {
      if (!KINDS.has(f.kind)) continue;
      if (devReasonOfPath(path.relative(ctx.project.root, f.path))) continue;
      if (/\bcollectstatic\b/.test(ctx.fileText(f.path) ?? '')) return;
    }
    const first = uncovered[0]!;
    ctx.report({
      loc: first.program.loc,
      message: `no production build or release step runs collectstatic (looked in Dockerfiles, scripts, compose, platform configs, manifests, playbooks and CI): ${first.server} (${first.source.label}) would serve pages without their CSS and JavaScript; run manage.py collectstatic --noinput in the build or release step.`,
    });
  },
};
