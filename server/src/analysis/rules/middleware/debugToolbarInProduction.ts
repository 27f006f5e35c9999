// DDH509: django-debug-toolbar installed in the production settings.
import * as V from '../../eval/values';
import type { SettingValue } from '../settings';
import type { FixSafety, Rule, RuleContext } from '../types';
import { MW, readMiddleware, type MwItem } from './order';
import { reportWithChange, type Change } from './reorder';

/**
 * Removing the entry: unsafe where only production reads it; display-only where development reads
 * the same statement (a single settings module, a base module), which would lose its toolbar too.
 */
function removal(ctx: RuleContext, setting: SettingValue, item: MwItem, what: string): Change {
  const onlyProduction = ctx.fixer.productionEditSafety(item.loc.file) === 'safe';
  const safety: FixSafety = onlyProduction ? 'unsafe' : 'display-only';
  const title = onlyProduction
    ? `Remove ${what} from the production ${setting.name} (changes behaviour: the toolbar is no longer loaded)`
    : `Remove ${what} from ${setting.name} (changes behaviour: development, which runs this line too, loses the toolbar)`;
  return { setting, kind: 'remove', items: [item], title, safety };
}

export const debugToolbarInProduction: Rule = {
  code: 'DDH509',
  name: 'debug-toolbar-in-production',
  title: 'Debug toolbar in production',
  severity: 'warning',
  group: 'middleware',
  checklist: 'middleware-apps',
  target: 'settings',
  fixSafety: 'unsafe',
  docs: {
    what:
      "django-debug-toolbar is part of the production settings: the `debug_toolbar` app (or its AppConfig) in `INSTALLED_APPS`, or `DebugToolbarMiddleware` in `MIDDLEWARE`. Each entry is reported. Adding them under `if DEBUG:` is fine when production's DEBUG is off: the analysis follows the condition.",
    why:
      'The toolbar shows SQL queries with their parameters, settings, headers, templates and cache calls to whoever `SHOW_TOOLBAR_CALLBACK` lets through: by default anyone whose address is in `INTERNAL_IPS` while DEBUG is on, and behind a proxy that address can be the proxy\'s for every visitor. It also records every request it instruments, costing time and memory, and its middleware rewrites HTML responses. In production it is, at best, dead weight; at worst, one DEBUG switch away from a data leak.',
    example: 'INSTALLED_APPS += ["debug_toolbar"]\nMIDDLEWARE.insert(0, "debug_toolbar.middleware.DebugToolbarMiddleware")',
    fix: 'Add the toolbar only in the development settings module (or under `if DEBUG:` with DEBUG off in production), and install the package only as a development dependency. The quick fix removes the entry (its comments stay). It is unsafe where only production reads that line, and only a suggestion where development reads it too (a single settings module, a base module), since development would lose the toolbar: move it to the development settings instead.',
    good: '# settings/development.py\nfrom .base import *\nINSTALLED_APPS += ["debug_toolbar"]\nMIDDLEWARE.insert(0, "debug_toolbar.middleware.DebugToolbarMiddleware")',
    references: [
      { title: 'django-debug-toolbar: installation', url: 'https://django-debug-toolbar.readthedocs.io/en/latest/installation.html' },
      { title: 'Django deployment checklist', url: 'https://docs.djangoproject.com/en/stable/howto/deployment/checklist/' },
      { title: 'Django: INTERNAL_IPS', url: 'https://docs.djangoproject.com/en/stable/ref/settings/#internal-ips' },
    ],
  },
  check(ctx) {
    let reported = false;
    let uncertain = false;
    const apps = ctx.settings.get('INSTALLED_APPS');
    if (V.isSeq(apps.value)) {
      if (apps.value.origin === 'unknown') uncertain = true;
      for (const [index, item] of apps.value.items.entries()) {
        if (item.kind !== 'str') {
          uncertain = true;
          continue;
        }
        if (item.v === 'debug_toolbar' || item.v.startsWith('debug_toolbar.apps.')) {
          reported = true;
          const entry: MwItem = { name: item.v, value: item, loc: ctx.settings.locOf(item) ?? apps.loc, index };
          reportWithChange(
            ctx,
            'DDH509',
            { loc: entry.loc, message: 'INSTALLED_APPS holds django-debug-toolbar in the production settings: add it only in the development settings.' },
            removal(ctx, apps, entry, item.v === 'debug_toolbar' ? "'debug_toolbar'" : 'the debug toolbar app'),
          );
        }
      }
    } else if (apps.value.kind === 'unknown' && apps.value.origin !== 'env') uncertain = true;
    const list = readMiddleware(ctx);
    if (list) {
      if (!list.complete) uncertain = true;
      for (const item of list.items) {
        if (item.name !== MW.debugToolbar) continue;
        reported = true;
        reportWithChange(
          ctx,
          'DDH509',
          { loc: item.loc, message: `${list.setting.name} holds DebugToolbarMiddleware in the production settings: add it only in the development settings.` },
          removal(ctx, list.setting, item, 'DebugToolbarMiddleware'),
        );
      }
    }
    if (!reported && uncertain) ctx.unknown('INSTALLED_APPS or MIDDLEWARE holds values the analysis cannot read');
  },
};
