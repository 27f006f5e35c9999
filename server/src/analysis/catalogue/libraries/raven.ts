// raven (raven-python), Sentry's legacy Python client: its Django app reports uncaught exceptions
// to Sentry once it is in INSTALLED_APPS (docs/integrations/django.rst of getsentry/raven-python at
// 08b6d82c, raven 6.x). Superseded by sentry-sdk (./sentry.ts).
import type { Fact, Library } from './types';

const DJANGO_DOCS = 'https://github.com/getsentry/raven-python/blob/08b6d82cdbf851194cf07c0872c07da0184ef2e2/docs/integrations/django.rst';

export const RAVEN = {
  distribution: 'raven',
  modules: ['raven'],
  readAt: 'docs/integrations/django.rst at 08b6d82c (raven 6.x)',
  apps: { django: 'raven.contrib.django.raven_compat' },
} as const satisfies Library;

export const RAVEN_DJANGO = {
  /** Its Django app, once installed, reports every uncaught exception (a 500) to Sentry. */
  reportsUncaught: {
    value: true,
    source: {
      url: `${DJANGO_DOCS}#setup`,
      quote:
        'Using the Django integration is as simple as adding raven.contrib.django.raven_compat to your installed apps … This causes Raven to install a hook in Django that will automatically report uncaught exceptions.',
    },
  },
} as const satisfies Record<string, Fact<unknown>>;
