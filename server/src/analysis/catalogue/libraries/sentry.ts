// sentry-sdk: the init call settings make, and the options rules read with their defaults.
import type { Fact, Library } from './types';

const DOCS = 'https://docs.sentry.io/platforms/python/configuration/options';

export const SENTRY = {
  distribution: 'sentry-sdk',
  modules: ['sentry_sdk'],
  readAt: '2.x documentation',
} as const satisfies Library;

export const SENTRY_INIT = {
  /** The call the settings make (as the evaluator records it). */
  callee: {
    value: 'sentry_sdk.init',
    source: { url: DOCS, quote: 'Options are passed to the init() function as optional keyword arguments' },
  },
  /** Each call makes a new client with its own options and sets it on the global scope: a later call replaces an earlier one's options whole. */
  replacesClient: {
    value: true,
    source: {
      url: 'https://github.com/getsentry/sentry-python/blob/05de838587c3040f420ff281b6e530bfb99e2322/sentry_sdk/_init_implementation.py',
      quote: 'def _init(*args, **kwargs): client = sentry_sdk.Client(*args, **kwargs); sentry_sdk.get_global_scope().set_client(client)',
    },
  } satisfies Fact<boolean>,
  sendDefaultPii: {
    value: false,
    knob: 'send_default_pii',
    source: {
      url: `${DOCS}/#send-default-pii`,
      quote:
        'send_default_pii … Type: Bool, Default: False. If this flag is enabled, certain personally identifiable information (PII) is added by active integrations.',
    },
  },
  tracesSampleRate: {
    value: null,
    knob: 'traces_sample_rate',
    source: {
      url: `${DOCS}/#traces-sample-rate`,
      quote:
        'traces_sample_rate … Type: float, Default: None. A number between 0 and 1, controlling the percentage chance a given transaction will be sent to Sentry.',
    },
  },
  enableTracing: {
    value: 1.0,
    knob: 'enable_tracing',
    source: {
      url: `${DOCS}/#enable-tracing`,
      quote: 'enable_tracing … If set to True, traces_sample_rate will default to 1.0 (deprecated in 2.x: set traces_sample_rate instead)',
    },
  },
  samplerKnob: {
    value: 'traces_sampler',
    source: {
      url: `${DOCS}/#traces-sampler`,
      quote: 'traces_sampler … A function responsible for determining the percentage chance a given transaction will be sent to Sentry.',
    },
  },
} as const satisfies Record<string, Fact<unknown>>;
