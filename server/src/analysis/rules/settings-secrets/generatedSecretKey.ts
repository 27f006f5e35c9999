// DDH106: SECRET_KEY generated when the process starts (get_random_secret_key(), secrets.token_*,
// random.choice loops, os.urandom…), always or as the fallback of an environment lookup; not when
// persisted to a file read back, one level lower under gunicorn's preload_app.
import type { GunicornRun } from '../../models/appServer/model';
import type { CallRecord } from '../../eval/scope';
import { isGenerated, truthy, type UnknownValue } from '../../eval/values';
import type { Fix, Rule } from '../types';
import { fallbackLink } from '../basis';

export const generatedSecretKey: Rule = {
  code: 'DDH106',
  name: 'generated-secret-key',
  title: 'SECRET_KEY generated at start-up',
  severity: 'warning',
  group: 'settings-secrets',
  checklist: 'secret-key',
  target: 'settings',
  fixSafety: 'unsafe',
  docs: {
    what: 'Flags a production `SECRET_KEY` that is generated each time the settings are imported — `get_random_secret_key()`, `secrets.token_urlsafe()`, `os.urandom()`, `uuid.uuid4()` and the like —, whether always (an error) or as the fallback of an environment lookup such as `os.environ.get("DJANGO_SECRET_KEY") or get_random_secret_key()` (a warning: production runs with a random key whenever the variable is missing). A key read from a file is not reported, nor one the settings generate once and write to a file they read back on the next start. When every production gunicorn run preloads the app (`--preload`, `preload_app = True`), the workers share the master\'s key, so the finding is one level lower and says that each restart still changes the key.',
    why: 'Every worker process imports the settings, so each one signs with a different key, and every restart or deploy changes them all: sessions and messages signed by one worker are rejected by the next, users are logged out at random and after each deploy, and password-reset links and other signed values stop working. Nothing fails loudly, so the missing variable goes unnoticed. Django itself refuses to start without a SECRET_KEY for this reason.',
    example: 'SECRET_KEY = os.environ.get("DJANGO_SECRET_KEY") or get_random_secret_key()',
    fix: 'Read the key from the environment (or a secrets manager) with no fallback, so that a missing key stops the deployment, and generate it once, when the environment is set up (`python -c "from django.core.management.utils import get_random_secret_key as g; print(g())"`). The quick fix rewrites the value to a required lookup in the style the project uses; it is unsafe because the deployment must then provide the variable.',
    good: 'SECRET_KEY = os.environ["DJANGO_SECRET_KEY"]',
    references: [
      { title: 'Django: SECRET_KEY', url: 'https://docs.djangoproject.com/en/stable/ref/settings/#secret-key' },
      { title: 'Django: cryptographic signing', url: 'https://docs.djangoproject.com/en/stable/topics/signing/' },
    ],
  },
  check(ctx) {
    const s = ctx.settings.get('SECRET_KEY');
    const v = s.value;
    if (!s.isSet) return ctx.notApplicable('SECRET_KEY is not set (see DDH102)');
    if (!isGenerated(v)) return;
    // generated once and written to a file the settings read back on the next start: a fixed key
    if (persisted(v, ctx.calls)) return;
    const lookup = v.env?.[0];
    const fix = ctx.fixer.toEnvironment(s, 'secret');
    const example = fix ? ctx.fixer.envExample(ctx.fixer.envVarName('SECRET_KEY')) : undefined;
    // gunicorn --preload imports the settings once, in the master: the workers share its key, but
    // every restart still makes a new one
    const preload = preloaded(ctx.appServer.runs);
    const perWorker = preload
      ? `gunicorn runs with ${preload}, so its workers share one key, but every restart makes a new one, which logs users out`
      : undefined;
    ctx.report({
      loc: s.loc,
      severity: lookup ? (preload ? 'information' : 'warning') : preload ? 'warning' : 'error',
      // the fallback runs only where the deployment leaves the variable unset
      ...(lookup ? { basis: [fallbackLink(ctx, lookup)] } : {}),
      fixes: [fix, example].filter((f): f is Fix => f !== undefined),
      message: lookup
        ? `SECRET_KEY falls back to a key generated at start-up when the environment variable ${lookup.name} is not set: ${perWorker ?? 'each worker then signs with its own key and every restart logs users out'}; require the variable instead.`
        : `SECRET_KEY is generated each time the process starts: ${perWorker ?? 'each worker signs with its own key and every restart logs users out'} and breaks signed links; read a fixed key from the environment.`,
    });
  },
};

/** The key is written to a file by the settings (`f.write(f"SECRET_KEY = '{key}'")`), to be read back. */
function persisted(v: UnknownValue, calls: readonly CallRecord[]): boolean {
  const at = v.generatedAt;
  if (!at) return false;
  return calls.some(
    (c) =>
      c.callee === 'file.write' &&
      c.args.some((a) => isGenerated(a) && a.generatedAt?.file === at.file && a.generatedAt.start === at.start),
  );
}

/** How preload_app is turned on ("--preload (start.sh)"), when every production gunicorn run has it on. */
function preloaded(runs: readonly GunicornRun[]): string | undefined {
  let first: string | undefined;
  for (const r of runs) {
    if (!r.production) continue;
    const o = r.settings.get('preload_app');
    if (!o || truthy(o.value) !== true) return undefined;
    first ??= `${o.source === 'config' ? 'preload_app' : (o.option?.flag.text ?? 'preload_app')} (${r.label})`;
  }
  return first;
}
