// Deployment rules across files: what Kubernetes manifests, platform files and app-server configs
// do to the settings and the processes. Adding a rule: its file, its fixtures, and one line here.
import type { Rule } from '../types';
import { configurationUnset } from './configurationUnset';
import { cpuCountUnderLimit } from './cpuCountUnderLimit';
import { envLegacyOneVariable } from './envLegacyOneVariable';
import { execFormVariable } from './execFormVariable';
import { literalSecret } from './literalSecret';
import { pastEndOfLife } from './pastEndOfLife';
import { portMismatch } from './portMismatch';
import { probeNotServed } from './probeNotServed';
import { publishedDatabase } from './publishedDatabase';
import { readinessProbeMissing } from './readinessProbeMissing';
import { removedKubernetesApi } from './removedKubernetesApi';
import { serverNotExeced } from './serverNotExeced';
import { settingsModuleUnset } from './settingsModuleUnset';
import { stopSignalQuick } from './stopSignalQuick';
import { variableTurnsOn } from './variableTurnsOn';
import { packageInstallAtStart } from './packageInstallAtStart';
import { dockerContextEnvFile } from './dockerContextEnvFile';

export const deploymentRules: Rule[] = [
  variableTurnsOn,
  literalSecret,
  portMismatch,
  cpuCountUnderLimit,
  probeNotServed,
  publishedDatabase,
  execFormVariable,
  settingsModuleUnset,
  configurationUnset,
  pastEndOfLife,
  removedKubernetesApi,
  serverNotExeced,
  packageInstallAtStart,
  readinessProbeMissing,
  stopSignalQuick,
  envLegacyOneVariable,
  dockerContextEnvFile,
];
