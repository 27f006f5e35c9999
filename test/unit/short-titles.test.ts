// The checklist view's short item labels (client/src/shortTitles.ts): every item of the catalogue has
// one, short enough for the default side-bar width (issue 58: every item's sentence was cut there).
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { SHORT_TITLE_MAX, SHORT_TITLES, itemLabel } from '../../client/src/shortTitles';
import { CHECKLIST_ITEMS } from '../../server/src/analysis/catalogue/checklistItems';
import { GROUPS } from '../../server/src/analysis/catalogue/groups';

describe('short checklist item labels', () => {
  it('every checklist item has a short label that fits the default side-bar width, and only those', () => {
    for (const item of CHECKLIST_ITEMS) {
      const short = SHORT_TITLES[item.id];
      assert.ok(short, `${item.id} ("${item.title}") has no short label`);
      assert.ok(short.length <= SHORT_TITLE_MAX, `${item.id}: "${short}" is longer than ${SHORT_TITLE_MAX}`);
      assert.equal(itemLabel(item), short);
    }
    assert.deepEqual(Object.keys(SHORT_TITLES).sort(), CHECKLIST_ITEMS.map((i) => i.id).sort());
  });
  it('short labels tell items apart, and from the groups they sit under', () => {
    const labels = Object.values(SHORT_TITLES);
    assert.equal(new Set(labels).size, labels.length);
    for (const title of Object.values(GROUPS)) assert.ok(!labels.includes(title), `an item is named like the group "${title}"`);
  });
});
