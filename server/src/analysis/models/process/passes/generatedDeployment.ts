// Production deployed by a program that generates its Kubernetes manifests (a cdk8s app, a Pulumi
// program, a Tanka environment, a script of the project's own: readers/kubernetes/manifestGenerators.ts),
// where the repository holds no manifest of production's that the analysis reads. The program is
// production's deployment, not read: the environment it gives the app is open
// (deploymentVariables.ts generatedEnvironments), and the image's CMD runs only where the generated
// containers pass no command or arguments of their own (catalogue KUBERNETES_COMMAND_ARGS: `args`
// replaces the CMD, `command` the ENTRYPOINT and the CMD). Where the program's text gives a
// container arguments that start an app server (`args: ["gunicorn", "shop.wsgi", …]`), the image's
// CMD is not production's process (the generated Deployment runs that command instead); where it
// shows none, the CMD is production's only unless the generated Deployment passes its own
// (ProcessModel.generated, read by DDG203).
import { shownPath } from '../../../base/relPath';
import { KUBERNETES_COMMAND_ARGS } from '../../../catalogue/manifestGenerators';
import { finalStage, targetStage } from '../../../readers/container/dockerfile';
import { manifestGenerators, type GeneratedCommand } from '../../../readers/kubernetes/manifestGenerators';
import type { Loc } from '../../../eval/values';
import type { Collected } from '../collect';
import type { GeneratedDeployment, ProcessSource } from '../model';

/** The program names of the app servers a generated container's command may start. */
const SERVERS = /(^|\/)(gunicorn|uvicorn|daphne|hypercorn|granian|uwsgi)$/;

const memo = new WeakMap<Collected, GeneratedDeployment[]>();

/**
 * The programs that generate production's Kubernetes manifests, where the repository holds none of
 * production's that the analysis reads (the generated files git-ignored, or written elsewhere).
 */
export function generatedDeployments(r: Collected): GeneratedDeployment[] {
  let g = memo.get(r);
  if (!g) {
    const read = r.workloads.some((w) => w.source.production && w.source.kind === 'kubernetes');
    g = read
      ? []
      : manifestGenerators(r.ws.fs, r.project.repositoryRoot ?? r.project.shownRoot, r.project.files).map((generator) => {
          const serves = generator.commands.find((c) => startsServer(c));
          return { generator, shown: shownPath(r.project, generator.file), ...(serves ? { serves } : {}) };
        });
    memo.set(r, g);
  }
  return g;
}

/** Whether a container's command or arguments start an app server (`gunicorn …`, `sh -c "exec gunicorn …"`). */
function startsServer(c: GeneratedCommand): boolean {
  return c.words.some((w) => SERVERS.test(w) || /(^|[\s;&|/])(gunicorn|uvicorn|daphne|hypercorn|granian|uwsgi)\s/.test(w));
}

/**
 * The image's CMD (with `command:`, its ENTRYPOINT too) set aside where a generated Deployment
 * passes a command starting an app server: the processes it starts are not production's. Only the
 * production Dockerfiles' processes, after the other passes.
 */
export function setAsideReplacedByGenerated(r: Collected): void {
  const g = generatedDeployments(r).find((x) => x.serves);
  if (!g?.serves) return;
  const serves = g.serves;
  const replaced = new Map<ProcessSource, ProcessSource>();
  const inReplaced = (src: ProcessSource, loc: Loc): ProcessSource | undefined => {
    if (src.kind !== 'dockerfile' || !src.production) return undefined;
    const d = r.dockerfiles.find((f) => f.file === src.file);
    const stage = d ? (src.stage ? targetStage(d, src.stage) : finalStage(d)) : undefined;
    if (!stage) return undefined;
    // `args` replaces the CMD; `command` the ENTRYPOINT and the CMD
    const within = (c: typeof stage.cmd): boolean => {
      if (!c) return false;
      const end = c.instruction.args.loc(0, c.instruction.args.text.length).end;
      return loc.file === src.file && loc.start >= c.instruction.keywordLoc.start && loc.start <= end;
    };
    if (!within(stage.cmd) && !(serves.field === 'command' && within(stage.entrypoint))) return undefined;
    let out = replaced.get(src);
    if (!out) {
      const what = serves.field === 'command' ? 'ENTRYPOINT and CMD' : 'CMD';
      const replacedBy = `the Deployment ${g.shown} generates passes \`${serves.field}: [${serves.words.join(', ')}]\` (${g.generator.tool.noun}), which replaces the image's ${what} (Kubernetes: ${KUBERNETES_COMMAND_ARGS.source.url})`;
      out = { ...src, production: false, devReason: `its ${what} is not what production runs: ${replacedBy}`, replacedBy };
      replaced.set(src, out);
    }
    return out;
  };
  r.out.invocations = r.out.invocations.map((i) => {
    const s = inReplaced(i.source, i.program.loc);
    return s ? { ...i, source: s } : i;
  });
  r.out.tasks = r.out.tasks.map((t) => {
    const s = inReplaced(t.source, t.task.program.loc);
    return s ? { ...t, source: s } : t;
  });
  r.out.scripts = r.out.scripts.map((x) => {
    const s = inReplaced(x.source, x.ref.script.loc);
    return s ? { ...x, source: s } : x;
  });
}
