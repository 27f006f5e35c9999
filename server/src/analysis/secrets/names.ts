// Secret names: a setting, dict key, keyword or environment variable whose last words say it holds a
// credential (SECRET_KEY, EMAIL_HOST_PASSWORD, DB_PASS, *_TOKEN, *_API_KEY, FIELD_ENCRYPTION_KEY,
// SIMPLE_JWT["SIGNING_KEY"], gunicorn's keyfile_password, RABBITMQ_ERLANG_COOKIE, Airflow's
// FERNET_KEY…), the wider names whose values must be kept
// out of any output (a Sentry DSN), and the keys that describe a credential rather than hold it.
import { memo } from './memo';
import { publicToken } from '../catalogue/publicTokens';
import { CONSTANCE_CONFIG_ENTRY } from '../catalogue/libraries/index';

/** The last words of a setting or dict-key name that make its value a credential. */
const SECRET_SUFFIX =
  /(^|_)(PASSWORD|PASSWORDS|PASSWD|PASS|PWD|PASSPHRASE|SECRET|SECRETS|TOKEN|TOKENS|API_?KEY|API_?KEYS|SECRET_KEY|SECRET_KEYS|PRIVATE_KEY|ACCESS_KEY|ACCESS_KEY_ID|SECRET_ACCESS_KEY|SIGNING_KEY|ENCRYPTION_KEY|MASTER_KEY|LICENSE_KEY|AUTH_KEY|FERNET_KEY|ERLANG_COOKIE|CREDENTIALS?)$/;

/**
 * A secret the app checks what it receives against (a webhook's signing secret, an HMAC or JWT
 * signing key, a shared verification token), not one it presents to a service: whoever knows it can
 * sign what the app then accepts.
 */
export const VERIFIED_SECRET_NAME = /(^|_)(WEBHOOK|HOOK|SIGNING|SIGNATURE|HMAC|JWT|SHARED|VERIFY|VERIFICATION)_(SECRET|KEY|TOKEN)(_|$)/;

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

/**
 * Keys that hold the public half of a credential pair: the identifier that names the secret, sent
 * in clear with every request, beside the secret that signs or proves it. Hawk's credentials are
 * `{"id": …, "key": …, "algorithm": …}` and its Authorization header carries the id as written
 * (`Authorization: Hawk id="dh37fgj492je", ts=…, nonce=…, mac=…`: mozilla/hawk README); OAuth 2
 * says "The client identifier is not a secret; it is exposed to the resource owner" (RFC 6749
 * §2.2, https://www.rfc-editor.org/rfc/rfc6749#section-2.2); an account's user name is the login
 * beside its password; AWS's access key ID is the same idea (shapes.ts isAccessKeyId). Under a
 * group a secret name opens (`HAWK_CREDENTIALS = {"frontend": {"id": "frontend", "key": …}}`), the
 * value of such a key is an identifier, not the secret: reported only by a key format's shape.
 */
const PUBLIC_HALF_KEYS = new Set([
  'ID',
  'CLIENT_ID',
  'KEY_ID',
  'APP_ID',
  'ACCESS_KEY_ID',
  'ACCESS_ID',
  'USERNAME',
  'USER_NAME',
  'USER',
  'LOGIN',
  'NAME',
]);

/** Whether a dict key holds the public half of a credential pair (see PUBLIC_HALF_KEYS). */
export function isPublicHalf(key: string): boolean {
  return PUBLIC_HALF_KEYS.has(normaliseName(key));
}

/**
 * The one item of each entry of a setting whose entries are tuples that may hold a value, the others
 * describing it (django-constance's CONSTANCE_CONFIG: (default, help_text[, type]), catalogue
 * CONSTANCE_CONFIG_ENTRY); undefined for any other setting.
 */
export function entryValueIndex(setting: string): number | undefined {
  return setting === CONSTANCE_CONFIG_ENTRY.value.setting ? CONSTANCE_CONFIG_ENTRY.value.valueIndex : undefined;
}

/** An upper-case module-level name not starting with `_` (a setting, as Django reads them). */
export const isUpperName = memo((name) => name === name.toUpperCase() && !name.startsWith('_'));

function secretName(name: string): boolean {
  const n = normaliseName(name);
  if (n === '' || PUBLIC_WORD.test(n) || publicToken(n)) return false;
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
