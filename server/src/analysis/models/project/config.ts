// The project's own configuration, `[tool.django-deploy-check]` in the pyproject.toml nearest to a
// project (in its root or a folder above it, up to the analysed folder), honoured by the CLI and the
// language server alike:
//
//   [tool.django-deploy-check]
//   settings = "mysite.settings.production"
//   django-version = "4.2"
//   disable = ["DDH202"]
//   severity = { DDH305 = "warning" }
//   fail-on = "error"
//
// Read through the TOML parser: `[tool.django-deploy-check.severity]` sub-tables, quoted keys and
// multi-line arrays are TOML like any other. A key the table does not know, a value of the wrong
// kind or a pyproject.toml that is not valid TOML gives a warning (`warnings`), never silence.
import * as path from 'node:path';
import type { FileSystem } from '../../files/fs';
import { readToml } from '../../readers/python/dependencies';
import type { Severity } from '../../base/severity';

export interface ProjectConfig {
  settings?: string;
  djangoVersion?: string;
  disable?: string[];
  severity?: Record<string, Severity | 'off'>;
  failOn?: string;
  /** Where it was read. */
  file?: string;
  /** What in the table could not be used, each a sentence ("unknown key `foo`: ignored"). */
  warnings?: string[];
}

const SEVERITIES = new Set(['error', 'warning', 'information', 'hint', 'off']);
const FAIL_ON = new Set(['error', 'warning', 'information', 'never']);
const KEYS = ['settings', 'django-version', 'disable', 'severity', 'fail-on'];
const TABLE = 'django-deploy-check';
/** A pyproject.toml larger than this is not read for the table (see MAX_FILE_BYTES too). */
const MAX_CONFIG_BYTES = 1024 * 1024;

/** Reads the table from pyproject.toml in `dir`; an absent file or table gives {}. */
export function readProjectConfig(fs: FileSystem, dir: string): ProjectConfig {
  const file = path.join(dir, 'pyproject.toml');
  const text = fs.readText(file);
  // the parser only for a file that mentions the table (most pyproject.toml files do not)
  if (!text || !text.includes(TABLE)) return {};
  if (text.length > MAX_CONFIG_BYTES)
    return { file, warnings: [`pyproject.toml is larger than ${MAX_CONFIG_BYTES / 1024} KB: [tool.${TABLE}] was not read`] };
  const parsed = readToml(text);
  if ('error' in parsed) {
    // only when the table is really there (a mention in a comment or a string is not a table)
    if (!/^[ \t]*\[[ \t]*tool[ \t]*\.[ \t]*["']?django-deploy-check\b/m.test(text)) return {};
    return { file, warnings: [`pyproject.toml is not valid TOML (${parsed.error}): [tool.${TABLE}] was not read`] };
  }
  const tool = asTable(parsed.doc.tool);
  const raw = tool?.[TABLE];
  if (raw === undefined) return {};
  const t = asTable(raw);
  const config: ProjectConfig = { file };
  const warnings: string[] = [];
  if (!t) {
    warnings.push(`[tool.${TABLE}] must be a table`);
    return { ...config, warnings };
  }
  const str = (key: string): string | undefined => {
    const v = t[key];
    if (v === undefined) return undefined;
    if (typeof v === 'string') return v;
    warnings.push(`\`${key}\` must be a string: ignored`);
    return undefined;
  };
  config.settings = str('settings');
  const version = str('django-version');
  if (version !== undefined) {
    if (/^\d+\.\d+(\.\d+)?$/.test(version.trim())) config.djangoVersion = version.trim();
    else warnings.push(`\`django-version\` must look like "4.2", not ${JSON.stringify(version)}: ignored`);
  }
  const failOn = str('fail-on');
  if (failOn !== undefined) {
    if (FAIL_ON.has(failOn)) config.failOn = failOn;
    else warnings.push(`\`fail-on\` must be error, warning, information or never, not ${JSON.stringify(failOn)}: ignored`);
  }
  if (t.disable !== undefined) {
    const list = Array.isArray(t.disable) ? t.disable : typeof t.disable === 'string' ? [t.disable] : undefined;
    if (!list || list.some((x) => typeof x !== 'string')) warnings.push('`disable` must be a list of rule codes: ignored');
    else config.disable = list.map((x) => (x as string).trim().toUpperCase());
  }
  if (t.severity !== undefined) {
    const sev = asTable(t.severity);
    if (!sev) warnings.push('`severity` must be a table of rule codes, e.g. severity = { DDH305 = "warning" }: ignored');
    else {
      const entries: Record<string, Severity | 'off'> = {};
      for (const [code, value] of Object.entries(sev)) {
        if (typeof value === 'string' && SEVERITIES.has(value)) entries[code.trim().toUpperCase()] = value as Severity | 'off';
        else warnings.push(`severity of ${code} must be error, warning, information, hint or off, not ${JSON.stringify(value)}: ignored`);
      }
      config.severity = entries;
    }
  }
  for (const key of Object.keys(t)) {
    if (KEYS.includes(key)) continue;
    const near = KEYS.find((k) => distance(k.replace(/[-_]/g, ''), key.toLowerCase().replace(/[-_]/g, '')) <= 2);
    warnings.push(`unknown key \`${key}\`${near ? ` (did you mean \`${near}\`?)` : ''}: ignored; the table knows ${KEYS.join(', ')}`);
  }
  if (warnings.length) config.warnings = warnings;
  return config;
}

/** Edit distance of two short strings (keys are capped at 64 characters). */
function distance(a: string, b: string): number {
  if (a.length > 64 || b.length > 64) return Math.max(a.length, b.length);
  let prev = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const cur = [i];
    for (let j = 1; j <= b.length; j++) cur[j] = Math.min(prev[j]! + 1, cur[j - 1]! + 1, prev[j - 1]! + (a[i - 1] === b[j - 1] ? 0 : 1));
    prev = cur;
  }
  return prev[b.length]!;
}

function asTable(v: unknown): Record<string, unknown> | undefined {
  return v !== null && typeof v === 'object' && !Array.isArray(v) && !(v instanceof Date) ? (v as Record<string, unknown>) : undefined;
}

/**
 * The configuration that applies to the project rooted at `root`: the table of the pyproject.toml
 * nearest to it, from `root` up to `top` (the analysed folder); {} when none has one.
 */
export function nearestProjectConfig(fs: FileSystem, root: string, top: string): ProjectConfig {
  for (let dir = root; ; dir = path.dirname(dir)) {
    const config = readProjectConfig(fs, dir);
    if (config.file) return config;
    if (dir === top || path.dirname(dir) === dir || !dir.startsWith(top)) return {};
  }
}

/** What the configuration can set, as analysis options name it. */
export interface ConfigurableOptions {
  readonly productionSettingsModule?: string;
  readonly djangoVersion?: string;
  readonly disabledRules?: readonly string[];
  readonly severityOverrides?: Readonly<Record<string, Severity | 'off'>>;
}

/**
 * `options` with a project's configuration under them: a module or version given explicitly (a CLI
 * flag, an editor setting) wins; disabled rules add up; explicit severities win per rule.
 */
export function withConfig<T extends ConfigurableOptions>(options: T, config: ProjectConfig): T {
  if (!config.file) return options;
  return {
    ...options,
    productionSettingsModule: options.productionSettingsModule || config.settings,
    djangoVersion: options.djangoVersion || config.djangoVersion,
    disabledRules: [...(config.disable ?? []), ...(options.disabledRules ?? [])],
    severityOverrides: { ...(config.severity ?? {}), ...(options.severityOverrides ?? {}) },
  };
}
