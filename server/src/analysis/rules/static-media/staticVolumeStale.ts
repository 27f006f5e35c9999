// DDH607: a named volume mounted over STATIC_ROOT by a production compose service whose image runs
// collectstatic while it is built, with nothing running collectstatic at start: Docker copies the
// image's files into a named volume only while it is empty, so after the first deploy the volume
// keeps the first release's static files and hides every later image's.
import { NAMED_VOLUME_FILLED_WHEN_EMPTY } from '../../catalogue/persistentVolumes';
import { fileOnVolume } from '../../models/appServer/volumes';
import { buildTasks } from '../../models/process/buildSteps';
import { isManage, productionPythonDockerfiles, stageChain } from '../app-server/topology';
import type { Loc } from '../../eval/values';
import { placeOf } from '../helpers';
import type { Rule } from '../types';

export const staticVolumeStale: Rule = {
  code: 'DDH607',
  name: 'static-volume-stale',
  title: 'A named volume over STATIC_ROOT keeps the first release’s static files',
  severity: 'warning',
  group: 'static-media',
  checklist: 'static-files',
  target: 'settings',
  docs: {
    what: "Reports a named volume (`static_volume:/app/staticfiles`) that a production compose service running the app mounts at the folder STATIC_ROOT is in the container (STATIC_ROOT as the settings give it, placed in the container by the image's WORKDIR and COPY, or an absolute container path), while the image runs `collectstatic` in a RUN of its Dockerfile and no production process runs `collectstatic` when it starts (an entrypoint, a compose `command:`, a release step). A bind mount, a volume elsewhere, or `collectstatic` at start is not reported. Whether `collectstatic` failing quietly at build (`RUN … collectstatic --noinput || true`) leaves the image without files is not judged.",
    why: "Docker copies the files an image holds at a mount point into a named volume only when the volume is empty — the first time it is created. From then on the volume keeps its files and hides the image's: every later image collects its static files at build, and the container never sees them. After the first deploy, CSS and JavaScript stay those of the first release (with a hashed storage, the new templates name files the volume does not have: broken pages), until someone deletes the volume by hand.",
    example:
      '# Dockerfile\nWORKDIR /app\nCOPY . .\nRUN python manage.py collectstatic --noinput\n# docker-compose.prod.yml\nservices:\n  web:\n    build: .\n    volumes:\n      - static_volume:/app/staticfiles',
    fix: "Run `collectstatic --noinput` when the container starts (in its entrypoint, before the server), so that each release writes its files into the volume; or drop the volume and let the app serve the image's files (WhiteNoise), or a proxy read them from a bind mount the deploy refreshes. No quick fix is offered: where the step belongs is the deployment's choice.",
    good: '# docker-entrypoint.sh\npython manage.py collectstatic --noinput\nexec gunicorn mysite.wsgi --bind 0.0.0.0:8000',
    references: [
      { title: 'Docker: Populate a volume using a container', url: NAMED_VOLUME_FILLED_WHEN_EMPTY.source.url },
      {
        title: 'Docker: Mounting a volume over existing data',
        url: 'https://docs.docker.com/engine/storage/volumes/#mounting-a-volume-over-existing-data',
      },
      { title: 'Django: collectstatic', url: 'https://docs.djangoproject.com/en/stable/ref/contrib/staticfiles/#collectstatic' },
    ],
  },
  check(ctx) {
    const root = ctx.settings.get('STATIC_ROOT');
    const v = root.value;
    if (v.kind !== 'str' && v.kind !== 'path') return ctx.notApplicable('STATIC_ROOT is not a known path');
    if (v.v === '') return ctx.notApplicable('STATIC_ROOT is empty');
    const m = ctx.appServer;
    // an absolute path outside the project is written as the containers see it
    const containerPath = v.v.startsWith('/') && !v.v.startsWith(ctx.project.root);
    const volume = fileOnVolume(m, v.v, containerPath);
    const named = volume?.mounts.filter((x) => x.kind === 'named') ?? [];
    if (named.length === 0) return ctx.notApplicable('no named volume of a production container is mounted over STATIC_ROOT');
    // collectstatic in a RUN of the production image (its last stage or one it is built FROM)
    let built: { file: string; loc: Loc } | undefined;
    for (const d of productionPythonDockerfiles(m, ctx.project)) {
      const chain = new Set(stageChain(d));
      const b = buildTasks(d).find((x) => chain.has(x.stage) && isManage(x.task, 'collectstatic'));
      if (b) {
        built = { file: d.file, loc: b.task.subcommand!.loc };
        break;
      }
    }
    if (!built) return ctx.notApplicable('the production image does not run collectstatic while it is built');
    const atStart = m.processes.tasks.find((t) => t.source.production && isManage(t.task, 'collectstatic') && !t.task.background);
    if (atStart) return ctx.notApplicable(`${atStart.source.label} runs collectstatic when it starts, refilling the volume`);
    const mount = named[0]!;
    ctx.report({
      loc: mount.loc,
      message: `${mount.what.charAt(0).toUpperCase()}${mount.what.slice(1)} is mounted over STATIC_ROOT (${mount.container}, ${mount.by}), and the image collects static files only at build (${placeOf(ctx, built.loc)}): Docker fills a named volume only while it is empty, so every later release keeps serving the first one's static files; run collectstatic at start.`,
    });
  },
};
