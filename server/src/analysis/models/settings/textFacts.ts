// Facts found by reading a file's whole text (does it name Django's mail API, does it mention a
// setting, where its `# noqa` lines are), kept while the file's text is the same string. After a keystroke in production.py the
// 5,000-line base it star-imports is the same text as before: the rules that read it after every
// keystroke need not read its 200 KB again. Only the latest text of each file is kept.
const kept = new Map<string, { readonly text: string; readonly facts: Map<string, unknown> }>();

/** Files whose facts are kept (a workspace's settings and server files, with room to spare). */
const MAX_FILES = 256;

/** read(text), kept for `file`'s `text` under `key` (which names what read() finds). */
export function textFact<T>(file: string, text: string, key: string, read: (text: string) => T): T {
  let e = kept.get(file);
  // (the same string object when the file did not change: a pointer compare)
  if (e === undefined || e.text !== text) {
    if (e === undefined && kept.size >= MAX_FILES) kept.clear();
    e = { text, facts: new Map() };
    kept.set(file, e);
  }
  if (!e.facts.has(key)) e.facts.set(key, read(text));
  return e.facts.get(key) as T;
}

/** Whether `file`'s `text` contains `word` (kept while the text is the same). */
export function textMentions(file: string, text: string, word: string): boolean {
  return textFact(file, text, `mentions\0${word}`, (t) => t.includes(word));
}
