// DDH101: SECRET_KEY written in the settings instead of read from the environment, also as the
// fallback of an environment lookup.
import { isWrittenInCode, originNote } from '../helpers';
import type { Fix, Rule } from '../types';
import { secretKeyWeakness } from '../../catalogue/djangoChecks';
import { debugBranch, fallbackLink, guardLink, listedDefault, listedLink } from '../basis';
import { startupGuard } from '../startupGuard';

export const hardcodedSecretKey: Rule = {
  code: 'DDH101',
  name: 'hardcoded-secret-key',
  title: 'SECRET_KEY is hardcoded',
  severity: 'error',
  group: 'settings-secrets',
  checklist: 'secret-key',
  target: 'settings',
  fixSafety: 'unsafe',
  docs: {
    what: 'Flags a `SECRET_KEY` that the production settings write as a literal (or build from literals), even a long random one, and a key that is the fallback of an environment lookup (`os.environ.get("DJANGO_SECRET_KEY", "…")`, `env("SECRET_KEY", default="…")`, `config("SECRET_KEY", default="…")`). Whether the key is also weak is DDH102\'s business; old keys in `SECRET_KEY_FALLBACKS` are DDH103\'s. A fallback the settings refuse to start with — a module-level `if` that only raises (or exits), whose test holds for the written default with DEBUG off (`if not DEBUG and SECRET_KEY.startswith("django-insecure"): raise ImproperlyConfigured(…)`) — is information: production, with DEBUG off, cannot run with it, and a deployment that leaves DEBUG on is DEBUG\'s own finding. A fallback whose variable the repository shows set only by a file listing it for the deployer to copy by hand (a platform\'s example env file such as `railway.env.example`, whose variables are typed into the platform\'s settings one by one; not the committed template of an env file compose loads, which `cp .env.example .env` copies whole) is still reported, as a warning: nothing enforces the copy, and wherever the variable is forgotten the published key signs; a deployment file that sets it (a manifest\'s secretKeyRef, app.json) silences it.',
    why: 'Everyone who can read the repository — every clone, fork, CI log and backup — holds the key that signs sessions, password-reset links and signed cookies, and can forge them. A key in git cannot be rotated without a commit, so it never is. A fallback key is just as public, and production silently signs with it whenever the variable is missing.',
    example: 'SECRET_KEY = "k3v$9x!b2...a-long-random-string"',
    fix: 'Read the key from the environment (or a secrets manager) with no default, so that a missing key stops the deployment instead of falling back to a known one. Then rotate the key: the old one is in the history for good. The quick fix rewrites the value to an environment lookup in the style the project uses (os.environ, django-environ or python-decouple), or drops the written default of an existing lookup, and can add the variable name to `.env.example`; it is unsafe because the deployment must then provide the variable.',
    good: 'SECRET_KEY = os.environ["DJANGO_SECRET_KEY"]',
    references: [
      { title: 'Django: SECRET_KEY', url: 'https://docs.djangoproject.com/en/stable/ref/settings/#secret-key' },
      {
        title: 'Django deployment checklist: SECRET_KEY',
        url: 'https://docs.djangoproject.com/en/stable/howto/deployment/checklist/#secret-key',
      },
    ],
  },
  check(ctx) {
    const q = ctx.settings.query('SECRET_KEY');
    if (q.state === 'unset' || !q.setting.isSet) return ctx.notApplicable('SECRET_KEY is not set (see DDH102)');
    if (q.state === 'unknown' && (q.value.producedBy === 'file' || q.value.producedBy === 'generated')) return;
    // the variable is only listed for the deployer to copy into the platform's settings
    // (`railway.env.example`): its written default still runs wherever it is forgotten
    const listed = listedDefault(q.value);
    if (!listed && (q.state === 'supplied' || q.state === 'unknown')) return ctx.undecided(q);
    const s = q.setting;
    const v = listed?.written ?? q.value;
    if (v.kind !== 'str' || v.v === '') return;
    const lookup = listed
      ? v.env?.find((e) => e.hasDefault)
      : 'provenance' in q && q.provenance.kind === 'environment-default'
        ? q.provenance.lookup
        : undefined;
    if (listed && !lookup) return q.state === 'supplied' || q.state === 'unknown' ? ctx.undecided(q) : undefined;
    // (the written default's place, where the deployment's value would otherwise put it)
    const at = listed ? (ctx.settings.locOf(v) ?? s.loc) : s.loc;
    // a weak key is also DDH102's (security.W009): on this line, one finding says both
    const weakness = secretKeyWeakness(v.v, ctx.version.version);
    if (lookup) {
      // a fallback: the lookup stays, without its default, under the name the project already reads
      const fixes = [
        ctx.fixer.requireEnvironment(lookup.loc, `Drop the written default of ${lookup.name} (requires ${lookup.name} in the environment)`),
      ];
      if (fixes[0]) fixes.push(ctx.fixer.envExample(lookup.name));
      // the settings refuse to start on it (`if not DEBUG and SECRET_KEY.startswith(…): raise`):
      // only a deployment that leaves DEBUG on runs with it, which is DEBUG's finding
      const guard = startupGuard(ctx, 'SECRET_KEY', v);
      if (guard)
        return ctx.report({
          loc: at,
          severity: 'information',
          message: `SECRET_KEY falls back to a key written in the settings${originNote(v)}, but ${guard.where} refuses to start with it${guard.debugOff ? ' when DEBUG is off: only a deployment that leaves DEBUG on runs with it' : ''}; make the variable required all the same, so that no environment signs with a public key.`,
          fixes: fixes.filter((f): f is Fix => f !== undefined),
          basis: [listed ? listedLink(lookup.name, listed.listed) : fallbackLink(ctx, lookup), guardLink(guard, 'SECRET_KEY')],
          together: weakness
            ? {
                code: 'DDH102',
                message: `SECRET_KEY falls back to a key written in the settings${originNote(v)}, and that key ${weakness}, but ${guard.where} refuses to start with it${guard.debugOff ? ' when DEBUG is off: only a deployment that leaves DEBUG on runs with it' : ''}; make the variable required all the same.`,
              }
            : undefined,
        });
      return ctx.report({
        loc: at,
        message: `SECRET_KEY falls back to a key written in the settings${originNote(v)}: make the variable required and rotate the key.`,
        fixes: fixes.filter((f): f is Fix => f !== undefined),
        // the claim is the written fallback itself: certain unless the deployment sets the variable
        // (a file listing it for the deployer to set by hand: a step lower)
        basis: [listed ? listedLink(lookup.name, listed.listed) : fallbackLink(ctx, lookup)],
        together: weakness
          ? {
              code: 'DDH102',
              message: `SECRET_KEY falls back to a key written in the settings${originNote(v)}, and that key ${weakness}: production runs with it whenever the variable is missing; make the variable required and rotate the key.`,
            }
          : undefined,
      });
    }
    if (!isWrittenInCode(v)) return;
    // a loader that reads the key from its own variable (dynaconf's APP_SECRET_KEY): that variable
    const loaderVariable =
      q.state === 'overridable' ? q.overriddenBy.filter((o) => o.kind === 'variable' && o.replaces && !o.prefix).pop()?.name : undefined;
    const varName = loaderVariable ?? ctx.fixer.envVarName('SECRET_KEY');
    // a key written for development only, in the branch DEBUG's environment default selects (`if
    // DEBUG and not SECRET_KEY: SECRET_KEY = "xxx"`): production has it only while DEBUG stays on,
    // which is DEBUG's finding (DDH108); here it is as written unless the variables are set
    const debug = debugBranch(ctx, 'SECRET_KEY', q);
    if (debug) {
      const head = `SECRET_KEY is hardcoded in the settings in the branch taken while DEBUG is on (its default when ${debug.variable} is not set)`;
      const tail = `a deployment that leaves DEBUG on also signs with this key; read it from the environment (e.g. ${varName}) in every branch.`;
      return ctx.report({
        loc: s.loc,
        severity: 'warning',
        message: `${head}: ${tail}`,
        fixes: [ctx.fixer.envExample(varName)].filter((f) => f !== undefined),
        together: weakness ? { code: 'DDH102', message: `${head}, and it ${weakness}: ${tail}` } : undefined,
        basis: [debug.link],
      });
    }
    ctx.report({
      loc: s.loc,
      message: `SECRET_KEY is hardcoded in the settings: read it from the environment (e.g. ${varName}) and rotate the key.`,
      fixes: [ctx.fixer.toEnvironment(s, 'secret'), ctx.fixer.envExample(varName)].filter((f) => f !== undefined),
      together: weakness
        ? {
            code: 'DDH102',
            message: `SECRET_KEY is hardcoded in the settings, and it ${weakness}: generate a new random key, read it from the environment (e.g. ${varName}), and rotate the key.`,
          }
        : undefined,
    });
  },
};
