// Tokens that are public by design: the service puts them in every page it serves, so a name that
// reads like a credential (`MIXPANEL_TOKEN`) holds nothing to keep secret, and a value written in
// the settings is no leak; known by their name or by their shape (a Stripe publishable key, a Mapbox
// public token: the same vendors' secret keys have another prefix). Each with the vendor's words.
// (Keys named public, publishable or site keys are public by their name: secrets/names.ts.)
import type { Source } from './facts';

export interface PublicToken {
  /** The setting or variable names that hold it, normalised (upper case, words joined by `_`). */
  readonly names?: RegExp;
  /** What the value looks like, whatever it is called. */
  readonly shape?: RegExp;
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
  {
    shape: /^pk_(?:live|test)_[0-9A-Za-z]{10,}$/,
    what: "Stripe's publishable key",
    source: {
      url: 'https://docs.stripe.com/keys',
      quote:
        "Publishable key: Use this key in your web or mobile app's client-side code. (…) Secret key: Use this key to authenticate requests on your server. (secret keys start sk_live_ or sk_test_, publishable keys pk_live_ or pk_test_)",
    },
  },
  {
    // a Mapbox token is the prefix and two base64url parts (pk.eyJ…)
    shape: /^pk\.eyJ[0-9A-Za-z_-]+\.[0-9A-Za-z_-]+$/,
    what: "Mapbox's public token",
    source: {
      url: 'https://docs.mapbox.com/help/dive-deeper/access-tokens/',
      quote:
        'All public access tokens start with pk while all secret access tokens start with sk. Public tokens are designed to be used in client-side applications, meaning they can be safely exposed in web browsers, mobile apps, and other client environments.',
    },
  },
  {
    // the Storefront API's public token (X-Shopify-Storefront-Access-Token); its private one, for
    // servers, is called a private or delegate access token (Shopify-Storefront-Private-Token)
    names: /^(?:SHOPIFY_)?STOREFRONT_(?:API_)?(?:PUBLIC_)?(?:ACCESS_)?TOKEN$/,
    what: "Shopify's Storefront API access token",
    source: {
      url: 'https://shopify.dev/docs/api/usage/authentication',
      quote:
        'The Storefront API supports both tokenless and token-based access. (…) Public access tokens: Used to make requests from client-side applications, such as a browser or mobile app. Private access tokens: Used to make requests from a server or other private context.',
    },
  },
  {
    // a DSN with its public key only (the legacy `key:secret@` form carries a secret: not this shape)
    shape: /^https?:\/\/[0-9a-f]{32}@[A-Za-z0-9.-]+(?::\d+)?\/(?:[\w.-]+\/)*\d+$/,
    what: 'a Sentry DSN (its public key)',
    source: {
      url: 'https://docs.sentry.io/concepts/key-terms/dsn-explainer/',
      quote:
        'DSNs are safe to keep public because they only allow submission of new events and related event data; they do not allow read access to any information.',
    },
  },
];

/** The public token a normalised name holds, if it is one. */
export function publicToken(normalised: string): PublicToken | undefined {
  return PUBLIC_TOKENS.find((t) => t.names?.test(normalised));
}

/** The public token a value is by its shape (a Stripe publishable key, a Mapbox public token), if it is one. */
export function publicTokenShape(value: string): PublicToken | undefined {
  const v = value.trim();
  return PUBLIC_TOKENS.find((t) => t.shape?.test(v));
}
