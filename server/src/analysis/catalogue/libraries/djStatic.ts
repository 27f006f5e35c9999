// dj-static: a WSGI wrapper around Django's application (`application = Cling(get_wsgi_application())`
// in wsgi.py) that answers requests under STATIC_URL with the files in STATIC_ROOT before Django
// sees them (with DEBUG off, through the `static` package's Cling), and MediaCling for MEDIA_URL
// from MEDIA_ROOT. Read from dj-static's source (heroku-python/dj-static at e73fa3bc, release 0.0.6).
import type { Fact, Library } from './types';

const AT = 'https://github.com/heroku-python/dj-static/blob/e73fa3bce00ac30b78218d60ece9efe931058a95/dj_static.py';

export const DJ_STATIC = {
  distribution: 'dj-static',
  modules: ['dj_static'],
  readAt: '0.0.6',
  /** The wrappers that serve static files from the WSGI layer, by the name they are imported under. */
  wrappers: {
    /** Serves STATIC_URL from STATIC_ROOT. */
    static: 'dj_static.Cling',
    /** Serves MEDIA_URL from MEDIA_ROOT. */
    media: 'dj_static.MediaCling',
  },
  servesStatic: {
    value: { url: 'STATIC_URL', root: 'STATIC_ROOT' },
    source: {
      url: AT,
      quote:
        'class Cling(WSGIHandler): """WSGI middleware that intercepts calls to the static files directory, as defined by the STATIC_URL setting, and serves those files.""" … def get_base_dir(self): return settings.STATIC_ROOT … def get_base_url(self): … return settings.STATIC_URL … if not self.debug or self.ignore_debug: … return self.cling(environ, start_response)',
      versions: 'dj-static 0.0.6 (and every release before it)',
    },
  } satisfies Fact<{ url: string; root: string }>,
} as const satisfies Library & Record<string, unknown>;
