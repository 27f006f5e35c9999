// DDH907: the production LOGGING writes the app's logs (the root logger) or Django's (django,
// django.request) only to files, while production runs the app in a container: nothing reaches
// stdout/stderr, which is all `docker logs` and `kubectl logs` show, and the files go with the container.
import { CONTAINER_LOGS } from '../../catalogue/djangoLogging';
import { fileOnVolume } from '../../models/appServer/volumes';
import { fileLogging } from '../../models/settings/fileLogging';
import type { ServerInvocation } from '../../models/process/index';
import { startSources } from '../app-server/topology';
import type { Rule, RuleContextBase } from '../types';

const CONTAINER_KINDS = new Set(['dockerfile', 'compose', 'kubernetes']);

/** The first production container that runs one of the servers: an image's command, a compose service, a manifest's container. */
function containerOf(ctx: RuleContextBase, servers: readonly ServerInvocation[]): string | undefined {
  const m = ctx.appServer;
  for (const inv of servers) {
    for (const s of startSources(m, [inv])) if (s.production && CONTAINER_KINDS.has(s.kind)) return s.label;
    for (const st of m.processes.starters.get(inv.source) ?? [])
      if (st.production && (st.kind === 'compose' || st.workload?.source.kind === 'kubernetes')) return st.label;
  }
  return undefined;
}

export const logFileInContainer: Rule = {
  code: 'DDH907',
  name: 'log-file-in-container',
  title: 'Logs written only to a file inside the container',
  severity: 'warning',
  group: 'logging-monitoring',
  checklist: 'error-tracking',
  target: 'settings',
  docs: {
    what: "Reports a file handler of the production `LOGGING` (`logging.FileHandler`, `RotatingFileHandler`, `TimedRotatingFileHandler`, `WatchedFileHandler`) when the root logger, `django` or `django.request` hands records only to file handlers on its way up (its own handlers, then its parents' while it propagates; a mail or null handler beside them keeps nothing a log reader sees), no `StreamHandler` or other handler among them, while a production app server runs in a container (an image's command, a compose service, a Kubernetes container). Where the file lies on a volume a compose service mounts, the finding is information, naming the volume. Nothing is reported when a console handler is attached too, when LOGGING leaves Django's defaults, or when the app does not run in a container.",
    why: "A container's logs are what its process writes to stdout and stderr: that is all `docker logs`, `kubectl logs` and the platform's log collector see. Logs written to a file inside the container stay in its writable layer: nobody reads them, they fill the disk, and they are gone when the container is replaced at the next deploy — with them the tracebacks of every 500 Django logged to django.request. The Twelve-Factor App's Logs factor says an app should write its event stream, unbuffered, to stdout.",
    example:
      'LOGGING = {\n    "version": 1,\n    "handlers": {"file": {"class": "logging.FileHandler", "filename": "logs/django.log"}},\n    "root": {"handlers": ["file"], "level": "INFO"},\n}',
    fix: "Attach a `logging.StreamHandler` (it writes to stderr) to the root logger, beside the file handler or instead of it, and let the container runtime collect and ship the logs. Keep a file only on a mounted volume something reads. No quick fix: where the logs should go is the deployment's choice.",
    good: 'LOGGING = {\n    "version": 1,\n    "disable_existing_loggers": False,\n    "handlers": {"console": {"class": "logging.StreamHandler"}},\n    "root": {"handlers": ["console"], "level": "INFO"},\n}',
    references: [
      { title: 'Docker: view container logs (STDOUT and STDERR)', url: CONTAINER_LOGS.source.url },
      { title: 'Kubernetes: logging architecture', url: 'https://kubernetes.io/docs/concepts/cluster-administration/logging/' },
      { title: 'The Twelve-Factor App: XI. Logs', url: 'https://12factor.net/logs' },
      { title: 'Python: logging.FileHandler', url: 'https://docs.python.org/3/library/logging.handlers.html#filehandler' },
    ],
  },
  check(ctx) {
    const servers = ctx.appServer.commands.filter((c) => c.source.production && c.server !== 'runserver' && !c.source.otherProject);
    if (servers.length === 0) return ctx.notApplicable('no production process starts the app');
    const container = containerOf(ctx, servers);
    if (!container) return ctx.notApplicable('the production app server does not run in a container the repository shows');
    const f = fileLogging(ctx.settings);
    if (f.state !== 'files-only') {
      if (f.state === 'unknown') return ctx.unknown(f.why, ctx.settings.get('LOGGING').loc);
      // (LOGGING configures its loggers and one of them writes to a stream: passed)
      if (!f.checked) ctx.notApplicable(f.why);
      return;
    }
    for (const h of f.handlers) {
      const loggers = h.loggers.map((l) => (l === 'root' ? 'the root logger' : l)).join(', ');
      const verb = h.loggers.length > 1 ? 'log' : 'logs';
      const cls = h.cls.slice(h.cls.lastIndexOf('.') + 1);
      const fn = h.filename?.kind === 'str' ? h.filename.v : undefined;
      const file = fn === undefined ? 'a file named at run time' : fn.startsWith('/') ? fn : `${fn}, relative, in the image`;
      // an absolute path outside the project is written as the container sees it
      const containerPath = fn?.startsWith('/') === true && !fn.startsWith(ctx.project.root);
      const volume = fn !== undefined ? fileOnVolume(ctx.appServer, fn, containerPath) : undefined;
      const loc = h.loc ?? ctx.settings.get('LOGGING').loc;
      if (volume) {
        const m = volume.mounts[0]!;
        ctx.report({
          loc,
          severity: 'information',
          message: `${loggers} ${verb} only to the ${cls} "${h.name}" (${file}), on ${m.what} ${m.by} mounts at ${m.container}: the file outlives the container, but docker logs and kubectl logs (stdout/stderr) show nothing; attach a logging.StreamHandler too.`,
        });
        continue;
      }
      ctx.report({
        loc,
        ...(fn === undefined ? { severity: 'information' as const } : {}),
        message: `${loggers} ${verb} only to the ${cls} "${h.name}" (${file}) while the app runs in a container (${container}): nothing reaches stdout/stderr, all docker logs and kubectl logs show, and the file goes with the container, 500 tracebacks included${fn === undefined ? ', unless that file is on a mounted volume' : ''}; attach a logging.StreamHandler.`,
      });
    }
  },
};
