// WhiteNoise: the static files it serves itself (from its middleware, before the rest of the
// chain), the headers it puts on them, and the settings it reads. Read from WhiteNoise 6.12.0's
// source (evansd/whitenoise at 1fd3f909) and checked against Debian's 6.0.0 by test/libdiff.
import type { Fact, Library } from './types';

const AT = 'https://github.com/evansd/whitenoise/blob/1fd3f9095e4ca56abe619d0654b51f3fee80a37b/src/whitenoise';
const DOCS = 'https://whitenoise.readthedocs.io/en/stable/django.html';

export const WHITENOISE = {
  distribution: 'whitenoise',
  modules: ['whitenoise'],
  readAt: '6.12.0',
  debian: { package: 'python3-whitenoise', version: '6.0.0' },
  apps: { runserverNoStatic: 'whitenoise.runserver_nostatic' },
  middleware: { whitenoise: 'whitenoise.middleware.WhiteNoiseMiddleware' },
  settings: {
    allowAllOrigins: {
      name: 'WHITENOISE_ALLOW_ALL_ORIGINS',
      default: { value: true },
      source: {
        url: `${AT}/middleware.py#L50-L53`,
        quote: 'allow_all_origins = settings.WHITENOISE_ALLOW_ALL_ORIGINS … except AttributeError: allow_all_origins = True',
        versions: 'WhiteNoise 1.0 (2014) and later',
      },
    },
    maxAge: {
      name: 'WHITENOISE_MAX_AGE',
      default: { followsDebug: true, whenDebugOff: 60 },
      source: {
        url: `${AT}/middleware.py#L43-L49`,
        quote: 'max_age = settings.WHITENOISE_MAX_AGE … except AttributeError: if settings.DEBUG: max_age = 0 else: max_age = 60',
        versions: 'WhiteNoise 2.0 and later',
      },
    },
    autorefresh: {
      name: 'WHITENOISE_AUTOREFRESH',
      default: { followsDebug: true, whenDebugOff: false },
      source: {
        url: `${AT}/middleware.py#L39-L42`,
        quote: 'autorefresh: bool = settings.WHITENOISE_AUTOREFRESH … except AttributeError: autorefresh = settings.DEBUG',
      },
    },
    useFinders: {
      name: 'WHITENOISE_USE_FINDERS',
      default: { followsDebug: true, whenDebugOff: false },
      source: {
        url: `${AT}/middleware.py#L87-L90`,
        quote: 'self.use_finders = settings.WHITENOISE_USE_FINDERS … except AttributeError: self.use_finders = settings.DEBUG',
      },
    },
    immutableFileTest: {
      name: 'WHITENOISE_IMMUTABLE_FILE_TEST',
      default: { value: null },
      source: {
        url: `${AT}/middleware.py`,
        quote:
          'immutable_file_test = settings.WHITENOISE_IMMUTABLE_FILE_TEST … except AttributeError: immutable_file_test = None (a file it holds immutable is served with the long max-age of a hashed name, whatever the storage)',
        versions: 'WhiteNoise 4.0 and later',
      },
    },
    manifestStrict: {
      name: 'WHITENOISE_MANIFEST_STRICT',
      default: { value: true },
      source: {
        url: `${AT}/storage.py#L72-L74`,
        quote:
          'manifest_strict = getattr(settings, "WHITENOISE_MANIFEST_STRICT", None); if manifest_strict is not None: self.manifest_strict = manifest_strict (Django\'s ManifestStaticFilesStorage.manifest_strict is True)',
      },
    },
  },
  /** Its static files storages: which write content-hashed names. */
  storages: {
    hashed: ['whitenoise.storage.CompressedManifestStaticFilesStorage', 'whitenoise.django.GzipManifestStaticFilesStorage'],
    plain: ['whitenoise.storage.CompressedStaticFilesStorage', 'whitenoise.django.GzipStaticFilesStorage'],
    /** The manifest counterpart of a storage that keeps names, from the same library. */
    hashedTwin: { 'whitenoise.storage.CompressedStaticFilesStorage': 'whitenoise.storage.CompressedManifestStaticFilesStorage' },
    source: {
      url: `${AT}/storage.py#L22-L62`,
      quote:
        'class CompressedStaticFilesStorage(StaticFilesStorage) … class CompressedManifestStaticFilesStorage(ManifestStaticFilesStorage) (whitenoise.django.Gzip*StaticFilesStorage: their names before WhiteNoise 4.0)',
    },
  },
  /** The prefix of every class WhiteNoise ships (its storages, its middleware). */
  packagePrefix: 'whitenoise.',
} as const satisfies Library & Record<string, unknown>;

/** What WhiteNoise does to the static files it serves (docs/hops.md is generated from these). */
export const WHITENOISE_STATIC = {
  allowAllOrigins: {
    value: true,
    knob: WHITENOISE.settings.allowAllOrigins.name,
    source: {
      url: `${DOCS}#WHITENOISE_ALLOW_ALL_ORIGINS`,
      quote: 'Toggles whether to send an Access-Control-Allow-Origin: * header for all static files. (default: True)',
      versions: 'WhiteNoise 1.0 (2014) and later',
    },
  },
  maxAge: {
    value: 60,
    knob: WHITENOISE.settings.maxAge.name,
    source: {
      url: `${DOCS}#WHITENOISE_MAX_AGE`,
      quote: 'default: 60 if not settings.DEBUG else 0',
      versions: 'WhiteNoise 2.0 and later',
    },
  },
  hashedMaxAge: {
    value: 315360000,
    source: {
      url: `${AT}/base.py#L233-L234`,
      quote: 'headers["Cache-Control"] = f"max-age={self.FOREVER}, public, immutable" (FOREVER = 10 * 365 * 24 * 60 * 60)',
      versions: 'immutable since WhiteNoise 3.3',
    },
  },
  answersBeforeLaterMiddleware: {
    value: true,
    source: {
      url: `${DOCS}#enable-whitenoise`,
      quote:
        'The WhiteNoise middleware should be placed directly after the Django SecurityMiddleware (if you are using it) and before all other middleware. (it returns a static file without calling the middleware after it)',
    },
  },
} as const satisfies Record<string, Fact<boolean | number>>;
