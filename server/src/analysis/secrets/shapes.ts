// Shapes: values that are credentials whatever they are called (AWS, Stripe, GitHub, GitLab, Slack,
// Google, SendGrid, Mailgun, OpenAI keys, private keys), passwords inside URLs and URL user parts
// that are tokens by themselves, and RabbitMQ's local-only guest account, which is none.

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
  // (Mapbox: "all secret access tokens start with sk"; its public ones, pk, are in catalogue/publicTokens.ts)
  { re: /^sk\.eyJ[0-9A-Za-z_-]+\.[0-9A-Za-z_-]+$/, label: 'a Mapbox secret token' },
  { re: /-----BEGIN ([A-Z]+ )*PRIVATE KEY-----/, label: 'a private key' },
];

/**
 * An access key's identifier, the public half of a key pair: useless without the secret access key
 * that goes with it. AWS: "Access keys consist of two parts: an access key ID (for example,
 * AKIAIOSFODNN7EXAMPLE) and a secret access key (for example, wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY).
 * You must use both the access key ID and secret access key together to authenticate your requests."
 * (https://docs.aws.amazon.com/IAM/latest/UserGuide/id_credentials_access-keys.html). S3-compatible
 * stores name the pair the same way (`S3_ACCESS_KEY_ID` / `S3_SECRET_ACCESS_KEY`); Garage's key IDs
 * are `GK` and 24 hexadecimal digits, its secret keys 64 (Garage, src/model/key_table.rs, Key::new:
 * `let key_id = format!("GK{}", hex::encode(&rand::random::<[u8; 12]>()[..]));`
 * `let secret_key = hex::encode(&rand::random::<[u8; 32]>()[..]);`).
 * The same idea for any pair, by the key that holds the identifier (a Hawk id, an OAuth client_id,
 * a user name beside its password): names.ts isPublicHalf.
 */
const KEY_ID_NAME = /(^|_)ACCESS_KEY_ID$/;
const KEY_ID_SHAPE = /^(?:(?:AKIA|ASIA)[0-9A-Z]{16}|GK[0-9a-f]{24})$/;

/** Whether a value is an access key's ID (by its name, `*_ACCESS_KEY_ID`, or its shape): not a secret by itself. */
export function isAccessKeyId(name: string | undefined, value: string): boolean {
  const v = value.trim();
  return KEY_ID_SHAPE.test(v) || (name !== undefined && KEY_ID_NAME.test(name.toUpperCase()) && !/[/+=]/.test(v));
}

/** What every format above starts with: most strings fail this one test (no lookup, no trimmed copy). */
const KEY_FORMAT_START = /^\s*(AKIA|ASIA|sk_|rk_|whsec_|gh[pousr]_|github_pat_|glpat-|xox|AIza|SG\.|key-|sk-|sk\.eyJ)|-----BEGIN /;

/**
 * A well-known credential format's prefix alone, nothing after it (`sk_live_`, `ghp_`, `xoxb-`): text
 * that shows which kind of key goes there, never a key.
 */
export function isBareKeyPrefix(value: string): boolean {
  return /^(?:(?:sk|rk|pk)_(?:live|test)_|whsec_|gh[pousr]_|github_pat_|glpat-|xox[abposr]-|sk-(?:proj-|ant-)?|key-|AKIA|ASIA|AIza|SG\.)$/.test(
    value.trim(),
  );
}

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
export function isTokenUser(user: string): boolean {
  return keyFormat(user) !== undefined || /^[0-9A-Za-z_-]{20,}$/.test(user) || /^[0-9a-f]{12,}$/i.test(user);
}

/** The user part of a URL when it is a token by itself (`https://ghp_…@github.com`, a Sentry DSN's key). */
export function urlTokenUser(value: string): string | undefined {
  if (!value.includes('@')) return undefined;
  const m = /^[a-z][a-z0-9+.-]*:\/\/([^/?#@\s:]+)@/i.exec(value.trim());
  const user = m?.[1];
  return user && isTokenUser(user) ? user : undefined;
}

/**
 * A slug of words (`my-sender`, `frontend`, `billing_v2`): lower-case words of letters with a vowel,
 * short numbers (a version, `v2`) between them — how people name things, not how keys are generated (a random key
 * has long runs without vowels, mixed case, long numbers). Used with where the value is used
 * (models/settings/usage.ts namesAnEntry): never by itself a reason to call a value public.
 */
export function isWordSlug(value: string): boolean {
  const v = value.trim();
  if (v.length === 0 || v.length > 40 || !/^[a-z0-9]+(?:[-_.][a-z0-9]+)*$/.test(v)) return false;
  return v
    .split(/[-_.]/)
    .every((w) => (/^[a-z]{1,16}$/.test(w) && /[aeiouy]/.test(w) && !/[^aeiouy]{5}/.test(w)) || /^[a-z]?[0-9]{1,4}$/.test(w));
}
