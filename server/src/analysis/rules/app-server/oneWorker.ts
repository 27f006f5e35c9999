// DDG115: a production gunicorn known to run its default of one worker (no `workers` anywhere, no
// WEB_CONCURRENCY where it runs, no platform that sets it) with the sync worker and one thread: it
// serves one request at a time.
import { WORKER_CONCURRENCY } from '../../catalogue/gunicornSettings';
import { HEROKU_BUILDPACK_ENVIRONMENT } from '../../catalogue/hops';
import { WEB_CONCURRENCY_SETTERS } from '../../catalogue/platformVariables';
import type { Loc } from '../../eval/values';
import type { GunicornRun, ProcessSource, ServerInvocation } from '../../models/appServer/model';
import type { ProcessModel } from '../../models/process/index';
import { requestPathsOf } from '../../models/requestPath/path';
import { isEnvironmentDefault } from '../../models/settings/query';
import { unreadMayHold } from '../../readers/kubernetes/manifests';
import { unseenRunnerLink } from '../basis';
import { fileOf } from '../helpers';
import type { Rule, RuleContextBase } from '../types';
import { intOf, noGunicorn } from './shared';

const VARIABLE = 'WEB_CONCURRENCY';
const CMD_ARGS = 'GUNICORN_CMD_ARGS';
/** `-w 4`, `-w4`, `--workers=4` in GUNICORN_CMD_ARGS. */
const WORKERS_OPTION = /(?:^|\s)(?:-w|--workers)(?:[=\s\d]|$)/;

/** The outcome for one run: reported, or not (why, and whether that is known or only possible). */
type Verdict =
  | { readonly report: true; readonly what: string }
  | { readonly state: 'passed' | 'not-applicable' | 'unknown'; readonly why: string; readonly loc?: Loc };

/**
 * The sources whose environment is the command line's: its own, and that of every production
 * deployment that runs it (a compose service running the image's command, the script's container,
 * a workload running the image without a command of its own).
 */
function environments(m: ProcessModel, inv: ServerInvocation): ProcessSource[] {
  const out: ProcessSource[] = [inv.source];
  const starters = (m.starters.get(inv.source) ?? []).filter((s) => s.production);
  for (const st of starters) for (const s of [st.envSource, st.source, st.workload?.source]) if (s && !out.includes(s)) out.push(s);
  // an image's command nothing ties to a deployment runs wherever a workload runs the image without a command of its own
  if (inv.source.kind === 'dockerfile' && starters.length === 0)
    for (const w of m.workloads)
      if (w.source.production && !w.process.words && !w.process.shell && !w.process.once && !w.process.scheduled && !out.includes(w.source))
        out.push(w.source);
  return out;
}

/** The kinds of sources that are no deployment's process of their own: what runs them gives them their environment. */
const RUN_BY_OTHERS = new Set(['dockerfile', 'shell', 'appconfig']);

/**
 * Whether nothing in the repository runs the command line (an image's command or its start script
 * that no production compose service, workload, Procfile or unit runs: a deployment kept elsewhere
 * does, with an environment the repository does not show), and the Dockerfile of the image it runs in, if any.
 */
function unseenRunner(m: ProcessModel, inv: ServerInvocation): { image?: string } | undefined {
  if (!RUN_BY_OTHERS.has(inv.source.kind) || environments(m, inv).length > 1) return undefined;
  // (a start script an image's CMD or ENTRYPOINT runs, directly or through other scripts)
  const seen = new Set([inv.source.file]);
  let level = [inv.source.file];
  for (let depth = 0; depth < 6 && level.length > 0; depth++) {
    const image = level.find((f) => m.dockerfiles.some((d) => d.file === f));
    if (image) return { image };
    const next: string[] = [];
    for (const s of m.scripts)
      if (s.file && level.includes(s.file) && !seen.has(s.source.file)) {
        seen.add(s.source.file);
        next.push(s.source.file);
      }
    level = next;
  }
  return {};
}

