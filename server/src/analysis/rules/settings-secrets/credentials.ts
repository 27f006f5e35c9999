// What counts as a credential in the settings: names that say so (EMAIL_HOST_PASSWORD, *_API_KEY,
// *_TOKEN…), values in the shape of well-known key formats (AKIA…, sk_live_…, ghp_…), passwords
// inside URLs, and placeholders that only stand in for one. Shared by the secrets rules; nothing
// here ever returns a value, only what kind of thing it is.

/** The last words of a setting or dict-key name that make its value a credential. */
const SECRET_SUFFIX =
  /(^|_)(PASSWORD|PASSWORDS|PASSWD|PWD|PASSPHRASE|SECRET|SECRETS|TOKEN|TOKENS|API_?KEY|API_?KEYS|SECRET_KEY|SECRET_KEYS|PRIVATE_KEY|ACCESS_KEY|ACCESS_KEY_ID|SECRET_ACCESS_KEY|SIGNING_KEY|ENCRYPTION_KEY|MASTER_KEY|LICENSE_KEY|AUTH_KEY|CREDENTIALS?)$/;

/** Words that make a key-like name public (publishable Stripe keys, reCAPTCHA site keys…). */
const PUBLIC_WORD = /(^|_)(PUBLIC|PUBLISHABLE|SITE)(_|$)/;

/** A setting or dict key, normalised: `client-secret` → `CLIENT_SECRET`, `apiKey` → `API_KEY`. */
export function normaliseName(name: string): string {
  return name
    .replace(/([a-z0-9])([A-Z])/g, '$1_$2')
    .toUpperCase()
    .replace(/[^A-Z0-9]+/g, '_')
    .replace(/^_+|_+$/g, '');
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

/** Whether a setting or dict-key name says its value is a credential. */
export const isSecretName = memo(secretName);

function secretName(name: string): boolean {
  const n = normaliseName(name);
  if (n === '' || PUBLIC_WORD.test(n)) return false;
  if (SECRET_SUFFIX.test(n)) return true;
  // Stripe's settings are secret unless publishable (STRIPE_LIVE_KEY, STRIPE_WEBHOOK_SIGNING…)
  return /^STRIPE_/.test(n) && /(^|_)(KEY|SECRET|SIGNING)(_|$)/.test(n);
}

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
 * Text that only stands in for a credential: "changeme", "your-api-key-here", "<token>", "xxx",
 * "${API_KEY}"… Nothing leaks when it is committed, but production then runs with it.
 */
export function isPlaceholder(value: string): boolean {
  const v = value.trim().toLowerCase();
  if (/^(changeme|change[-_ ]?(me|it|this)|replace[-_ ]?(me|this)|placeholder|dummy|fake|todo|tbd|none|null|secret|password|pass|token|key|test|example|sample|insecure|notasecret|not[-_ ]?a[-_ ]?secret|not[-_ ]?set|unset|empty|n\/?a|x+|\*+|\.+|-+|0+)$/.test(v)) return true;
  if (/^<[^>]*>$|^\{\{.*\}\}$|^\$\{?[a-z_][\w]*\}?$|^%\([a-z_]\w*\)s$/.test(v)) return true;
  return /changeme|change[-_]me|replace[-_]?me|placeholder|^your[-_ ]|[-_ ]here$|xxxx|(^|[-_])x{3,}($|[-_])|dummy|fake[-_]|not[-_]?a[-_]?secret/.test(v);
}

/** A string that names a file rather than holding a credential (`/run/secrets/api_key`, `creds.json`). */
export function looksLikePath(value: string): boolean {
  const v = value.trim();
  return /^(\/|~\/|\.{1,2}\/|[A-Za-z]:\\)/.test(v) || /^[\w./\\-]+\.(json|pem|key|p12|pfx|crt|cer|txt|ya?ml|env)$/i.test(v);
}
