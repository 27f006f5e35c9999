// What is a secret: the one place that decides it, for the rules that report credentials and for
// every output that must never print one (messages, fix titles, checklists, `--diff`).
//
// - Names: a setting, dict key, keyword or environment variable whose last words say it holds a
//   credential (SECRET_KEY, EMAIL_HOST_PASSWORD, DB_PASS, *_TOKEN, *_API_KEY, FIELD_ENCRYPTION_KEY,
//   SIMPLE_JWT["SIGNING_KEY"], gunicorn's keyfile_password…), and `NAME=value` entries under such a
//   name (gunicorn's raw_env, a Procfile or .env line).
// - Shapes: values that are credentials whatever they are called (AWS, Stripe, GitHub, GitLab,
//   Slack, Google, SendGrid, Mailgun, OpenAI keys, private keys) and passwords inside URLs.
// - False friends: what a secret-sounding name may hold without being one (a rate such as
//   "1/m/user" under "change_password", a type name, a flag, a file path, a class path, a URL
//   without a password) and placeholders ("changeme") that only stand in for one.
// Nothing here ever returns a value for display: only whether and why something is secret, and
// text with the secrets masked.
import { NestedMemo, ValueMemo } from '../eval/valueMemo';
import type { Value } from '../eval/values';

// ---- names -------------------------------------------------------------------------------------

/** The last words of a setting or dict-key name that make its value a credential. */
const SECRET_SUFFIX =
  /(^|_)(PASSWORD|PASSWORDS|PASSWD|PASS|PWD|PASSPHRASE|SECRET|SECRETS|TOKEN|TOKENS|API_?KEY|API_?KEYS|SECRET_KEY|SECRET_KEYS|PRIVATE_KEY|ACCESS_KEY|ACCESS_KEY_ID|SECRET_ACCESS_KEY|SIGNING_KEY|ENCRYPTION_KEY|MASTER_KEY|LICENSE_KEY|AUTH_KEY|CREDENTIALS?)$/;

/** Words that make a key-like name public (publishable Stripe keys, reCAPTCHA site keys…). */
const PUBLIC_WORD = /(^|_)(PUBLIC|PUBLISHABLE|SITE)(_|$)/;

/** A setting or dict key, normalised: `client-secret` → `CLIENT_SECRET`, `apiKey` → `API_KEY`. */
export function normaliseName(name: string): string {
  return name
    .replace(/([a-z0-9])([A-Z])/g, '$1_$2')
    .toUpperCase()
    .replace(/[^A-Z0-9]+/g, '_')
    .replace(/^_+|(?<!_)_+$/g, '');
}

/**
 * Answers for names and values seen before: the language server re-runs the rules after every
 * keystroke over the same few thousand names and strings. Bounded, and cleared when full.
 */
export function memo<T>(fn: (key: string) => T): (key: string) => T {
  const cache = new Map<string, T>();
  return (key) => {
    let v = cache.get(key);
    if (v === undefined && !cache.has(key)) {
      if (cache.size >= 20_000) cache.clear();
      v = fn(key);
      cache.set(key, v);
    }
    return v as T;
  };
}

/**
 * memo for an answer about a string value that may sit under a name (`named` when the name is
 * sensitive, with the name). Only for functions whose answer does not depend on the name when
 * `named` is false (the value alone decides then). Answers are shared: callers must not change them.
 * (secretParts: about 3× faster on the strings of a large settings module seen again; credentialIn
 * is as fast as a lookup already and is not memoised.)
 */
function memoValue<T>(fn: (value: string, named: boolean, name?: string) => T): (value: string, named: boolean, name?: string) => T {
  const plain = new Map<string, T>();
  const byName = new Map<string | undefined, Map<string, T>>();
  let size = 0;
  return (value, named, name) => {
    let cache = plain;
    if (named) {
      let m = byName.get(name);
      if (m === undefined) byName.set(name, (m = new Map()));
      cache = m;
    }
    let v = cache.get(value);
    if (v === undefined && !cache.has(value)) {
      if (size >= 50_000) {
        plain.clear();
        byName.clear();
        size = 0;
        if (named) byName.set(name, cache);
        cache.clear();
      }
      v = fn(value, named, name);
      cache.set(value, v);
      size++;
    }
    return v as T;
  };
}

/** Whether a setting, dict-key, keyword or variable name says its value is a credential. */
export const isSecretName = memo(secretName);

/**
 * Keys that describe a credential rather than hold it: inside a group a secret name opens
 * (`"Token": {"type": "apiKey", "name": "Authorization", "in": "header"}`, an OpenAPI security
 * scheme; `"API_KEY": {"header": "X-Api-Key", "value": …}`), the value of such a key is what it
 * says (a type, a header name, a location, a URL), not the secret.
 */
const DESCRIBING_KEYS = new Set([
  'TYPE',
  'NAME',
  'IN',
  'SCHEME',
  'BEARER_FORMAT',
  'FORMAT',
  'DESCRIPTION',
  'HEADER',
  'HEADER_NAME',
  'LOCATION',
  'KIND',
  'LABEL',
  'TITLE',
  'URL',
  'AUTHORIZATION_URL',
  'TOKEN_URL',
  'REFRESH_URL',
  'OPEN_ID_CONNECT_URL',
  'SCOPES',
  'FLOW',
  'FLOWS',
]);

/** Whether a dict key describes the credential of its group rather than holding it (see DESCRIBING_KEYS). */
export function describesCredential(key: string): boolean {
  return DESCRIBING_KEYS.has(normaliseName(key));
}

