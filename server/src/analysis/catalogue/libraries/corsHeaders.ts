// django-cors-headers: the settings its middleware reads (with the pre-3.5 names it falls back to),
// and what it puts on a response. Read from django-cors-headers 4.9.0's source (adamchainz/
// django-cors-headers at d6a75e42) and checked against Debian's 3.14.0 by test/libdiff.
import type { Fact, Library } from './types';

const AT = 'https://github.com/adamchainz/django-cors-headers/blob/d6a75e42e24b367c07d16df25359c6e14552a93f/src/corsheaders';

/** The last release with CORS_MODEL (2.5.3, 2019). */
const AT253 = 'https://github.com/adamchainz/django-cors-headers/blob/2.5.3/corsheaders';

/** The 3.14.0 release Debian 12 packages (test/libdiff runs it). */
const AT314 = 'https://github.com/adamchainz/django-cors-headers/blob/3.14.0/src/corsheaders';

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
