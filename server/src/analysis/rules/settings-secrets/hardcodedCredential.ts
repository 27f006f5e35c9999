// DDH103: credentials other than SECRET_KEY, database passwords and the Sentry DSN written in the
// settings: EMAIL_HOST_PASSWORD, API keys and tokens, old keys in SECRET_KEY_FALLBACKS, passwords
// in URLs, values in well-known key formats, also inside dict settings and as lookup fallbacks.
import { isEnvironmentDefault, isSupplied } from '../../models/settings/query';
import { CELERY_BEAT_SCHEDULE, SENTRY_INIT } from '../../catalogue/libraries';
import { credentialUnused, isThisMachine, namesAnEntry, readByDjangoOrLibrary, serviceHostOf } from '../../models/settings/usage';
import { NestedMemo, ValueMemo } from '../../eval/valueMemo';
import * as V from '../../eval/values';
import type { Loc, StrValue, Value } from '../../eval/values';
import { echoable, isWrittenInCode, originNote, unknownReason } from '../helpers';
import { toEnvironmentFix } from '../fixes/stringEdits';
import { renderedFromMissingVariables } from './lookups';
import type { SettingValue } from '../settings';
import type { Fix, Rule, RuleContext, Severity } from '../types';
import {
  credentialIn,
  describesCredential,
  entryValueIndex,
  isPublicHalf,
  isSecretName,
  isWordSlug,
  normaliseName,
  VERIFIED_SECRET_NAME,
} from '../../secrets/index';
import { fallbackLink, guardLink } from '../basis';
import { startupGuard } from '../startupGuard';

/** Settings other rules own: SECRET_KEY (DDH101), DATABASES (DDH705), the Sentry DSN (DDH905). */
const OWNED_ELSEWHERE = new Set(['SECRET_KEY', 'DATABASES', 'SENTRY_DSN', 'RAVEN_CONFIG']);

/** Lists whose every item is a credential although the name does not say so. */
const SECRET_LISTS = new Set(['SECRET_KEY_FALLBACKS']);

const MAX_DEPTH = 6;

/** The settings that hold celery beat's schedule (catalogue: CELERY_BEAT_SCHEDULE). */
const BEAT_SCHEDULES: ReadonlySet<string> = new Set(CELERY_BEAT_SCHEDULE.settings.value);

/** Findings that get quick fixes, in the order of the settings. */
const MAX_FIXED = 25;

type PathPart = { readonly key: string } | { readonly index: number };

interface Candidate {
  readonly setting: SettingValue;
  readonly value: StrValue;
  readonly path: readonly PathPart[];
  readonly loc: Loc;
  /** Why it is a credential: its name, its format (with a label) or a password in a URL. */
  readonly kind: 'name' | 'format' | 'url';
  readonly label?: string;
  /** It only stands in for a credential (see secrets.ts credentialIn). */
  readonly placeholder: boolean;
  /** Too short to be masked, under a secret the app verifies with (secrets/decision.ts Credential.short). */
  readonly short?: true;
}

/** `ANYMAIL["MAILGUN_API_KEY"]`, `SECRET_KEY_FALLBACKS[0]`; "an entry of X" when a key may not be repeated. */
function describe(name: string, path: readonly PathPart[]): string {
  let out = name;
  for (const p of path) {
    if ('index' in p) out += `[${p.index}]`;
    else {
      const key = echoable(p.key);
      if (key === undefined) return `an entry of ${name}`;
      out += `[${JSON.stringify(key)}]`;
    }
  }
  return out;
}

/** Locations of the strings other rules report: the values of the settings they own, sentry_sdk.init's DSN. */
function ownedLocations(ctx: RuleContext): Set<string> {
  const out = new Set<string>();
  const visit = (v: Value | undefined, depth: number): void => {
    if (!v || depth > MAX_DEPTH) return;
    if (v.kind === 'str' && v.loc) out.add(key(v.loc));
    else if (V.isSeq(v)) v.items.forEach((i) => visit(i, depth + 1));
    else if (v.kind === 'dict') v.values.forEach((i) => visit(i, depth + 1));
  };
  for (const name of OWNED_ELSEWHERE) visit(ctx.settings.get(name).value, 0);
  for (const c of ctx.calls) {
    if (c.callee !== SENTRY_INIT.callee.value) continue;
    visit(c.args[0], 0);
    visit(c.kwargs.get('dsn'), 0);
  }
  return out;
}

