// DDG318: `manage.py migrate` guarded by "only when a file does not exist yet": it runs on the first
// start and never again, so upgrades never migrate.
import type { BranchTest } from '../../readers/shell';
import type { Token } from '../../readers/text';
import type { Rule } from '../types';
import { isManage } from './topology';

const FILE_TESTS = new Set(['-f', '-e', '-s', '-d']);

/** The file a test checks for, when the branch runs only while it is absent (`[ ! -f db.sqlite3 ]` then, `[ -f x ]` else). */
function absentFile(t: BranchTest): Token | undefined {
  const w = t.words;
  if (w.length === 0) return undefined;
  const program = w[0]!.text;
  let args: readonly Token[];
  if (program === '[' || program === '[[') {
    if (w[w.length - 1]?.text !== (program === '[' ? ']' : ']]')) return undefined;
    args = w.slice(1, -1);
  } else if (program === 'test') args = w.slice(1);
  else return undefined;
  const negated = args.length === 3 && args[0]!.text === '!' && !args[0]!.quoted;
  const rest = negated ? args.slice(1) : args;
  if (rest.length !== 2 || !FILE_TESTS.has(rest[0]!.text)) return undefined;
  // the branch runs when the file is absent: `! -f x` succeeding, or `-f x` failing
  return negated === t.when ? rest[1] : undefined;
}

function written(t: BranchTest): string {
  return t.words.map((w) => (w.quoted ? `"${w.text}"` : w.text)).join(' ');
}

export const migrateFirstRunOnly: Rule = {
  code: 'DDG318',
  name: 'migrate-only-first-run',
  title: 'Migrations run only on the first start',
  severity: 'warning',
  group: 'deployment',
  checklist: 'migrations-step',
  target: 'process',
  docs: {
    what: 'Reports `manage.py migrate` in a production start command or script that runs only while a file does not exist (`if [ ! -f /data/db.sqlite3 ]`, `test ! -e …`, the `else` of `if [ -f … ]`), when no other production process (a release step, a Job, another line of the script) runs migrate unguarded.',
    why: 'The guard means "set the database up the first time": the file is there from the second start on, so migrate never runs again. The next release that adds a migration starts its new code against the old schema, and every request that touches the new column fails until someone migrates by hand. `migrate` is safe to run when nothing is new: it applies only what the database lacks.',
    example: 'if [ ! -f /data/db.sqlite3 ]; then\n  python manage.py migrate --noinput\nfi\nexec gunicorn mysite.wsgi',
    fix: 'Run migrate at every release, unguarded: in the release or pre-deploy step (or, for a single instance, before the server starts). Keep the guard only for one-time setup that must not repeat (loading fixtures, creating the first superuser).',
    good: 'python manage.py migrate --noinput\nif [ ! -f /data/.initialised ]; then\n  python manage.py loaddata initial && touch /data/.initialised\nfi\nexec gunicorn mysite.wsgi',
    references: [{ title: 'Django: migrate', url: 'https://docs.djangoproject.com/en/stable/ref/django-admin/#migrate' }],
  },
  check(ctx) {
    const migrates = ctx.appServer.processes.tasks.filter(
      (t) => t.source.production && isManage(t.task, 'migrate') && !t.task.args.some((a) => a.text === '--check' || a.text === '--plan'),
    );
    if (migrates.length === 0) return ctx.notApplicable('no production process runs migrate');
    const guarded = migrates.map((t) => ({ t, file: t.task.branch?.map((b) => ({ b, f: absentFile(b) })).find((x) => x.f) }));
    // another migrate that runs whether the file exists or not: the guarded one only adds a first run
    if (guarded.some((g) => !g.file)) return;
    for (const g of guarded) {
      const { b, f } = g.file!;
      ctx.report({
        loc: (g.t.task.subcommand ?? g.t.task.program).loc,
        message: `migrate runs only when \`${written(b)}\` ${b.when ? 'succeeds' : 'fails'}, while ${f!.text} does not exist — on the first start (${g.t.source.label}); after an upgrade the new migrations never run and the new code meets the old schema: migrate at every release (it applies only what is new).`,
      });
    }
  },
};
