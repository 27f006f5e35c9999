// Settings that libraries renamed but still read under their old names, new name → old name: from
// the library catalogue (django-cors-headers 3.5 renamed its settings and falls back to the old
// names when the new ones are not set; catalogue/libraries/corsHeaders.ts).
import { legacySettingNames } from './libraries';

export const LEGACY_SETTING_NAMES: Readonly<Record<string, string>> = legacySettingNames();
