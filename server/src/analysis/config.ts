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
import * as path from 'node:path';
import type { FileSystem } from './project/fs';
import type { Severity } from './rules/types';

export interface ProjectConfig {
  settings?: string;
  djangoVersion?: string;
  disable?: string[];
  severity?: Record<string, Severity | 'off'>;
  failOn?: string;
  /** Where it was read. */
  file?: string;
}

const SEVERITIES = new Set(['error', 'warning', 'information', 'hint', 'off']);

/** Reads the table from pyproject.toml in `dir`; an absent file or table gives {}. */
export function readProjectConfig(fs: FileSystem, dir: string): ProjectConfig {
  const file = path.join(dir, 'pyproject.toml');
  const text = fs.readText(file);
  if (!text) return {};
  const lines = text.split(/\r?\n/);
  const start = lines.findIndex((l) => /^\s*\[tool\.django-deploy-check\]\s*$/.test(l));
  if (start < 0) return {};
  const body: string[] = [];
  for (let i = start + 1; i < lines.length; i++) {
    if (/^\s*\[/.test(lines[i]!)) break;
    body.push(lines[i]!);
  }
  const joined = joinMultiline(body);
  const config: ProjectConfig = { file };
  for (const raw of joined) {
    const line = raw.replace(/\s+#.*$/, '').trim();
    const m = /^([A-Za-z_-]+)\s*=\s*(.+)$/.exec(line);
    if (!m) continue;
    const key = m[1]!;
    const value = m[2]!.trim();
    if (key === 'settings') config.settings = str(value);
    else if (key === 'django-version') config.djangoVersion = str(value);
    else if (key === 'fail-on') config.failOn = str(value);
    else if (key === 'disable') config.disable = list(value);
    else if (key === 'severity') {
      const entries: Record<string, Severity | 'off'> = {};
      for (const pair of value.replace(/^\{|\}$/g, '').split(',')) {
        const pm = /^\s*"?([A-Z]+[0-9]+)"?\s*=\s*"([a-z]+)"\s*$/.exec(pair);
        if (pm && SEVERITIES.has(pm[2]!)) entries[pm[1]!] = pm[2] as Severity | 'off';
      }
      config.severity = entries;
    }
  }
  return config;
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

function joinMultiline(lines: string[]): string[] {
  const out: string[] = [];
  let acc = '';
  let depth = 0;
  for (const l of lines) {
    const clean = l.replace(/#.*$/, '');
    acc += (acc ? ' ' : '') + clean.trim();
    for (const c of clean) {
      if (c === '[' || c === '{') depth++;
      if (c === ']' || c === '}') depth--;
    }
    if (depth <= 0) {
      if (acc.trim()) out.push(acc);
      acc = '';
      depth = 0;
    }
  }
  if (acc.trim()) out.push(acc);
  return out;
}

function str(v: string): string | undefined {
  const m = /^["']([^"']*)["']$/.exec(v);
  return m ? m[1] : undefined;
}

function list(v: string): string[] {
  return [...v.matchAll(/["']([^"']+)["']/g)].map((m) => m[1]!.toUpperCase());
}
