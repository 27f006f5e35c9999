// Memoised answers for the decisions of this folder, about names (memo) and about string values
// that may sit under a name (memoValue).

/**
 * Answers for names and values seen before: the language server re-runs the rules after every
 * keystroke over the same few thousand names and strings. Bounded, and cleared when full.
 */
export function memo<T>(fn: (key: string) => T): (key: string) => T {
  const cache = new Map<string, T>();
  return (key) => {
    let v = cache.get(key);
    if (v === undefined && !cache.has(key)) {
      if (cache.size >= 20_000) cache.clear();
      v = fn(key);
      cache.set(key, v);
    }
    return v as T;
  };
}

/**
 * memo for an answer about a string value that may sit under a name (`named` when the name is
 * sensitive, with the name). Only for functions whose answer does not depend on the name when
 * `named` is false (the value alone decides then). Answers are shared: callers must not change them.
 * (secretParts: about 3× faster on the strings of a large settings module seen again; credentialIn
 * is as fast as a lookup already and is not memoised.)
 */
export function memoValue<T>(fn: (value: string, named: boolean, name?: string) => T): (value: string, named: boolean, name?: string) => T {
  const plain = new Map<string, T>();
  const byName = new Map<string | undefined, Map<string, T>>();
  let size = 0;
  return (value, named, name) => {
    let cache = plain;
    if (named) {
      let m = byName.get(name);
      if (m === undefined) byName.set(name, (m = new Map()));
      cache = m;
    }
    let v = cache.get(value);
    if (v === undefined && !cache.has(value)) {
      if (size >= 50_000) {
        plain.clear();
        byName.clear();
        size = 0;
        if (named) byName.set(name, cache);
        cache.clear();
      }
      v = fn(value, named, name);
      cache.set(value, v);
      size++;
    }
    return v as T;
  };
}
