// DDG302: a production Dockerfile whose image runs as root: no USER in the final stage (or the stages
// it is built from), and no step that drops privileges when the container starts.
import { nonRootPlatform } from '../../catalogue/platformRuntime';
import { workloadsOfImage } from '../../models/process/imageRuns';
import { fileOf, placeOf } from '../helpers';
import type { Rule, RuleContextBase } from '../types';
import {
  composeServiceProduction,
  productionPythonDockerfiles,
  chainInstructions,
  opaqueBase,
  dockerfilesToCheck,
  imageDropsRoot,
  servicesBuilding,
  sourcesRunning,
  stageChain,
} from './topology';

const DROPS_PRIVILEGES = /\b(gosu|su-exec|setpriv|setuidgid|s6-setuidgid|runuser|chpst\s+-u|su\s+-c|sudo\s+-u)\b|--user[= ]|\buser\s*=/;

/**
 * How every production workload that runs the image `dockerfile` builds runs it unprivileged ("Deployment
 * web (container app): the pod's securityContext sets runAsNonRoot: true (k8s/web.yaml:14)"), or
 * undefined when none is known to run it or one may run it as root.
 */
function runsUnprivileged(ctx: RuleContextBase, dockerfile: string): string | undefined {
  const m = ctx.appServer;
  const sole = productionPythonDockerfiles(m, ctx.project).length === 1;
  const runs = [
    ...workloadsOfImage(m.processes, ctx.project, dockerfile, sole).map((r) => r.workload!),
    // a platform process built from it (heroku.yml's build.docker, fly.toml's dockerfile), whatever its command
    ...m.processes.workloads.filter((w) => w.process.dockerfile?.file === dockerfile),
  ].filter((w, i, all) => w.source.production && all.indexOf(w) === i);
  if (runs.length === 0) return undefined;
  const how: string[] = [];
  for (const w of runs) {
    const platform = nonRootPlatform(w.source.format);
    if (platform) how.push(`${w.source.label}: ${platform.platform} never runs containers as root (${platform.source.url})`);
    else if (w.process.nonRoot) how.push(`${w.source.label}: ${w.process.nonRoot.why} (${placeOf(ctx, w.process.nonRoot.loc)})`);
    else return undefined;
  }
  return how.join('; ');
}

export const dockerRootUser: Rule = {
  code: 'DDG302',
  name: 'docker-runs-as-root',
  title: 'Production image runs the app as root',
  severity: 'information',
  group: 'app-server',
  checklist: 'containers',
  target: 'process',
  docs: {
    what: "Reports a production Dockerfile that runs Python whose final image, built from a public base image (an image the project builds itself is not judged), has no `USER` instruction (in the last stage or a stage it is built from) or switches back to root, unless the container starts through a tool that drops privileges (gosu, su-exec, setpriv, runuser, chpst -u, an entrypoint script that uses one), every process it keeps running drops root itself (uWSGI's `uid` in its command line or ini file, gunicorn's `user` without `preload_app`, supervisord programs with a non-root `user=` or running such a server; a supervisord program or a server that stays root keeps the finding), a compose `user:` on every service that builds it, or every production workload that runs the image runs it as another user (a Kubernetes securityContext, the pod's or the container's, with `runAsNonRoot: true` or a `runAsUser` other than 0; Heroku's container runtime, which never runs containers as root). Development Dockerfiles are left alone.",
    why: 'A process running as root inside a container is root on everything mounted into it, and one kernel or runtime escape away from root on the host. A code execution bug in the app (a template injection, an unsafe deserialisation, a vulnerable dependency) then also gives write access to the code, the installed packages and any secrets file the image holds. Running as an unprivileged user costs two lines.',
    example: 'FROM python:3.12-slim\nWORKDIR /app\nCOPY . .\nCMD ["gunicorn", "mysite.wsgi", "--bind", "0.0.0.0:8000"]',
    fix: 'Create a user and switch to it after installing dependencies: `RUN useradd --create-home app` then `USER app` (files the app must write, such as a media folder, need `chown` first).',
    good: 'FROM python:3.12-slim\nWORKDIR /app\nCOPY . .\nRUN useradd --create-home app\nUSER app\nCMD ["gunicorn", "mysite.wsgi", "--bind", "0.0.0.0:8000"]',
    references: [
      { title: 'Docker: building best practices (USER)', url: 'https://docs.docker.com/build/building/best-practices/#user' },
      { title: 'Docker: Dockerfile reference (USER)', url: 'https://docs.docker.com/reference/dockerfile/#user' },
    ],
  },
  check(ctx) {
    const m = ctx.appServer;
    const files = dockerfilesToCheck(ctx);
    for (const d of files) {
      const chain = stageChain(d);
      const users = chainInstructions(chain, 'USER');
      const lastUser = users[users.length - 1];
      const who = lastUser?.args.text.trim().split(/\s+/)[0]?.split(':')[0];
      if (lastUser && who !== 'root' && who !== '0') continue;
      const starts = [...chainInstructions(chain, 'CMD'), ...chainInstructions(chain, 'ENTRYPOINT')];
      if (starts.some((c) => DROPS_PRIVILEGES.test(c.args.text))) continue;
      // an entrypoint script that drops privileges (`exec gosu app "$@"`)
      const scripts = ctx.project.files.filter((f) => f.kind === 'shell' && sourcesRunning(m, f.path).some((s) => s.file === d.file));
      if (scripts.some((f) => DROPS_PRIVILEGES.test(ctx.fileText(f.path) ?? ''))) continue;
      // every process the image keeps running drops root itself (uWSGI's uid, supervisord's user=)
      if (!lastUser && imageDropsRoot(m, d.file)) continue;
      const builders = servicesBuilding(m, d.file);
      if (builders.length > 0 && builders.every((b) => b.service.user && !/^(root|0)(:|$)/.test(b.service.user))) continue;
      // the production workloads that run the image (a manifest's containers, a platform's
      // processes): each runs it as another user than root (a securityContext, Heroku's runtime)
      // (a production compose service that builds it and runs it as root keeps the finding)
      const composeRoot = builders.some(
        (b) =>
          composeServiceProduction(m, ctx.project, b.composeFile, b.service) && !(b.service.user && !/^(root|0)(:|$)/.test(b.service.user)),
      );
      const nonRoot = composeRoot ? undefined : runsUnprivileged(ctx, d.file);
      if (nonRoot) {
        ctx.notApplicable(`every production workload that runs ${fileOf(ctx, d.file)} runs it as a non-root user: ${nonRoot}`);
        continue;
      }
      const opaque = !lastUser ? opaqueBase(chain) : undefined;
      if (opaque) {
        ctx.unknown(`the image is built FROM ${opaque}, whose USER is not in the repository`, chain[0]!.baseLoc);
        continue;
      }
      ctx.report({
        loc: lastUser ? lastUser.keywordLoc : chain[0]!.baseLoc,
        message: lastUser
          ? `USER ${who} leaves the app running as root in this image: a flaw in the app gives root inside the container; switch to an unprivileged user (USER app) before CMD.`
          : `this image sets no USER, so the app runs as root: a flaw in the app gives root inside the container; create an unprivileged user and add USER before CMD.`,
      });
    }
  },
};
