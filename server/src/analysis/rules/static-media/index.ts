// Static media rules. Adding a rule: its file, its fixtures, and one line here.
import type { Rule } from '../types';
import { removedSetting } from './removedSetting';
import { settingNotYetRead } from './settingNotYetRead';
import { staticRootMissing } from './staticRootMissing';
import { staticStorageNotHashed } from './staticStorageNotHashed';
import { whitenoiseDevMode } from './whitenoiseDevMode';
import { whitenoiseManifestNotStrict } from './whitenoiseManifestNotStrict';
import { whitenoiseMisconfigured } from './whitenoiseMisconfigured';
import { staticVolumeStale } from './staticVolumeStale';

export const staticMediaRules: Rule[] = [
  whitenoiseMisconfigured,
  staticRootMissing,
  staticStorageNotHashed,
  removedSetting,
  whitenoiseDevMode,
  whitenoiseManifestNotStrict,
  staticVolumeStale,
  settingNotYetRead,
];
