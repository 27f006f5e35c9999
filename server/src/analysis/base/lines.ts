// Where an offset of a text is, by line: one count of the newlines before it for every reader and
// model that names a line from an offset (several had a copy of it).

/** The 0-based line of `offset` in `text` (the newlines before it). */
export function lineIndexAt(text: string, offset: number): number {
  let n = 0;
  for (let i = 0; i < offset && i < text.length; i++) if (text.charCodeAt(i) === 10) n++;
  return n;
}