/** What the run's environment says of WEB_CONCURRENCY and GUNICORN_CMD_ARGS: set (passed), maybe set (unknown), or nothing. */
function environmentVerdict(ctx: RuleContextBase, inv: ServerInvocation): Verdict | undefined {
  const sources = environments(ctx.appServer.processes, inv);
  for (const s of [inv.env, ...sources.map((x) => x.env)]) {
    const v = s.get(VARIABLE);
    if (v?.maybe || v?.atCreation)
      return { state: 'unknown', why: `${VARIABLE} may be set for ${inv.source.label}: ${v.maybe ?? v.atCreation}`, loc: v.token.loc };
    if (v)
      return { state: 'passed', why: `${VARIABLE} is set for ${inv.source.label}${v.from ? ` (by ${v.from})` : ''}`, loc: v.token.loc };
    const args = s.get(CMD_ARGS);
    if (args && (args.from || args.token.dynamic))
      return {
        state: 'unknown',
        why: `${CMD_ARGS} of ${inv.source.label} is set where it runs (${args.from ?? args.token.text}): it may set --workers`,
        loc: args.token.loc,
      };
    // (the run reads GUNICORN_CMD_ARGS from its own environment; a deployment that runs it may give another)
    if (args && WORKERS_OPTION.test(args.value))
      return { state: 'passed', why: `${CMD_ARGS} sets the worker count for ${inv.source.label}`, loc: args.token.loc };
  }
  for (const s of sources) {
    const unread = s.unreadEnv?.find((u) => unreadMayHold(u, VARIABLE));
    if (unread) return { state: 'unknown', why: `${s.label} loads ${unread}, which may set ${VARIABLE}` };
  }
  return undefined;
}

