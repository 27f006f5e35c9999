// DDH704: SQLite as a production database (also as the default of DATABASE_URL).
import type { Loc } from '../../eval/values';
import { fallbackNote, variablesText } from '../../models/settings/fallback';
import { echoable, fallbackBasis, originNote, placeOf } from '../helpers';
import { fileOnVolume, fileReplicated } from '../../models/appServer/model';
import { canScale } from '../app-server/topology';
import { skippedAlternatives } from '../skippedAssignment';
import type { Rule, RuleContext } from '../types';
import type { ProcessSource } from '../../models/appServer/model';
import { runsSeveral } from '../../readers/workload';
import { sqliteInMemory } from '../../catalogue/databaseEngines';
import { databaseEntries, type DbEntry, key as entryKey, locOfKey, noDatabaseReason } from './entries';

export const sqliteInProduction: Rule = {
  code: 'DDH704',
  name: 'sqlite-in-production',
  title: 'SQLite in production',
  severity: 'warning',
  group: 'database',
  checklist: 'db-security',
  target: 'settings',
  docs: {
    what: 'A production `DATABASES` entry uses the SQLite (or SpatiaLite) engine, whether written as a dict or as a database URL — including the default of `dj_database_url.config(default="sqlite:///…")` or `env.db(default=…)`, which is what production gets when `DATABASE_URL` is not set. When the settings configure other engines in branches that an environment variable selects (`if DB == "postgres": DATABASES = …`, as healthchecks does) and production skips them by default, the message names that variable. Entries that take one ENGINE from one place (a dict spread into each alias) are one finding, which names the aliases. An in-memory database (`NAME` `:memory:`, or a URI with `mode=memory`, as Django tells one) is not reported: it is scratch space inside the process, no file that a deploy loses or that workers share. When the file lies on a volume that every production container serving the app mounts (a compose named volume or bind mount), it outlives the container, and the finding is information: SQLite still suits a single instance, one process writing at a time, and the message names the workers or replicas that would wait on its lock. So is a file Litestream replicates: every production process serving the app runs as the `-exec` subprocess of `litestream replicate` (in its start script or command: `exec litestream replicate -exec "gunicorn …"`), and the database is the one it replicates — its command line\'s `DB_PATH`, or a `path:` of the committed `litestream.yml` its `-config` (default /etc/litestream.yml) names; Litestream copies each write to object storage as it happens and `litestream restore` brings the file back in a new container, so replacing the container loses nothing (when the configuration file is not in the repository, the message says it rests on that file naming the database). Litestream leaves one writer at a time to the deployment: the message names what would start a second one — replicas or a platform\'s machines (fly.io starts two for an HTTP process group without a volume, or `min_machines_running` more), or fly.io\'s `canary` or `bluegreen` deploy strategy, which boots the new release beside the running one.',
    why: 'SQLite is a file on the application server. On a platform that replaces containers or dynos (Heroku, Render, Fly.io, Kubernetes, most Docker setups) the file and every row in it vanish with the next deploy or restart, and separate instances each get their own database. Writes take a database-wide lock, so concurrent requests from several workers fail with "database is locked". A forgotten DATABASE_URL that silently falls back to SQLite is the common way this reaches production.',
    example: 'DATABASES = {"default": dj_database_url.config(default="sqlite:///db.sqlite3")}',
    fix: 'Use PostgreSQL or MySQL in production, and make a missing DATABASE_URL fail instead of falling back to SQLite (no default, or a default only in the development settings). If you run SQLite deliberately (one server, a persistent volume, backups such as Litestream), disable this rule for the project.',
    good: 'DATABASES = {"default": dj_database_url.config(conn_max_age=600, conn_health_checks=True)}   # DATABASE_URL required',
    references: [
      { title: 'Django: databases', url: 'https://docs.djangoproject.com/en/stable/ref/databases/' },
      { title: 'Django: SQLite notes', url: 'https://docs.djangoproject.com/en/stable/ref/databases/#sqlite-notes' },
      {
        title: 'Django deployment checklist: databases',
        url: 'https://docs.djangoproject.com/en/stable/howto/deployment/checklist/#databases',
      },
    ],
  },
  check(ctx) {
    const { entries, unknown } = databaseEntries(ctx);
    // one finding per place: entries whose ENGINE is written once (a shared dict spread into each
    // alias) are one construct, and the finding names the aliases it covers
    const byPlace = new Map<string, { loc: Loc; entries: DbEntry[] }>();
    for (const e of entries) {
      if (e.engine !== 'sqlite' || !e.engineValue) continue;
      // an in-memory database (NAME ":memory:"): scratch space in the process, no file a deploy
      // loses or workers share (catalogue/databaseEngines.ts SQLITE_IN_MEMORY)
      const name = entryKey(e, 'NAME');
      if (name?.kind === 'str' && sqliteInMemory(name.v)) continue;
      const loc = locOfKey(ctx, e, e.engineValue);
      const key = `${loc.file}:${loc.start}:${loc.end}`;
      const at = byPlace.get(key) ?? { loc, entries: [] };
      at.entries.push(e);
      byPlace.set(key, at);
    }
    for (const { loc, entries: same } of byPlace.values()) {
      const e = same[0]!;
      const uses = aliasesOf(same);
      // a functional fallback (SQLite when DATABASE_URL is missing, the branch `if "DATABASE_URL" in
      // os.environ: … else: SQLite` takes by default): production's only where the deployment is
      // seen to leave the variable unset
      const use = ctx.settings.fallback(e.engineValue!);
      // (the environment file production loads, not in the repository, is there to set it: not production's)
      if (use?.use === 'supplied') continue;
      if (use?.use === 'maybe') {
        const vars = variablesText(use.variables);
        ctx.report({
          loc,
          severity: 'information',
          basis: fallbackBasis(use),
          message: `${uses} SQLite${fallbackNote(use)}: the settings fall back to it without ${vars}, and the repository does not show whether the deployment sets ${use.variables.length > 1 ? 'them' : 'it'}; if production runs without ${vars}, its database is a file on the app server, lost when the container is replaced and locked by concurrent writes.`,
        });
        continue;
      }
      // healthchecks: SQLite first, other engines under `if DB == "postgres":` on an env default
      const alternatives = originNote(e.engineValue!) ? [] : skippedAlternatives(ctx, ctx.settings.get('DATABASES'));
      // …production's only where the deployment is seen to leave those variables unset too
      const selected = ctx.settings.withoutVariables(alternatives);
      if (selected?.use === 'supplied') continue;
      if (selected?.use === 'maybe') {
        const vars = variablesText(selected.variables);
        ctx.report({
          loc,
          severity: 'information',
          basis: fallbackBasis(selected),
          message: `${uses} SQLite unless the environment variable ${vars} selects another engine (the others are configured in branches production skips without it), and the repository does not show whether the deployment sets it; if production runs without it, its database is a file on the app server, lost when the container is replaced and locked by concurrent writes.`,
        });
        continue;
      }
      const note =
        alternatives.length > 0
          ? ` unless the environment variable ${alternatives.slice(0, 2).join(' or ')} selects another engine (the others are configured in branches production skips without it)${selected ? fallbackNote(selected) : ''}`
          : use
            ? fallbackNote(use)
            : originNote(e.engineValue!);
      const file = nameOf(e);
      // the file replicated by Litestream, every serving process its -exec subprocess: restored at
      // start and copied to a replica as it is written, so a replaced container loses nothing; one
      // writer remains the condition (catalogue/litestream.ts)
      const replicated = file !== undefined ? fileReplicated(ctx.appServer, file) : undefined;
      if (replicated) {
        const where = placeOf(ctx, replicated.by);
        const named = replicated.named ? ` (${placeOf(ctx, replicated.named)})` : '';
        const how =
          replicated.state === 'yes'
            ? `, replicated by Litestream${named}, which runs the app (${where}): it outlives the container`
            : `, and Litestream runs the app (${where}), replicating what ${replicated.unshownConfig} names, a file not in the repository: if it names this database, it outlives the container`;
        const risks = replicated.serving.map((i) => secondWriters(ctx, i.source));
        const always = risks.find((r) => r.always)?.always;
        const deploy = risks.find((r) => r.deploy)?.deploy;
        const second = [always, deploy].filter((x): x is string => x !== undefined).join(', and ');
        const writers = second ? `. Litestream needs one writer, but ${second}` : '. Litestream needs one writer: keep it to one instance';
        ctx.report({
          loc,
          severity: 'information',
          basis: alternatives.length > 0 ? fallbackBasis(selected) : fallbackBasis(use),
          message: `${uses} SQLite${note}${how}${writers}.`,
        });
        continue;
      }
      // the file on a volume every production container that serves the app mounts: kept across
      // deploys, one writer at a time (catalogue/persistentVolumes.ts)
      const onVolume = file !== undefined ? fileOnVolume(ctx.appServer, file) : undefined;
      if (onVolume) {
        const m = onVolume.mounts[0]!;
        const more =
          onVolume.mounts.length > 1
            ? ` (and ${onVolume.mounts.length - 1} more container${onVolume.mounts.length > 2 ? 's' : ''} alike)`
            : '';
        const writers = onVolume.writers
          ? `: ${onVolume.writers.text} (${placeOf(ctx, onVolume.writers.loc)}), whose writes wait on the database's one write lock`
          : ': one process writes at a time, so more workers or replicas would wait on its write lock';
        ctx.report({
          loc,
          severity: 'information',
          basis: alternatives.length > 0 ? fallbackBasis(selected) : fallbackBasis(use),
          message: `${uses} SQLite${note}: its file lies on ${m.what}, which ${m.by} mounts at ${m.container} (${placeOf(ctx, m.loc)})${more}, so it persists when the container is replaced, but SQLite suits a single instance${writers}.`,
        });
        continue;
      }
      ctx.report({
        loc,
        basis: alternatives.length > 0 ? fallbackBasis(selected) : fallbackBasis(use),
        message: `${uses} SQLite${note}: a file on the app server, lost when the container is replaced and locked by concurrent writes; use PostgreSQL or MySQL in production.`,
      });
    }
    if (byPlace.size > 0) return;
    const undecided = entries.find((e) => e.engine === undefined && e.engineValue !== null);
    if (unknown) ctx.unknown(unknown.reason, unknown.loc);
    else if (undecided) ctx.unknown(`the ENGINE of ${undecided.label} is not known statically`, undecided.loc);
    else if (entries.length === 0) ctx.notApplicable('DATABASES is empty');
    else {
      const none = noDatabaseReason(entries);
      if (none) ctx.notApplicable(none);
    }
  },
};

