// DDG103: gunicorn workers far above (2 × cores) + 1: hardcoded above 12, or computed from the CPU
// count with a multiplier above 2.
import type { Rule } from '../types';
import {
  MAX_SENSIBLE_WORKERS,
  cpuMultiplier,
  envDefaultNote,
  intOf,
  noGunicorn,
  settingLabel,
  unknownValue,
  usesCpuCount,
  whereNote,
} from './shared';

export const tooManyWorkers: Rule = {
  code: 'DDG103',
  name: 'too-many-workers',
  title: 'More gunicorn workers than the machine can use',
  severity: 'warning',
  group: 'app-server',
  checklist: 'gunicorn-tuning',
  target: 'gunicorn',
  docs: {
    what: `Reports a gunicorn worker count written as a number above ${MAX_SENSIBLE_WORKERS} (in the config file, with \`-w\`/\`--workers\`, in GUNICORN_CMD_ARGS, or as the default of an environment lookup), and a count computed from the CPU count with a multiplier above 2 (\`multiprocessing.cpu_count() * 4\`). The machine is not known statically, so ${MAX_SENSIBLE_WORKERS} is the upper end of what gunicorn's own guide says serves "hundreds or thousands of requests per second": (2 × 4 cores) + 1 = 9 already covers a typical 4-core host.`,
    why: 'Gunicorn recommends (2 × CPU cores) + 1 workers. Each worker is a full copy of the Django process with its own memory (often 100–300 MB) and its own database connections: beyond what the cores can run, more workers only add memory pressure, context switches and connections, until the host swaps, the OOM killer takes workers, or the database refuses connections. In a container, `cpu_count()` returns the cores of the host, not the CPU limit of the container, so a multiplier on it can start dozens of workers on a container allowed one core.',
    example: '# gunicorn.conf.py\nimport multiprocessing\nworkers = multiprocessing.cpu_count() * 4',
    fix: 'Use (2 × cores) + 1 as a starting point and measure; better, read the count from the environment (gunicorn reads WEB_CONCURRENCY by itself) so each host or container gets its own.',
    good: 'import multiprocessing, os\nworkers = int(os.environ.get("WEB_CONCURRENCY", multiprocessing.cpu_count() * 2 + 1))',
    references: [
      { title: 'Gunicorn: how many workers?', url: 'https://docs.gunicorn.org/en/stable/design.html#how-many-workers' },
      { title: 'Gunicorn: workers setting', url: 'https://docs.gunicorn.org/en/stable/settings.html#workers' },
    ],
  },
  check(ctx) {
    if (noGunicorn(ctx)) return;
    for (const o of ctx.appServer.occurrences('workers')) {
      const s = o.configSetting;
      if (s?.expr && o.config) {
        const mult = cpuMultiplier(o.config, s.expr);
        if (mult && mult.factor > 2) {
          ctx.report({
            loc: mult.loc,
            message: `workers is the CPU count × ${mult.factor}, far above gunicorn's (2 × cores) + 1: use cpu_count() * 2 + 1 or read WEB_CONCURRENCY from the environment.`,
          });
          continue;
        }
        // computed from the CPU count with a sensible factor (cpu_count() * 2 + 1)
        if (o.value.kind === 'unknown' && usesCpuCount(o.config, s.expr)) continue;
      }
      if (unknownValue(ctx, o)) continue;
      const n = intOf(o.value);
      if (n === undefined || n <= MAX_SENSIBLE_WORKERS) continue;
      ctx.report({
        loc: o.loc,
        message: `${settingLabel(o)} is ${n}${envDefaultNote(o.value)}${whereNote(o)}, far above gunicorn's (2 × cores) + 1 (9 on 4 cores): each worker costs a full process and database connections; lower it or read it from WEB_CONCURRENCY.`,
      });
    }
  },
};
