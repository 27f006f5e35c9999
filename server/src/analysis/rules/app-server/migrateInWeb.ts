// DDG305: `manage.py migrate` in the start command of a web process that runs as several instances.
import type { AppServerModel, ProcessSource, ServerInvocation } from '../../models/appServer/model';
import { branchTakenWithArgs } from '../../models/process/branch';
import { basename, type TaskInvocation } from '../../readers/process/commands';
import type { BranchTest } from '../../readers/shell';
import type { Rule } from '../types';
import { canScale, isManage, processKey, productionServers, sourcesRunning } from './topology';

/** Whether every run of a script by a process passes arguments its tests turn away (the ScriptRef's words). */
function notRunWith(m: AppServerModel, o: ProcessSource, script: string, branch: readonly BranchTest[]): boolean {
  const runs = m.processes.scripts.filter((r) => r.source === o && basename(r.ref.script.text) === basename(script));
  return runs.length > 0 && runs.every((r) => branchTakenWithArgs(branch, r.ref.args) === false);
}

export const migrateInWeb: Rule = {
  code: 'DDG305',
  name: 'migrate-in-web-start',
  title: 'Migrations run by every instance of the web process',
  severity: 'warning',
  group: 'deployment',
  checklist: 'migrations-step',
  target: 'process',
  docs: {
    what: "Reports `manage.py migrate` (or `django-admin migrate`, `python -m django migrate`) in the start command of a production process that also starts the app server, directly or through the script it runs, when that process can run as several instances: a Procfile process other than `release` (the platform scales it to several dynos) or a docker-compose service with more than one replica (`deploy.replicas`, `scale`), including one that keeps the CMD of the image it builds, a Kubernetes workload or a platform process that runs several instances (replicas, an autoscaler, fly.io's two machines per HTTP process group (one for a group that mounts a volume, unless `min_machines_running` keeps more), render's numInstances, a heroku.yml process type) — its own command, or the CMD of the image its platform file builds (fly.toml's `[build] dockerfile`, render's `dockerfilePath`, heroku.yml's `build.docker`).",
    why: 'Every instance runs the migrations as it starts. Two instances starting together (a scale-up, a rolling deploy, a restart after a crash) race on the same migrations: one fails on a table that already exists or a lock, and a long migration holds back every instance from serving. New code can also start serving before the schema it needs is in place.',
    example: '# Procfile\nweb: python manage.py migrate && gunicorn mysite.wsgi',
    fix: 'Run migrations once per release, before the new version serves: a `release:` process in the Procfile, a pre-deploy command of the platform, or a one-off `docker compose run --rm web python manage.py migrate` in the deploy script.',
    good: '# Procfile\nrelease: python manage.py migrate --noinput\nweb: gunicorn mysite.wsgi',
    references: [
      { title: 'Heroku: release phase', url: 'https://devcenter.heroku.com/articles/release-phase' },
      { title: 'Django: migrate', url: 'https://docs.djangoproject.com/en/stable/ref/django-admin/#migrate' },
    ],
  },
  check(ctx) {
    const m = ctx.appServer;
    const servers = productionServers(ctx);
    if (servers.length === 0) return;
    // what each process starts: its own commands, and those of the scripts it runs
    const serversOf = new Map<string, ServerInvocation[]>();
    const migratesOf = new Map<string, TaskInvocation[]>();
    const owners = (s: ProcessSource): ProcessSource[] => (s.kind === 'shell' ? [s, ...sourcesRunning(m, s.file)] : [s]);
    const sourceOf = new Map<string, ProcessSource>();
    for (const inv of servers)
      for (const o of owners(inv.source)) {
        serversOf.set(processKey(o), [...(serversOf.get(processKey(o)) ?? []), inv]);
        sourceOf.set(processKey(o), o);
      }
    for (const t of m.processes.tasks) {
      if (!t.source.production || !isManage(t.task, 'migrate') || t.task.background) continue;
      for (const o of owners(t.source)) {
        // a migrate the script runs only for some arguments (`if [ "$1" = gunicorn ]`), not those this process gives it
        if (o !== t.source && t.task.branch && notRunWith(m, o, t.source.file, t.task.branch)) continue;
        migratesOf.set(processKey(o), [...(migratesOf.get(processKey(o)) ?? []), t.task]);
        sourceOf.set(processKey(o), o);
      }
    }
    const reported = new Set<string>();
    for (const [key, migrates] of migratesOf) {
      const src = sourceOf.get(key)!;
      if (!serversOf.has(key)) continue;
      const scale = canScale(m, src);
      if (!scale) continue;
      for (const t of migrates) {
        const loc = (t.subcommand ?? t.program).loc;
        const at = `${loc.file}:${loc.start}`;
        if (reported.has(at)) continue;
        reported.add(at);
        ctx.report({
          loc,
          message: `migrate runs in the start command of ${src.label}, and ${scale}: every instance migrates as it starts, so instances race on the same migrations; run migrate once per release (a release: process or a pre-deploy step).`,
        });
      }
    }
  },
};
