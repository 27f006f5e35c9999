// Reading TOML platform files (fly.toml, railway.toml, nixpacks.toml) through smol-toml, each value
// located on the line of its key.
import type { Loc } from '../../eval/values';
import { toml } from '../python/parsers';
import { tomlKeyLine } from '../python/tomlLocate';
import type { Token } from '../text';
import { plainInt, valueOnLine, type DeployEnv, type Written } from '../workload';

export type TomlTable = Record<string, unknown>;

export function isTable(v: unknown): v is TomlTable {
  return typeof v === 'object' && v !== null && !Array.isArray(v) && !(v instanceof Date);
}

export function tomlParse(text: string): TomlTable | undefined {
  try {
    return toml.parse(text) as TomlTable;
  } catch {
    return undefined;
  }
}

/** A TOML value's token (found on the line of its key). */
export function tomlToken(file: string, text: string, starts: readonly number[], keyPath: readonly string[], value: string): Token {
  return valueOnLine(file, text, starts, tomlKeyLine(text, keyPath), value);
}

export function tomlKeyLoc(file: string, text: string, starts: readonly number[], keyPath: readonly string[]): Loc {
  const line = tomlKeyLine(text, keyPath);
  const start = starts[line - 1] ?? 0;
  let end = text.indexOf('\n', start);
  if (end < 0) end = text.length;
  const lineText = text.slice(start, end);
  const lead = lineText.length - lineText.trimStart().length;
  const eq = lineText.indexOf('=');
  return { file, start: start + lead, end: start + (eq > lead ? lineText.slice(0, eq).trimEnd().length : lineText.trimEnd().length) };
}

export function tomlWritten(
  file: string,
  text: string,
  starts: readonly number[],
  keyPath: readonly string[],
  v: unknown,
): Written | undefined {
  if (typeof v !== 'number' && typeof v !== 'string' && typeof v !== 'bigint') return undefined;
  const t = tomlToken(file, text, starts, keyPath, String(v));
  const n = typeof v === 'string' ? plainInt(v) : Number(v);
  return { text: String(v), loc: t.loc, ...(n !== undefined && Number.isFinite(n) ? { value: n } : {}) };
}

export function tomlEnv(
  file: string,
  text: string,
  starts: readonly number[],
  table: unknown,
  keyPath: readonly string[],
): Map<string, DeployEnv> {
  const env = new Map<string, DeployEnv>();
  if (!isTable(table)) return env;
  for (const [k, v] of Object.entries(table)) {
    if (typeof v !== 'string' && typeof v !== 'number' && typeof v !== 'boolean') continue;
    const value = String(v);
    env.set(k, {
      name: k,
      value,
      token: tomlToken(file, text, starts, [...keyPath, k], value),
      nameLoc: tomlKeyLoc(file, text, starts, [...keyPath, k]),
    });
  }
  return env;
}
