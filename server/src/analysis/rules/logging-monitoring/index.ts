// Logging monitoring rules. Adding a rule: its file, its fixtures, and one line here.
import type { Rule } from '../types';
import { dbDebugLogging } from './dbDebugLogging';
import { environmentPrinted } from './environmentPrinted';
import { logFileInContainer } from './logFileInContainer';
import { loggingNotConfigured } from './loggingNotConfigured';
import { sentryDsnHardcoded } from './sentryDsnHardcoded';
import { sentrySendPii } from './sentrySendPii';
import { sentryTracesFull } from './sentryTracesFull';

export const loggingMonitoringRules: Rule[] = [
  loggingNotConfigured,
  dbDebugLogging,
  sentrySendPii,
  sentryTracesFull,
  sentryDsnHardcoded,
  environmentPrinted,
  logFileInContainer,
];
