// DDG305: `manage.py migrate` (or `createsuperuser`) in the start of a web process that runs as
// several instances, directly or through the scripts it runs; `makemigrations` in the start of any
// production web process.
import * as path from 'node:path';
import type { AppServerModel, ProcessSource } from '../../models/appServer/model';
import {
  branchTakenWithArgs,
  exclusive,
  picksOneInstance,
  readBranch,
  switchOf,
  testNeeded,
  type Guarded,
} from '../../models/process/branch';
import { basename, type TaskInvocation } from '../../readers/process/commands';
import type { Token } from '../../readers/text';
import type { BranchTest } from '../../readers/shell';
import type { Rule } from '../types';
import { fileOf } from '../helpers';
import {
  canScale,
  composeServiceProduction,
  imageRunnerVariables,
  imagesStartingUnknownServer,
  platformsRunningImage,
  presumedScaledRunner,
  processKey,
  productionPythonDockerfiles,
  productionServers,
  servicesRunning,
  singleImageWorkload,
  startChain,
  startedBy,
  type StartStep,
} from './topology';
import { runsOfImage } from '../../models/process/imageRuns';
import type { Workload } from '../../models/process/index';
import { runsSeveral } from '../../readers/workload';

/** The management commands a start must not run at every start of every instance. */
const AT_START = new Set(['migrate', 'makemigrations', 'createsuperuser']);

/** A run that changes nothing (`migrate --check`, `--plan`; `makemigrations --check`, `--dry-run`). */
function onlyChecks(t: TaskInvocation): boolean {
  return t.args.some((a) => /^--(check|plan|dry-run)$/.test(a.text));
}

/** An init container of a manifest's workload: it runs as each pod starts. */
function isInitContainer(s: ProcessSource): boolean {
  return s.kind === 'kubernetes' && s.label.includes('(init container ');
}

/**
 * A test with the script's own arguments (`"$1"`) replaced by those its runner gives it, when the
 * runner gives them as written; as it is otherwise.
 */
function withArgs(t: BranchTest, args: readonly Token[] | undefined): BranchTest {
  if (!args) return t;
  if (t.case) {
    const m = /^\$\{?([1-9])\}?$/.exec(t.case.subject.text);
    const a = m && t.case.subject.dynamic ? args[Number(m[1]) - 1] : undefined;
    if (!m || !t.case.subject.dynamic || a?.dynamic) return t;
    return { ...t, case: { ...t.case, subject: { ...t.case.subject, text: a ? a.text : '', dynamic: false, env: [] } } };
  }
  let known = true;
  const words = t.words.map((w) => {
    const m = /^\$\{?([1-9])\}?$/.exec(w.text);
    if (!m || !w.dynamic) return w;
    const a = args[Number(m[1]) - 1];
    if (a?.dynamic) known = false;
    return { ...w, text: a ? a.text : '', dynamic: false, env: [] };
  });
  return known ? { ...t, words } : t;
}

/** What the guards on the way to a command leave: the reasons it may not run ("unless …"), and the switches it needs on. */
interface Guards {
  readonly unless: string[];
  /**
   * The variables of on/off switches (`if [ "$RUN_MIGRATIONS" ]`) the command needs set, which no source
   * on the way sets: every instance shares its process's environment, so a switch picks no instance.
   */
  readonly switches: string[];
}

/**
 * Whether the guards on the way to a command (its own `if` tests and those around each script that
 * leads to it) keep it from running at a start: 'off' when a test fails for the arguments the
 * script is given, lets it run on one instance only (`[ "$CF_INSTANCE_INDEX" = 0 ]`), or tests a
 * variable that is unset while no source on the way sets it (but an on/off switch, when `switches`
 * are wanted: said in `switches`); else the reasons it may not run ("unless …"), none when it runs
 * at every start.
 */
