// Asset pipelines that give the CSS and JavaScript a template loads names holding a hash of their
// content, whatever the static files storage does: django-compressor (its `{% compress %}` tag
// writes one file per block, named by its content's hash) and django-webpack-loader (its
// `{% render_bundle %}` tag links the files the bundler wrote, hashed when the bundler's
// `output.filename` says so). Files outside them (the admin's, images a template links with
// `{% static %}`) keep the names the static files storage gives them.
import type { Fact, Library } from './types';

const COMPRESSOR_DOCS = 'https://django-compressor.readthedocs.io/en/stable';

export const COMPRESSOR = {
  distribution: 'django-compressor',
  modules: ['compressor'],
  readAt: '4.5.1',
  apps: { compressor: 'compressor' },
  settings: {
    /** Whether `{% compress %}` compresses (else it outputs its block as written, the files under their own names). */
    enabled: {
      name: 'COMPRESS_ENABLED',
      default: { followsDebug: true, whenDebugOff: true },
      source: {
        url: `${COMPRESSOR_DOCS}/settings.html#django.conf.settings.COMPRESS_ENABLED`,
        quote: 'COMPRESS_ENABLED — Default: the opposite of DEBUG. Boolean that decides if compression will happen.',
      },
    },
    /**
     * Whether the `compress` management command writes the blocks' files before the deploy, the
     * tag then linking them from its manifest (only with COMPRESS_ENABLED on: COMPRESSOR_OFFLINE).
     */
    offline: {
      name: 'COMPRESS_OFFLINE',
      default: { value: false },
      source: {
        url: `${COMPRESSOR_DOCS}/settings.html#django.conf.settings.COMPRESS_OFFLINE`,
        quote:
          'COMPRESS_OFFLINE — Default: False. Boolean that decides if compression should be done outside of the request/response loop.',
      },
    },
    /** The folder (under COMPRESS_ROOT, STATIC_ROOT by default) its output files are written to. */
    outputDir: {
      name: 'COMPRESS_OUTPUT_DIR',
      default: { value: 'CACHE' },
      source: {
        url: `${COMPRESSOR_DOCS}/settings.html#django.conf.settings.COMPRESS_OUTPUT_DIR`,
        quote:
          "COMPRESS_OUTPUT_DIR — Default: 'CACHE'. Controls the directory inside COMPRESS_ROOT that compressed files will be written to.",
      },
    },
  },
} as const satisfies Library;

/** The template tag whose output file is named by its content's hash, and the kinds of block it takes. */
export const COMPRESSOR_OUTPUT: Fact<{ readonly tag: string; readonly kinds: readonly string[] }> = {
  value: { tag: 'compress', kinds: ['css', 'js'] },
  knob: 'COMPRESS_ENABLED',
  source: {
    url: `${COMPRESSOR_DOCS}/`,
    quote:
      'In your templates, all HTML code between the tags {% compress js/css %} and {% endcompress %} is parsed and searched for CSS or JS. … As the final step the template tag outputs a <script> or <link> tag pointing to the optimized file. … Since the file name is dependent on the content, these files can be given a far future expiration date without worrying about stale browser caches.',
  },
};

const COMPRESSOR_AT = 'https://github.com/django-compressor/django-compressor/blob/9ebf5a472bb6d10d73f64b5c278dcbac86563cf1';

/**
 * Offline compression: the `compress` management command a deployment runs (`manage.py compress`,
 * `--force` to run it whatever the two settings say) writes each block's file, named by its content
 * (`CACHE/css/output.f7c661b7a124.css`), and the tag links it from the offline manifest — only when
 * COMPRESS_ENABLED is on as well; with it off the tag renders the block as written. So a project that
 * sets COMPRESS_OFFLINE, or whose deployment runs the command, compresses in production unless it
 * writes COMPRESS_ENABLED off: where an environment variable the deployment sets decides it, the
 * deployment is presumed to turn it on.
 */
export const COMPRESSOR_OFFLINE: Fact<{ readonly command: string; readonly commandLine: RegExp }> = {
  value: {
    command: 'compress',
    // run through manage.py or django-admin, in a shell line, a Dockerfile's exec form or a YAML list
    // (`python manage.py compress --force`, `"manage.py", "compress"`): one character class between the words, linear
    commandLine: /(?:manage\.py|django-admin)["',\s]+compress\b/,
  },
  knob: 'COMPRESS_OFFLINE',
  source: {
    url: `${COMPRESSOR_AT}/compressor/templatetags/compress.py#L56-L64`,
    quote:
      'def is_offline_compression_enabled(self, forced): … return (settings.COMPRESS_ENABLED and settings.COMPRESS_OFFLINE) or forced. (docs/usage.txt, Offline Compression: "To use offline compression, enable the COMPRESS_OFFLINE setting and then run the compress management command to compress your assets and update the offline cache." Result: <link rel="stylesheet" href="/static/CACHE/css/output.f7c661b7a124.css">)',
    versions: 'django-compressor 4.3.1 (main at 9ebf5a47, 2024); offline compression since 1.0',
  },
};

const WEBPACK_LOADER_README =
  'https://github.com/django-webpack/django-webpack-loader/blob/5a52cc3e328ab558689aaebf62d18bb9d451eab6/README.md';

export const WEBPACK_LOADER = {
  distribution: 'django-webpack-loader',
  modules: ['webpack_loader'],
  readAt: 'README at 5a52cc3e (2.x)',
  apps: { webpackLoader: 'webpack_loader' },
} as const satisfies Library;

/** The template tag that links the files the bundler wrote, under the names its stats file lists. */
export const WEBPACK_LOADER_BUNDLES: Fact<{ readonly tag: string }> = {
  value: { tag: 'render_bundle' },
  source: {
    url: WEBPACK_LOADER_README,
    quote:
      '`render_bundle` will render the proper `<script>` and `<link>` tags needed in your template. … If the bundle generates a file called `main-cf4b5fab6e00a404e0c7.js` and your STATIC_URL is `/static/`, then the `<script>` tag will look like this <script type="text/javascript" src="/static/output/bundles/main-cf4b5fab6e00a404e0c7.js"/> (webpack config: output: { filename: "[name]-[hash].js" })',
  },
};

/**
 * A bundler's configuration files (webpack's and rspack's, any suffix: `webpack.config.js`,
 * `webpack.prod.js`, `rspack.config.ts`) and the placeholders of `output.filename` (and a CSS
 * extractor's `filename`) that put a hash of the content in a file's name. Without one (webpack's
 * default `[name].js`) the bundles keep their names across builds.
 */
export const BUNDLER_HASHES: Fact<{ readonly configNames: RegExp; readonly placeholders: readonly string[] }> = {
  value: {
    configNames: /^(?:webpack|rspack)[\w.-]*\.(?:js|cjs|mjs|ts|cts|mts)$/,
    placeholders: ['contenthash', 'chunkhash', 'fullhash', 'hash'],
  },
  knob: 'output.filename',
  source: {
    url: 'https://webpack.js.org/configuration/output/#template-strings',
    quote:
      "output.filename … Default: '[name].js'. Template strings: [fullhash] The full hash of compilation. [hash] Same, but deprecated. [chunkhash] The hash of the chunk, including all elements of the chunk. [contenthash] The hash of the chunk, including only elements of this content type.",
    versions: 'webpack 5 (rspack reads output.filename alike: https://rspack.dev/config/output#outputfilename)',
  },
};
