// django-csp: its middleware, the 4.x policy settings and the 3.x CSP_* settings that 4.0 stopped
// reading. Read from django-csp's source at the 4.0 and 3.7 tags (mozilla/django-csp); Debian
// packages 3.7, which test/libdiff runs.
import type { Fact, Library } from './types';

const V4 = 'https://github.com/mozilla/django-csp/blob/6d5cc6c00e90651447ee555f948231bc21998b3e/csp';
const V3 = 'https://github.com/mozilla/django-csp/blob/7fd8c50c0f4cfddfa47ef36ae77c92af9dae8281/csp';

export const DJANGO_CSP = {
  distribution: 'django-csp',
  modules: ['csp'],
  readAt: '4.0 (and 3.7 for the CSP_* settings)',
  debian: { package: 'python3-django-csp', version: '3.7' },
  apps: { csp: 'csp' },
  middleware: { csp: 'csp.middleware.CSPMiddleware' },
  settings: {
    policy: {
      name: 'CONTENT_SECURITY_POLICY',
      default: { value: null },
      source: {
        url: `${V4}/utils.py#L80-L86`,
        quote:
          'config = getattr(settings, "CONTENT_SECURITY_POLICY", {}); config = default_config(config.get("DIRECTIVES", {})) if config else None … # If config is still `None`, return empty policy. if config is None: return ""',
        versions: '4.0 and later',
      },
    },
    policyReportOnly: {
      name: 'CONTENT_SECURITY_POLICY_REPORT_ONLY',
      default: { value: null },
      source: {
        url: `${V4}/utils.py#L76-L79`,
        quote:
          'config = getattr(settings, "CONTENT_SECURITY_POLICY_REPORT_ONLY", {}); config = default_config(config.get("DIRECTIVES", {})) if config else None',
        versions: '4.0 and later',
      },
    },
    legacyReportOnly: {
      name: 'CSP_REPORT_ONLY',
      default: { value: false },
      source: { url: `${V3}/middleware.py#L72`, quote: "if getattr(settings, 'CSP_REPORT_ONLY', False):", versions: 'before 4.0' },
    },
  },
} as const satisfies Library;

/** What its middleware does to a request: it never answers one. */
export const DJANGO_CSP_MIDDLEWARE = {
  /** process_request only puts a lazy nonce on the request; process_response adds the policy headers and returns the response. */
  responseOnly: {
    value: true,
    source: {
      url: `${V4}/middleware.py#L69-L112`,
      quote:
        'def process_request(self, request: HttpRequest) -> None: nonce = partial(self._make_nonce, request); setattr(request, "csp_nonce", CheckableLazyObject(nonce)) … def process_response(self, request, response): … response[HEADER] = csp … return response',
      versions: '4.0 (3.7, which Debian packages, alike: process_request sets request.csp_nonce and returns nothing)',
    },
  },
} as const satisfies Record<string, Fact<unknown>>;