/** Whether the run's worker class and threads serve one request at a time, many, or cannot be told. */
function concurrencyVerdict(run: GunicornRun): Verdict | { readonly one: string } {
  const wc = run.settings.get('worker_class');
  const th = run.settings.get('threads');
  for (const o of [wc, th])
    if (o && (o.value.kind === 'unknown' || isEnvironmentDefault(o.value)))
      return { state: 'unknown', why: `the ${o.name} of ${run.label} is not known statically`, loc: o.loc };
  let cls = 'sync';
  if (wc) {
    if (wc.value.kind !== 'str') return { state: 'unknown', why: `the worker_class of ${run.label} cannot be read`, loc: wc.loc };
    cls = wc.value.v.trim().replace(/^egg:gunicorn#/, '');
  }
  const threads = th ? intOf(th.value) : 1;
  if (threads === undefined) return { state: 'unknown', why: `the threads of ${run.label} cannot be read`, loc: th?.loc };
  const lower = cls.toLowerCase();
  const named = (list: readonly string[]): boolean => list.some((n) => n.toLowerCase() === lower);
  if (named(WORKER_CONCURRENCY.many) || WORKER_CONCURRENCY.evented.test(cls))
    return { state: 'not-applicable', why: `${run.label} runs the ${cls} worker class, which serves many requests at once in one process` };
  if (!named(WORKER_CONCURRENCY.one) && !named(WORKER_CONCURRENCY.perThread))
    return { state: 'unknown', why: `how many requests the worker class ${cls} of ${run.label} serves at once is not known` };
  // a sync worker given threads > 1 runs as gthread
  if (threads > 1) return { state: 'not-applicable', why: `${run.label} runs ${threads} threads per worker` };
  return { one: named(WORKER_CONCURRENCY.one) ? 'the sync worker' : 'the gthread worker with one thread' };
}

/** Whether a platform that runs the command line sets WEB_CONCURRENCY (catalogue WEB_CONCURRENCY_SETTERS). */
function platformVerdict(ctx: RuleContextBase, inv: ServerInvocation): Verdict | undefined {
  let maybe: Verdict | undefined;
  for (const d of requestPathsOf(ctx.project, ctx.appServer, inv).deployments)
    for (const h of d.hops) {
      // (the hop of a platform that builds the app with Heroku's Python buildpack carries its environment)
      const setter = WEB_CONCURRENCY_SETTERS.find(
        (s) => s.platform === h.kind && (!s.buildpack || h.environment === HEROKU_BUILDPACK_ENVIRONMENT),
      );
      if (!setter) continue;
      const where = `${h.label}: ${setter.how}`;
      if (setter.sets === 'yes' && !h.presumed) return { state: 'not-applicable', why: where };
      maybe ??= { state: 'unknown', why: where };
    }
  return maybe;
}

function verdict(ctx: RuleContextBase, run: GunicornRun & { invocation: ServerInvocation }): Verdict {
  if (run.opaque) return { state: 'unknown', why: `${run.label}: ${run.opaque}`, loc: run.anchor };
  if (run.configRef?.status === 'missing')
    return {
      state: 'unknown',
      why: `the config file ${run.configRef.text} of ${run.label} is not in the repository`,
      loc: run.configRef.loc,
    };
  if (run.config?.open)
    return {
      state: 'unknown',
      why: `${fileOf(ctx, run.config.file)} may set names the analysis cannot see: ${run.config.open}`,
      loc: run.config.anchor,
    };
  const workers = run.settings.get('workers');
  if (workers) return { state: 'passed', why: `${run.label} sets its worker count`, loc: workers.loc };
  const env = environmentVerdict(ctx, run.invocation);
  if (env) return env;
  const c = concurrencyVerdict(run);
  if (!('one' in c)) return c;
  // a config file of the project that sets workers but that no command line is seen to load may be this one's
  if (!run.config) {
    const other = ctx.appServer.runs.find((r) => !r.invocation && r.production && r.config && r.settings.has('workers'));
    if (other?.config)
      return {
        state: 'unknown',
        why: `${fileOf(ctx, other.config.file)} sets workers, and whether ${run.label} loads it cannot be told`,
        loc: other.config.anchor,
      };
  }
  const platform = platformVerdict(ctx, run.invocation);
  if (platform) return platform;
  return { report: true, what: c.one };
}

export const oneWorker: Rule = {
  code: 'DDG115',
  name: 'one-worker',
  title: 'Gunicorn runs one worker: one request at a time',
  severity: 'warning',
  group: 'app-server',
  checklist: 'gunicorn-tuning',
  target: 'gunicorn',
  docs: {
    what: "Reports a production gunicorn command line that runs gunicorn's default of one worker with the sync worker class and one thread: no `--workers`/`-w` on the command line or in GUNICORN_CMD_ARGS, no `workers` in the config file it loads, no WEB_CONCURRENCY in its environment (its own, its container's or its service's), and no platform that sets WEB_CONCURRENCY itself (Heroku's Python buildpack does, from the dyno's size; see the catalogue's WEB_CONCURRENCY_SETTERS). A worker class that serves many requests in one process (gevent, eventlet, tornado, asgi, uvicorn's workers) or threads above 1 (gthread, or sync given `--threads`, which gunicorn runs as gthread) is not reported. Where the count cannot be told — a config file the repository lacks or the analysis cannot read, GUNICORN_CMD_ARGS or options set at run time, an env file the repository lacks that may set WEB_CONCURRENCY, a platform whose buildpack may set it (Dokku, DigitalOcean App Platform, a Procfile on a platform no file names) — nothing is reported and the checklist says why. A start script sees the environment of what runs it: a compose service's `environment:` and every env file it loads that the repository holds (a project template's compose file, cookiecutter's, is read as it renders, its `{% … %}` statements blanked). The finding is a warning where the runner and its whole environment are in the repository (a compose service whose env files are committed, render.yaml, a systemd unit, App Engine's app.yaml, railway.json); where nothing in the repository runs the command line (an image's CMD or ENTRYPOINT, or the entry script it runs, with no compose file, manifest, unit or platform file running it), the deployment kept elsewhere gives it its environment and may set WEB_CONCURRENCY or GUNICORN_CMD_ARGS there: it is information, \"unless the deployment that runs the image sets WEB_CONCURRENCY\".",
    why: 'With one sync worker gunicorn serves exactly one request at a time: while it runs a slow query, calls a slow API or reads a slow client’s upload, every other request waits in the listen queue — the platform’s or the orchestrator’s health check included, which then times out and gets the container restarted under load. Gunicorn’s default of one worker is meant to be overridden (its documentation suggests 2–4 workers per core); WEB_CONCURRENCY is only set for you on some platforms.',
    example: '# Dockerfile\nCMD ["gunicorn", "mysite.wsgi", "--bind", "0.0.0.0:8000"]',
    fix: 'Size the worker count for the CPUs the container or host gets — 2–4 per core, (2 × cores) + 1 as a start — and read it from the environment so each deployment can set its own: set WEB_CONCURRENCY where the app runs (gunicorn reads it when `workers` is not set), or `workers = int(os.environ.get("WEB_CONCURRENCY", 3))` in the config file, or `--workers "${WEB_CONCURRENCY:-3}"` where a shell runs the command line (a Procfile, a start script, a shell-form CMD; not an exec-form CMD, which no shell expands). No quick fix is offered: where the command line is not run by a shell the variable would not be expanded, and more workers take more memory.',
    good: '# gunicorn.conf.py\nimport os\n\nworkers = int(os.environ.get("WEB_CONCURRENCY", 3))',
    references: [
      { title: 'Gunicorn: workers setting (WEB_CONCURRENCY, default 1)', url: 'https://docs.gunicorn.org/en/stable/settings.html#workers' },
      {
        title: 'Gunicorn: sync workers handle a single request at a time',
        url: 'https://docs.gunicorn.org/en/stable/design.html#sync-workers',
      },
      { title: 'Gunicorn: how many workers?', url: 'https://docs.gunicorn.org/en/stable/design.html#how-many-workers' },
      { title: 'Heroku: WEB_CONCURRENCY set by the Python buildpack', url: 'https://devcenter.heroku.com/articles/python-concurrency' },
    ],
  },
  check(ctx) {
    if (noGunicorn(ctx)) return;
    const byAnchor = new Map<string, { run: GunicornRun; verdicts: Verdict[]; unseen: ({ image?: string } | undefined)[] }>();
    const quiet: { state: 'passed' | 'not-applicable' | 'unknown'; why: string; loc?: Loc }[] = [];
    const commandLines = ctx.appServer.runs.some((r) => r.production && r.invocation);
    for (const r of ctx.appServer.runs) {
      if (!r.production) continue;
      if (!r.invocation) {
        if (commandLines) continue;
        // a config file no command line is seen to load: what starts it, and with which environment, is not shown
        quiet.push(
          r.settings.has('workers')
            ? { state: 'passed', why: `${r.label} sets workers` }
            : {
                state: 'unknown',
                why: `no production command line is seen to load ${r.label}: what starts gunicorn with it is not shown`,
                loc: r.anchor,
              },
        );
        continue;
      }
      const v = verdict(ctx, r as GunicornRun & { invocation: ServerInvocation });
      if (!('report' in v)) quiet.push(v);
      // one written command line may run with more options elsewhere (an image's exec-form
      // ENTRYPOINT, a compose `command:` appended to it): reported only where every run of it is
      const key = `${r.anchor.file}:${r.anchor.start}`;
      const unseen = 'report' in v ? unseenRunner(ctx.appServer.processes, r.invocation) : undefined;
      const at = byAnchor.get(key);
      if (at) {
        at.verdicts.push(v);
        at.unseen.push(unseen);
      } else byAnchor.set(key, { run: r, verdicts: [v], unseen: [unseen] });
    }
    let reported = 0;
    for (const { run: r, verdicts, unseen } of byAnchor.values()) {
      const v = verdicts[0]!;
      if (!('report' in v) || !verdicts.every((x) => 'report' in x)) continue;
      reported++;
      const config = r.config ? `, no workers in ${fileOf(ctx, r.config.file)}` : '';
      // nothing in the repository runs it: the deployment that does gives it an environment not shown here
      const image = unseen.find((u) => u?.image)?.image;
      const elsewhere = unseen.every((u) => u !== undefined)
        ? unseenRunnerLink(VARIABLE, image ? `the image ${fileOf(ctx, image)} builds` : r.invocation!.source.label, image !== undefined)
        : undefined;
      ctx.report({
        loc: r.anchor,
        message: `gunicorn runs its default of one worker here (${r.label}): no --workers${config}, no WEB_CONCURRENCY. With ${v.what} it serves one request at a time: a slow request or upload blocks every other, the health check included. Set --workers for its CPUs (2–4 per core) from an environment variable, or WEB_CONCURRENCY where it runs.`,
        ...(elsewhere ? { basis: [elsewhere] } : {}),
      });
    }
    if (reported > 0) return;
    const unknown = quiet.find((q) => q.state === 'unknown');
    if (unknown) return ctx.unknown(unknown.why, unknown.loc);
    const na = quiet.find((q) => q.state === 'not-applicable');
    if (na) return ctx.notApplicable(na.why);
  },
};
