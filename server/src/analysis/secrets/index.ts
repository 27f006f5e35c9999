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
//
// This module is what the rest of the product imports; the decisions live beside it:
//   names.ts         which names hold credentials (and which must be kept out of any output)
//   shapes.ts        well-known key formats, passwords and tokens in URLs
//   placeholders.ts  false friends and placeholders: what only looks like a secret, or stands in for one
//   dynaconfValues.ts what a value dynaconf reads by its token holds (`@none None`, `@format {this.X}`)
//   weak.ts          passwords anyone can guess (a default account's, one repeating its user name)
//   decision.ts      the one decision about a string, and the parts of it to mask
//   inValues.ts      the secrets in evaluated settings and calls, and a project's secrets
//   inText.ts        the secrets written in a file's text (Python tokens, NAME=value lines, shapes)
//   redact.ts        masking: redact, redactDiff, stripUrlCredentials, the order of the secrets
//   memo.ts          the memoised answers the decisions share
//   templateValues.ts what a committed template gives that the deployer fills in (empty, a secret's, a credential)
export {
  describesCredential,
  entryValueIndex,
  isPublicHalf,
  isSecretName,
  isSensitiveName,
  normaliseName,
  VERIFIED_SECRET_NAME,
} from './names';
export { isAccessKeyId, isLocalOnlyDefaultAccount, isWordSlug, keyFormat, urlPassword } from './shapes';
export {
  commentAbove,
  commentAfter,
  commentSaysReplaceMe,
  commentSaysStandIn,
  isFalseFriend,
  isPlaceholder,
  isPlaceholderUrl,
  looksLikeImportPath,
  looksLikePath,
  RATE_LIST,
} from './placeholders';
export { isWeakPassword } from './weak';
export { credentialIn, secretKind, secretParts, unquote, type Credential } from './decision';
export { projectSecrets, secretsInValues } from './inValues';
export { OPTION_VALUE, secretsInText, shortCredentialsInText, withoutComment } from './inText';
export { redact, redactDiff, sortSecrets, stripUrlCredentials, URL_USERINFO } from './redact';
export { memo } from './memo';
export { commentSaysChangeForProduction, filledInWhereDeployed } from './templateValues';
