// The values documentation, templates and secret scanners use to say "fill this in": a stand-in
// written where the real credential goes, not a credential. The one catalogue secrets/placeholders.ts
// isPlaceholder reads (with its shapes: `change-me`, `<token>`, `your-…-here`, `xxxx`); a placeholder
// fallback of an environment read is then what the deployment must replace, never a committed secret.
import type { Source } from './facts';

/**
 * Whole values (compared trimmed and lower-case) that only stand in for a credential: the words
 * secret scanners discard as known false positives, the values vendors' own examples write where
 * the reader puts theirs, and the words for no value at all.
 */
export const PLACEHOLDER_VALUES: ReadonlySet<string> = new Set([
  // instructions
  'changeme',
  'placeholder',
  'dummy',
  'fake',
  'todo',
  'tbd',
  'none',
  'null',
  // the kind of credential named instead of given
  'secret',
  'password',
  'pass',
  'token',
  'key',
  // examples and samples (TruffleHog's DefaultFalsePositives; the postgres image's `POSTGRES_PASSWORD: example`)
  'test',
  'example',
  'sample',
  'insecure',
  'notasecret',
  'unset',
  'empty',
  // no value, or a feature not in use
  'blank',
  'default',
  'nothing',
  'missing',
  'undefined',
  'unknown',
  'inactive',
  'unused',
  'disabled',
]);

/**
 * Keyboard runs written as a stand-in: digits counted up from 0 or 1 (`123`, `123456`, `0123`),
 * letters from a (`abc`, `abcde`, TruffleHog's `abcde`), and the two joined (`123abc`, `abc123`,
 * `123ABC`): what a developer types where a token goes until the real one is given.
 */
const DIGIT_RUNS = ['1234567890', '0123456789'];
const LETTER_RUN = 'abcdefghijklmnopqrstuvwxyz';
const MIN_RUN = 3;

function digitRun(v: string): boolean {
  return v.length >= MIN_RUN && DIGIT_RUNS.some((r) => r.startsWith(v));
}

function letterRun(v: string): boolean {
  return v.length >= MIN_RUN && LETTER_RUN.startsWith(v);
}

/** Whether a lower-case value is a keyboard run (see DIGIT_RUNS): `123`, `abcde`, `123abc`, `abc123`. */
export function isKeyboardRun(v: string): boolean {
  if (v.length > 20) return false;
  if (digitRun(v) || letterRun(v)) return true;
  const split = v.search(/[a-z]/);
  if (split > 0) return digitRun(v.slice(0, split)) && letterRun(v.slice(split));
  const digits = v.search(/[0-9]/);
  return digits > 0 && letterRun(v.slice(0, digits)) && digitRun(v.slice(digits));
}

export const PLACEHOLDER_SOURCES: readonly Source[] = [
  {
    url: 'https://github.com/trufflesecurity/trufflehog/blob/main/pkg/detectors/falsepositives.go',
    quote:
      'DefaultFalsePositives = map[FalsePositive]struct{}{ "example": {}, "xxxxxx": {}, "aaaaaa": {}, "abcde": {}, "00000": {}, "sample": {}, "*****": {}, }',
    versions: 'TruffleHog v3',
  },
  {
    url: 'https://github.com/docker-library/docs/blob/master/postgres/content.md',
    quote: '$ docker run --name some-postgres -e POSTGRES_PASSWORD=mysecretpassword -d postgres … POSTGRES_PASSWORD: example',
  },
];