function key(loc: Loc): string {
  return `${loc.file}:${loc.start}:${loc.end}`;
}

const BLANK = /^\s*$/;
const SETTING_NAME = /^[A-Z][A-Z0-9_]*$/;

/** A credential in a setting's value: where in the value, and why. */
type Hit = Omit<Candidate, 'setting' | 'loc'>;

/** The credentials in each setting's value (kept while the value does not change: valueMemo.ts). */
const hitsMemo = new ValueMemo<readonly Hit[]>();

const NO_HITS: readonly Hit[] = [];

/**
 * The credentials in `value`, the value of setting `name` (`named`: its name says it holds one);
 * `uses` is told every container read.
 */
function hitsIn(value: Value, named: boolean, name: string, uses: (container: Value) => void): readonly Hit[] {
  return hitsFrom(value, named, 0, name, uses);
}

/** The credentials in the containers met inside a setting's value, by context (kept: valueMemo.ts). */
const innerHits = new NestedMemo<readonly Hit[]>();

/**
 * The credentials in `value`, met at `start` levels deep in a setting's value (`secretContext`: a
 * key above it names a secret; `name`: the nearest such key, else the setting's name), with paths
 * from `value`.
 */
function hitsFrom(value: Value, secretContext: boolean, start: number, name: string, uses: (container: Value) => void): readonly Hit[] {
  let out: Hit[] | undefined;
  // Every setting is walked after every keystroke in the editor (unless kept): no closure or object
  // per item; the path to the item visited is a stack of keys (strings) and indexes (numbers),
  // copied only for a hit.
  const path: (string | number)[] = [];
  const here = (): Hit['path'] => path.map((p) => (typeof p === 'number' ? { index: p } : { key: p }));
  const visit = (v: Value, secretContext: boolean, depth: number, name: string): void => {
    if (depth > MAX_DEPTH) return;
    if (depth > start && (V.isSeq(v) || v.kind === 'dict')) {
      // a container inside: its credentials are kept while it does not change (one group of a
      // dict replaced leaves the others as they were)
      const inner = innerHits.get(v, `${secretContext ? 1 : 0}\0${depth}\0${name}`, uses, (u) =>
        hitsFrom(v, secretContext, depth, name, u),
      );
      if (inner.length > 0) {
        const prefix = here();
        for (const h of inner) (out ??= []).push({ ...h, path: [...prefix, ...h.path] });
      }
      return;
    }
    if (V.isSeq(v)) {
      uses(v);
      for (let index = 0; index < v.items.length; index++) {
        path.push(index);
        visit(v.items[index]!, secretContext, depth + 1, name);
        path.pop();
      }
      return;
    }
    if (v.kind === 'dict') {
      uses(v);
      // beat's schedule: its keys name entries, an entry's `task` names the task it runs (a task
      // called refresh_access_token is not a token); `name` stays the setting's below them
      const schedule = BEAT_SCHEDULES.has(name) && depth <= 1;
      // (CONSTANCE_CONFIG: of each entry's tuple only the default is a value, the help text describes it)
      const entryValue = depth === 0 ? entryValueIndex(name) : undefined;
      for (let i = 0; i < v.keys.length; i++) {
        const k = v.keys[i]!;
        if (k.kind !== 'str') continue;
        const entry = v.values[i]!;
        if (entryValue !== undefined && V.isSeq(entry)) {
          uses(entry);
          const item = entry.items[entryValue];
          if (!item) continue;
          const secret = isSecretName(k.v);
          path.push(k.v, entryValue);
          visit(item, secretContext || secret, depth + 2, secret ? k.v : name);
          path.pop();
          path.pop();
          continue;
        }
        const taskName = schedule && (depth === 0 || k.v === CELERY_BEAT_SCHEDULE.taskKey.value);
        // (the public half of a pair, `"id"` beside `"key"`, is an identifier sent in clear: names.ts isPublicHalf)
        const half = taskName || isPublicHalf(k.v);
        const secret = !half && isSecretName(k.v);
        path.push(k.v);
        // (a key describing the group's credential — its type, header name, location — holds no secret)
        visit(
          v.values[i]!,
          half || (!secret && describesCredential(k.v)) ? false : secretContext || secret,
          depth + 1,
          secret ? k.v : name,
        );
        path.pop();
      }
      return;
    }
    if (v.kind !== 'str' || BLANK.test(v.v)) return;
    if (!isWrittenInCode(v) && !isEnvironmentDefault(v)) return;
    // the one decision (secrets.ts): shapes, URLs, names; false friends, placeholders and RabbitMQ's guest
    const c = credentialIn(v.v, secretContext, name);
    if (c === undefined) return;
    (out ??= []).push({
      value: v,
      path: here(),
      kind: c.kind,
      label: c.label,
      placeholder: c.placeholder,
      ...(c.short ? { short: c.short } : {}),
    });
  };
  visit(value, secretContext, start, name);
  return out ?? NO_HITS;
}

