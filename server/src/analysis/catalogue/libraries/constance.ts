// django-constance: its CONSTANCE_CONFIG, each entry of which is a tuple whose first item alone is a
// value (the default the backend starts with); the others describe it.
import type { Fact, Library } from './types';

export const CONSTANCE = {
  distribution: 'django-constance',
  modules: ['constance'],
  readAt: '4.x documentation',
  settings: {
    config: {
      name: 'CONSTANCE_CONFIG',
      default: { value: {} },
      source: {
        url: 'https://django-constance.readthedocs.io/en/latest/#configuration',
        quote:
          "CONSTANCE_CONFIG = {'THE_ANSWER': (42, 'Answer to the Ultimate Question of Life, The Universe, and Everything')} … Here, 42 is the default value for the key THE_ANSWER if it is not found in the backend. The other member of the tuple is a help text the admin will show.",
      },
    },
  },
} as const satisfies Library;

/**
 * The layout of a CONSTANCE_CONFIG entry: (default, help_text[, field type]); only the item at
 * `valueIndex` is a value, the help text is prose shown in the admin and the type a Python type.
 */
export const CONSTANCE_CONFIG_ENTRY: Fact<{ readonly setting: string; readonly valueIndex: number }> = {
  value: { setting: CONSTANCE.settings.config.name, valueIndex: 0 },
  source: {
    url: 'https://django-constance.readthedocs.io/en/latest/#custom-fields',
    quote:
      "Here, 42 is the default value for the key THE_ANSWER if it is not found in the backend. The other member of the tuple is a help text the admin will show. … CONSTANCE_CONFIG = {'MY_SELECT_KEY': ('yes', 'select yes or no', 'yes_no_null_select')} (the third item: the field type)",
  },
};
