// The shapes of the library catalogue: a fact with the library's own words (a line of its source at
// a commit or tag, or its documentation), a setting a library reads with its default and the older
// names it falls back to, and a library's names (distribution, import names, apps, middleware).
import type { Source } from '../facts';

export type { Fact, Source } from '../facts';

/** What a setting is when the settings do not set it: a value, or "whatever DEBUG is". */
export type Default<T> = { readonly value: T } | { readonly followsDebug: true; readonly whenDebugOff: T };

/** A setting a library reads, by name, with what it is when not set. */
export interface LibrarySetting<T = unknown> {
  readonly name: string;
  readonly default: Default<T>;
  /** Older names read when this one is not set, in order (django-cors-headers' 3.5 renames). */
  readonly fallbacks?: readonly string[];
  readonly source: Source;
}

export interface Library {
  /** The distribution's name on PyPI (what requirements files name). */
  readonly distribution: string;
  /** Its top-level import names. */
  readonly modules: readonly string[];
  /** INSTALLED_APPS entries it ships, by role. */
  readonly apps?: Readonly<Record<string, string>>;
  /** Its middleware, by role. */
  readonly middleware?: Readonly<Record<string, string>>;
  /** The settings it reads that rules ask about, by role. */
  readonly settings?: Readonly<Record<string, LibrarySetting>>;
  /** The version Debian 12 packages (python3-…), which test/libdiff runs; undefined when Debian has none. */
  readonly debian?: { readonly package: string; readonly version: string };
  /** The release the catalogue's other facts were read from. */
  readonly readAt: string;
}

/** `value` when the setting is not set and DEBUG is off (production's case). */
export function productionDefault<T>(s: LibrarySetting<T>): T {
  return 'value' in s.default ? s.default.value : s.default.whenDebugOff;
}