/** An upper-case module-level name not starting with `_` (a setting, as Django reads them). */
const isUpperName = memo((name) => name === name.toUpperCase() && !name.startsWith('_'));

function secretName(name: string): boolean {
  const n = normaliseName(name);
  if (n === '' || PUBLIC_WORD.test(n)) return false;
  if (SECRET_SUFFIX.test(n)) return true;
  // Stripe's settings are secret unless publishable (STRIPE_LIVE_KEY, STRIPE_WEBHOOK_SIGNING…)
  return /^STRIPE_/.test(n) && /(^|_)(KEY|SECRET|SIGNING)(_|$)/.test(n);
}

/**
 * Whether a value under this name must be kept out of any output: a credential name, or a name
 * for something that embeds one (a Sentry DSN carries its project key), or the old keys of
 * SECRET_KEY_FALLBACKS. Wider than isSecretName,
 * which decides what the rules report as a credential written in the settings.
 */
export const isSensitiveName = memo(
  (name: string): boolean => isSecretName(name) || /(^|_)DSN$|^SECRET_KEY_FALLBACKS$/.test(normaliseName(name)),
);

// ---- shapes ------------------------------------------------------------------------------------

/** Well-known credential formats, with what to call them in a message. */
const KEY_FORMATS: readonly { readonly re: RegExp; readonly label: string }[] = [
  { re: /^(AKIA|ASIA)[0-9A-Z]{16}$/, label: 'an AWS access key ID' },
  { re: /^(sk|rk)_live_[0-9A-Za-z]{10,}$/, label: 'a Stripe live secret key' },
  { re: /^(sk|rk)_test_[0-9A-Za-z]{10,}$/, label: 'a Stripe test secret key' },
  { re: /^whsec_[0-9A-Za-z+/=]{16,}$/, label: 'a Stripe webhook signing secret' },
  { re: /^(ghp|gho|ghu|ghs|ghr)_[0-9A-Za-z]{30,}$/, label: 'a GitHub token' },
  { re: /^github_pat_[0-9A-Za-z_]{30,}$/, label: 'a GitHub token' },
  { re: /^glpat-[0-9A-Za-z_-]{20,}$/, label: 'a GitLab token' },
  { re: /^xox[abposr]-[0-9A-Za-z-]{10,}$/, label: 'a Slack token' },
  { re: /^AIza[0-9A-Za-z_-]{35}$/, label: 'a Google API key' },
  { re: /^SG\.[0-9A-Za-z_-]{16,}\.[0-9A-Za-z_-]{16,}$/, label: 'a SendGrid API key' },
  { re: /^key-[0-9a-f]{32}$/, label: 'a Mailgun API key' },
  { re: /^sk-(proj-|ant-)?[0-9A-Za-z_-]{32,}$/, label: 'an OpenAI or Anthropic API key' },
  { re: /-----BEGIN ([A-Z]+ )*PRIVATE KEY-----/, label: 'a private key' },
];

/** What every format above starts with: most strings fail this one test (no lookup, no trimmed copy). */
const KEY_FORMAT_START = /^\s*(AKIA|ASIA|sk_|rk_|whsec_|gh[pousr]_|github_pat_|glpat-|xox|AIza|SG\.|key-|sk-)|-----BEGIN /;

/** What a string looks like when it has the shape of a well-known credential, else undefined. */
export function keyFormat(value: string): string | undefined {
  if (!KEY_FORMAT_START.test(value)) return undefined;
  const v = value.trim();
  return KEY_FORMATS.find((f) => f.re.test(v))?.label;
}

