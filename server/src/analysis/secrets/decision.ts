// The decision about one string: a credential (by shape, in a URL, or under a secret name), a
// placeholder for one, or nothing; and the parts of it every output masks.
import { dynaconfValue } from './dynaconfValues';
import { memoValue } from './memo';
import { isSensitiveName, normaliseName, VERIFIED_SECRET_NAME } from './names';
import { isFalseFriend, isPlaceholder } from './placeholders';
import { publicTokenShape } from '../catalogue/publicTokens';
import { isLocalOnlyDefaultAccount, keyFormat, urlPassword, urlTokenUser } from './shapes';

/** The shortest value under a secret name that is masked: shorter ones are words, not secrets. */
const MIN_NAMED_SECRET = 4;

/** What a string is when it is a credential: why, and whether it only stands in for one. */
export interface Credential {
  /** Its shape (with a label for messages), a password or token in a URL, or the secret name it sits under. */
  readonly kind: 'format' | 'url' | 'name';
  readonly label?: string;
  /** A placeholder ("changeme", "your-key-here", a value that only repeats its name's words): nothing leaks, production runs with it. */
  readonly placeholder: boolean;
  /**
   * A value too short to be masked (a word, not a secret, wherever else it appears) under the name of a
   * secret the app checks what it receives against (`SIMPLE_JWT["SIGNING_KEY"] = "abc"`): production
   * accepts whatever is signed with it, so it is a credential, reported but never masked.
   */
  readonly short?: true;
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

/** Words a key's name adds to what it is for (`guacamole-auth-token`: the session key of a Guacamole token). */
const KEY_NAME_WORDS = new Set(['AUTH', 'KEY', 'ID', 'NAME', 'HEADER', 'COOKIE', 'SESSION', 'PARAM', 'FIELD', 'ATTR', 'VAR']);

/**
 * A value that names a key (a session key, a header, a cookie) rather than holding a credential:
 * lower-case words joined by `-` or `_`, one of them a word of the setting's name that does not say
 * secret, the others the name's words or words a key's name adds (`GUACAMOLE_TOKEN =
 * "guacamole-auth-token"`). A value made of the name's words alone (`"db-password"`) stays a
 * placeholder.
 */
function namesAKey(value: string, name: string | undefined): boolean {
  const v = value.trim();
  if (!name || !/^[a-z]+(?:[-_][a-z]+)+$/.test(v)) return false;
  const own = new Set(normaliseName(name).split('_'));
  const words = normaliseName(v).split('_');
  const adds = words.filter((w) => !own.has(w));
  return adds.length > 0 && adds.every((w) => KEY_NAME_WORDS.has(w)) && words.some((w) => own.has(w) && !isSensitiveName(w));
}

/**
 * The one decision about a string in the settings: a credential (by shape, in a URL, or under a
 * secret name — `named`, with the name when known), a placeholder for one, or undefined when it is
 * not one: false friends (a rate, a duration, a type or class name, a flag, a path, a URL without a
 * password), an environment variable's name, RabbitMQ's local-only guest account, very short words,
 * a value dynaconf reads as None, a flag or a template of references only (dynaconfValues.ts).
 */
export function credentialIn(value: string, named: boolean, name?: string): Credential | undefined {
  // a value dynaconf reads by its token (`@none None`, `@int 5`, `@format {this.DB_PASSWORD}`): what
  // the setting becomes, not the text written
  const dynaconf = dynaconfValue(value);
  if (dynaconf?.kind === 'nothing') return undefined;
  if (dynaconf?.kind === 'cast') return credentialIn(dynaconf.rest, named, name);
  if (dynaconf?.kind === 'template')
    // a credential by its shape, its references placeholders (`postgres://app:{this.DB_PASSWORD}@db/app`
    // is one), or under a secret name in the literal text around them
    return credentialIn(dynaconf.text, false, name) ?? credentialIn(dynaconf.literal, named, name);
  const label = keyFormat(value);
  if (label) return { kind: 'format', label, placeholder: false };
  const pw = urlPassword(value);
  if (pw !== undefined) return isLocalOnlyDefaultAccount(value) ? undefined : { kind: 'url', placeholder: isPlaceholder(pw) };
  // (a Sentry DSN's public key: made to be shipped in clients)
  if (urlTokenUser(value) !== undefined) return publicTokenShape(value) ? undefined : { kind: 'url', placeholder: false };
  if (!named) return undefined;
  const v = value.trim();
  // (a publishable key, a public token: made to be shown to every visitor)
  if (publicTokenShape(v)) return undefined;
  // an environment variable's name (`"DJANGO_SECRET_KEY"`) is not its value; a public demo key
  // (`"DEMO_KEY"`) is written the same way
  if (isFalseFriend(v) || /^[A-Z][A-Z0-9]*(_[A-Z0-9]+)+$/.test(v)) return undefined;
  // RabbitMQ's built-in guest account works only from the broker's own machine
  if (v === 'guest' && name !== undefined && /(^|_)(RABBIT(MQ)?|AMQP|BROKER|CELERY)(_|$)/.test(normaliseName(name))) return undefined;
  if (namesAKey(v, name)) return undefined;
  if (isPlaceholder(v) || repeatsName(v, name)) return { kind: 'name', placeholder: true };
  if (v.length < MIN_NAMED_SECRET)
    return v.length > 0 && name !== undefined && VERIFIED_SECRET_NAME.test(normaliseName(name))
      ? { kind: 'name', placeholder: false, short: true }
      : undefined;
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
  if (!c || (c.placeholder && c.kind === 'name') || c.short) return undefined;
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
    // (after a dynaconf token, the URL it casts or formats: `@format amqp://shop:pw@{this.HOST}/`)
    const d = dynaconfValue(value);
    const url = d?.kind === 'cast' ? d.rest : d?.kind === 'template' ? d.text : value;
    const pw = urlPassword(url);
    if (pw !== undefined && !isPlaceholder(pw)) out.push(pw);
    const user = urlTokenUser(url);
    if (user !== undefined) out.push(user);
    if (named) out.push(value.trim());
    return out;
  }
  const v = value.trim();
  if (!v.includes('\n')) out.push(v);
  else for (const line of v.split(/\r?\n/)) if (line.trim().length >= 8 && !/^-----(BEGIN|END) /.test(line.trim())) out.push(line.trim());
  return out;
}

export function unquote(s: string): string {
  const t = s.trim();
  return /^(["']).*\1$/s.test(t) ? t.slice(1, -1) : t;
}
