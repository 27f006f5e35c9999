// The editor's settings of the extension as the language server reads them from what a client sends
// (initializationOptions, workspace/configuration answers, didChangeConfiguration payloads).
import type { Severity } from '../analysis/rules/types';
import { CONFIG_SECTION } from './protocolCommon';

export interface UserSettings {
  productionSettingsModule?: string;
  djangoVersion?: string;
  disabledRules?: string[];
  severityOverrides?: Record<string, Severity | 'off'>;
}

const SETTING_KEYS = ['productionSettingsModule', 'djangoVersion', 'disabledRules', 'severityOverrides'] as const;

/**
 * The settings in what an editor sent: initializationOptions (`{ settings: {...} }`, `{
 * djangoDeployHygiene: {...} }` or the keys themselves) or a didChangeConfiguration payload (`{
 * djangoDeployHygiene: {...} }`, or with `section` false the keys themselves). Values of the wrong
 * type are dropped; undefined when nothing usable was sent.
 */
export function settingsFrom(raw: unknown, sectionOnly: boolean): UserSettings | undefined {
  if (!raw || typeof raw !== 'object') return undefined;
  const o = raw as Record<string, unknown>;
  const inner = (o[CONFIG_SECTION] ?? (sectionOnly ? undefined : (o.settings ?? o))) as Record<string, unknown> | undefined;
  if (!inner || typeof inner !== 'object' || !SETTING_KEYS.some((k) => k in inner)) return undefined;
  const out: UserSettings = {};
  if (typeof inner.productionSettingsModule === 'string') out.productionSettingsModule = inner.productionSettingsModule;
  if (typeof inner.djangoVersion === 'string') out.djangoVersion = inner.djangoVersion;
  if (Array.isArray(inner.disabledRules)) out.disabledRules = inner.disabledRules.filter((c): c is string => typeof c === 'string');
  if (inner.severityOverrides && typeof inner.severityOverrides === 'object') {
    const levels = new Set(['error', 'warning', 'information', 'hint', 'off']);
    out.severityOverrides = Object.fromEntries(
      Object.entries(inner.severityOverrides as Record<string, unknown>).filter(
        (e): e is [string, Severity | 'off'] => typeof e[1] === 'string' && levels.has(e[1]),
      ),
    );
  }
  return out;
}
