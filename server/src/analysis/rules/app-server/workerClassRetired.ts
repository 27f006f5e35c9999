// DDG112: a gunicorn worker class the installed releases no longer ship or have deprecated: the
// eventlet worker (deprecated in gunicorn 25.0, removed in 26.0), uvicorn's `uvicorn.workers`
// module (deprecated in uvicorn 0.30 for the uvicorn-worker package), and the asgi worker on a
// gunicorn older than 24.0, which does not have it yet.
import { assumedNote, gunicornRelease } from '../../models/appServer/model';
import { compareVersions, sideOf } from '../../models/project/version';
import type { Severity } from '../../base/severity';
import type { Rule } from '../types';
import { noGunicorn, settingLabel, unknownValue, whereNote } from './shared';

/** The uvicorn release that deprecated the `uvicorn.workers` module. */
const UVICORN_WORKERS_DEPRECATED = '0.30.0';

function workerName(text: string): string {
  return text.trim().replace(/^egg:gunicorn#/, '');
}

export const workerClassRetired: Rule = {
  code: 'DDG112',
  name: 'worker-class-retired',
  title: 'Gunicorn worker class removed or deprecated in the installed release',
  severity: 'warning',
  group: 'app-server',
  checklist: 'gunicorn-settings',
  target: 'gunicorn',
  docs: {
    what: "Reports a production gunicorn `worker_class` (config file, `-k`/`--worker-class`, GUNICORN_CMD_ARGS) that the gunicorn or uvicorn release the project pins no longer supports: the `eventlet` worker (deprecated in gunicorn 25.0: a warning; removed in 26.0: an error, gunicorn cannot start), uvicorn's `uvicorn.workers.UvicornWorker` and `UvicornH11Worker` (deprecated since uvicorn 0.30 in favour of the separate uvicorn-worker package), and gunicorn's own `asgi` worker on a gunicorn older than 24.0, which does not have it. When no dependency file pins gunicorn (or uvicorn), the newest release is assumed and the finding is information that says so.",
    why: 'Gunicorn 26.0 dropped the eventlet worker (eventlet itself is no longer maintained): a deploy that upgrades gunicorn without changing the worker class fails at start-up, often only on the server where the new release gets installed. The `uvicorn.workers` module prints a DeprecationWarning and is kept only until uvicorn removes it; the uvicorn-worker package is where the worker is maintained and tested.',
    example:
      '# gunicorn.conf.py (requirements.txt: gunicorn==26.1.0)\nworker_class = "eventlet"\n\n# Procfile\nweb: gunicorn mysite.asgi:application -k uvicorn.workers.UvicornWorker',
    fix: 'Move from eventlet to `gevent` (the same green-thread model) or `gthread`. For uvicorn, `pip install uvicorn-worker` and use `uvicorn_worker.UvicornWorker`. For the asgi worker, upgrade gunicorn to 24.0 or later, or use uvicorn_worker.UvicornWorker.',
    good: '# gunicorn.conf.py\nworker_class = "gevent"\n\n# Procfile\nweb: gunicorn mysite.asgi:application -k uvicorn_worker.UvicornWorker',
    references: [
      { title: 'Gunicorn: changelog (26.0.0, eventlet worker removed)', url: 'https://gunicorn.org/news/' },
      { title: 'Gunicorn: worker_class', url: 'https://docs.gunicorn.org/en/stable/settings.html#worker-class' },
      { title: 'uvicorn-worker', url: 'https://github.com/Kludex/uvicorn-worker' },
      { title: 'Uvicorn: release notes (0.30.0 deprecates uvicorn.workers)', url: 'https://www.uvicorn.org/release-notes/' },
    ],
  },
  check(ctx) {
    if (noGunicorn(ctx)) return;
    const m = ctx.appServer;
    const g = gunicornRelease(m);
    // an exact pin, or a range every release of which is on one side of 0.30 (`>=0.15,<0.16`:
    // before it), decides; otherwise the newest uvicorn is assumed
    const uvicorn = ctx.project.versions?.uvicorn;
    const uvSide = uvicorn ? sideOf(uvicorn, UVICORN_WORKERS_DEPRECATED) : undefined;
    const uvSaid = { version: '0.30 or later', assumed: true };
    for (const o of m.occurrences('worker_class')) {
      if (unknownValue(ctx, o)) continue;
      if (o.value.kind !== 'str') continue;
      const name = workerName(o.value.v);
      const lower = name.toLowerCase();
      const label = o.source === 'config' ? 'worker_class' : settingLabel(o);
      const where = whereNote(o);
      const report = (severity: Severity, assumed: boolean, message: string): void =>
        ctx.report({ loc: o.loc, severity: assumed ? 'information' : severity, message });
      if (lower === 'eventlet' || /^gunicorn\.workers\.geventlet\./.test(name)) {
        if (compareVersions(g.version, '26.0.0') >= 0)
          report(
            'error',
            g.assumed,
            `${label} "${o.value.v}"${where}: gunicorn 26.0 removed the eventlet worker, so gunicorn ${g.version} cannot start; use "gevent" or "gthread".${assumedNote('gunicorn', g)}`,
          );
        else if (compareVersions(g.version, '25.0.0') >= 0)
          report(
            'warning',
            g.assumed,
            `${label} "${o.value.v}"${where}: the eventlet worker is deprecated in gunicorn ${g.version} and removed in 26.0 (gunicorn then cannot start); move to "gevent" or "gthread".`,
          );
        continue;
      }
      if (/^uvicorn\.workers\.Uvicorn(H11)?Worker$/.test(name)) {
        if (uvSide === 'below') continue;
        const replacement = name.replace(/^uvicorn\.workers\./, 'uvicorn_worker.');
        report(
          'warning',
          uvSide === undefined,
          `${label} "${o.value.v}"${where}: uvicorn's uvicorn.workers module is deprecated since uvicorn 0.30 (it warns at start-up and will be removed); install the uvicorn-worker package and use "${replacement}".${uvSide === undefined ? assumedNote('uvicorn', uvSaid) : ''}`,
        );
        continue;
      }
      if ((lower === 'asgi' || /^gunicorn\.workers\.gasgi\./.test(name)) && !g.assumed && compareVersions(g.version, '24.0.0') < 0) {
        report(
          'error',
          false,
          `${label} "${o.value.v}"${where}: gunicorn ${g.version} has no asgi worker (it arrived in 24.0.0), so gunicorn cannot start; upgrade gunicorn or use "uvicorn_worker.UvicornWorker".`,
        );
      }
    }
  },
};