/** Whether a setting's name says it holds a credential (or a list of them). */
function namedSecret(name: string): boolean {
  return isSecretName(name) || SECRET_LISTS.has(name);
}

/** The credentials in a setting's value (hitsMemo's computation: one function, no closure per setting). */
function settingHits(value: Value, name: string, uses: (container: Value) => void): readonly Hit[] {
  return hitsIn(value, namedSecret(name), name, uses);
}

function candidates(ctx: RuleContext): Candidate[] {
  const owned = ownedLocations(ctx);
  const out: Candidate[] = [];
  const seen = new Set<string>();
  // every setting after every keystroke in the editor: a setting's answer is read only for a hit
  const hitsOf = hitsMemo.pass();
  ctx.settings.forEachBound((name, value) => {
    const k = value.kind;
    if (k !== 'unknown' && k !== 'str' && k !== 'dict' && k !== 'list' && k !== 'tuple' && k !== 'set') return;
    if (!SETTING_NAME.test(name) || OWNED_ELSEWHERE.has(name)) return;
    if (k === 'unknown') {
      if (namedSecret(name) && !isSupplied(value) && value.producedBy !== 'file' && value.producedBy !== 'generated') {
        const s = ctx.settings.get(name);
        ctx.unknown(unknownReason(s), s.loc);
      }
      return;
    }
    const hits = hitsOf(value, name, settingHits);
    if (hits.length === 0) return;
    const s = ctx.settings.get(name);
    for (const hit of hits) {
      // a slug the module uses as another setting's key or an entry's id
      // (`HAWK_SENDER_CREDENTIALS = "my-sender"`, then `{HAWK_SENDER_CREDENTIALS: {"id": …, "key": env(…)}}`)
      // names which credentials, it is not one; a value that looks random is still reported
      if (
        hit.path.length === 0 &&
        hit.kind === 'name' &&
        value.kind === 'str' &&
        isWordSlug(value.v) &&
        namesAnEntry(ctx.settings, name, value.v)
      )
        continue;
      const loc = ctx.settings.locOf(hit.value) ?? s.loc;
      const at = key(loc);
      if (owned.has(at) || seen.has(at)) continue;
      seen.add(at);
      out.push({ setting: s, ...hit, loc });
    }
  });
  return out;
}

/** A password the app gives an account it creates (the superuser a start script makes), not one it presents. */
const GRANTED = /(^|_)(ADMIN|SUPERUSER|SUPER_USER|ROOT|INITIAL|DEFAULT_USER|DEFAULT_ADMIN)_?(PASS|PASSWORD|PASSWD|PWD)$/;

/**
 * A secret the app checks what it receives against (secrets/names.ts): unset, a placeholder fallback
 * does not fail closed, since whoever knows it can sign what the app then accepts.
 */
const VERIFIED = VERIFIED_SECRET_NAME;

