// DDH605: WhiteNoise's development modes (WHITENOISE_AUTOREFRESH, WHITENOISE_USE_FINDERS) switched
// on in the production settings.
import { middlewareHeld } from '../middleware/order';
import { MW } from '../../models/settings/middleware';
import { isWrittenInCode } from '../../models/settings/query';
import * as V from '../../eval/values';
import { originNote } from '../helpers';
import { WHITENOISE } from '../../catalogue/libraries';
import type { Fix, Rule, Severity } from '../types';

const MODES: readonly { readonly name: string; readonly severity: Severity; readonly effect: string }[] = [
  {
    name: WHITENOISE.settings.autorefresh.name,
    severity: 'warning',
    effect:
      'WhiteNoise looks files up on disk at every request instead of once at start-up (slower, and a mode its author says is never meant for production)',
  },
  {
    name: WHITENOISE.settings.useFinders.name,
    severity: 'information',
    effect:
      "WhiteNoise also serves files straight from the apps' static directories, uncollected: files missing from STATIC_ROOT still work in production, unhashed and uncompressed, hiding a broken collectstatic",
  },
];

export const whitenoiseDevMode: Rule = {
  code: 'DDH605',
  name: 'whitenoise-dev-mode',
  title: "WhiteNoise's development modes are on",
  severity: 'warning',
  group: 'static-media',
  checklist: 'static-files',
  target: 'settings',
  fixSafety: 'unsafe',
  docs: {
    what: "With `WhiteNoiseMiddleware` installed, the production settings set `WHITENOISE_AUTOREFRESH` (a warning) or `WHITENOISE_USE_FINDERS` (information) to a true value, written or as the default of an environment lookup. Both default to `DEBUG`, so leaving them unset is right: a DEBUG that is on in production is DDH107's finding.",
    why: "Autorefresh makes WhiteNoise look every request up on disk instead of indexing the files once at start-up; it is slower, and WhiteNoise's changelog states it is never intended for production (a path traversal was once fixed in that mode). Use-finders serves files from the apps' own static directories as well as STATIC_ROOT, so a file that collectstatic never collected still answers in production, unhashed and uncompressed, and the broken build goes unnoticed.",
    example:
      'MIDDLEWARE = ["django.middleware.security.SecurityMiddleware", "whitenoise.middleware.WhiteNoiseMiddleware", ...]\nWHITENOISE_AUTOREFRESH = True\nWHITENOISE_USE_FINDERS = True',
    fix: 'Delete both settings (they follow DEBUG), or set them only in the development settings. The quick fix sets the written value to False in the production settings; it is unsafe when the line is shared with development, where the mode is wanted.',
    good: '# production.py: WHITENOISE_AUTOREFRESH and WHITENOISE_USE_FINDERS unset (they follow DEBUG, which is False)',
    references: [
      {
        title: 'WhiteNoise: WHITENOISE_AUTOREFRESH',
        url: 'https://whitenoise.readthedocs.io/en/stable/django.html#WHITENOISE_AUTOREFRESH',
      },
      {
        title: 'WhiteNoise: WHITENOISE_USE_FINDERS',
        url: 'https://whitenoise.readthedocs.io/en/stable/django.html#WHITENOISE_USE_FINDERS',
      },
      {
        title: 'WhiteNoise changelog (4.1.3: autorefresh is never intended for production)',
        url: 'https://whitenoise.readthedocs.io/en/stable/changelog.html',
      },
    ],
  },
  check(ctx) {
    const mw = middlewareHeld(ctx, MW.whitenoise);
    if (mw === false) return ctx.notApplicable('WhiteNoiseMiddleware is not installed');
    if (mw === undefined) {
      const m = ctx.settings.query('MIDDLEWARE');
      if (m.state === 'supplied' || m.state === 'unknown') return ctx.undecided(m);
      return ctx.unknown('MIDDLEWARE holds items the analysis cannot read', m.setting.loc);
    }
    for (const mode of MODES) {
      const q = ctx.settings.query(mode.name);
      if (q.state === 'unset') continue; // follows DEBUG
      if (q.state === 'supplied' || q.state === 'unknown') {
        ctx.undecided(q);
        continue;
      }
      if (V.truthy(q.value) !== true) continue;
      const s = q.setting;
      const fix: Fix | undefined = isWrittenInCode(q.value)
        ? ctx.fixer.setSetting(s, 'False', {
            title: `Set ${mode.name} = False in the production settings`,
            safety: ctx.fixer.productionEditSafety(s.binding?.stmt?.file),
          })
        : undefined;
      ctx.report({
        loc: s.loc,
        severity: mode.severity,
        message: `${mode.name} is on in production${originNote(q.value)}: ${mode.effect}; delete it (it follows DEBUG) or set it only in the development settings.`,
        fixes: fix ? [fix] : [],
      });
    }
  },
};
