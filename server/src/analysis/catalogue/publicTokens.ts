// Tokens that are public by design: the service puts them in every page it serves, so a name that
// reads like a credential (`MIXPANEL_TOKEN`) holds nothing to keep secret, and a value written in
// the settings is no leak. Each with the vendor's words. (Keys named public, publishable or site
// keys are public by their name: secrets/names.ts.)
import type { Source } from './facts';

export interface PublicToken {
  /** The setting or variable names that hold it, normalised (upper case, words joined by `_`). */
  readonly names: RegExp;
  readonly what: string;
  readonly source: Source;
}

export const PUBLIC_TOKENS: readonly PublicToken[] = [
  {
    names: /^MIXPANEL(?:_PROJECT)?_TOKEN$/,
    what: "Mixpanel's project token",
    source: {
      url: 'https://docs.mixpanel.com/reference/project-token',
      quote:
        "A project's token is not a secret value. In front-end implementation, such as our javascript library, this token will be available to anyone visiting your page.",
    },
  },
];

/** The public token a normalised name holds, if it is one. */
export function publicToken(normalised: string): PublicToken | undefined {
  return PUBLIC_TOKENS.find((t) => t.names.test(normalised));
}
