// DDG330: `manage.py makemigrations` (without --check or --dry-run) in a production release or
// deploy step: a Procfile `release:` process, a platform's release or pre-deploy command, a
// Kubernetes Job (a Helm hook), a compose service or an image's start that does not start the app
// server, the scripts these run, or a RUN of the production image. The start of a process that also
// starts the app server (or an init container) is DDG305's, which says it there.
import * as path from 'node:path';
import type { ProcessSource } from '../../models/appServer/model';
import { readBranch } from '../../models/process/branch';
import { devReasonOfPath, namedForDeployingByHand } from '../../readers/devPaths';
import { buildTasks } from '../../models/process/buildSteps';
import type { TaskInvocation } from '../../readers/process/commands';
import { fileOf } from '../helpers';
import type { Rule } from '../types';
import { isManage, processKey, productionPythonDockerfiles, productionServers, stageChain, startChain } from './topology';

/** `makemigrations --check` and `--dry-run` write nothing. */
function writesMigrations(t: TaskInvocation): boolean {
  return isManage(t, 'makemigrations') && !t.background && !t.args.some((a) => a.text === '--check' || a.text === '--dry-run');
}

/** An init container of a manifest's workload: it runs as each pod starts (DDG305's). */
function isInitContainer(s: ProcessSource): boolean {
  return s.kind === 'kubernetes' && s.label.includes('(init container ');
}

/** Whether the same command line (the same instruction or line of the file) then runs migrate. */
function migrateFollows(all: readonly TaskInvocation[], t: TaskInvocation, text: string | undefined): boolean {
  const at = t.subcommand!.loc;
  const lineEnd = text === undefined ? at.end : text.indexOf('\n', at.end) === -1 ? text.length : text.indexOf('\n', at.end);
  return all.some(
    (x) =>
      x !== t &&
      isManage(x, 'migrate') &&
      x.subcommand!.loc.file === at.file &&
      x.subcommand!.loc.start > at.end &&
      x.subcommand!.loc.start <= lineEnd,
  );
}

/**
 * A shell script nothing runs (no process of the repository, development's included), named for
 * deploying or migrating by its file name or a folder (`ops/migrate.sh`, `scripts/deploy_db.sh`) and
 * filed for no development or test use.
 */
function byHandScript(root: string, source: ProcessSource, owners: readonly { source: ProcessSource }[]): boolean {
  if (source.kind !== 'shell' || owners.some((o) => o.source.kind !== 'shell')) return false;
  const rel = path.relative(root, source.file);
  if (rel.startsWith('..') || devReasonOfPath(rel)) return false;
  return namedForDeployingByHand(rel);
}

const APPLIED = ', and the migrate on the same line applies them to production';
const LATER = ', which a migrate applies to production';
const FOLLOWS =
  ' The next deploy writes different ones, or numbers the next committed migration reuses; make migrations in development and commit them.';

