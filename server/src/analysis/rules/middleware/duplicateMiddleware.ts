// DDH507: the same middleware listed twice.
import type { Rule } from '../types';
import { readMiddleware, short, type MwItem } from './order';
import { reportWithChange } from '../fixes/listEdits';

/** How many of the ascending numbers are at most `x`. */
function upperBound(sorted: readonly number[], x: number): number {
  let lo = 0;
  let hi = sorted.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (sorted[mid]! <= x) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

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
    for (const item of list.items) {
      if (item.name === undefined) continue;
      const same = byName.get(item.name);
      if (same) same.push(item);
      else byName.set(item.name, [item]);
    }
    // Linear in the list: for each position, the next item with another name (or none), so that
    // "is anything else between these two entries" is one lookup.
    const items = list.items;
    const nextOther: number[] = new Array(items.length).fill(items.length);
    for (let i = items.length - 2; i >= 0; i--)
      nextOther[i] = items[i + 1]!.name !== items[i]!.name || items[i]!.name === undefined ? i + 1 : nextOther[i + 1]!;
    let found = false;
    for (const [name, same] of byName) {
      if (same.length < 2) continue;
      found = true;
      const sorted = [...same].sort((a, b) => rank(a)[0] - rank(b)[0] || rank(a)[1] - rank(b)[1]);
      const kept = sorted[0]!;
      const repeats = sorted.slice(1);
      for (const [k, item] of repeats.entries()) {
        // Below the kept entry (or next to it, with only copies of it between) the repeat only
        // redoes what the outer copy did.
        const lo = Math.min(item.index, kept.index);
        const hi = Math.max(item.index, kept.index);
        const firstOther = nextOther[lo]!;
        const inner = item.index > kept.index || firstOther >= hi;
        // the other middleware between them: the first one, and how many (copies of this one do not count)
        const positions = same.map((i) => i.index);
        const sameBetween = inner ? 0 : upperBound(positions, hi - 1) - upperBound(positions, lo);
        const count = hi - lo - 1 - sameBetween;
        const first = items[firstOther];
        const firstName = first?.name ? short(first.name) : 'an unknown middleware';
        const others = count > 1 ? `${firstName} (and ${count - 1} more)` : firstName;
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
              (inner ? '' : ` (changes behaviour: ${short(name)} then runs only below ${others})`),
            safety: inner ? 'safe' : 'unsafe',
          },
        );
      }
    }
    if (!found && !list.complete) ctx.unknown(`${list.setting.name} holds items the analysis cannot read`, list.setting.loc);
  },
};
