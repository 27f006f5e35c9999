// django-ninja and ninja-jwt: an API object (`api = NinjaAPI(auth=...)`, routed with `api.urls`)
// whose operations answer JSON, authenticating each caller by what its `auth` classes read: a
// header the caller's code sends (HttpBearer, HttpBasicAuth, APIKeyHeader, ninja-jwt's JWTAuth),
// a query parameter, or a cookie (APIKeyCookie, and the session: django_auth, SessionAuth…).
// Read from django-ninja's source at the commits named and ninja-jwt's at 481238d2.
import type { Fact, Library } from './types';

const NINJA = 'https://github.com/vitalik/django-ninja/blob';

export const DJANGO_NINJA = {
  distribution: 'django-ninja',
  modules: ['ninja'],
  readAt: '1.x (ninja/security at 7e866bfc, d8816ef9, f761d037)',
} as const satisfies Library;

export const NINJA_JWT = {
  distribution: 'django-ninja-jwt',
  modules: ['ninja_jwt'],
  readAt: '5.x (ninja_jwt/authentication.py at 481238d2)',
} as const satisfies Library;

/** The API classes a project makes its API from (django-ninja-extra's subclasses NinjaAPI). */
export const NINJA_API_CLASSES: Fact<readonly string[]> = {
  value: ['NinjaAPI', 'NinjaExtraAPI'],
  source: {
    url: `${NINJA}/dd4ad13c26fe3edff2ecc15fb2c9393fb6dd9918/ninja/main.py`,
    quote:
      'class NinjaAPI: def __init__(self, *, title: str = "NinjaAPI", …, openapi_url: Optional[str] = "/openapi.json", docs_url: Optional[str] = "/docs", urls_namespace: str = None, auth: Union[Sequence[Callable], Callable, object] = NOT_SET)',
  },
};

/**
 * The page an API object serves besides its JSON: the interactive documentation (Swagger UI) at
 * `docs_url` under the API's prefix, unless `docs_url` (or `openapi_url`) is None. It shows the
 * API's own schema, no data of its users.
 */
export const NINJA_DOCS_PAGE: Fact<{ readonly path: string; readonly off: readonly string[] }> = {
  value: { path: 'docs', off: ['docs_url', 'openapi_url'] },
  knob: 'NinjaAPI(docs_url=None)',
  source: {
    url: `${NINJA}/dd4ad13c26fe3edff2ecc15fb2c9393fb6dd9918/ninja/main.py`,
    quote: 'openapi_url: Optional[str] = "/openapi.json", docs_url: Optional[str] = "/docs", … result = get_openapi_urls(self)',
  },
};

/**
 * The authentication classes (and django-ninja's `django_auth` function) by what a caller sends:
 * a header or a query parameter its own code adds (`token`: another site cannot make a browser send
 * it), or a cookie the browser adds by itself (`cookie`: the session's among them). A class of the
 * project subclassing one of these reads what its base reads.
 */
export const NINJA_AUTHENTICATION: Fact<Readonly<Record<string, 'token' | 'cookie'>>> = {
  value: {
    HttpBearer: 'token',
    HttpBasicAuth: 'token',
    APIKeyHeader: 'token',
    APIKeyQuery: 'token',
    APIKeyCookie: 'cookie',
    SessionAuth: 'cookie',
    SessionAuthSuperUser: 'cookie',
    SessionAuthIsStaff: 'cookie',
    django_auth: 'cookie',
    django_auth_superuser: 'cookie',
    django_auth_is_staff: 'cookie',
    // ninja-jwt
    JWTAuth: 'token',
    JWTStatelessUserAuthentication: 'token',
    JWTTokenUserAuth: 'token',
    AsyncJWTAuth: 'token',
    AsyncJWTTokenUserAuth: 'token',
  },
  source: {
    url: `${NINJA}/d8816ef94193b641429cdec93888a289d8c68093/ninja/security/http.py`,
    quote:
      'class HttpBearer(HttpAuthBase, ABC): openapi_scheme: str = "bearer"; header: str = "Authorization" … auth_value = headers.get(self.header). (apikey.py at 7e866bfc: APIKeyQuery openapi_in = "query", request.GET; APIKeyCookie openapi_in = "cookie", request.COOKIES; APIKeyHeader openapi_in = "header". session.py at f761d037: class SessionAuth(APIKeyCookie): "Reusing Django session authentication", param_name = settings.SESSION_COOKIE_NAME. ninja-jwt authentication.py at 481238d2: class JWTAuth(JWTBaseAuthentication, HttpBearer); class JWTStatelessUserAuthentication(JWTBaseAuthentication, HttpBearer); JWTTokenUserAuth = JWTStatelessUserAuthentication)',
  },
};

/**
 * What an API object answers with unless `renderer=` names another: JSON. A renderer of the
 * project's (NinjaAPI(renderer=…)) may answer anything.
 */
export const NINJA_RENDERER: Fact<{ readonly knob: string; readonly mediaType: string }> = {
  value: { knob: 'renderer', mediaType: 'application/json' },
  knob: 'NinjaAPI(renderer=...)',
  source: {
    url: `${NINJA}/990e8b9c6279fa4d3926ce5e73b67ad48eb45642/ninja/renderers.py`,
    quote:
      'class JSONRenderer(BaseRenderer): media_type = "application/json" … return json.dumps(data, cls=self.encoder_class, **self.json_dumps_params)',
  },
};