/** What django-csp does with its settings, by major version. */
export const DJANGO_CSP_FACTS = {
  /** The release that replaced the CSP_* settings with the CONTENT_SECURITY_POLICY dicts. */
  release4: {
    value: '4.0',
    source: {
      url: 'https://github.com/mozilla/django-csp/blob/6d5cc6c00e90651447ee555f948231bc21998b3e/docs/migration-guide.rst',
      quote:
        'The previous approach of using individual settings prefixed with ``CSP_`` for each directive is no longer supported. Instead, all CSP settings are now consolidated into one of two dict-based settings: ``CONTENT_SECURITY_POLICY`` or ``CONTENT_SECURITY_POLICY_REPORT_ONLY``.',
    },
  },
  /** The key of a 4.x policy dict that holds its directives. */
  directivesKey: {
    value: 'DIRECTIVES',
    source: { url: `${V4}/utils.py#L81-L82`, quote: 'config.get("DIRECTIVES", {})', versions: '4.0 and later' },
  },
  /** Every 3.x setting starts with this; 4.0 reads none of them (its check csp.E001 names them). */
  legacyPrefix: {
    value: 'CSP_',
    source: {
      url: `${V4}/checks.py#L84-L97`,
      quote:
        'check_settings = OUTDATED_SETTINGS + ["CSP_REPORT_ONLY", "CSP_EXCLUDE_URL_PREFIXES", "CSP_REPORT_PERCENTAGE"]; if any(hasattr(settings, setting) for setting in check_settings): … "You are using django-csp < 4.0 settings. Please update your settings to use the new format." … Error(warning, id="csp.E001")',
      versions: '4.0 and later',
    },
  },
  /**
   * The settings django-csp 3.x reads, every one of them: the directives django-csp 4's check
   * csp.E001 converts (OUTDATED_SETTINGS) and the four that are not directives. A CSP_* name outside
   * this list (`CSP_SELF` imported from csp.constants, a helper `CSP_BLOB = "blob:"` used inside
   * CONTENT_SECURITY_POLICY) is read by no version: django-csp 4 reads only CONTENT_SECURITY_POLICY
   * and CONTENT_SECURITY_POLICY_REPORT_ONLY (`settings` above).
   */
  legacySettings: {
    value: [
      'CSP_CHILD_SRC',
      'CSP_CONNECT_SRC',
      'CSP_DEFAULT_SRC',
      'CSP_SCRIPT_SRC',
      'CSP_SCRIPT_SRC_ATTR',
      'CSP_SCRIPT_SRC_ELEM',
      'CSP_OBJECT_SRC',
      'CSP_STYLE_SRC',
      'CSP_STYLE_SRC_ATTR',
      'CSP_STYLE_SRC_ELEM',
      'CSP_FONT_SRC',
      'CSP_FRAME_SRC',
      'CSP_IMG_SRC',
      'CSP_MANIFEST_SRC',
      'CSP_MEDIA_SRC',
      'CSP_PREFETCH_SRC',
      'CSP_WORKER_SRC',
      'CSP_BASE_URI',
      'CSP_PLUGIN_TYPES',
      'CSP_SANDBOX',
      'CSP_FORM_ACTION',
      'CSP_FRAME_ANCESTORS',
      'CSP_NAVIGATE_TO',
      'CSP_REQUIRE_SRI_FOR',
      'CSP_REQUIRE_TRUSTED_TYPES_FOR',
      'CSP_TRUSTED_TYPES',
      'CSP_UPGRADE_INSECURE_REQUESTS',
      'CSP_BLOCK_ALL_MIXED_CONTENT',
      'CSP_REPORT_URI',
      'CSP_REPORT_TO',
      'CSP_REPORT_ONLY',
      'CSP_EXCLUDE_URL_PREFIXES',
      'CSP_REPORT_PERCENTAGE',
      'CSP_INCLUDE_NONCE_IN',
    ],
    source: {
      url: 'https://github.com/mozilla/django-csp/blob/035844aa67e68307f32ad9602298fef428358fe5/csp/checks.py#L14-L45',
      quote:
        'OUTDATED_SETTINGS = ["CSP_CHILD_SRC", "CSP_CONNECT_SRC", "CSP_DEFAULT_SRC", … "CSP_REPORT_URI", "CSP_REPORT_TO"] … REPORT_ONLY = getattr(settings, "CSP_REPORT_ONLY", False) … "CSP_EXCLUDE_URL_PREFIXES" … "CSP_REPORT_PERCENTAGE" … "CSP_INCLUDE_NONCE_IN"',
      versions: 'before 4.0',
    },
  },
  /** The 3.x settings that are not directives. */
  legacyNotDirectives: {
    value: ['CSP_REPORT_ONLY', 'CSP_EXCLUDE_URL_PREFIXES', 'CSP_REPORT_PERCENTAGE', 'CSP_INCLUDE_NONCE_IN'],
    source: {
      url: `${V4}/checks.py#L58-L72`,
      quote:
        'REPORT_ONLY = getattr(settings, "CSP_REPORT_ONLY", False) … getattr(settings, "CSP_EXCLUDE_URL_PREFIXES", None) … getattr(settings, "CSP_REPORT_PERCENTAGE", None) … getattr(settings, "CSP_INCLUDE_NONCE_IN", [])',
    },
  },
  /** django-csp 3.x sends default-src 'self' when CSP_DEFAULT_SRC is not set. */
  legacyDefaultSrc: {
    value: ["'self'"],
    source: {
      url: `${V3}/utils.py#L21`,
      quote: "'default-src': getattr(settings, 'CSP_DEFAULT_SRC', [\"'self'\"]),",
      versions: 'before 4.0',
    },
  },
  /** django-csp 4 sends no header without a policy dict. */
  noPolicyNoHeader: {
    value: true,
    source: {
      url: `${V4}/middleware.py#L82-L84`,
      quote: 'csp = build_policy(**asdict(policy_parts)); if csp: … response[HEADER] = csp',
      versions: '4.0 and later',
    },
  },
} as const satisfies Record<string, Fact<unknown>>;
