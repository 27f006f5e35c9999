// DDH705: a database password written in the settings (or in a database URL there).
import { defaultLookup, isEnvironmentDefault, isSupplied } from '../../models/settings/query';
import { isThisMachine } from '../../models/settings/usage';
import type { Loc, Value } from '../../eval/values';
import { echoable, isWrittenInCode, originNote } from '../helpers';
import * as V from '../../eval/values';
import type { Fix, Rule, RuleContext } from '../types';
import { databaseEntries, key, locOfKey, type DbEntry } from './entries';
import { fallbackLink } from '../basis';
import { renderedFromMissingVariables } from '../settings-secrets/lookups';
import { credentialIn, isPlaceholder, isPlaceholderUrl } from '../../secrets/index';
import { fallbackNote, takenEvidence, variablesText } from '../../models/settings/fallback';

/**
 * Whether the entry's host is this machine (no host, a socket directory, localhost, a loopback
 * address): a fallback password for such a database is a development default, not a leaked
 * production credential — unless production shares it, which the settings cannot show.
 */
function onThisMachine(e: DbEntry): boolean {
  const host = key(e, 'HOST');
  if (host === undefined || host?.kind === 'unknown') return false;
  const h = host === null || host.kind === 'none' ? '' : (V.pyStr(host) ?? '?');
  return isThisMachine(h);
}

/**
 * Whether a written password (or database URL) only stands in for one (catalogue/placeholderValues.ts:
 * "default", "changeme", "123456", a URL whose password or host is a placeholder): what docs and
 * templates write for "fill this in", not a credential of any database.
 */
function placeholderPassword(pw: string, fromUrl: boolean): boolean {
  if (fromUrl) return isPlaceholderUrl(pw) || credentialIn(pw, false)?.placeholder === true;
  return isPlaceholder(pw);
}

/** The HOST of an entry when it is itself a placeholder fallback of an environment read (`os.environ.get("DB_HOST", "default")`). */
function placeholderHost(e: DbEntry): Value | undefined {
  const host = key(e, 'HOST');
  return host && host.kind === 'str' && isEnvironmentDefault(host) && isPlaceholder(host.v) ? host : undefined;
}

