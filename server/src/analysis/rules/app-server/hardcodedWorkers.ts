// DDG104: the gunicorn worker count is a number written in the code or the command line.
import type { Rule } from '../types';
import { intOf, isWritten, noGunicorn, settingLabel, whereNote } from './shared';
import { MAX_SENSIBLE_WORKERS } from './tooManyWorkers';

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
    what: `Points at a gunicorn worker count written as a fixed number (\`workers = 4\`, \`-w 4\`, \`--workers=4\`). Counts read from the environment (including gunicorn's own WEB_CONCURRENCY) or computed from the CPU count are not reported; counts above ${MAX_SENSIBLE_WORKERS} are reported by DDG103 instead.`,
    why:
      'The right number of workers depends on the machine or container that runs them (cores and memory), which changes between staging and production and when the host is resized. A number in the repository is right for one of them at best, and changing it needs a deploy. Platforms such as Heroku set WEB_CONCURRENCY to match the dyno size, and gunicorn uses it whenever `workers` is not set.',
    example: '# Procfile\nweb: gunicorn mysite.wsgi --workers 4',
    fix: 'Leave `workers` out and set WEB_CONCURRENCY where the app runs (gunicorn reads it), or read it yourself with a default.',
    good: '# gunicorn.conf.py\nimport os\nworkers = int(os.environ.get("WEB_CONCURRENCY", 3))',
    references: [
      { title: 'Gunicorn: workers setting (WEB_CONCURRENCY)', url: 'https://docs.gunicorn.org/en/stable/settings.html#workers' },
      { title: 'Gunicorn: how many workers?', url: 'https://docs.gunicorn.org/en/stable/design.html#how-many-workers' },
    ],
  },
  check(ctx) {
    if (noGunicorn(ctx)) return;
    for (const o of ctx.appServer.occurrences('workers')) {
      if (o.source === 'environment' || o.source === 'GUNICORN_CMD_ARGS' || !isWritten(o.value)) continue;
      const n = intOf(o.value);
      if (n === undefined || n > MAX_SENSIBLE_WORKERS) continue;
      ctx.report({
        loc: o.loc,
        message: `${settingLabel(o)} is hardcoded to ${n}${whereNote(o)}: read it from the environment (gunicorn uses WEB_CONCURRENCY when workers is not set) so each host can use its own count.`,
      });
    }
  },
};
