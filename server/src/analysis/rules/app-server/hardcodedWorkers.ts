// DDG104: the gunicorn worker count is a number written in the code or the command line.
import { moduleBinding, moduleBindings } from '../../models/settings/module';
import type { Loc } from '../../eval/values';
import { textOf } from '../../readers/python/gunicornConfig';
import type { AppServerModel } from '../../models/appServer/model';
import { finalStage } from '../../readers/container/dockerfile';
import type { Fix, Rule, RuleContextBase, TextEdit } from '../types';
import { CLOUD_RUN_GUNICORN } from '../../catalogue/platformRuntime';
import { MAX_SENSIBLE_WORKERS, intOf, isWritten, noGunicorn, onCloudRun, settingLabel, whereNote } from './shared';

/** A setting where it takes effect in production, with the runs it takes effect in. */
type Occurrence = ReturnType<AppServerModel['occurrences']>[number];

/** A module-level name the config binds to `module` before `offset` (`import os`, `import os as _os`). */
function moduleHandle(o: Occurrence, module: string, offset: number): string | undefined {
  const cfg = o.config;
  if (!cfg) return undefined;
  for (const [name, b] of moduleBindings(cfg.module)) {
    const v = b.value;
    if (v.kind !== 'object' || v.tag !== `module:${module}`) continue;
    const at = b.target ?? b.stmt;
    if (at && at.file === cfg.file && at.start < offset) return name;
  }
  return undefined;
}

/**
 * `workers = 4` → `workers = int(os.environ.get("WEB_CONCURRENCY", …))`, with the imports it needs.
 * Not offered unless the value is a plain integer literal and the imports can go above it.
 */
function configFix(ctx: RuleContextBase, o: Occurrence, n: number, formula: boolean): Fix | undefined {
  const expr = o.configSetting?.expr;
  if (!o.config || !expr || expr.node.type !== 'integer' || ctx.textAt(o.loc) !== textOf(o.config, expr)) return undefined;
  const file = o.config.file;
  const edits: TextEdit[] = [];
  const handle = (module: string): string | undefined => {
    const bound = moduleHandle(o, module, o.loc.start);
    if (bound) return bound;
    // a name of that spelling bound to something else: the import would clobber it
    if (moduleBinding(o.config!.module, module)) return undefined;
    const add = ctx.fixer.ensureImport(file, module, `import ${module}`);
    // nothing to add although the module is not bound above: an import in a function or below
    if (add.length === 0 || add.some((e) => e.start > o.loc.start)) return undefined;
    edits.push(...add);
    return module;
  };
  const os = handle('os');
  const mp = formula ? handle('multiprocessing') : 'unused';
  if (!os || !mp) return undefined;
  const dflt = formula ? `${mp}.cpu_count() * 2 + 1` : String(n);
  edits.push({ file, start: o.loc.start, end: o.loc.end, newText: `int(${os}.environ.get("WEB_CONCURRENCY", ${dflt}))` });
  return formula
    ? { title: 'Read workers from WEB_CONCURRENCY, defaulting to (2 × CPU cores) + 1 (changes the worker count)', safety: 'unsafe', edits }
    : {
        title: `Read workers from WEB_CONCURRENCY, defaulting to ${n} (hosts that set WEB_CONCURRENCY use their own count)`,
        safety: 'unsafe',
        edits,
      };
}

/** The location lies in a shell-form CMD/ENTRYPOINT of a Dockerfile's last stage (run by /bin/sh -c). */
function inDockerShellForm(model: AppServerModel, loc: Loc): boolean {
  const d = model.processes.dockerfiles.find((x) => x.file === loc.file);
  const stage = d ? finalStage(d) : undefined;
  for (const c of [stage?.cmd, stage?.entrypoint]) {
    const args = c?.form === 'shell' ? c.instruction.args : undefined;
    if (!args || args.length === 0) continue;
    if (loc.start >= args.starts[0]! && loc.end <= args.ends[args.length - 1]!) return true;
  }
  return false;
}

/** `-w 4` → `-w "${WEB_CONCURRENCY:-4}"` where a shell runs the command line (Procfile, script, shell-form CMD). */
function commandLineFix(ctx: RuleContextBase, o: Occurrence, n: number): Fix | undefined {
  const value = o.option?.value;
  if (!value || ctx.textAt(value.loc) !== value.text || !/^\d+$/.test(value.text)) return undefined;
  const shell = o.runs.every((r) => {
    const kind = r.invocation?.source.kind;
    return kind === 'procfile' || kind === 'shell' || (kind === 'dockerfile' && inDockerShellForm(ctx.appServer, value.loc));
  });
  if (!shell) return undefined;
  return {
    title: `Read the worker count from WEB_CONCURRENCY, defaulting to ${n} (hosts that set WEB_CONCURRENCY use their own count)`,
    safety: 'unsafe',
    edits: [{ ...value.loc, newText: `"\${WEB_CONCURRENCY:-${n}}"` }],
  };
}

