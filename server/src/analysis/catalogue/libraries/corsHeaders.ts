// django-cors-headers: the settings its middleware reads (with the pre-3.5 names it falls back to),
// and what it puts on a response. Read from django-cors-headers 4.9.0's source (adamchainz/
// django-cors-headers at d6a75e42) and checked against Debian's 3.14.0 by test/libdiff.
import type { Fact, Library } from './types';

const AT = 'https://github.com/adamchainz/django-cors-headers/blob/d6a75e42e24b367c07d16df25359c6e14552a93f/src/corsheaders';

/** The last release with CORS_MODEL (2.5.3, 2019). */
const AT253 = 'https://github.com/adamchainz/django-cors-headers/blob/2.5.3/corsheaders';

/** The 3.14.0 release Debian 12 packages (test/libdiff runs it). */
const AT314 = 'https://github.com/adamchainz/django-cors-headers/blob/3.14.0/src/corsheaders';

/** Its changelog (the same text as Debian's changelog.gz of 3.14.0). */
const CHANGELOG = 'https://github.com/adamchainz/django-cors-headers/blob/6f5222dca0f1a67027a2b7f6dd33c04f367744e7/CHANGELOG.rst';

/** The checks and middleware as read on the default branch (at 06a3649d), the same in Debian's 3.14.0. */
const AT_MAIN = 'https://github.com/adamchainz/django-cors-headers/blob/06a3649d10ebde9e57dc6e95ab5fc546e54565be/src/corsheaders';

/**
 * The 3.5.0 renaming: each new name (the settings' `fallbacks` below) read first, the old name still
 * read when it is not set. Rules ask the settings for the new name (Settings.effective), which falls
 * back to the old one as the library does (catalogue/renamedSettings.ts).
 */
export const CORS_RENAMED_SETTINGS = {
  value: [
    ['CORS_ORIGIN_WHITELIST', 'CORS_ALLOWED_ORIGINS'],
    ['CORS_ORIGIN_REGEX_WHITELIST', 'CORS_ALLOWED_ORIGIN_REGEXES'],
    ['CORS_ORIGIN_ALLOW_ALL', 'CORS_ALLOW_ALL_ORIGINS'],
  ] as const,
  source: {
    url: `${CHANGELOG}#350-2020-08-25`,
    quote:
      '3.5.0 (2020-08-25) … the following settings have been renamed: CORS_ORIGIN_WHITELIST -> CORS_ALLOWED_ORIGINS, CORS_ORIGIN_REGEX_WHITELIST -> CORS_ALLOWED_ORIGIN_REGEXES, CORS_ORIGIN_ALLOW_ALL -> CORS_ALLOW_ALL_ORIGINS. The old names will continue to work as aliases, with the new ones taking precedence.',
    versions: '3.5.0 and later',
  },
} as const satisfies Fact<readonly (readonly [string, string])[]>;

export const CORS_HEADERS = {
  distribution: 'django-cors-headers',
  modules: ['corsheaders'],
  readAt: '4.9.0',
  debian: { package: 'python3-django-cors-headers', version: '3.14.0' },
  apps: { corsheaders: 'corsheaders' },
  middleware: { cors: 'corsheaders.middleware.CorsMiddleware' },
  /** Its signal: a receiver that returns something true allows CORS for the request (signals.py). */
  signals: { checkRequestEnabled: { module: 'corsheaders.signals', name: 'check_request_enabled' } },
  settings: {
    allowAllOrigins: {
      name: 'CORS_ALLOW_ALL_ORIGINS',
      default: { value: false },
      fallbacks: ['CORS_ORIGIN_ALLOW_ALL'],
      source: {
        url: `${AT}/conf.py#L38-L43`,
        quote: 'return getattr(settings, "CORS_ALLOW_ALL_ORIGINS", getattr(settings, "CORS_ORIGIN_ALLOW_ALL", False))',
        versions: 'the new names since 3.5 (2020), the old ones still read',
      },
    },
    allowedOrigins: {
      name: 'CORS_ALLOWED_ORIGINS',
      default: { value: [] as readonly string[] },
      fallbacks: ['CORS_ORIGIN_WHITELIST'],
      source: {
        url: `${AT}/conf.py#L46-L52`,
        quote: 'getattr(settings, "CORS_ALLOWED_ORIGINS", getattr(settings, "CORS_ORIGIN_WHITELIST", ()))',
      },
    },
    allowedOriginRegexes: {
      name: 'CORS_ALLOWED_ORIGIN_REGEXES',
      default: { value: [] as readonly string[] },
      fallbacks: ['CORS_ORIGIN_REGEX_WHITELIST'],
      source: {
        url: `${AT}/conf.py#L55-L61`,
        quote: 'getattr(settings, "CORS_ALLOWED_ORIGIN_REGEXES", getattr(settings, "CORS_ORIGIN_REGEX_WHITELIST", ()))',
      },
    },
    allowCredentials: {
      name: 'CORS_ALLOW_CREDENTIALS',
      default: { value: false },
      source: { url: `${AT}/conf.py#L26-L27`, quote: 'return getattr(settings, "CORS_ALLOW_CREDENTIALS", False)' },
    },
    allowMethods: {
      name: 'CORS_ALLOW_METHODS',
      default: { value: ['DELETE', 'GET', 'OPTIONS', 'PATCH', 'POST', 'PUT'] as readonly string[] },
      source: {
        // Debian's 3.14.0 (conf.py lines 27-29, defaults.py line 15), the release tag's files
        url: `${AT314}/conf.py#L27-L29`,
        quote:
          'return getattr(settings, "CORS_ALLOW_METHODS", default_methods) … default_methods = ("DELETE", "GET", "OPTIONS", "PATCH", "POST", "PUT")',
        versions: 'the same default in 3.14.0 and 4.x',
      },
    },
    originModel: {
      // removed in 3.0.0 (2019): its changelog sends its users to the check_request_enabled signal
      name: 'CORS_MODEL',
      default: { value: null },
      source: {
        url: `${AT253}/conf.py#L49-L51`,
        quote: "def CORS_MODEL(self): return getattr(settings, 'CORS_MODEL', None)",
        versions: 'before 3.0.0: a model whose rows are allowed origins',
      },
    },
    urlsRegex: {
      name: 'CORS_URLS_REGEX',
      default: { value: '^.*$' },
      source: { url: `${AT}/conf.py#L67-L68`, quote: 'return getattr(settings, "CORS_URLS_REGEX", r"^.*$")' },
    },
  },
} as const satisfies Library & Record<string, unknown>;