export const makemigrationsAtDeploy: Rule = {
  code: 'DDG330',
  name: 'makemigrations-at-deploy',
  title: 'Migrations made at deploy time',
  severity: 'warning',
  group: 'deployment',
  checklist: 'migrations-step',
  target: 'process',
  docs: {
    what: "Reports `manage.py makemigrations` (or `django-admin makemigrations`, `python -m django makemigrations`) without `--check` or `--dry-run` in a step production's deployment runs: a Procfile `release:` process, a platform's release or pre-deploy command (fly.io `release_command`, render `preDeployCommand`), a Kubernetes Job (a Helm `post-install`/`post-upgrade` hook), a compose service or an image's CMD or ENTRYPOINT that does not start the app server, the scripts any of these runs, and a RUN instruction of the production image (its last stage or a stage that stage is built FROM). `makemigrations` in the start of a process that also starts the app server, or in an init container, is reported by DDG305 there, not here. A guard around the command is followed when it decides with the deployment's variables unset; one the analysis cannot decide is named, at information level. A script nothing in the repository runs is a developer's helper and is not reported, unless its name or a folder of its path says deploying, operating or migrating (`ops/migrate.sh`, `deploy/migrate_db.sh`, `scripts/run_migrations.sh`; not one filed for development or tests, `scripts/reset-local-db.sh`): a person runs that one, against production as its name says, and it is reported at information level as run by hand.",
    why: "Django's migrations are part of the code: made in development, reviewed and committed to version control, so that every database — the developer's, CI's, production's — applies the same ones. `makemigrations` run at deploy time writes migrations inside the container (or the image) that nobody reviewed and the repository never sees; `migrate` then applies them to the production database. The next deploy starts from the committed migrations again, writes different ones or reuses their numbers, and the next migration a developer commits conflicts with what production has recorded (an inconsistent history, a column added twice). Replicas or parallel Jobs may each write their own. When the committed migrations already match the models it writes nothing, which hides the step until the day a migration is forgotten.",
    example: '# Procfile\nrelease: python manage.py makemigrations && python manage.py migrate --noinput\nweb: gunicorn mysite.wsgi',
    fix: 'Remove `makemigrations` from the deploy step and only `migrate` there; make migrations in development and commit them, and fail CI when a model change has none (`python manage.py makemigrations --check --dry-run`). No quick fix is offered: removing the command is safe only once the migrations it would write are committed, which the repository does not show (whether the models and the committed migrations agree is decided by running Django).',
    good: '# Procfile\nrelease: python manage.py migrate --noinput\nweb: gunicorn mysite.wsgi',
    references: [
      { title: 'Django: Migrations — Workflow', url: 'https://docs.djangoproject.com/en/stable/topics/migrations/#workflow' },
      {
        title: 'Django: makemigrations --check',
        url: 'https://docs.djangoproject.com/en/stable/ref/django-admin/#cmdoption-makemigrations-check',
      },
    ],
  },
  check(ctx) {
    const m = ctx.appServer;
    const dockerfiles = productionPythonDockerfiles(m, ctx.project);
    const tasks = m.processes.tasks.filter((t) => t.source.production && writesMigrations(t.task));
    const built = dockerfiles.flatMap((d) => {
      const chain = new Set(stageChain(d));
      return buildTasks(d)
        .filter((b) => chain.has(b.stage) && writesMigrations(b.task))
        .map((b) => ({ d, b }));
    });
    if (tasks.length === 0 && built.length === 0) return;
    // the processes that start the app server, through the scripts they run (DDG305's places)
    const startsServer = new Set<string>();
    for (const inv of productionServers(ctx)) {
      startsServer.add(processKey(inv.source));
      for (const c of startChain(m, inv.source)) startsServer.add(processKey(c.source));
    }
    const allTasks = m.processes.tasks.map((t) => t.task);
    const reported = new Set<string>();
    for (const { task, source } of tasks) {
      const loc = task.subcommand!.loc;
      const at = `${loc.file}:${loc.start}`;
      if (reported.has(at)) continue;
      const owners = [{ source, steps: [] as ReturnType<typeof startChain>[number]['steps'] }, ...startChain(m, source)];
      if (owners.some((o) => startsServer.has(processKey(o.source)) || isInitContainer(o.source))) continue;
      // a script nothing production's runs: a developer's helper, not a deploy step; unless nothing
      // at all runs it and its name or folder says deploying or migrating (`ops/migrate.sh`): a
      // person runs it, against production as its name says
      const runner = owners.find((o) => o.source.kind !== 'shell' && o.source.production);
      if (!runner) {
        // (one that only makes migrations is the development workflow; with migrate it changes a database)
        const migrates = allTasks.some((x) => isManage(x, 'migrate') && x.subcommand?.loc.file === loc.file);
        if (!migrates || !byHandScript(ctx.project.root, source, owners)) continue;
        const script = fileOf(ctx, source.file);
        reported.add(at);
        ctx.report({
          loc,
          message: `makemigrations runs in ${script}, a script named for deploying or migrating that nothing in the repository runs (run by hand): each run writes migrations that nobody reviewed and the repository lacks${migrateFollows(allTasks, task, ctx.fileText(loc.file)) ? APPLIED : LATER}.${FOLLOWS}`,
          severity: 'information',
        });
        continue;
      }
      // a guard around it (in the script, or around the script in its runner) decided with the
      // deployment's variables unset; one that cannot be decided is named
      const branches = [task.branch, ...runner.steps.map((s) => s.ref.branch)].filter((b) => b && b.length > 0);
      const readings = branches.map((b) => readBranch(b!));
      if (readings.some((r) => r.takenWhenUnset === false)) continue;
      const undecided = readings.filter((r) => r.takenWhenUnset === undefined).map((r) => r.description);
      reported.add(at);
      const via = runner.steps.length > 0 ? ` through ${runner.steps.map((s) => path.basename(s.ref.script.text)).join(' → ')}` : '';
      const unless = undecided.length > 0 ? `, unless ${undecided.join(' or ')}` : '';
      const applied = migrateFollows(allTasks, task, ctx.fileText(loc.file)) ? APPLIED : LATER;
      ctx.report({
        loc,
        message: `makemigrations runs in ${runner.source.label}${via}${unless}: every deploy writes migrations in the container that nobody reviewed and the repository lacks${applied}.${FOLLOWS}`,
        ...(undecided.length > 0 ? { severity: 'information' as const } : {}),
      });
    }
    for (const { d, b } of built) {
      const loc = b.task.subcommand!.loc;
      const at = `${loc.file}:${loc.start}`;
      if (reported.has(at)) continue;
      reported.add(at);
      ctx.report({
        loc,
        message: `makemigrations runs while the image is built (RUN in ${path.basename(d.file)}): every build writes migrations into the image that nobody reviewed and the repository lacks, and the release's migrate applies them to production.${FOLLOWS}`,
      });
    }
  },
};