export const hardcodedCredential: Rule = {
  code: 'DDH103',
  name: 'hardcoded-credential',
  title: 'Credentials in the settings',
  severity: 'error',
  group: 'settings-secrets',
  checklist: 'secrets',
  target: 'settings',
  fixSafety: 'unsafe',
  // (a placeholder, a warning, may be explained by its comment — a feature not in use; a real
  // credential is an error, which no comment sets aside)
  explainable: true,
  docs: {
    what: 'Flags credentials written in the production settings, as literals (or built from literals) or as the fallback of an environment lookup: settings whose name says they hold one (`EMAIL_HOST_PASSWORD`, `*_PASSWORD`, `*_API_KEY`, `*_TOKEN`, `*_SECRET`, `*_SECRET_KEY`, `*_PRIVATE_KEY`, `AWS_SECRET_ACCESS_KEY`, `AWS_ACCESS_KEY_ID`, Stripe keys…) and the same names as keys of dict settings (`ANYMAIL = {"MAILGUN_API_KEY": …}`, `SOCIALACCOUNT_PROVIDERS[…]["APP"]["secret"]`; of a django-constance `CONSTANCE_CONFIG` entry `(default, help text[, type])` only the default); every entry of `SECRET_KEY_FALLBACKS`, however strong; URLs with a password (`redis://:pw@cache:6379`); and any value in a well-known key format (`AKIA…`, `sk_live_…`, `ghp_…`, `xox…`, `AIza…`, private keys). `SECRET_KEY`, database passwords and the Sentry DSN have their own rules (DDH101, DDH705, DDH905). Public keys (`*_PUBLIC_KEY`, `*_PUBLISHABLE_KEY`), tokens public by design (Mixpanel project tokens, Stripe publishable keys, Mapbox public tokens, a Sentry DSN with its public key only: catalogue/publicTokens.ts), colours (`"brand": "#7c3aed"` under a theme’s tokens), empty strings, file paths, class paths, rates (`ACCOUNT_RATE_LIMITS["change_password"] = "1/m/user"`), durations, flags, environment-variable names and the built-in account of RabbitMQ (which the broker only accepts from its own machine) are not credentials. A placeholder (`"changeme"`, `"set-it"`, `"your-api-key-here"`, `"<token>"`, `"blank"`, a value that only repeats words of its name, a short lower-case label naming the kind of credential (`"smtp password"`), an error marker such as `"MISSING X ENV VAR"` or `"please set X"`) written as the value is reported as a warning: nothing leaks, but production runs with it; as the fallback of an environment lookup it is not reported (unset, the service refuses it: it fails closed), except for a secret the app checks what it receives against (`*_WEBHOOK_SECRET`, `*_HOOK_SECRET*`, `*_SIGNING_KEY`, `JWT_SECRET*`, `HMAC_*`, `*_VERIFY_TOKEN`): there the placeholder fails open, since anything signed with it is accepted, a warning. A fallback for a service on this machine (its `*_HOST` setting is localhost, as DDH705 judges database passwords) is a warning; an SMTP password under an e-mail backend that never logs in is a hint. Values are never shown in messages. A fallback the settings refuse to start with — a module-level `if` that only raises (or exits), whose test holds for the written default with DEBUG off (`if not DEBUG and SECRET_KEY.startswith("django-insecure"): raise ImproperlyConfigured(…)`) — is information: production, with DEBUG off, cannot run with it, and a deployment that leaves DEBUG on is DEBUG\'s own finding. A fallback under a credential\'s name (not a key format) of a setting nothing reads — not Django, not a catalogued library, no app, middleware or backend whose import path holds the name\'s first word, no module of the project\'s own code, no other setting — is information: nothing in the project reads it.',
    why: 'Everyone who can read the repository — every clone, fork, CI log and backup — can use the credential: send mail as the site, charge cards, read the bucket. It cannot be rotated without a commit, so it never is, and it stays in the history after it is removed. A fallback is just as public, and production silently uses it whenever the variable is missing.',
    example: 'EMAIL_HOST_PASSWORD = "hunter2"\nSTRIPE_SECRET_KEY = os.environ.get("STRIPE_SECRET_KEY", "sk_live_…")',
    fix: "Read each credential from the environment (or a secrets manager) with no default, and rotate it: the old value stays in the history. The quick fixes rewrite a written value to a required lookup in the project's style (a list such as `SECRET_KEY_FALLBACKS` to a comma-separated variable that is empty when unset), rewrite a value inside a dict when it is a plain literal, or drop the written default of an existing lookup; they can add the variable name to `.env.example`. All are unsafe: the deployment must then provide the variable.",
    good: 'EMAIL_HOST_PASSWORD = os.environ["DJANGO_EMAIL_HOST_PASSWORD"]\nSTRIPE_SECRET_KEY = os.environ["STRIPE_SECRET_KEY"]',
    references: [
      {
        title: 'Django deployment checklist: critical settings',
        url: 'https://docs.djangoproject.com/en/stable/howto/deployment/checklist/#critical-settings',
      },
      { title: 'Django: SECRET_KEY_FALLBACKS', url: 'https://docs.djangoproject.com/en/stable/ref/settings/#secret-key-fallbacks' },
      {
        title: 'OWASP: Secrets Management Cheat Sheet',
        url: 'https://cheatsheetseries.owasp.org/cheatsheets/Secrets_Management_Cheat_Sheet.html',
      },
      {
        title: 'GitHub: supported secret scanning patterns',
        url: 'https://docs.github.com/en/code-security/secret-scanning/introduction/supported-secret-scanning-patterns',
      },
    ],
  },
  check(ctx) {
    candidates(ctx).forEach((c, n) => {
      const where = describe(c.setting.name, c.path);
      const v = c.value;
      // "None" rendered from lookups without a default (an f-string of os.getenv() calls): no one wrote it
      if (renderedFromMissingVariables(ctx, v)) return;
      const note = originNote(v);
      let message: string;
      let severity: Severity = 'error';
      // judged as DDH705 judges a database password: a fallback for a service on this machine is a
      // development default (a warning), whichever setting holds it; one the configuration never
      // uses is a hint
      const top = c.path.length === 0;
      const unused = top ? credentialUnused(ctx.settings, c.setting.name) : undefined;
      const service = top && isEnvironmentDefault(v) ? serviceHostOf(ctx.settings, c.setting.name) : undefined;
      // a placeholder the environment replaces: unset, the service refuses it (it fails closed), and
      // nothing leaks; no finding
      // (not a password the app gives an account it creates, ADMIN_PASSWORD: unset, that account opens with it)
      // (in a dict too, `SERVICES["mast"]["api_key"]` falling back to "MAST_API_TOKEN not set": the key named by its path)
      const last = c.path[c.path.length - 1];
      const named = (re: RegExp): boolean =>
        re.test(c.setting.name) || (last !== undefined && 'key' in last && re.test(last.key.toUpperCase()));
      const granted = named(GRANTED);
      // (nor a secret the app verifies signatures with: unset, anything signed with the placeholder is accepted)
      const verified = named(VERIFIED);
      if (c.placeholder && isEnvironmentDefault(v) && !granted && !verified) return;
      const guard = top && isEnvironmentDefault(v) ? startupGuard(ctx, c.setting.name, v) : undefined;
      // a fallback under a credential's name (not a key format, which is a real key whatever reads it)
      // of a setting neither Django, a catalogued library nor the project's own code reads
      const unread =
        top && isEnvironmentDefault(v) && c.kind === 'name' && !c.placeholder && !readByDjangoOrLibrary(ctx.settings, c.setting.name)
          ? ctx.codeReadsSetting(c.setting.name)
          : undefined;
      if (c.placeholder && verified && isEnvironmentDefault(v)) {
        severity = 'warning';
        message = `${where} falls back to a placeholder written in the settings${note}: the app checks what it receives against this secret, so a deployment without the variable accepts anything signed with a value anyone with the repository knows (it fails open); make the variable required.`;
      } else if (c.placeholder) {
        severity = 'warning';
        message = `${where} is a placeholder written in the settings${note}: production runs with it as it is; read the real value from the environment, with no default.`;
      } else if (unused) {
        severity = 'hint';
        message = `${where} is written in the settings${note}, but ${unused}: nothing uses it now; remove it, or read it from the environment before switching to SMTP.`;
      } else if (unread?.state === 'no' && !guard) {
        severity = 'information';
        message = `${where} falls back to a credential written in the settings${note}, but nothing in the project reads it (${unread.why}; a library that reads settings by name still may): remove it, or make the variable required and rotate the credential.`;
      } else if (c.short && !isEnvironmentDefault(v)) {
        message = `${where} is written in the settings, ${[...v.v.trim()].length} characters long: the app checks what it receives against this secret, so anyone who reads the repository, or tries a few guesses, can sign what it accepts; read a long random value from the environment.`;
      } else if (c.short) {
        severity = 'warning';
        message = `${where} falls back to a value of ${[...v.v.trim()].length} characters written in the settings${note}: the app checks what it receives against this secret, so a deployment without the variable accepts anything signed with a value anyone can guess (it fails open); make the variable required.`;
      } else if (c.kind === 'format') {
        message = `${where} holds ${c.label} written in the settings${note}: read it from the environment and revoke the key.`;
      } else if (c.kind === 'url') {
        message = `${where} holds a URL with a password written in the settings${note}: read the URL from the environment and change the password.`;
      } else if (service && isThisMachine(service.host)) {
        severity = 'warning';
        message = `${where} falls back to a credential written in the settings${note}, for a service on this machine (${service.setting} is ${service.host.trim() === '' ? 'empty' : JSON.stringify(/^[\w.:[\]/-]{1,64}$/.test(service.host.trim()) ? service.host.trim() : 'local')}): a development default, but a deployment without the variable logs in with it; make the variable required.`;
      } else if (isEnvironmentDefault(v) && guard) {
        // the settings refuse to start on it (`if not DEBUG and X == "dev-secret": raise`)
        severity = 'information';
        message = `${where} falls back to a credential written in the settings${note}, but ${guard.where} refuses to start with it${guard.debugOff ? ' when DEBUG is off: only a deployment that leaves DEBUG on uses it' : ''}; make the variable required all the same.`;
      } else if (isEnvironmentDefault(v)) {
        message = `${where} falls back to a credential written in the settings${note}: make the variable required and rotate the credential.`;
      } else {
        message = `${where} is written in the settings: read it from the environment and rotate it (the old value stays in the repository's history).`;
      }
      // building a fix reads the project's style; a module with hundreds of credentials is
      // generated data, and the first ones show the way
      // a fallback: the claim is the written credential itself, certain unless the deployment sets the variable
      const lookup = isEnvironmentDefault(v) ? v.env?.[0] : undefined;
      ctx.report({
        loc: c.loc,
        severity,
        message,
        fixes: n < MAX_FIXED ? credentialFixes(ctx, c) : [],
        ...(lookup ? { basis: guard ? [fallbackLink(ctx, lookup), guardLink(guard, c.setting.name)] : [fallbackLink(ctx, lookup)] } : {}),
      });
    });
  },
};

