// Passwords anyone can guess: the placeholders (placeholders.ts), the handful of words every
// scanner tries first (an image's default user name, "password", "admin", "123456"), a password
// that repeats what sits beside it (the user name, the database name, the service), and a short
// single word or number. Whether a committed password is weak only changes what a message says
// about it: a committed one is known to everyone with the repository either way.
import { isPlaceholder } from './placeholders';

const GUESSED = new Set([
  'password',
  'passw0rd',
  'p@ssw0rd',
  'pass',
  'admin',
  'administrator',
  'root',
  'toor',
  'postgres',
  'postgresql',
  'mysql',
  'mariadb',
  'secret',
  'changeme',
  'default',
  'django',
  'guest',
  'user',
  'test',
  'letmein',
  'qwerty',
  '1234',
  '12345',
  '123456',
  '1234567',
  '12345678',
  '123456789',
  '1234567890',
]);

/** Whether a password is one anyone can guess; `beside`: the user name, database name or service it goes with. */
export function isWeakPassword(value: string, beside: readonly (string | undefined)[] = []): boolean {
  const v = value.trim().toLowerCase();
  if (v === '' || isPlaceholder(v) || GUESSED.has(v)) return true;
  if (beside.some((b) => b !== undefined && b.trim().toLowerCase() === v)) return true;
  return v.length < 8 && /^(?:[a-z]+|\d+)$/.test(v);
}
