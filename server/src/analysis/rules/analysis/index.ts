// Analysis notes as rules. Adding a rule: its file, its fixtures, and one line here.
import type { Rule } from '../types';
import { analysisSkipped } from './analysisSkipped';
import { dynamicSettings } from './dynamicSettings';
import { importCycle } from './importCycle';
import { settingsImportFails } from './settingsImportFails';

export const analysisRules: Rule[] = [importCycle, settingsImportFails, dynamicSettings, analysisSkipped];