/** What the middleware does with a request's Origin (middleware.py of the same commit). */
export const CORS_BEHAVIOUR = {
  /** Only paths CORS_URLS_REGEX matches (re.match: anchored at the start) get CORS headers or preflight answers. */
  onlyMatchingPaths: {
    value: true,
    knob: CORS_HEADERS.settings.urlsRegex.name,
    source: {
      url: `${AT}/middleware.py#L151-L154`,
      quote: 'return bool(re.match(conf.CORS_URLS_REGEX, request.path_info)) or self.check_signal(request)',
    },
  },
  /**
   * Allow-all without credentials answers `Access-Control-Allow-Origin: *`, with which browsers
   * send no cookies and show no credentialed response; with credentials it reflects the caller's
   * origin and adds `Access-Control-Allow-Credentials: true`.
   */
  allowAllIsWildcardWithoutCredentials: {
    value: true,
    knob: CORS_HEADERS.settings.allowCredentials.name,
    source: {
      url: `${AT}/middleware.py#L111-L117`,
      quote:
        'if conf.CORS_ALLOW_ALL_ORIGINS and not conf.CORS_ALLOW_CREDENTIALS: response[ACCESS_CONTROL_ALLOW_ORIGIN] = "*" else: response[ACCESS_CONTROL_ALLOW_ORIGIN] = origin … if conf.CORS_ALLOW_CREDENTIALS: response[ACCESS_CONTROL_ALLOW_CREDENTIALS] = "true"',
    },
  },
  /**
   * A preflight (OPTIONS with Access-Control-Request-Method) on a path CORS applies to is answered
   * with CORS_ALLOW_METHODS in Access-Control-Allow-Methods: the browser sends no other method
   * cross-origin. The middleware itself does not refuse a method; the browser does.
   */
  preflightAllowsMethods: {
    value: true,
    knob: CORS_HEADERS.settings.allowMethods.name,
    source: {
      // Debian's 3.14.0, middleware.py lines 165-167 (4.x the same)
      url: `${AT314}/middleware.py#L165-L167`,
      quote:
        'if request.method == "OPTIONS": response[ACCESS_CONTROL_ALLOW_HEADERS] = ", ".join(conf.CORS_ALLOW_HEADERS) response[ACCESS_CONTROL_ALLOW_METHODS] = ", ".join(conf.CORS_ALLOW_METHODS)',
    },
  },
  /** Where its documentation puts CorsMiddleware: as high as possible, above any middleware that answers requests. */
  placedHigh: {
    value: true,
    source: {
      url: 'https://github.com/adamchainz/django-cors-headers/blob/6ed773b29868d3441514098909bd99de8be14c56/README.rst#setup',
      quote:
        "``CorsMiddleware`` should be placed as high as possible, especially before any middleware that can generate responses such as Django's ``CommonMiddleware`` or Whitenoise's ``WhiteNoiseMiddleware``.",
    },
  },
  /**
   * The Access-Control-Allow-Origin header (and every other CORS header after it) is added only for
   * an origin CORS_ALLOW_ALL_ORIGINS, the allow-list or the regexes allow, or that a receiver of the
   * check_request_enabled signal allows (before 3.0.0 also one CORS_MODEL's table holds): with none
   * of them, no response gets CORS headers, whatever the middleware's place in the list.
   */
  headersOnlyForAllowedOrigins: {
    value: true,
    knob: CORS_HEADERS.settings.allowedOrigins.name,
    source: {
      url: `${AT}/middleware.py#L104-L114`,
      quote:
        'if (not conf.CORS_ALLOW_ALL_ORIGINS and not self.origin_found_in_white_lists(origin, url) and not self.check_signal(request)): return response … response[ACCESS_CONTROL_ALLOW_ORIGIN] = origin',
      versions: '2.5.3 the same, with `and not self.origin_found_in_model(url)` (middleware.py lines 122-128)',
    },
  },
  /**
   * With CORS_ALLOW_ALL_ORIGINS on, every origin is allowed and the allow-list and the regexes are not
   * read: what they hold changes nothing (the condition above tests allow-all first).
   */
  allowAllIgnoresLists: {
    value: true,
    knob: CORS_HEADERS.settings.allowAllOrigins.name,
    source: {
      url: `${AT}/middleware.py#L104-L114`,
      quote:
        'if (not conf.CORS_ALLOW_ALL_ORIGINS and not self.origin_found_in_white_lists(origin, url) and not self.check_signal(request)): return response',
      versions:
        "README (6ed773b2) on CORS_ALLOW_ALL_ORIGINS: 'If True, all origins will be allowed. Other settings restricting allowed origins will be ignored.'",
    },
  },
  /** The signal a project connects a receiver to, to allow CORS for requests its settings do not cover. */
  checkRequestEnabledSignal: {
    value: 'check_request_enabled',
    source: {
      url: `${AT}/signals.py#L5-L8`,
      quote:
        "# If any attached handler returns Truthy, CORS will be allowed for the request. # This can be used to build custom logic into the request handling when the # configuration doesn't work. check_request_enabled = Signal()",
      versions: 'since 1.2.2',
    },
  },
  /**
   * The CORS headers are added by CorsMiddleware's process_response alone: the app (apps.py) only
   * registers the system checks, so without the middleware in MIDDLEWARE no response gets a CORS
   * header, whatever the CORS settings say.
   */
  headersOnlyFromMiddleware: {
    value: true,
    source: {
      // Debian's 3.14.0: the only place in the package that sets an Access-Control-* header
      url: `${AT314}/middleware.py#L121-L158`,
      quote:
        'def process_response(self, request: HttpRequest, response: HttpResponse) -> HttpResponse: """ Add the respective CORS headers """ … response[ACCESS_CONTROL_ALLOW_ORIGIN] = origin',
    },
  },
  /** The "null" origin is allowed only when written in the allow-list itself. */
  nullOriginListed: {
    value: 'null',
    source: { url: `${AT}/middleware.py#L138-L143`, quote: '(origin == "null" and origin in conf.CORS_ALLOWED_ORIGINS)' },
  },
  /**
   * An allow-list written as one string (`("localhost:8080")`: parentheses without a comma) passes
   * its sequence check — a str is a Sequence of one-character strs — and each character is then an
   * origin without scheme or host: one corsheaders.E013 error per character (Debian's 3.14.0 gives 14
   * for "localhost:8080"), and no browser's origin matches any of them.
   */
  stringAllowList: {
    value: 'corsheaders.E013',
    source: {
      url: `${AT_MAIN}/checks.py`,
      quote:
        'def is_sequence(thing, type_or_types): return isinstance(thing, Sequence) and all(isinstance(x, type_or_types) for x in thing) … for origin in conf.CORS_ALLOWED_ORIGINS: … if parsed.scheme == "" or parsed.netloc == "": errors.append(Error(… id="corsheaders.E013"))',
      versions: 'the same in 3.14.0 (Debian 12) and on the default branch',
    },
  },
  /**
   * Before 3.0.0 the allow-list held hosts without a scheme, tested with `in`: a host written there
   * was allowed over http and https alike, and with the list written as one string, any host that is
   * part of the string. 3.0.0 requires schemes (see allowListMatchesSchemeAndHost).
   */
  hostsOnlyBefore3: {
    value: '3.0.0',
    source: {
      url: `${AT253}/middleware.py`,
      quote:
        'def origin_found_in_white_lists(self, origin, url): return (url.netloc in conf.CORS_ORIGIN_WHITELIST or self.regex_domain_match(origin))',
      versions: `before 3.0.0; ${CHANGELOG}#300-2019-05-10: "CORS_ORIGIN_WHITELIST now requires URI schemes, and optionally ports."`,
    },
  },
  /** An origin is allowed by the allow-list only when an entry has its scheme and host: an entry without a scheme matches none. */
  allowListMatchesSchemeAndHost: {
    value: true,
    source: {
      url: `${AT_MAIN}/middleware.py`,
      quote:
        'def _url_in_whitelist(self, url): origins = [urlparse(o) for o in conf.CORS_ALLOWED_ORIGINS] return any(origin.scheme == url.scheme and origin.netloc == url.netloc for origin in origins)',
      versions: 'the same in 3.14.0 (with urlsplit)',
    },
  },
  /** An allow-list entry without scheme or host ("*") is rejected by its system check. */
  entryWithoutScheme: {
    value: 'corsheaders.E013',
    source: {
      url: `${AT}/checks.py#L95-L101`,
      quote:
        'if parsed.scheme == "" or parsed.netloc == "": errors.append(Error(f"Origin {repr(origin)} in {allowed_origins_alias} is missing scheme or netloc", id="corsheaders.E013"))',
    },
  },
} as const satisfies Record<string, Fact<unknown>>;
