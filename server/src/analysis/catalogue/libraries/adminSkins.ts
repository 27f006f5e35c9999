// Admin skins whose pages frame the site's own pages. django-jet (and django-jet-reboot, its
// continuation for Django 3 and later, the same `jet` app) opens the admin's related-object
// popups (the "+" and pencil beside a foreign key) as an <iframe> of the admin's own page in the
// top window, not as a new window as Django's admin does: the admin must let pages of the same
// origin frame it (X_FRAME_OPTIONS = 'SAMEORIGIN'), or those popups stay blank. Read from
// django-jet-reboot 1.3.2 (assem-ch/django-jet-reboot at c22e2f6f); django-jet (geex-arts) ships the
// same related-popups.js. Neither marks its views with xframe_options_sameorigin (no Python file of
// either names it), so the setting decides.
import type { Fact, Library } from './types';

const AT = 'https://github.com/assem-ch/django-jet-reboot/blob/c22e2f6f7cd2404eb69897364bac3b9fe3d2de86';

export const JET = {
  distribution: 'django-jet-reboot',
  modules: ['jet'],
  apps: { jet: 'jet' },
  readAt: '1.3.2 (c22e2f6f)',
} as const satisfies Library;

export const JET_FACTS = {
  /** Its related-object popups load the admin's own pages in an iframe: they need the site to frame itself (SAMEORIGIN). */
  framesOwnPages: {
    value: true,
    source: {
      url: `${AT}/jet/static/jet/js/src/features/related-popups.js#L101-L117`,
      quote:
        "showPopup: function($input, href) { var $document = $(window.top.document); … var $iframe = $('<iframe>').attr('src', href) … $popup.append($iframe);",
      versions: 'the same in django-jet (geex-arts/django-jet, jet/static/jet/js/src/features/related-popups.js)',
    },
  },
} as const satisfies Record<string, Fact<unknown>>;