export const hardcodedDbPassword: Rule = {
  code: 'DDH705',
  name: 'hardcoded-db-password',
  title: 'Database password in the code',
  severity: 'error',
  group: 'database',
  checklist: 'db-security',
  target: 'settings',
  fixSafety: 'unsafe',
  docs: {
    what: 'A production `DATABASES` entry gets a non-empty `PASSWORD` from the code: written as a literal (or built from literals), the fallback of an environment lookup (`os.environ.get("DB_PASSWORD", "…")`), or part of a database URL written in the settings (`dj_database_url.parse("postgres://user:pass@host/db")`, or the `default=` of `dj_database_url.config()` / `env.db()`). The password is never shown in the message. A fallback for a database on this machine (no host, a socket directory, `localhost` or a loopback address), such as saleor\'s `dj_database_url.config(default="postgres://saleor:saleor@localhost/saleor")`, is a warning rather than an error: it is usually the password of a throw-away development database, not a production credential, yet a deployment that forgets the variable connects with it (and on a single server with a local database, that may be the real one). A password written as a literal stays an error, whatever the host. A fallback that only stands in for a password (`"default"`, `"changeme"`, `"123456"`: catalogue/placeholderValues.ts) is information, a placeholder the deployment must replace: a production database refuses it, so a deployment without the variable fails closed (its HOST falling back to a placeholder too is said); where the deployment is seen to leave the variable unset (every serving process\'s environment is in the repository and none sets it), production logs in with it and the finding keeps its severity. A fallback is not reported at all when the variable is set where the app runs: an env file not in the repository that the app and a `postgres` service of the same compose file both load sets POSTGRES_PASSWORD, since the image does not initialise its database without it (catalogue/databaseImages.ts).',
    why: 'Everyone who can read the repository — every clone, fork, CI log and backup — can log into the database, and the password cannot be rotated without a commit, so it never is. A fallback password is just as public, and production silently uses it whenever the variable is missing.',
    example: 'DATABASES = {"default": dj_database_url.parse("postgres://app:s3cret@db.example.com/app")}',
    fix: 'Read the password (or the whole URL) from the environment or a secrets manager, with no default, and rotate the password: the old one stays in the history. The quick fix rewrites the value to an environment lookup in the style the project uses; it is unsafe because the deployment must then provide the variable.',
    good: 'DATABASES = {"default": dj_database_url.config(conn_max_age=600)}   # DATABASE_URL from the environment',
    references: [
      {
        title: 'Django deployment checklist: databases',
        url: 'https://docs.djangoproject.com/en/stable/howto/deployment/checklist/#databases',
      },
      { title: 'Django: DATABASES PASSWORD', url: 'https://docs.djangoproject.com/en/stable/ref/settings/#password' },
    ],
  },
  check(ctx) {
    const { entries, unknown } = databaseEntries(ctx);
    let undecided = unknown;
    for (const e of entries) {
      const pw = key(e, 'PASSWORD');
      if (pw === null) continue;
      if (pw === undefined || pw.kind === 'unknown') {
        if (pw === undefined || !isSupplied(pw))
          undecided ??= { reason: `the PASSWORD of ${e.label} is not known statically`, loc: locOfKey(ctx, e, pw) };
        continue;
      }
      if (pw.kind !== 'str' || pw.v === '') continue;
      if (!isWrittenInCode(pw) && !isEnvironmentDefault(pw)) continue;
      // "None" rendered from lookups without a default (an f-string of os.getenv() calls): no one wrote it
      if (renderedFromMissingVariables(ctx, pw)) continue;
      const loc = locOfKey(ctx, e, pw);
      const fromUrl = /^[rbuf]*["']{1,3}[a-z0-9+.-]+:\/\//i.test(ctx.textAt(loc) ?? '');
      // a fallback: the claim is the written password itself, certain unless the deployment sets the variable
      const lookup = defaultLookup(pw);
      const basis = lookup ? [fallbackLink(ctx, lookup)] : undefined;
      // a placeholder fallback ("default", "changeme", "123456"): what the deployment must replace, not
      // a committed credential; unset, the database refuses it (it fails closed). Production's value
      // only where the deployment is seen to leave the variable unset.
      if (lookup && placeholderPassword(pw.v, fromUrl)) {
        const use = ctx.settings.fallback(pw);
        const host = placeholderHost(e);
        // (seen unset with a placeholder HOST unset too: it connects to no real server either)
        const hostTaken = host !== undefined && ctx.settings.fallback(host)?.use === 'taken';
        if (use?.use === 'taken' && !hostTaken) {
          ctx.report({
            loc,
            basis: [
              {
                kind: 'value',
                subject: lookup.name,
                state: 'known',
                how: `production's deployment leaves ${lookup.name} unset (${takenEvidence(use)})`,
              },
            ],
            ...(onThisMachine(e) ? { severity: 'warning' as const } : {}),
            fixes: passwordFixes(ctx, e.alias, pw, loc, fromUrl),
            message: `${e.label} falls back to a placeholder ${fromUrl ? 'database URL' : 'password'} written in the settings${originNote(pw)}${fallbackNote(use)}: production logs in with a password anyone can guess; set ${variablesText(use.variables)} there and make it required.`,
          });
          continue;
        }
        const shownHost = host && host.kind === 'str' && echoable(host.v) !== undefined ? ` (${JSON.stringify(host.v)})` : '';
        const hostNote = host ? `; its HOST falls back to a placeholder too${shownHost}` : '';
        ctx.report({
          loc,
          severity: 'information',
          basis: [
            {
              kind: 'value',
              subject: lookup.name,
              state: 'overridable',
              how: `a placeholder the deployment must replace: the written fallback of ${lookup.name}`,
              said: true,
            },
          ],
          fixes: passwordFixes(ctx, e.alias, pw, loc, fromUrl),
          message: `${e.label} falls back to a placeholder ${fromUrl ? 'database URL' : 'password'} written in the settings${originNote(pw)}: one the deployment must replace, not a credential; a production database refuses it (it fails closed)${hostNote}; make the variable required.`,
        });
        continue;
      }
      if (isEnvironmentDefault(pw) && onThisMachine(e)) {
        ctx.report({
          loc,
          basis,
          severity: 'warning',
          fixes: passwordFixes(ctx, e.alias, pw, loc, fromUrl),
          message: `${e.label} falls back to ${fromUrl ? 'a database URL with a password' : 'a password'} written in the settings${originNote(pw)}, for a database on this machine: a development default, but a deployment without the variable connects with it; make the variable required.`,
        });
        continue;
      }
      ctx.report({
        loc,
        basis,
        fixes: passwordFixes(ctx, e.alias, pw, loc, fromUrl),
        message: fromUrl
          ? `${e.label} gets its password from a database URL written in the settings${originNote(pw)}: read the URL from the environment and rotate the password.`
          : `${e.label}["PASSWORD"] is written in the settings${originNote(pw)}: read it from the environment and rotate the password.`,
      });
    }
    if (undecided) ctx.unknown(undecided.reason, undecided.loc);
  },
};

/**
 * The environment fixes: a fallback password (or URL) is dropped so the lookup becomes required; a
 * written password or URL becomes a required lookup of DB_PASSWORD / DATABASE_URL (named in the
 * project's style), with the name offered for .env.example.
 */
function passwordFixes(ctx: RuleContext, alias: string, pw: Value, loc: Loc, fromUrl: boolean): Fix[] {
  const fixes: (Fix | undefined)[] = [];
  const lookup = defaultLookup(pw);
  let varName: string;
  if (lookup) {
    varName = lookup.name;
    fixes.push(ctx.fixer.requireEnvironment(lookup.loc, `Drop the written default of ${varName} (requires ${varName} in the environment)`));
  } else {
    const prefix = alias === 'default' ? '' : `${(echoable(alias) ?? '').toUpperCase().replace(/-/g, '_')}_`;
    varName = fromUrl ? `${prefix}DATABASE_URL` : ctx.fixer.envVarName(`${prefix}DB_PASSWORD`);
    fixes.push(
      ctx.fixer.exprToEnvironment(loc, varName, 'secret', {
        title: `Read the ${fromUrl ? 'database URL' : 'password'} from the environment (requires ${varName} in the environment)`,
      }),
    );
  }
  if (fixes[0]) fixes.push(ctx.fixer.envExample(varName));
  return fixes.filter((f): f is Fix => f !== undefined);
}
