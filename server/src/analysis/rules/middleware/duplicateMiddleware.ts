// DDH507: the same middleware listed twice.
import type { Rule } from '../types';
import { nameList, readMiddleware, short, type MwItem } from './order';
import { reportWithChange } from '../../fixes/listEdits';

export const duplicateMiddleware: Rule = {
  code: 'DDH507',
  name: 'duplicate-middleware',
  title: 'Middleware listed twice',
  severity: 'warning',
  group: 'middleware',
  checklist: 'middleware-order',
  target: 'settings',
  fixSafety: 'safe',
  docs: {
    what: 'A middleware path appears more than once in the production `MIDDLEWARE`, typically after `MIDDLEWARE += [...]` or `.insert()` in a settings module that inherits a list already holding it. Each repeat is reported on the entry added later (in the production module rather than the base module it imports, or further down the file).',
    why: 'Django does not deduplicate: the middleware is instantiated and run twice per request. Depending on the middleware that means the session saved twice, headers or cookies set twice, a CORS or WhiteNoise answer given at a position other than the one intended, and time spent for nothing. It usually means the list is not what its author thinks.',
    example:
      '# base.py\nMIDDLEWARE = ["django.middleware.security.SecurityMiddleware", "whitenoise.middleware.WhiteNoiseMiddleware", ...]\n\n# production.py\nMIDDLEWARE.insert(1, "whitenoise.middleware.WhiteNoiseMiddleware")',
    fix: 'Keep one entry, at the position the ordering rules ask for. The quick fix removes the repeated entry (its comments stay). It is safe when the repeat runs below the entry kept, or right next to it: the outer copy already does everything the inner one would. When the repeat runs above the entry kept, with other middleware between them, removing it moves where the middleware runs, so that fix is unsafe (and the ordering rules, which judge the first entry, tell whether the kept position is right).',
    good: '# production.py\nfrom .base import *   # WhiteNoise is already in base.MIDDLEWARE',
    references: [
      {
        title: 'Django: activating middleware',
        url: 'https://docs.djangoproject.com/en/stable/topics/http/middleware/#activating-middleware',
      },
      { title: 'Django: MIDDLEWARE', url: 'https://docs.djangoproject.com/en/stable/ref/settings/#middleware' },
    ],
  },
  check(ctx) {
    const list = readMiddleware(ctx);
    if (!list) return;
    // The entry kept is the one written first: a base module runs before the production module
    // that imports it, and within a file the earlier line runs first.
    const prod = ctx.project.production?.module.file;
    const rank = (i: MwItem): [number, number] => [i.loc.file === prod ? 1 : 0, i.loc.start];
    const byName = new Map<string, MwItem[]>();
    for (const item of list.items) if (item.name !== undefined) byName.set(item.name, [...(byName.get(item.name) ?? []), item]);
    let found = false;
    for (const [name, items] of byName) {
      if (items.length < 2) continue;
      found = true;
      const sorted = [...items].sort((a, b) => rank(a)[0] - rank(b)[0] || rank(a)[1] - rank(b)[1]);
      const kept = sorted[0]!;
      const repeats = sorted.slice(1);
      for (const [k, item] of repeats.entries()) {
        // Below the kept entry (or next to it) the repeat only redoes what the outer copy did.
        const between = list.items.filter(
          (i) => i.index > Math.min(item.index, kept.index) && i.index < Math.max(item.index, kept.index) && i.name !== name,
        );
        const inner = item.index > kept.index || between.length === 0;
        reportWithChange(
          ctx,
          {
            loc: item.loc,
            message: `${short(name)} is listed more than once in ${list.setting.name}: Django runs it again for every request; keep a single entry.`,
          },
          {
            setting: list.setting,
            kind: 'remove',
            items: [item],
            title:
              `Remove the repeated ${short(name)} entry` +
              (repeats.length > 1 ? ` (${k + 1} of ${repeats.length})` : '') +
              (inner ? '' : ` (changes behaviour: ${short(name)} then runs only below ${nameList(between)})`),
            safety: inner ? 'safe' : 'unsafe',
          },
        );
      }
    }
    if (!found && !list.complete) ctx.unknown(`${list.setting.name} holds items the analysis cannot read`, list.setting.loc);
  },
};