function guards(
  task: TaskInvocation,
  steps: readonly StartStep[],
  setSomewhere: (name: string) => boolean,
  wantSwitches = false,
  setAnywhere: (name: string) => boolean = setSomewhere,
): 'off' | Guards {
  // each guarded command with the arguments its script was started with (the step before runs it)
  const parts = [
    { conditional: task.conditional, branch: task.branch, args: steps[steps.length - 1]?.ref.args },
    ...steps.map((s, i) => ({ conditional: !!s.ref.conditional, branch: s.ref.branch, args: steps[i - 1]?.ref.args })),
  ];
  const unless: string[] = [];
  const switches: string[] = [];
  for (const p of parts) {
    if (p.branch && p.branch.length > 0) {
      const tests = p.branch.map((t) => withArgs(t, p.args));
      if (tests.some(picksOneInstance)) return 'off';
      const r = readBranch(tests);
      if (r.takenWhenUnset === false && !r.variables.some(setSomewhere)) {
        // (only switches, each needed on: the command runs wherever the deployment turns them on)
        const on = tests.map((t) => (readBranch([t]).takenWhenUnset === true ? null : switchOf(t)));
        if (!wantSwitches || on.some((v) => v === undefined || (v !== null && setAnywhere(v)))) return 'off';
        for (const v of on) if (v) switches.push(v);
        continue;
      }
      if (r.takenWhenUnset === true) continue;
      for (const t of tests) unless.push(testNeeded({ ...t, when: !t.when }));
    } else if (p.conditional) unless.push('the `||`, case or function around it keeps it from running');
  }
  return { unless: [...new Set(unless)], switches: [...new Set(switches)] };
}

/** ` through entrypoint.sh → startup_checks.sh`: the scripts from the process down to the command, by name. */
function via(steps: readonly StartStep[]): string {
  return steps.length === 0 ? '' : ` through ${steps.map((s) => basename(s.ref.script.text)).join(' → ')}`;
}

/** Whether every run of a script by its runners passes arguments its tests turn away. */
function notRunWithArgs(m: AppServerModel, s: ProcessSource, branch: readonly BranchTest[]): boolean {
  const runs = startedBy(m, s);
  return runs.length > 0 && runs.every((r) => branchTakenWithArgs(branch, r.ref.args) === false);
}

