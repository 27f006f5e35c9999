// The shape every catalogue fact shares (the hop catalogue, the library catalogue): a value, what
// changes it, and where that is said — the vendor's page or the library's source, in their words.

export interface Source {
  /** The vendor's documentation page, or the library's source file at a commit or tag. */
  readonly url: string;
  /** The vendor's words (a sentence or two), or the line of source that does it. */
  readonly quote: string;
  /** The versions the fact holds for, when that matters ("controller v1.9.5 and later", "4.0 and later"). */
  readonly versions?: string;
}

export interface Fact<T> {
  readonly value: T;
  /** What changes it, spelled as the configuration spells it. */
  readonly knob?: string;
  readonly source: Source;
}
