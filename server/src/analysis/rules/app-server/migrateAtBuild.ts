// DDG317: `manage.py migrate` run while the production image is built (a Dockerfile RUN).
import { buildTasks } from '../../models/process/buildSteps';
import type { Rule } from '../types';
import { dockerfilesToCheck, isManage, stageChain } from './topology';

export const migrateAtBuild: Rule = {
  code: 'DDG317',
  name: 'migrate-at-image-build',
  title: 'Migrations run while the image is built',
  severity: 'warning',
  group: 'deployment',
  checklist: 'migrations-step',
  target: 'process',
  docs: {
    what: 'Reports `manage.py migrate` (or `django-admin migrate`, `python -m django migrate`) in a RUN instruction of a production Dockerfile that runs Python, in its last stage or a stage that stage is built FROM. `migrate --check` and `--plan` change nothing and are not reported.',
    why: 'An image is built once and run anywhere: a RUN step migrates whatever database the build can reach, not the one the release will serve. Most builds reach none, so the step fails, or migrates a SQLite file that is then baked into the image — every deploy ships a fresh database and the data written since the last build is gone. A build that can reach the production database migrates it before anyone decided to release, while the old version still serves, and a rebuild from cache skips the step altogether.',
    example:
      'FROM python:3.12-slim\nCOPY . /app\nRUN python manage.py migrate --noinput\nCMD ["gunicorn", "mysite.wsgi", "--bind", "0.0.0.0:8000"]',
    fix: "Migrate at release time, once, against the production database: the platform's release or pre-deploy command (Heroku `release:`, fly.io `release_command`, render `preDeployCommand`), a Kubernetes Job run before the rollout, or `docker compose run --rm web python manage.py migrate` in the deploy script.",
    good: '# fly.toml\n[deploy]\n  release_command = "python manage.py migrate --noinput"',
    references: [
      { title: 'Django: migrate', url: 'https://docs.djangoproject.com/en/stable/ref/django-admin/#migrate' },
      { title: 'Docker: build cache', url: 'https://docs.docker.com/build/cache/' },
    ],
  },
  check(ctx) {
    const files = dockerfilesToCheck(ctx);
    for (const d of files) {
      const chain = new Set(stageChain(d));
      for (const b of buildTasks(d)) {
        if (!chain.has(b.stage) || !isManage(b.task, 'migrate')) continue;
        if (b.task.args.some((a) => a.text === '--check' || a.text === '--plan')) continue;
        ctx.report({
          loc: b.task.subcommand!.loc,
          message: `migrate runs while the image is built (RUN in ${d.file.slice(d.file.lastIndexOf('/') + 1)}): it migrates whatever database the build reaches — none, a SQLite file baked into the image and replaced by every deploy, or production before the release is decided; migrate at release time instead (a release or pre-deploy command, a Job).`,
        });
      }
    }
  },
};