function clip(s: string, n: number): string {
  return s.length <= n ? s : `${s.slice(0, n - 1)}…`;
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
    what: 'Reports `manage.py migrate` (or `django-admin migrate`, `python -m django migrate`) in the start of a production process that also starts the app server — in its own command, in the script it runs, or in a script that script runs or sources (an image\'s entrypoint.sh running startup_checks.sh), in a supervisord program of the supervisord it starts, or in an init container of its pod — when that process can run as several instances: a Procfile process other than `release` (the platform scales it to several dynos), a docker-compose or Swarm service with more than one replica (`deploy.replicas`, `scale`), including one that keeps the CMD of the image it builds or names (an `image:` a compose service builds, or one named after the project when it has one production image), a Kubernetes workload or a platform process that runs several instances (replicas, an autoscaler, fly.io\'s two machines per HTTP process group (one for a group that mounts a volume, unless `min_machines_running` keeps more), render\'s numInstances, a heroku.yml process type) — its own command, or the CMD of the image it runs or its platform file builds (fly.toml\'s `[build] dockerfile`, render\'s `dockerfilePath`, heroku.yml\'s `build.docker`). `createsuperuser` is reported alike; `makemigrations` at any production start, whatever the number of instances (in a release step, a Job or a RUN of the image, DDG330 reports it). `migrate` at every start of a compose service or a Kubernetes workload that runs as one instance (its command, the scripts it runs, its init container, or the command of the image a compose service runs without a command of its own — one it builds, or one it runs under the name the repository\'s CI publishes it by — or of the image a Kubernetes workload runs as one pod, named or, where the project has one production image, presumed when a chart\'s values name it) is reported at information: it works, but every restart migrates again and it is no release step. An image\'s start run by a Kubernetes workload with several replicas whose image the repository does not name (`"<to be set by deploy_to_kubernetes>"`, a chart\'s values), where the project has one production image, is reported with that presumption said (one step lower). So is `migrate` at every start of a production image that nothing in the repository runs (no compose service, workload or platform file: a cluster configured elsewhere runs it; a development service, or one whose arguments pick another `case` arm of the script, `command: worker` beside the `web)` arm that migrates, does not count), an image whose ENTRYPOINT script runs its arguments (`exec "$@"`) and which sets no CMD among them (the app server is what the deployment that runs it passes, but the entrypoint migrates at every container start all the same), a switch around it being one the runner may set. A guard around the command (an `if` or a `case` arm on the script\'s arguments or on a switch the deployment leaves unset, through the functions that run it) that keeps it from running is followed, and so is a command in a branch or `case` arm apart from the one that starts the app (`case "$1" in migration) migration ;; start) start ;; esac`: no run starting the server migrates); one the analysis cannot decide (a test on the database, a function, `||`) is named in the message ("unless …"), at information level. An on/off switch around it (`if [ "$RUN_MIGRATIONS" ]`, `-n`, `= true`) that no file of the repository turns on, where nothing else in the repository migrates, is reported one step lower with what it rests on (when the variable is set, as the deployment must for migrations to run at all): every instance of the process shares its environment, so the switch turns migrations on for all of them. A command in a branch the environments production starts the script in turn away (`case "$ENV_NAME" in localdev)` where the production compose file sets ENV_NAME=production; `if [ "$LOCAL_DEV_ENV" = true ]` set only by the development compose file) is development\'s and not reported; one whose variable production sets to a value not known (`${DEPLOY_ENV}`) stays. A test that lets one instance alone run it — the instance\'s index or name compared with a value (`[ "$CF_INSTANCE_INDEX" = 0 ]`, `INSTANCE_INDEX`, `case "$DYNO" in web.1)`; catalogue INSTANCE_IDENTITY) — is not reported. The CMD of an image a Railway service runs (its `build.dockerfilePath`, or the Dockerfile at its root, which Railway builds) on one replica (`numReplicas: 1`, or unset) is reported at information: no race while it stays one, but no release step either; with more replicas, as any platform process that runs several. A Cloud Run service of a Terraform file or a Cloud Build `gcloud run deploy` step runs the image of the Dockerfile beside the cloudbuild.yaml, or of the project\'s only production Dockerfile, and Cloud Run starts instances as requests come.',
    why: 'Every instance runs the migrations as it starts. Two instances starting together (a scale-up, a rolling deploy, a restart after a crash) race on the same migrations: one fails on a table that already exists or a lock, and a long migration holds back every instance from serving. New code can also start serving before the schema it needs is in place. `createsuperuser` at every start fails on every start but the first (the user exists), which stops a start script run with `set -e` or `&&`. `makemigrations` at start writes migrations inside the container that the repository never sees: the database records migrations no other deploy has, and the next real migration of the app conflicts with them.',
    example: '# Procfile\nweb: python manage.py migrate && gunicorn mysite.wsgi',
    fix: 'Run migrations once per release, before the new version serves: a `release:` process in the Procfile, a pre-deploy command of the platform (fly.io `release_command`, render `preDeployCommand`), a Kubernetes Job (a Helm pre-upgrade hook), or a one-off `docker compose run --rm web python manage.py migrate` in the deploy script. Create the superuser once, the same way; make migrations in development and commit them.',
    good: '# Procfile\nrelease: python manage.py migrate --noinput\nweb: gunicorn mysite.wsgi',
    references: [
      { title: 'Heroku: release phase', url: 'https://devcenter.heroku.com/articles/release-phase' },
      { title: 'Django: migrate', url: 'https://docs.djangoproject.com/en/stable/ref/django-admin/#migrate' },
    ],
  },
  check(ctx) {
    const m = ctx.appServer;
    // an image whose entrypoint runs its arguments and which has no CMD: the app server it starts is
    // the deployment's (given where the image is run), but every container start runs the entrypoint
    const unknownServerImages = imagesStartingUnknownServer(m);
    const servers =
      unknownServerImages.length > 0 ? m.commands.filter((c) => c.source.production && c.server !== 'runserver') : productionServers(ctx);
    if (servers.length === 0 && unknownServerImages.length === 0) return;
    const chains = new Map<string, ReturnType<typeof startChain>>();
    const chainOf = (s: ProcessSource): ReturnType<typeof startChain> => {
      const key = processKey(s);
      let c = chains.get(key);
      if (!c) chains.set(key, (c = startChain(m, s)));
      return c;
    };
    // the processes that start the app, through however many scripts, each with its commands on
    // the way to it (the server's own command, or the one running the next script or supervisord)
    const startsServer = new Set<string>();
    const leads = new Map<string, Guarded[]>();
    const lead = (s: ProcessSource, g: Guarded): void => {
      const key = processKey(s);
      startsServer.add(key);
      let l = leads.get(key);
      if (!l) leads.set(key, (l = []));
      l.push(g);
    };
    for (const inv of servers) {
      lead(inv.source, inv);
      for (const c of chainOf(inv.source)) lead(c.source, c.steps[0]!.ref);
    }
    for (const s of unknownServerImages) startsServer.add(processKey(s));
    const reported = new Set<string>();
    const reportedStarts = new Set<string>();
    // the variables a production process of the repository sets (a Job, a release process, a service)
    const setAnywhere = (name: string): boolean =>
      m.processes.workloads.some((w) => w.source.production && (w.source.env.has(name) || w.process.env.has(name))) ||
      m.processes.invocations.some((i) => i.source.production && i.source.env.has(name)) ||
      m.processes.tasks.some((t) => t.source.production && t.source.env.has(name));
    for (const { task, source } of m.processes.tasks) {
      const sub = task.subcommand?.text;
      if (!source.production || task.kind !== 'manage' || !sub || !AT_START.has(sub) || task.background || onlyChecks(task)) continue;
      // a command the script runs only for some arguments (`if [ "$1" = gunicorn ]`), not those its runners give it
      if (task.branch && notRunWithArgs(m, source, task.branch)) continue;
      const owners = [{ source, steps: [] as StartStep[] }, ...chainOf(source)];
      // where the command runs for owner `o`, with the guards on the way: undefined when a guard
      // keeps it from running or the place is reported already
      // another migrate the production deployment runs (a release process, a Job, a pre-deploy step):
      // a switch around this one may then be left off where it is deployed
      const migratesElsewhere =
        sub === 'migrate' &&
        m.processes.tasks.some(
          (x) =>
            x.task !== task &&
            x.source.production &&
            x.task.kind === 'manage' &&
            x.task.subcommand?.text === 'migrate' &&
            !onlyChecks(x.task) &&
            `${x.task.subcommand.loc.file}:${x.task.subcommand.loc.start}` !== `${task.subcommand!.loc.file}:${task.subcommand!.loc.start}`,
        );
      const placeFor = (o: (typeof owners)[number], runnerUnseen = false, wantSwitches = false) => {
        // a command of the script that starts the app in a branch or case arm of its own, which a
        // run starting the app does not take (`case "$1" in migration) … ;; start) … ;; esac`)
        const l = o.steps.length === 0 ? leads.get(processKey(o.source)) : undefined;
        if (l && l.length > 0 && l.every((g) => exclusive(task, g))) return undefined;
        // the variables set on the way: by the process, the scripts between, what runs its image
        // (when nothing in the repository runs the image, whatever does may set any of them)
        const onTheWay = [source, o.source, ...o.steps.map((x) => x.source)];
        const imageVars = o.source.kind === 'dockerfile' ? imageRunnerVariables(m, o.source.file, ctx.project) : undefined;
        const g = guards(
          task,
          o.steps,
          (n) => runnerUnseen || onTheWay.some((x) => x.env.has(n)) || !!imageVars?.has(n),
          wantSwitches && sub === 'migrate' && !migratesElsewhere,
          // (a switch some production process of the repository turns on — a Job's RUN_MIGRATIONS=1 —
          // is that process's: where it is left off, the command does not run)
          setAnywhere,
        );
        if (g === 'off') return undefined;
        const loc = (task.subcommand ?? task.program).loc;
        const at = `${loc.file}:${loc.start}`;
        if (reported.has(at)) return undefined;
        reported.add(at);
        reportedStarts.add(processKey(o.source));
        const unless = g.unless.length > 0 ? `, unless ${clip(g.unless.join(' or '), 90)}` : '';
        const where = `${isInitContainer(o.source) ? 'the init container' : 'the start command'} of ${o.source.label}${via(o.steps)}`;
        return { loc, unless, where, guarded: g.unless.length > 0, switches: g.switches };
      };
      let done = false;
      for (const o of owners) {
        if (!startsServer.has(processKey(o.source)) && !isInitContainer(o.source)) continue;
        // (an image a workload runs under a name the repository does not write: presumed, and said)
        const direct = canScale(m, o.source, ctx.project);
        const presumed =
          o.source.kind === 'dockerfile' && !direct && sub !== 'makemigrations'
            ? presumedScaledRunner(m, ctx.project, o.source.file)
            : undefined;
        const scale = presumed
          ? `${presumed.workload.source.label} presumably runs this image (its image is not named in the repository) — ${presumed.why}`
          : direct;
        if (!scale && sub !== 'makemigrations') continue;
        const p = placeFor(o, false, true);
        done = true;
        if (!p) break;
        const { where, unless } = p;
        const message =
          sub === 'makemigrations'
            ? `makemigrations runs in ${where}${unless}: every start writes migrations the repository does not have, and the database's history then differs from the code's; make migrations in development, commit them, and only migrate in production.`
            : sub === 'createsuperuser'
              ? `createsuperuser runs in ${where}, and ${scale}${unless}: every instance creates the same user at every start, and all but the first fail because it exists; create it once (a Job or a one-off command).`
              : `migrate runs in ${where}, and ${scale}${unless}: every ${isInitContainer(o.source) ? 'pod' : 'instance'} migrates as it starts, so ${isInitContainer(o.source) ? 'pods' : 'instances'} race on the same migrations; run migrate once per release (a release: process or a pre-deploy step).`;
        // a guard the analysis cannot decide: said, at a lower severity; a presumed runner lowers it too
        ctx.report({
          loc: p.loc,
          message,
          ...(p.guarded ? { severity: 'information' as const } : {}),
          ...(presumed || p.switches.length > 0
            ? { basis: [...(presumed ? [presumedImageBasis(ctx, presumed.workload)] : []), ...p.switches.map(switchBasis)] }
            : {}),
        });
        break;
      }
      if (done || sub !== 'migrate') continue;
      // the start of a production image that nothing in the repository runs (a cluster or platform
      // configured elsewhere runs it): every container migrates as it starts, however many there are
      const image = owners.find(
        (o) =>
          o.source.kind === 'dockerfile' &&
          o.source.production &&
          startsServer.has(processKey(o.source)) &&
          // (a runner counts where it is production's and runs the arm the command is in: a
          // development compose service giving the script `web-dev` runs none of the `web)` arm)
          !owners.some(
            (x) =>
              (x.source.kind === 'compose' || x.source.kind === 'kubernetes' || x.source.kind === 'platform') &&
              x.source.production &&
              !(task.branch && x.steps.length > 0 && branchTakenWithArgs(task.branch, x.steps[x.steps.length - 1]!.ref.args) === false),
          ) &&
          !runsOfImage(m.processes, ctx.project, o.source.file, productionPythonDockerfiles(m, ctx.project).length === 1).some(
            (r) => r.production,
          ) &&
          platformsRunningImage(m, o.source.file).length === 0 &&
          // (a workload or platform process of the repository may run it under a name not recognised,
          // or build it and give it its own command: fly.toml's [processes]; not a buildpack platform's
          // process, which builds no image: a Procfile beside it runs the source, not this image)
          !m.processes.workloads.some(
            (w) =>
              w.source.production &&
              (w.source.kind === 'kubernetes' || (w.source.kind === 'platform' && (w.process.dockerfile || w.process.image))),
          ) &&
          servicesRunning(m, o.source.file).every((b) => !composeServiceProduction(m, ctx.project, b.composeFile, b.service)),
      );
      if (image) {
        const p = placeFor(image, true);
        if (p) {
          ctx.report({
            loc: p.loc,
            severity: 'information',
            message: `migrate runs in ${p.where} at every container start${p.unless}, and the repository does not show what runs the image in production: with several containers they race on the same migrations, and every restart migrates again; run migrate once per release (a Job or a pre-deploy step).`,
          });
          continue;
        }
      }
      // a Railway service that runs the image's own command as one replica (`numReplicas: 1`, its
      // default): no race while it stays one, but no release step either (a fly.io group with a volume
      // on one machine keeps its own database there: not this)
      const imagePlatform = owners.flatMap((o) =>
        o.source.kind === 'dockerfile' && startsServer.has(processKey(o.source))
          ? platformsRunningImage(m, o.source.file)
              .filter(
                (w) =>
                  w.source.production &&
                  RAILWAY_FORMATS.has(w.source.format ?? '') &&
                  !w.process.once &&
                  !w.process.scheduled &&
                  !runsSeveral(w.process.instances),
              )
              .map((w) => ({ o, w }))
          : [],
      )[0];
      if (imagePlatform && !owners.some((o) => o.source.kind === 'compose' || o.source.kind === 'kubernetes')) {
        const { o, w } = imagePlatform;
        const p = placeFor(o);
        const one = w.process.instances ? w.process.instances.why : 'one replica unless numReplicas says more';
        if (p)
          ctx.report({
            loc: p.loc,
            severity: 'information',
            message: `migrate runs in ${p.where}, which ${w.source.label} runs (${one}), at every start${p.unless}: one replica, so no race today, but every restart migrates again and a second replica would race on it; a pre-deploy step (deploy.preDeployCommand) is safer.`,
          });
        continue;
      }
      // one instance of a compose service or a Kubernetes workload (its container or init container)
      // that migrates at every start: it works, but it is no release step (information); also a
      // production compose service that runs the image's own command (its CMD runs the script)
      const imageService = owners.flatMap((o) =>
        o.source.kind === 'dockerfile' && startsServer.has(processKey(o.source))
          ? servicesRunning(m, o.source.file)
              .filter(
                (b) => !b.service.command && !b.service.entrypoint && composeServiceProduction(m, ctx.project, b.composeFile, b.service),
              )
              .map((b) => ({ o, b }))
          : [],
      )[0];
      // …or a Kubernetes workload that runs the image's own command as one pod (named, or presumed:
      // a chart's `{{ .Values.image.repository }}`)
      const imagePod = imageService
        ? undefined
        : owners.flatMap((o) => {
            if (o.source.kind !== 'dockerfile' || !startsServer.has(processKey(o.source))) return [];
            const w = singleImageWorkload(m, ctx.project, o.source.file);
            return w ? [{ o, w }] : [];
          })[0];
      if (imagePod && !owners.some((o) => o.source.kind === 'compose' || o.source.kind === 'kubernetes')) {
        const { o, w } = imagePod;
        const p = placeFor(o);
        if (p)
          ctx.report({
            loc: p.loc,
            severity: 'information',
            message: `migrate runs in ${p.where}, which ${w.workload.source.label} runs${w.how ? ` (${w.how})` : ''}, at every start${p.unless}: with one pod that works, but every restart migrates again, a rollout migrates while the previous pod still serves, and a second replica would race on it; run migrate once per release (a Job, or a Helm pre-upgrade hook).`,
            ...(w.presumed ? { basis: [presumedImageBasis(ctx, w.workload)] } : {}),
          });
        continue;
      }
      if (imageService && !owners.some((o) => o.source.kind === 'compose' || o.source.kind === 'kubernetes')) {
        const p = placeFor(imageService.o);
        if (p)
          ctx.report({
            loc: p.loc,
            severity: 'information',
            message: `migrate runs in ${p.where}, which ${path.basename(imageService.b.composeFile)} (service ${imageService.b.service.name}) runs, at every start${p.unless}: one instance works, but every restart migrates again and a second one would race on it; migrate once per release (a one-off \`docker compose run\` before the new version starts).`,
          });
        continue;
      }
      for (const o of owners) {
        if (o.source.kind !== 'compose' && o.source.kind !== 'kubernetes') continue;
        if (!o.source.production || (!startsServer.has(processKey(o.source)) && !isInitContainer(o.source))) continue;
        // (a start already reported, for its makemigrations: one finding says it)
        if (reportedStarts.has(processKey(o.source))) break;
        const p = placeFor(o);
        if (p)
          ctx.report({
            loc: p.loc,
            severity: 'information',
            message: `migrate runs in ${p.where} at every start${p.unless}: with one instance that works, but every restart migrates again, a deploy migrates while the previous version may still serve, and a second instance would race on the same migrations; run migrate once per release (a Job or a one-off \`docker compose run\` before the new version starts).`,
          });
        break;
      }
    }
  },
};

/** Railway's service files (readers/platforms/railway.ts). */
const RAILWAY_FORMATS: ReadonlySet<string> = new Set(['railway.json', 'railway.toml']);

/** What a finding on an image's start rests on when the workload running it names no image: presumed the project's. */
function presumedImageBasis(ctx: Parameters<typeof fileOf>[0], w: Workload) {
  return {
    kind: 'file' as const,
    subject: fileOf(ctx, w.source.file),
    state: 'presumed' as const,
    how: `its image is not named in the repository (${w.process.image}), presumed the project's`,
    clause: `if ${w.source.label} runs this image`,
  };
}

/**
 * What a finding on a migrate behind an on/off switch rests on (`if [ "$RUN_MIGRATIONS" ]`): that the
 * deployment turns it on, which the repository does not show — but nothing else in it migrates, so a
 * deployment that migrates at all sets it, and then on every instance alike.
 */
function switchBasis(variable: string) {
  return {
    kind: 'value' as const,
    subject: variable,
    state: 'presumed' as const,
    how: `no deployment file sets ${variable}, and nothing else in the repository runs migrate`,
    clause: `when ${variable} is set, as the deployment must for migrations to run at all`,
  };
}