/** The password of a `scheme://user:password@host` URL, or undefined when there is none. */
export function urlPassword(value: string): string | undefined {
  if (!value.includes('@')) return undefined;
  const m = /^[a-z][a-z0-9+.-]*:\/\/([^/?#@\s]*)@/i.exec(value.trim());
  if (!m) return undefined;
  const colon = m[1]!.indexOf(':');
  if (colon < 0) return undefined;
  const pw = m[1]!.slice(colon + 1);
  return pw === '' ? undefined : pw;
}

/**
 * A well-known account that only works on the machine itself, written in a URL: RabbitMQ's built-in
 * `guest:guest`, which RabbitMQ refuses from any host but localhost. Nothing to rotate or hide.
 */
export function isLocalOnlyDefaultAccount(value: string): boolean {
  const m = /^[a-z][a-z0-9+.-]*:\/\/guest:guest@(localhost|127\.0\.0\.1|\[::1\])(?=[:/?#]|$)/i.exec(value.trim());
  return m !== null;
}

/** A URL's user part that is a token by itself: a key format, a long token, or a hex key (a Sentry DSN's). */
function isTokenUser(user: string): boolean {
  return keyFormat(user) !== undefined || /^[0-9A-Za-z_-]{20,}$/.test(user) || /^[0-9a-f]{12,}$/i.test(user);
}

/** The user part of a URL when it is a token by itself (`https://ghp_…@github.com`, a Sentry DSN's key). */
function urlTokenUser(value: string): string | undefined {
  if (!value.includes('@')) return undefined;
  const m = /^[a-z][a-z0-9+.-]*:\/\/([^/?#@\s:]+)@/i.exec(value.trim());
  const user = m?.[1];
  return user && isTokenUser(user) ? user : undefined;
}

/**
 * `scheme://userinfo@` anywhere in a text: the userinfo is what stripUrlCredentials removes. Read
 * once per run of scheme characters, from its start: (1) what comes before the scheme in the run
 * (`git+` is part of it, but not `1.` or `_`), (2) the scheme, as the leftmost place a scheme can
 * start (a letter after a non-word character) in the run; (3) the userinfo. Tried at each place a
 * scheme could start, `[a-z0-9+.-]*` read the rest of the run each time (quadratic on `a+a+a+…`).
 */
export const URL_USERINFO =
  /(?<![a-z0-9+.-])(?=[a-z0-9+.-]*:\/\/)(?=([a-z0-9+.-]*?)\b([a-z][a-z0-9+.-]*:\/\/))\1\2([^\s/?#@'"`<>]*)@(?=[^\s@])/gi;

/**
 * Any URL in the text with its credentials replaced by `***`: `user:password@` and a user part that
 * is a token by itself (`git+https://oauth2:TOKEN@host/…` → `git+https://***@host/…`). The one
 * function every output that may show a URL goes through (messages, checklists, version sources,
 * summaries, diffs).
 */
export function stripUrlCredentials(text: string): string {
  if (!text.includes('@') || !text.includes('://')) return text;
  return text.replace(URL_USERINFO, (all, before: string, scheme: string, userinfo: string) => {
    if (userinfo === '' || userinfo === '***') return all;
    if (userinfo.includes(':') || isTokenUser(userinfo)) return `${before}${scheme}***@`;
    return all;
  });
}

// ---- false friends and placeholders ------------------------------------------------------------

/**
 * Text that only stands in for a credential: "changeme", "your-api-key-here", "<token>", "xxx",
 * "${API_KEY}"… Nothing leaks when it is committed, but production then runs with it.
 */
export function isPlaceholder(value: string): boolean {
  const v = value.trim().toLowerCase();
  if (
    /^(changeme|change[-_ ]?(me|it|this)|replace[-_ ]?(me|this)|placeholder|dummy|fake|todo|tbd|none|null|secret|password|pass|token|key|test|example|sample|insecure|notasecret|not[-_ ]?a[-_ ]?secret|not[-_ ]?set|unset|empty|n\/?a|x+|\*+|\.+|-+|0+)$/.test(
      v,
    )
  )
    return true;
  if (/^<[^>]*>$|^\{\{.*\}\}$|^\$\{?[a-z_][\w]*\}?$|^%\([a-z_]\w*\)s$/.test(v)) return true;
  return /changeme|change[-_]me|replace[-_]?me|placeholder|^your[-_ ]|[-_ ]here$|xxxx|(^|[-_])x{3,}($|[-_])|dummy|fake[-_]|not[-_]?a[-_]?secret/.test(
    v,
  );
}

/** A string that names a file rather than holding a credential (`/run/secrets/api_key`, `creds.json`). */
export function looksLikePath(value: string): boolean {
  const v = value.trim();
  return /^(\/|~\/|\.{1,2}\/|[A-Za-z]:\\)/.test(v) || /^[\w./\\-]+\.(json|pem|key|p12|pfx|crt|cer|txt|ya?ml|env)$/i.test(v);
}

/** A dotted import path (`djoser.serializers.TokenSerializer`) under a key such as "token". */
export function looksLikeImportPath(value: string): boolean {
  return /^[a-z_][a-z0-9_]*(\.[A-Za-z_][A-Za-z0-9_]*)+$/.test(value.trim());
}

/**
 * A rate or a list of rates: 5/m, 1/m/user, 100/day, "1/m/ip,1/m/key" (django-allauth, DRF
 * throttles). One way to read each string: `\s*\d*\s*` once stood between the slash and the unit,
 * two runs of spaces with nothing between them when there is no number, which split a run of
 * spaces two ways per rate: 2^30 tries on a string of 30 almost-rates (issue 29).
 */
export const RATE_LIST =
  /^\d+(?:\.\d+)?\s*\/\s*(?:\d+\s*)?[a-z]+(?:\/[a-z_]+)*(?:\s*[,;]\s*\d+(?:\.\d+)?\s*\/\s*(?:\d+\s*)?[a-z]+(?:\/[a-z_]+)*)*$/i;

/**
 * A value a secret-sounding name may hold without it being a secret: a rate (`"1/m/user"` under
 * `ACCOUNT_RATE_LIMITS["change_password"]`), a type or class name (`"Bearer"`, `"CharField"`,
 * `"rest_framework.authtoken.models.Token"`), a flag (`"true"`, `"off"`), a file path, or a URL
 * without a password.
 */
export function isFalseFriend(value: string): boolean {
  const v = value.trim();
  if (RATE_LIST.test(v)) return true;
  // a duration: "30s", "5 minutes", "1h30m", "P1D"
  if (
    /^(\d+(\.\d+)?\s*(ms|s|sec|secs|seconds?|m|min|mins|minutes?|h|hrs?|hours?|d|days?|w|weeks?)\s*)+$/i.test(v) ||
    /^P(\d+[YMWD])*(T(\d+[HMS])+)?$/.test(v)
  )
    return true;
  if (/^(true|false|yes|no|on|off|enabled?|disabled?|required|optional|none|null|0|1)$/i.test(v)) return true; // a flag
  if (
    /^(str|int|bool|bytes|float|bearer|basic|jwt|token|hmac|hs256|hs384|hs512|rs256|rs384|rs512|es256|sha1|sha256|sha512|md5|bcrypt|argon2|pbkdf2_sha256)$/i.test(
      v,
    )
  )
    return true; // a type, scheme or algorithm
  // a class name (CharField, AccessToken), by the words classes end with: a password such as
  // "MonkeyBusiness" stays a secret
  if (
    /^[A-Z][A-Za-z]*(Field|Token|Serializer|Backend|Class|Model|Authentication|Permission|Handler|Hasher|Storage|Type|Input|Widget|Validator|Error|Exception)$/.test(
      v,
    )
  )
    return true;
  if (looksLikeImportPath(v) || looksLikePath(v)) return true;
  return /^[a-z][a-z0-9+.-]*:\/\//i.test(v) && urlPassword(v) === undefined && urlTokenUser(v) === undefined;
}

// ---- the decision ------------------------------------------------------------------------------

/** The shortest value under a secret name that is masked: shorter ones are words, not secrets. */
const MIN_NAMED_SECRET = 4;

/** What a string is when it is a credential: why, and whether it only stands in for one. */
export interface Credential {
  /** Its shape (with a label for messages), a password or token in a URL, or the secret name it sits under. */
  readonly kind: 'format' | 'url' | 'name';
  readonly label?: string;
  /** A placeholder ("changeme", "your-key-here", a value that only repeats its name's words): nothing leaks, production runs with it. */
  readonly placeholder: boolean;
}

/**
 * Whether a value only repeats words of the name it sits under: `"secret-key"` under
 * AWS_SECRET_ACCESS_KEY, `"access-key"` under AWS_ACCESS_KEY_ID — a stand-in, not a credential.
 */
function repeatsName(value: string, name: string | undefined): boolean {
  if (!name || !/^[A-Za-z]+([-_ .][A-Za-z]+)*$/.test(value.trim())) return false;
  const words = new Set(normaliseName(name).split('_'));
  return normaliseName(value)
    .split('_')
    .every((w) => words.has(w));
}

/**
 * The one decision about a string in the settings: a credential (by shape, in a URL, or under a
 * secret name — `named`, with the name when known), a placeholder for one, or undefined when it is
 * not one: false friends (a rate, a duration, a type or class name, a flag, a path, a URL without a
 * password), an environment variable's name, RabbitMQ's local-only guest account, very short words.
 */
export function credentialIn(value: string, named: boolean, name?: string): Credential | undefined {
  const label = keyFormat(value);
  if (label) return { kind: 'format', label, placeholder: false };
  const pw = urlPassword(value);
  if (pw !== undefined) return isLocalOnlyDefaultAccount(value) ? undefined : { kind: 'url', placeholder: isPlaceholder(pw) };
  if (urlTokenUser(value) !== undefined) return { kind: 'url', placeholder: false };
  if (!named) return undefined;
  const v = value.trim();
  // an environment variable's name (`"DJANGO_SECRET_KEY"`) is not its value; a public demo key
  // (`"DEMO_KEY"`) is written the same way
  if (isFalseFriend(v) || /^[A-Z][A-Z0-9]*(_[A-Z0-9]+)+$/.test(v)) return undefined;
  // RabbitMQ's built-in guest account works only from the broker's own machine
  if (v === 'guest' && name !== undefined && /(^|_)(RABBIT(MQ)?|AMQP|BROKER|CELERY)(_|$)/.test(normaliseName(name))) return undefined;
  if (isPlaceholder(v) || repeatsName(v, name)) return { kind: 'name', placeholder: true };
  if (v.length < MIN_NAMED_SECRET) return undefined;
  return { kind: 'name', placeholder: false };
}

/**
 * Why a string is a credential, or undefined when it is not (see credentialIn): what every output
 * masks. Placeholders are not masked: they are not secrets.
 */
export function secretKind(
  value: string,
  named: boolean,
  name?: string,
): { kind: 'format'; label: string } | { kind: 'url' } | { kind: 'name' } | undefined {
  const c = credentialIn(value, named, name);
  if (!c || (c.placeholder && c.kind === 'name')) return undefined;
  if (c.kind === 'format') return { kind: 'format', label: c.label! };
  return { kind: c.kind };
}

/**
 * The parts of a string to mask: the whole string, or the password or token inside a URL.
 * `named` when it sits under a sensitive name. Multi-line values (a private key) give each line.
 */
export const secretParts: (value: string, named: boolean, name?: string) => readonly string[] = memoValue((value, named, name) =>
  Object.freeze(partsOf(value, named, name)),
);

function partsOf(value: string, named: boolean, name?: string): string[] {
  const out: string[] = [];
  // `NAME=value` under any name: gunicorn's raw_env, an environment list in a command
  const assign = /^\s*(?:export\s+)?([A-Za-z_][A-Za-z0-9_]*)=(.*)$/s.exec(value);
  if (assign && isSensitiveName(assign[1]!)) out.push(...secretParts(unquote(assign[2]!), true, assign[1]));
  const kind = secretKind(value, named, name);
  if (!kind) return out;
  if (kind.kind === 'url') {
    const pw = urlPassword(value);
    if (pw !== undefined && !isPlaceholder(pw)) out.push(pw);
    const user = urlTokenUser(value);
    if (user !== undefined) out.push(user);
    if (named) out.push(value.trim());
    return out;
  }
  const v = value.trim();
  if (!v.includes('\n')) out.push(v);
  else for (const line of v.split(/\r?\n/)) if (line.trim().length >= 8 && !/^-----(BEGIN|END) /.test(line.trim())) out.push(line.trim());
  return out;
}

function unquote(s: string): string {
  const t = s.trim();
  return /^(["']).*\1$/s.test(t) ? t.slice(1, -1) : t;
}

// ---- secrets in evaluated values ----------------------------------------------------------------

/**
 * Every string in the settings (and in the keyword arguments of library calls they make, such as
 * `sentry_sdk.init(dsn=...)`) that is a secret, for masking any output. Longest first.
 */
export function secretsInValues(
  forEachBinding: (fn: (name: string, value: Value) => void) => void,
  calls: readonly { readonly kwargs: ReadonlyMap<string, Value> }[],
): string[] {
  const out = new Set<string>();
  const add = (parts: readonly string[]): void => {
    for (let i = 0; i < parts.length; i++) out.add(parts[i]!);
  };
  // every setting after every keystroke in the editor: one lookup for a setting whose value is the
  // same object as the time before, met at the same place in the order
  const secretsOf = bindingSecrets.pass();
  forEachBinding((name, value) => add(secretsOf(value, name, bindingSecretsOf)));
  // each call's keywords under a key of their own (the call's place in the list): many calls give
  // the same keyword (crontab(hour=…), timedelta(minutes=…)), which, kept by keyword alone, took
  // each other's place and were computed again after every keystroke
  const callOf = callSecrets.pass();
  for (let i = 0; i < calls.length; i++) for (const [name, v] of calls[i]!.kwargs) add(callOf(v, `${i}\0${name}`, callKeywordSecrets));
  return sortSecrets(out);
}

const NONE: readonly string[] = [];

/** The secrets in each value the settings bind, by name (kept while it does not change: valueMemo.ts). */
const bindingSecrets = new ValueMemo<readonly string[]>();

/** The secrets in each value of a call's keywords, by the call's place and keyword (kept while it does not change). */
const callSecrets = new ValueMemo<readonly string[]>();

/** The secrets in a call's keyword's value, under `key` (the call's place, NUL, the keyword). */
function callKeywordSecrets(value: Value, key: string, uses: (container: Value) => void): readonly string[] {
  return secretsOfValue(value, key.slice(key.indexOf('\0') + 1), uses);
}

/** The secrets in the value a setting binds (a module-level name in capitals; helpers and imports hold none). */
function bindingSecretsOf(value: Value, name: string, uses: (container: Value) => void): readonly string[] {
  return isUpperName(name) ? secretsOfValue(value, name, uses) : NONE;
}

/** The secrets in a value under `name`: a string's (memoised by text), a container's items'; `uses` is told every container read. */
function secretsOfValue(value: Value, name: string, uses: (container: Value) => void): readonly string[] {
  if (value.kind === 'str') return secretParts(value.v, isSensitiveName(name), name);
  if (value.kind === 'list' || value.kind === 'tuple' || value.kind === 'set' || value.kind === 'dict') return secretsIn(value, name, uses);
  return NONE;
}

/** The secrets in a value bound to `name`; `uses` is told every container read. */
function secretsIn(value: Value, name: string, uses: (container: Value) => void): readonly string[] {
  return secretsFrom(value, isSensitiveName(name), 0, name, uses);
}

/** The secrets in the containers met inside a setting's value, by context (kept: valueMemo.ts). */
const innerSecrets = new NestedMemo<readonly string[]>();

/**
 * The secrets in `value`, met at `start` levels deep in a setting's value (`named`: a name above
 * it says it holds secrets; `name`: the nearest such name, else the setting's).
 */
function secretsFrom(value: Value, named: boolean, start: number, name: string, uses: (container: Value) => void): readonly string[] {
  let out: string[] | undefined;
  // every string of the settings, after every keystroke in the editor: no closure per item
  const visit = (v: Value, named: boolean, depth: number, name: string): void => {
    if (depth > 6) return;
    if (depth > start && (v.kind === 'list' || v.kind === 'tuple' || v.kind === 'set' || v.kind === 'dict')) {
      // a container inside: its secrets are kept while it does not change (one group of a dict
      // replaced leaves the others as they were)
      const inner = innerSecrets.get(v, `${named ? 1 : 0}\0${depth}\0${name}`, uses, (u) => secretsFrom(v, named, depth, name, u));
      if (inner.length > 0) (out ??= []).push(...inner);
      return;
    }
    if (v.kind === 'str') {
      const parts = secretParts(v.v, named, name);
      if (parts.length > 0) (out ??= []).push(...parts);
    } else if (v.kind === 'list' || v.kind === 'tuple' || v.kind === 'set') {
      uses(v);
      for (let i = 0; i < v.items.length; i++) visit(v.items[i]!, named, depth + 1, name);
    } else if (v.kind === 'dict') {
      uses(v);
      for (let i = 0; i < v.keys.length; i++) {
        const k = v.keys[i]!;
        const sensitive = k.kind === 'str' && isSensitiveName(k.v);
        const describing = !sensitive && k.kind === 'str' && describesCredential(k.v);
        visit(v.values[i]!, describing ? false : named || sensitive, depth + 1, sensitive ? (k as { v: string }).v : name);
      }
    }
  };
  visit(value, named, start, name);
  return out ?? NONE;
}

/**
 * The secrets of a project, for masking whatever its analysis says: those in the evaluated settings
 * and calls, and those written in the given files (the server, process and environment files).
 */
export function projectSecrets(
  settings: { forEachBound(fn: (name: string, value: Value) => void): void } | undefined,
  calls: readonly { readonly kwargs: ReadonlyMap<string, Value> }[],
  files: Iterable<readonly [string, string | undefined]>,
): string[] {
  const all = secretsInValues((fn) => settings?.forEachBound(fn), calls);
  for (const [file, text] of files) if (text !== undefined) all.push(...secretsInText(text, file));
  return sortSecrets(all);
}

/** Distinct secrets, longest first (a longer one containing a shorter one is masked whole). */
export function sortSecrets(secrets: Iterable<string>): string[] {
  return [...new Set(secrets)].filter((s) => s.length > 0).sort((a, b) => b.length - a.length || (a < b ? -1 : a > b ? 1 : 0));
}

// ---- secrets in source text ----------------------------------------------------------------------

/** The largest Python text read token by token (about 20 ms); a larger one is read as other files are. */
const MAX_TOKENISED = 256 * 1024;

/** Answers per text (the same strings come back after every keystroke), for Python and for other files. */
const textCaches = { py: new Map<string, readonly string[]>(), text: new Map<string, readonly string[]>() };

/**
 * The secrets written in a file's text, as they are written (escapes and all), so that they can be
 * found again in lines of that text (a diff): Python string literals under a sensitive name (an
 * assignment, a dict key, a keyword, a subscript, the default of an environment lookup, the items
 * of a list assigned to one) or in the shape of a credential, `NAME=value` lines and options
 * elsewhere (Procfile, .env, shell, Dockerfile, compose, unit files), and credential-shaped tokens
 * anywhere (comments too).
 */
export function secretsInText(text: string, file: string): readonly string[] {
  const python = /\.pyi?$/.test(file);
  const cache = python ? textCaches.py : textCaches.text;
  const cached = cache.get(text);
  if (cached) return cached;
  const out = new Set<string>();
  // a huge module (generated data) is read line by line, as other files are: tokens cost more
  if (python && text.length <= MAX_TOKENISED) pythonSecrets(text, out);
  else assignmentSecrets(text, out);
  shapedTokens(text, out);
  const result = sortSecrets(out);
  if (cache.size >= 200) cache.clear();
  cache.set(text, result);
  return result;
}

/** Credential-shaped tokens anywhere: split on whitespace, quotes and separators. */
function shapedTokens(text: string, out: Set<string>): void {
  if (!/AKIA|ASIA|sk_|rk_|whsec_|gh[pousr]_|github_pat_|glpat-|xox|AIza|SG\.|key-|sk-|@/.test(text)) return;
  for (const m of text.matchAll(/[^\s"'`,;()[\]{}<>=]+/g)) {
    const t = m[0];
    if (t.length < 8) continue;
    for (const p of secretParts(t, false)) out.add(p);
  }
}

const ASSIGN_EQ = /(?:^|[\s"'[{,;(])(?:export\s+)?([A-Za-z_][A-Za-z0-9_.-]*)[ \t]*=[ \t]*("[^"\n]*"|'[^'\n]*'|[^\s"',;)\]}]+)/gm;
const ASSIGN_COLON = /(?:^|[\s"'[{,;(])([A-Za-z_][A-Za-z0-9_.-]*)["']?[ \t]*:[ \t]+("[^"\n]*"|'[^'\n]*'|[^\s"',;)\]}]+)/gm;

/** `NAME=value`, `NAME: value`, `export NAME=value`, `ENV NAME value`, `--keyfile-password value` in a non-Python file. */
function assignmentSecrets(text: string, out: Set<string>): void {
  const add = (name: string, raw: string): void => {
    const value = unquote(withoutComment(raw));
    if (value === '' || !isSensitiveName(name)) return;
    for (const p of secretParts(value, true, name)) out.add(p);
  };
  // `=` and `: ` separately: `web: SECRET_KEY=…` holds both
  for (const re of [ASSIGN_EQ, ASSIGN_COLON]) for (const m of text.matchAll(re)) add(m[1]!, m[2]!);
  // per line, never `\s*` across lines (quadratic on many blank lines)
  for (const m of text.matchAll(/^[ \t]*ENV[ \t]+([A-Za-z_][A-Za-z0-9_]*)[ \t]+(\S[^\r\n]*)$/gim)) add(m[1]!, m[2]!);
  for (const m of text.matchAll(OPTION_VALUE)) add(m[2]!, m[3]!);
}

/**
 * `--name=value`, `--name value`: read once per run of name characters from its start, to its first
 * `--` and a letter (1), then the name (2) and the value (3). Tried at each `--`, the name read the
 * rest of the run each time (quadratic on `--a--a--a…`); when a later `--` of the run starts an
 * option, the first does, to the same end.
 */
export const OPTION_VALUE = /(?<![a-z0-9-])(?=([a-z0-9-]*?--)([a-z][a-z0-9-]*))\1\2(?:=|\s+)("[^"\n]*"|'[^'\n]*'|[^\s"']+)/g;

const LINE_BREAK = /[\n\r\u2028\u2029]/;

/**
 * A value without its trailing comment (`value  # note`): spaces, a `#` and the rest, which holds no
 * line break. What replace(/\s+#.*$/, '') did, reading the value once: the pattern tried each
 * space of a run, and each `#` read the rest of the value again.
 */
export function withoutComment(raw: string): string {
  let from = 0;
  for (let i = raw.length - 1; i >= 0; i--)
    if (LINE_BREAK.test(raw[i]!)) {
      from = i + 1;
      break;
    }
  for (let h = raw.indexOf('#', from); h >= 0; h = raw.indexOf('#', h + 1)) {
    if (h === 0 || !/\s/.test(raw[h - 1]!)) continue;
    let start = h - 1;
    while (start > 0 && /\s/.test(raw[start - 1]!)) start--;
    return raw.slice(0, start);
  }
  return raw;
}

interface Tok {
  readonly t: 'str' | 'name' | 'op';
  /** The literal's content as written (no prefix or quotes), the name, or the operator. */
  readonly text: string;
}

/**
 * The next token at a position: blanks, a comment, a newline, a line continuation, a string's
 * opening (prefix and quote), a name, a number, a two-character operator, any other character.
 */
const NEXT =
  /[ \t\r\f]+|#[^\n]*|(\n)|\\\r?\n|(?<![\w])([rRbBuUfF]{0,2})("""|'''|"|')|([A-Za-z_][A-Za-z0-9_]*)|[0-9][0-9A-Za-z_.]*|(==|!=|<=|>=|\+=|:=|->|\*\*|\/\/|[\s\S])/y;

/** Python tokens, enough to find string literals and what precedes them; comments and numbers dropped. */
function pythonTokens(src: string): Tok[] {
  const toks: Tok[] = [];
  const n = src.length;
  let i = 0;
  // newlines end a statement only outside brackets
  let depth = 0;
  while (i < n) {
    NEXT.lastIndex = i;
    const m = NEXT.exec(src);
    if (!m) break;
    i = NEXT.lastIndex;
    if (m[1] !== undefined) {
      if (depth === 0 && toks[toks.length - 1]?.text !== '\n') toks.push({ t: 'op', text: '\n' });
    } else if (m[3] !== undefined) {
      // a string: find its end (a backslash escapes the next character, raw or not)
      const close = m[3];
      const triple = close.length === 3;
      const q = close[0]!;
      const start = i;
      let j = i;
      let end = -1;
      while (j < n) {
        const d = src.charCodeAt(j);
        if (d === 92 /* \ */) j += 2;
        else if (!triple && d === 10 /* \n */) break;
        else if (src[j] === q && (!triple || src.startsWith(close, j))) {
          end = j;
          break;
        } else j++;
      }
      toks.push({ t: 'str', text: src.slice(start, end < 0 ? Math.min(j, n) : end) });
      i = end < 0 ? Math.min(j, n) : end + close.length;
    } else if (m[4] !== undefined) toks.push({ t: 'name', text: m[4] });
    else if (m[5] !== undefined) {
      const c = m[5];
      if (c === '(' || c === '[' || c === '{') depth++;
      else if ((c === ')' || c === ']' || c === '}') && depth > 0) depth--;
      toks.push({ t: 'op', text: c });
    }
  }
  return toks;
}

interface Frame {
  readonly open: string;
  /** A call's parentheses (not a tuple or a group). */
  readonly call: boolean;
  /** Under a sensitive name: the bracket is assigned to one (`SECRET_KEY_FALLBACKS = [`) or sits inside such a value. */
  readonly named: boolean;
  /** For a call: its first argument is a literal naming a sensitive variable (`os.environ.get("DB_PASS", …)`). */
  lookupOfSecret: boolean;
  /** The sensitive name the bracket's values sit under (the variable, setting or key), when known. */
  name?: string;
  /** Tokens seen in the bracket so far at its own level. */
  count: number;
}

/** String literals under sensitive names, and every literal's `NAME=value` or shape, in Python source. */
function pythonSecrets(src: string, out: Set<string>): void {
  const toks = pythonTokens(src);
  const stack: Frame[] = [];
  // the statement being assigned outside brackets is under a sensitive name (`EMAIL_HOST_PASSWORD = "a" + "b"`)
  let statementNamed = false;
  let statementName: string | undefined;
  /** What the `=` or `:` at index `at` assigns to: a name, the last attribute, a dict key or a subscript's literal key. */
  const target = (at: number): string | undefined => {
    const p = toks[at - 1];
    if (!p) return undefined;
    if (p.t === 'name' || p.t === 'str') return p.text;
    if (p.t === 'op' && p.text === ']') {
      const key = toks[at - 2];
      const open = toks[at - 3];
      if (key?.t === 'str' && open?.t === 'op' && open.text === '[') return key.text;
    }
    return undefined;
  };
  const isAssign = (t: Tok | undefined): boolean =>
    t?.t === 'op' && (t.text === '=' || t.text === ':' || t.text === ':=' || t.text === '+=');
  for (let k = 0; k < toks.length; k++) {
    const tok = toks[k]!;
    const top = stack[stack.length - 1];
    const inherited = top ? top.named || top.lookupOfSecret : statementNamed;
    const inheritedName = top ? top.name : statementName;
    if (tok.t === 'op') {
      if (tok.text === '(' || tok.text === '[' || tok.text === '{') {
        const prev = toks[k - 1];
        const name = isAssign(prev) ? target(k - 1) : undefined;
        const call = tok.text === '(' && (prev?.t === 'name' || (prev?.t === 'op' && (prev.text === ')' || prev.text === ']')));
        if (top) top.count++;
        const sensitive = name !== undefined && isSensitiveName(name);
        stack.push({
          open: tok.text,
          call,
          named: inherited || sensitive,
          lookupOfSecret: false,
          count: 0,
          name: sensitive ? name : inheritedName,
        });
      } else if (tok.text === ')' || tok.text === ']' || tok.text === '}') {
        stack.pop();
        if (stack.length > 0) stack[stack.length - 1]!.count++;
      } else if (tok.text === '\n') {
        if (stack.length === 0) {
          statementNamed = false;
          statementName = undefined;
        }
      } else {
        if (stack.length === 0 && (tok.text === '=' || tok.text === '+=')) {
          const name = target(k);
          statementNamed = name !== undefined && isSensitiveName(name);
          statementName = statementNamed ? name : undefined;
        }
        if (top) top.count++;
      }
      continue;
    }
    if (tok.t === 'name') {
      if (top) top.count++;
      continue;
    }
    // a string literal
    const prev = toks[k - 1];
    const next = toks[k + 1];
    const first = top !== undefined && top.count === 0;
    if (top) top.count++;
    // names, not values: a dict key, the variable a lookup reads, a subscript's key
    if (next?.t === 'op' && next.text === ':' && top?.open === '{') continue;
    const identifier = /^[A-Za-z_][A-Za-z0-9_]*$/.test(tok.text);
    if (first && top!.call && identifier) {
      top!.lookupOfSecret = isSensitiveName(tok.text);
      if (top!.lookupOfSecret) top!.name = tok.text;
      continue;
    }
    if (
      first &&
      top!.open === '[' &&
      identifier &&
      next?.t === 'op' &&
      next.text === ']' &&
      !isAssign(toks[k - 2]) &&
      toks[k - 2]?.t !== 'op'
    )
      continue;
    let named = inherited;
    let name = inheritedName;
    if (isAssign(prev)) {
      const t = target(k - 1);
      if (t !== undefined && t !== 'default' && isSensitiveName(t)) {
        named = true;
        name = t;
      } else if (t !== undefined && describesCredential(t)) named = false;
    }
    for (const p of secretParts(tok.text, named, name)) out.add(p);
  }
}

// ---- masking -------------------------------------------------------------------------------------

/** One pattern for all the secrets, longest first, built once per list: messages × secrets string searches were quadratic. */
const patterns = new WeakMap<readonly string[], { re: RegExp | null; long: string[] }>();

function escapeRe(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/**
 * The text with every secret replaced by `***`, and URL credentials stripped. A secret is masked
 * where it stands as a value, not inside a longer word: a password "pass" leaves "password" in a
 * sentence alone (messages never read "a *** written").
 */
export function redact(text: string, secrets: readonly string[]): string {
  let masking = patterns.get(secrets);
  if (masking === undefined) {
    // A pattern of every secret, but for the long ones (a 50,000-character value made V8 refuse
    // the pattern as too large, and the project's analysis failed): those are found by a scan, first,
    // so that a short secret inside a long one cannot leave the rest of the long one shown.
    const long = secrets.filter((s) => s.length > LONG_SECRET).sort((a, b) => b.length - a.length);
    const alts = secrets
      .filter((s) => s.length > 0 && s.length <= LONG_SECRET)
      .map((s) => `${/^\w/.test(s) ? '(?<![A-Za-z0-9_])' : ''}${escapeRe(s)}${/\w$/.test(s) ? '(?![A-Za-z0-9_])' : ''}`);
    let re: RegExp | null = null;
    try {
      re = alts.length ? new RegExp(alts.join('|'), 'g') : null;
    } catch {
      // too many secrets for one pattern: every one is scanned for, the longest first
      long.splice(0, long.length, ...secrets.filter((s) => s.length > 0).sort((a, b) => b.length - a.length));
    }
    masking = { re, long };
    patterns.set(secrets, masking);
  }
  let out = text;
  for (const s of masking.long) out = maskWord(out, s);
  return stripUrlCredentials(masking.re ? out.replace(masking.re, '***') : out);
}

/** Secrets longer than this are masked by a scan rather than in the pattern of the others. */
const LONG_SECRET = 1000;

/** `text` with each occurrence of `s` masked, where the pattern would mask it (not inside a longer word). */
function maskWord(text: string, s: string): string {
  const wordStart = isWordChar(s.charCodeAt(0));
  const wordEnd = isWordChar(s.charCodeAt(s.length - 1));
  let out = '';
  let from = 0;
  let i = text.indexOf(s);
  while (i >= 0) {
    const free = (!wordStart || i === 0 || !isWordChar(text.charCodeAt(i - 1))) && (!wordEnd || !isWordChar(text.charCodeAt(i + s.length)));
    if (free) {
      out += `${text.slice(from, i)}***`;
      from = i + s.length;
      i = text.indexOf(s, from);
    } else i = text.indexOf(s, i + 1);
  }
  return from === 0 ? text : out + text.slice(from);
}

/** [A-Za-z0-9_] (NaN, past the end of a text: false). */
function isWordChar(c: number): boolean {
  return (c >= 48 && c <= 57) || (c >= 65 && c <= 90) || (c >= 97 && c <= 122) || c === 95;
}

/**
 * A unified diff with the secrets masked on every line but the file headers (whose paths only get
 * their URL credentials stripped): context and removed lines show what the files held, added lines
 * what a fix wrote from it.
 */
export function redactDiff(diff: string, secrets: readonly string[]): string {
  let inHunk = false;
  return diff
    .split('\n')
    .map((line) => {
      if (line.startsWith('@@')) inHunk = true;
      else if (line.startsWith('--- ') && !inHunk) return stripUrlCredentials(line);
      else if (line.startsWith('diff ') || line.startsWith('Index: ')) inHunk = false;
      return inHunk ? redact(line, secrets) : stripUrlCredentials(line);
    })
    .join('\n');
}
