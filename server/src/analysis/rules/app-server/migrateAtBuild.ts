// DDG317: `manage.py migrate` run while the production image is built (a Dockerfile RUN), or while
// the Python buildpack builds the slug (its bin/post_compile hook).
import * as path from 'node:path';
import { PYTHON_BUILDPACK_HOOKS } from '../../catalogue/platformRuntime';
import type { AppServerModel } from '../../models/appServer/model';
import { readBranch } from '../../models/process/branch';
import { buildTasks } from '../../models/process/buildSteps';
import type { TaskInvocation } from '../../readers/process/commands';
import type { Rule } from '../types';
import { isManage, productionPythonDockerfiles, stageChain } from './topology';

/** `migrate --check` and `--plan` change nothing. */
function migrates(t: TaskInvocation): boolean {
  return isManage(t, 'migrate') && !t.args.some((a) => a.text === '--check' || a.text === '--plan');
}

/**
 * The buildpack's build hooks beside a production Procfile the buildpack builds (not heroku.yml's
 * container stack), and the migrate commands they run, each with the hook's path from that folder.
 */
function buildHooks(
  m: AppServerModel,
  exists: (f: string) => boolean,
): { hooks: number; migrations: { task: TaskInvocation; hook: string }[] } {
  if (m.processes.workloads.some((w) => w.source.format === 'heroku.yml')) return { hooks: 0, migrations: [] };
  const roots = new Set<string>();
  for (const s of [...m.commands.map((c) => c.source), ...m.processes.tasks.map((t) => t.source)])
    if (s.kind === 'procfile' && s.production) roots.add(path.dirname(s.file));
  const hookOf = new Map<string, string>();
  for (const root of roots) for (const h of PYTHON_BUILDPACK_HOOKS.value) if (exists(path.join(root, h))) hookOf.set(path.join(root, h), h);
  const migrations: { task: TaskInvocation; hook: string }[] = [];
  for (const { task, source } of m.processes.tasks) {
    const hook = hookOf.get(source.file);
    if (hook && source.kind === 'shell' && migrates(task)) migrations.push({ task, hook });
  }
  return { hooks: hookOf.size, migrations };
}

export const migrateAtBuild: Rule = {
  code: 'DDG317',
  name: 'migrate-at-image-build',
  title: 'Migrations run while the image is built',
  severity: 'warning',
  group: 'deployment',
  checklist: 'migrations-step',
  target: 'process',
  docs: {
    what: 'Reports `manage.py migrate` (or `django-admin migrate`, `python -m django migrate`) in a RUN instruction of a production Dockerfile that runs Python, in its last stage or a stage that stage is built FROM, and in the build hooks the Python buildpack runs while it builds a Procfile app (`bin/pre_compile`, `bin/post_compile` beside the Procfile; Heroku, Dokku and Scalingo build with it; not an app heroku.yml builds from a Dockerfile). `migrate --check` and `--plan` change nothing and are not reported.',
    why: "An image is built once and run anywhere: a RUN step migrates whatever database the build can reach, not the one the release will serve. Most builds reach none, so the step fails, or migrates a SQLite file that is then baked into the image — every deploy ships a fresh database and the data written since the last build is gone. A build that can reach the production database migrates it before anyone decided to release, while the old version still serves, and a rebuild from cache skips the step altogether. A buildpack's build hook migrates production while the slug is compiled: before the release exists, even when the release then fails, never for a slug promoted through a pipeline, and Heroku's own advice is the release phase for migrations.",
    example:
      'FROM python:3.12-slim\nCOPY . /app\nRUN python manage.py migrate --noinput\nCMD ["gunicorn", "mysite.wsgi", "--bind", "0.0.0.0:8000"]',
    fix: "Migrate at release time, once, against the production database: the platform's release or pre-deploy command (Heroku `release:`, fly.io `release_command`, render `preDeployCommand`), a Kubernetes Job run before the rollout, or `docker compose run --rm web python manage.py migrate` in the deploy script.",
    good: '# fly.toml\n[deploy]\n  release_command = "python manage.py migrate --noinput"',
    references: [
      { title: 'Django: migrate', url: 'https://docs.djangoproject.com/en/stable/ref/django-admin/#migrate' },
      { title: 'Docker: build cache', url: 'https://docs.docker.com/build/cache/' },
      { title: 'Heroku: release phase', url: 'https://devcenter.heroku.com/articles/release-phase' },
    ],
  },
  check(ctx) {
    const files = productionPythonDockerfiles(ctx.appServer, ctx.project);
    const scanned = new Set(ctx.project.files.map((f) => f.path));
    const hooks = buildHooks(ctx.appServer, (f) => scanned.has(f));
    if (files.length === 0 && hooks.hooks === 0)
      return ctx.notApplicable('the project has no production Dockerfile that runs Python, and no buildpack build hook');
    for (const d of files) {
      const chain = new Set(stageChain(d));
      for (const b of buildTasks(d)) {
        if (!chain.has(b.stage) || !migrates(b.task)) continue;
        ctx.report({
          loc: b.task.subcommand!.loc,
          message: `migrate runs while the image is built (RUN in ${d.file.slice(d.file.lastIndexOf('/') + 1)}): it migrates whatever database the build reaches — none, a SQLite file baked into the image and replaced by every deploy, or production before the release is decided; migrate at release time instead (a release or pre-deploy command, a Job).`,
        });
      }
    }
    for (const { task, hook } of hooks.migrations) {
      // an `if` around it: followed when its test decides with the variables unset (the build sets
      // none of its own), named when it does not
      const branch = task.branch && task.branch.length > 0 ? readBranch(task.branch) : undefined;
      if (branch?.takenWhenUnset === false) continue;
      const unless = branch && branch.takenWhenUnset === undefined ? `, unless ${branch.description}` : '';
      ctx.report({
        loc: task.subcommand!.loc,
        message: `migrate runs while the Python buildpack builds the app (its ${hook} hook${unless}): it changes the production database before the release exists, even when the release then fails, and not at all for a build promoted through a pipeline; migrate in a \`release:\` process of the Procfile instead.`,
        ...(unless ? { severity: 'information' as const } : {}),
        // the buildpack runs the hook: the file is production's as surely as the Procfile is
        basis: [
          {
            kind: 'file',
            subject: path.relative(ctx.project.root, task.subcommand!.loc.file).split(path.sep).join('/'),
            state: 'known',
            how: `run by the Python buildpack as it builds the app (${PYTHON_BUILDPACK_HOOKS.source.url})`,
          },
        ],
      });
    }
  },
};
