// What a committed template gives a name that the deployer fills in rather than runs: the one
// decision for an environment file's template (`.env.example`, models/process/envTemplates.ts) and a
// settings module's (`local_settings.py.example`, models/settings/settings.ts).
import { credentialIn } from './decision';
import { isSecretName } from './names';
import { commentSaysReplaceMe, isCredentialPlaceholder, isPlaceholderUrl } from './placeholders';

/**
 * Whether the value a committed template writes for `name` only marks where the deployer puts the
 * real one: empty (`value` undefined or blank: `''`, None, an empty list — the settings need a real
 * one), a secret's (by its name: no template holds the real one), or a credential by its shape or a
 * placeholder for one (credentialIn; isCredentialPlaceholder under any name: `your-secret-key-here`), or a URL whose host stands in for one (`postgresql://...`,
 * `postgres://user@<host>/db`: isPlaceholderUrl). Where it is deployed the value is filled in, so it is
 * not known here; any other value is the template's, as written unless the deployer changes it.
 */
export function filledInWhereDeployed(name: string | undefined, value: string | undefined): boolean {
  if (value === undefined || value.trim() === '') return true;
  if (name !== undefined && isSecretName(name)) return true;
  if (isPlaceholderUrl(value)) return true;
  // a placeholder for a credential (`your-secret-key-here`), under whatever name: never production's value
  if (isCredentialPlaceholder(value)) return true;
  return credentialIn(value, false, name) !== undefined;
}

/**
 * Words with which a template's comment on a value tells the deployer to change it for production
 * ("# SECURITY WARNING: don't run with debug turned on in production!", Django's own words in the
 * settings startproject writes; "# change me"; "# set this in production"): the deployment's copy
 * has its own value. Returns the words, or undefined.
 */
export function commentSaysChangeForProduction(comment: string): string | undefined {
  const replace = commentSaysReplaceMe(comment);
  if (replace) return replace;
  const m =
    /\bsecurity warning\b|\b(?:change|edit|set|adjust|adapt|update|fill in|replace)\b[^.!]{0,40}\b(?:in|for|on) (?:production|deployment)\b/i.exec(
      comment,
    );
  return m?.[0];
}