/** Fixes that make a credential come from the environment, when that can be done in place. */
function credentialFixes(ctx: RuleContext, c: Candidate): Fix[] {
  const v = c.value;
  const s = c.setting;
  const fixes: (Fix | undefined)[] = [];
  let varName: string | undefined;
  if (isEnvironmentDefault(v)) {
    const lookup = v.env?.[0];
    if (!lookup) return [];
    varName = lookup.name;
    fixes.push(ctx.fixer.requireEnvironment(lookup.loc, `Drop the written default of ${varName} (requires ${varName} in the environment)`));
  } else if (c.path.length === 0) {
    varName = ctx.fixer.envVarName(s.name);
    fixes.push(toEnvironmentFix(ctx, s, 'secret'));
  } else if (V.isSeq(s.value) && c.path.length === 1 && s.value.items.every((i) => i.kind === 'str' && isWrittenInCode(i))) {
    // a list of written keys (SECRET_KEY_FALLBACKS) becomes one comma-separated variable
    varName = ctx.fixer.envVarName(s.name);
    fixes.push(
      toEnvironmentFix(ctx, s, 'list', {
        title: `Read ${s.name} from the environment (${varName}, comma-separated; empty until it is set)`,
      }),
    );
  } else if (c.path.every((p) => 'key' in p && /^[A-Za-z_][\w-]*$/.test(p.key))) {
    varName = ctx.fixer.envVarName([s.name, ...c.path.map((p) => normaliseName((p as { key: string }).key))].join('_'));
    fixes.push(
      ctx.fixer.exprToEnvironment(c.loc, varName, 'secret', {
        title: `Read ${describe(s.name, c.path)} from the environment (requires ${varName} in the environment)`,
      }),
    );
  }
  if (fixes[0] && varName) fixes.push(ctx.fixer.envExample(varName));
  return fixes.filter((f): f is Fix => f !== undefined);
}