export const hardcodedWorkers: Rule = {
  code: 'DDG104',
  name: 'hardcoded-workers',
  title: 'Gunicorn worker count is hardcoded',
  severity: 'hint',
  group: 'app-server',
  checklist: 'gunicorn-tuning',
  target: 'gunicorn',
  fixSafety: 'unsafe',
  docs: {
    what: `Points at a gunicorn worker count written as a fixed number (\`workers = 4\`, \`-w 4\`, \`--workers=4\`). Counts read from the environment (including gunicorn's own WEB_CONCURRENCY, and a variable's default on a command line: \`--workers \${GUNICORN_WORKERS:-8}\`) or computed from the CPU count are not reported; counts above ${MAX_SENSIBLE_WORKERS} are reported by DDG103 instead. One worker where every deployment of the command line is a Cloud Run service (a Knative service.yaml, Terraform's google_cloud_run_service, a Cloud Build \`gcloud run deploy\`) is not reported either: it is the count Google's Cloud Run quickstart runs (\`--workers 1 --threads 8\`), and Cloud Run scales instances, not workers.`,
    why: 'The right number of workers depends on the machine or container that runs them (cores and memory), which changes between staging and production and when the host is resized. A number in the repository is right for one of them at best, and changing it needs a deploy. Platforms such as Heroku set WEB_CONCURRENCY to match the dyno size, and gunicorn uses it whenever `workers` is not set.',
    example: '# Procfile\nweb: gunicorn mysite.wsgi --workers 4',
    fix: 'Leave `workers` out and set WEB_CONCURRENCY where the app runs (gunicorn reads it), or read it yourself with a default. In a config file the quick fixes rewrite the value to `int(os.environ.get("WEB_CONCURRENCY", …))` with the current number or (2 × CPU cores) + 1 as the default, adding the imports; on a command line run by a shell (Procfile, start script, shell-form CMD) they write `"${WEB_CONCURRENCY:-4}"`. Both are unsafe: where WEB_CONCURRENCY is set, or with the formula, the worker count changes.',
    good: '# gunicorn.conf.py\nimport multiprocessing\nimport os\n\nworkers = int(os.environ.get("WEB_CONCURRENCY", multiprocessing.cpu_count() * 2 + 1))',
    references: [
      { title: 'Gunicorn: workers setting (WEB_CONCURRENCY)', url: 'https://docs.gunicorn.org/en/stable/settings.html#workers' },
      { title: 'Gunicorn: how many workers?', url: 'https://docs.gunicorn.org/en/stable/design.html#how-many-workers' },
    ],
  },
  check(ctx) {
    if (noGunicorn(ctx)) return;
    for (const o of ctx.appServer.occurrences('workers')) {
      if (o.source === 'environment' || o.source === 'GUNICORN_CMD_ARGS' || !isWritten(o.value)) continue;
      // `--workers ${GUNICORN_WORKERS:-8}`: a variable's default, read from the environment where it runs
      if (o.option?.value && o.option.value.env.length > 0) continue;
      const n = intOf(o.value);
      if (n === undefined || n > MAX_SENSIBLE_WORKERS) continue;
      // Cloud Run scales instances, not workers: its quickstart runs one worker per instance (catalogue CLOUD_RUN_GUNICORN)
      const cloudRun = n === CLOUD_RUN_GUNICORN.value.workers ? onCloudRun(ctx, o.runs) : undefined;
      if (cloudRun) {
        ctx.notApplicable(
          `${settingLabel(o)} is ${n}${whereNote(o)} on ${cloudRun.join(', ')}: the count Google's Cloud Run quickstart runs; Cloud Run starts more instances as requests come (${CLOUD_RUN_GUNICORN.source.url})`,
        );
        continue;
      }
      const fixes =
        o.source === 'config'
          ? [configFix(ctx, o, n, true), configFix(ctx, o, n, false)]
          : o.source === 'command line'
            ? [commandLineFix(ctx, o, n)]
            : [];
      ctx.report({
        loc: o.loc,
        message: `${settingLabel(o)} is hardcoded to ${n}${whereNote(o)}: read it from the environment (gunicorn uses WEB_CONCURRENCY when workers is not set) so each host can use its own count.`,
        fixes: fixes.filter((f): f is Fix => f !== undefined),
      });
    }
  },
};