/**
 * What may start a second instance of the process of `source` writing the database: several running
 * at once (replicas, a platform's machines, a Procfile's dynos: `always`), and each deploy starting the
 * new one beside the running one (fly.io's canary and bluegreen strategies: `deploy`) — its own file's
 * word, or that of a production starter running it (the fly.toml or compose service running the image
 * whose start script it is).
 */
function secondWriters(ctx: RuleContext, source: ProcessSource): { always?: string; deploy?: string } {
  let always = canScale(ctx.appServer, source, ctx.project);
  let deploy: string | undefined;
  for (const s of ctx.appServer.processes.starters.get(source) ?? []) {
    if (!s.production) continue;
    const w = s.workload;
    if (!always && w && !w.process.once && runsSeveral(w.process.instances)) always = w.process.instances!.why;
    if (!always && s.source) always = canScale(ctx.appServer, s.source, ctx.project);
    const beside = w?.process.startsBesideOnDeploy;
    if (!deploy && beside) deploy = `${beside.why} (${placeOf(ctx, beside.loc)})`;
  }
  return { ...(always ? { always } : {}), ...(deploy ? { deploy } : {}) };
}

/** The database file NAME names (a path in the workspace, or relative to the process's folder); undefined when not known. */
function nameOf(e: DbEntry): string | undefined {
  const name = entryKey(e, 'NAME');
  return (name?.kind === 'str' || name?.kind === 'path') && name.v !== '' ? name.v : undefined;
}

/** `DATABASES["default"] uses`, or for one ENGINE several aliases share: `DATABASES "default", "feeds" and "cache" (one ENGINE for the 3) use`. */
function aliasesOf(entries: readonly DbEntry[]): string {
  if (entries.length === 1) return `${entries[0]!.label} uses`;
  const names = entries.map((e) => (echoable(e.alias) ? `"${e.alias}"` : 'an entry'));
  const shown = names.length > 4 ? [...names.slice(0, 3), `${names.length - 3} more`] : names;
  return `DATABASES ${shown.slice(0, -1).join(', ')} and ${shown[shown.length - 1]} (one ENGINE for the ${entries.length}) use`;
}
