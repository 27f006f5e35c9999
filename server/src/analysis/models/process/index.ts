// The process model: what a project's Procfiles, Dockerfiles, docker-compose services, systemd
// units, shell scripts and deployment files (Kubernetes manifests, platform files, uWSGI,
// supervisord and Circus configurations) start, with the environment and working directory each
// process gets, whether it is meant for production, and whether a reverse proxy sits in front of
// the app. This module is its face to the layers above; the house inside:
//   model.ts            the records (process sources, invocations, workloads, proxies)
//   readProcesses.ts    the model of a project, kept while the files it read stay the same
//   build.ts            builds it: the source adapters over the project's files, then the passes
//   collect.ts          what the adapters write into (their one interface with the model)
//   sources/            one adapter per source family (procfile, dockerfile, compose, systemd,
//                       shell, deploy, proxyFiles)
//   commandRecords.ts   a source's commands as records (make and npm runs followed)
//   passes/             over the whole project: the proxy model, production or development
//                       (native runtimes, compose files that only build a deployed image,
//                       start scripts, demotions)
//   paths.ts, software.ts, uwsgi.ts   container paths; what software an image runs; uWSGI
//   deploymentVariables.ts, platformHttps.ts, productionMounts.ts, persistentVolumes.ts   what the rules and the
//                       settings model ask of a built model
//   branch.ts           which branch of a start script runs with its switches unset
//   stoppers.ts         what stops a process and with which signal (STOPSIGNAL, stop_signal, KillSignal=, stopsignal=)
//   starters.ts         who ends up running a command line started by a script, an image's
//                       command or a supervisord program (compose services, workloads, units)
//   proxyHolders.ts     which compose files run a proxy configuration (mount or COPY it), and whether their proxy services run their own
//   edges/              the hops in front of the app the deployment files describe (Ingresses,
//                       Traefik, ports published around a compose proxy), tied to the app
export type {
  EnvValue,
  ProcessModel,
  ProcessSource,
  ProxyEvidence,
  ServerInvocation,
  SourceKind,
  Starter,
  Starters,
  Workload,
} from './model';
export type {
  EdgeTie,
  Edges,
  IngressController,
  IngressEdge,
  IngressOff,
  IngressTls,
  K8sSource,
  OpenShiftRouteEdge,
  PublishedAppPort,
  TraefikInstance,
  TraefikMiddlewareUse,
  TraefikRouter,
} from './edges/types';
export type { Invocation } from '../../readers/process/commands';
export { devReasonOfPath } from '../../readers/devPaths';
export { duringOneAnalysis, readProcesses } from './readProcesses';
export { composeProxyMounts } from './sources/compose';
export { composeFilesRunning, composeServicesRunning, type ProxyHolder, proxyServicesConfigured } from './proxyHolders';
export { isProxyService, runsOtherSoftware } from './software';
export { uwsgiEnvironmentSets, uwsgiIncludesOthers, uwsgiInstances, type UwsgiInstance } from './uwsgi';
export { imageStopSignal, stoppersOf, type Stopper } from './stoppers';
export {
  chartEnvironments,
  generatedEnvironments,
  closedEnvironment,
  deploymentVariables,
  unreadEnvironments,
  type DeploymentVariable,
  type UnreadEnvironment,
} from './deploymentVariables';
export { platformHttpsRedirect } from './platformHttps';
export { containerPathHolds, persistentVolumesHolding, type PersistentMount } from './persistentVolumes';
export { runbookEnvironment, type RunbookEnvironment } from './runbookVariables';
export { filesMountedIntoPods, productionMounts, upperNamesOf, type ProductionMount } from './productionMounts';
export { unusedFiles, type UnusedFile } from './unused';
