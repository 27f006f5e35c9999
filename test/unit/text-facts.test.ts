// Facts read from a file's whole text, kept while the text is the same (models/settings/textFacts.ts).
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { textFact, textMentions } from '../../server/src/analysis/models/settings/textFacts';

describe('text facts', () => {
  it('reads a text once per fact while it is the same, and again once it changes', () => {
    let reads = 0;
    const test = (t: string): boolean => {
      reads++;
      return t.includes('send_mail(');
    };
    const base = `${'X = 1\n'.repeat(1000)}`;
    assert.equal(textFact('/p/base.py', base, 'mail', test), false);
    assert.equal(textFact('/p/base.py', base, 'mail', test), false);
    assert.equal(reads, 1);
    // another file, another fact: read
    assert.equal(textFact('/p/other.py', base, 'mail', test), false);
    assert.equal(reads, 2);
    // the file changed: read again, and the new answer given
    const edited = `${base}send_mail("x")\n`;
    assert.equal(textFact('/p/base.py', edited, 'mail', test), true);
    assert.equal(reads, 3);
    // back to a text equal to the first (another string): its own answer
    assert.equal(textFact('/p/base.py', base.slice(0), 'mail', test), false);
    assert.equal(textMentions('/p/base.py', edited, 'SECURE_HSTS_PRELOAD'), false);
    assert.equal(textMentions('/p/base.py', `${edited}SECURE_HSTS_PRELOAD = True\n`, 'SECURE_HSTS_PRELOAD'), true);
  });
});
