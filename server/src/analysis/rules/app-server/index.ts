// App server rules. Adding a rule: its file, its fixtures, and one line here.
import type { Rule } from '../types';
import { appModuleMissing } from './appModuleMissing';
import { bindAllInterfaces } from './bindAllInterfaces';
import { debugLogLevel } from './debugLogLevel';
import { forwardedAllowAll } from './forwardedAllowAll';
import { celeryBeat } from './celeryBeat';
import { collectstaticMissing } from './collectstaticMissing';
import { gunicornDaemon } from './daemon';
import { dockerRootUser } from './dockerRootUser';
import { hostRootUser } from './hostRootUser';
import { dockerUnbuffered } from './dockerUnbuffered';
import { makemigrationsAtDeploy } from './makemigrationsAtDeploy';
import { migrateAtBuild } from './migrateAtBuild';
import { migrateFirstRunOnly } from './migrateFirstRunOnly';
import { migrateInWeb } from './migrateInWeb';
import { pipCache } from './pipCache';
import { workerInWeb } from './workerInWeb';
import { granianInterface } from './granianInterface';
import { gunicornAdvisories } from './gunicornAdvisories';
import { granianProxyHeaders } from './granianProxyHeaders';
import { gunicornReload } from './reload';
import { hardcodedWorkers } from './hardcodedWorkers';
import { invalidValue } from './invalidValue';
import { noAccessLog } from './noAccessLog';
import { oneWorker } from './oneWorker';
import { schedulerInWorkers } from './schedulerInWorkers';
import { optionTwice } from './optionTwice';
import { runserverInProduction } from './runserverInProduction';
import { stopSignalKill } from './stopSignalKill';
import { tooManyWorkers } from './tooManyWorkers';
import { unknownSetting } from './unknownSetting';
import { uvicornReload } from './uvicornReload';
import { uwsgiAutoreload } from './uwsgiAutoreload';
import { uwsgiHarakiri } from './uwsgiHarakiri';
import { uwsgiDieOnTerm } from './uwsgiDieOnTerm';
import { workerAppMismatch } from './workerAppMismatch';
import { workerClassRetired } from './workerClassRetired';
import { workerTimeout } from './timeout';

export const appServerRules: Rule[] = [
  unknownSetting,
  invalidValue,
  optionTwice,
  tooManyWorkers,
  hardcodedWorkers,
  oneWorker,
  schedulerInWorkers,
  workerTimeout,
  gunicornReload,
  gunicornDaemon,
  debugLogLevel,
  noAccessLog,
  forwardedAllowAll,
  bindAllInterfaces,
  workerAppMismatch,
  workerClassRetired,
  gunicornAdvisories,
  appModuleMissing,
  runserverInProduction,
  uvicornReload,
  uwsgiAutoreload,
  uwsgiHarakiri,
  uwsgiDieOnTerm,
  stopSignalKill,
  granianInterface,
  granianProxyHeaders,
  dockerUnbuffered,
  dockerRootUser,
  hostRootUser,
  pipCache,
  collectstaticMissing,
  migrateInWeb,
  migrateAtBuild,
  migrateFirstRunOnly,
  makemigrationsAtDeploy,
  celeryBeat,
  workerInWeb,
];
