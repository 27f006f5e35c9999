// DDG201: a WSGI worker serving an ASGI application, or an ASGI server/worker serving a WSGI one.
import { isSupplied } from '../../models/settings/query';
import { workerKind, type AppTarget, type GunicornRun } from '../../models/appServer/model';
import { optionValue, type AppRef } from '../../readers/process/commands';
import type { Rule } from '../types';

function appText(app: AppRef): string {
  return app.attr ? `${app.module}:${app.attr}` : app.module;
}

export const workerAppMismatch: Rule = {
  code: 'DDG201',
  name: 'worker-app-mismatch',
  title: "Server or worker class does not speak the app's protocol",
  severity: 'error',
  group: 'app-server',
  checklist: 'process',
  target: 'process',
  docs: {
    what: "Compares the protocol of the application a production command line serves (ASGI for `mysite.asgi:application`, Channels' `ProtocolTypeRouter`, `get_asgi_application()`; WSGI for `mysite.wsgi:application`, `get_wsgi_application()`, WhiteNoise) with the server that runs it: gunicorn with its default sync worker (or gthread, gevent, eventlet) serving an ASGI application, gunicorn with a uvicorn or ASGI worker serving a WSGI application, and uvicorn or daphne serving a WSGI application.",
    why: 'WSGI and ASGI are different calling conventions. A sync gunicorn worker calls the ASGI application as if it were WSGI and every request fails with a TypeError (500s, or workers crashing at start-up); an ASGI server calls a WSGI application with the wrong arguments just the same. The process starts and passes a port check, so the mistake often shows up only under real traffic.',
    example: '# Procfile\nweb: gunicorn mysite.asgi:application',
    fix: "Serve the ASGI application with an ASGI worker (`-k uvicorn_worker.UvicornWorker`, or `-k asgi` with gunicorn 24 and later), or serve the WSGI application (`mysite.wsgi:application`) with gunicorn's default worker.",
    good: '# Procfile\nweb: gunicorn mysite.asgi:application -k uvicorn_worker.UvicornWorker',
    references: [
      {
        title: 'Django: how to deploy with ASGI (Uvicorn under Gunicorn)',
        url: 'https://docs.djangoproject.com/en/stable/howto/deployment/asgi/uvicorn/',
      },
      { title: 'Django: how to deploy with WSGI', url: 'https://docs.djangoproject.com/en/stable/howto/deployment/wsgi/' },
      { title: 'Gunicorn: worker_class', url: 'https://docs.gunicorn.org/en/stable/settings.html#worker-class' },
    ],
  },
  check(ctx) {
    const m = ctx.appServer;
    const reported = new Set<string>();
    let checked = 0;
    const checkRun = (r: GunicornRun, app: AppTarget): void => {
      const kind = m.appKind(app, r.invocation, r);
      if (!kind) return;
      checked++;
      const wc = r.settings.get('worker_class');
      let workerName = 'sync';
      if (wc) {
        if (wc.value.kind === 'unknown') {
          if (!isSupplied(wc.value)) ctx.unknown(`worker_class is not known statically: ${wc.value.reason}`, wc.loc);
          return;
        }
        if (wc.value.kind !== 'str') return; // a class object: custom
        workerName = wc.value.v.trim();
      } else if (r.opaque) {
        ctx.unknown(`${r.label}: ${r.opaque}`, r.anchor);
        return;
      }
      const wk = workerKind(workerName);
      if (!wk || wk === kind) return;
      const loc = wc && wk === 'asgi' ? wc.loc : wc && kind === 'asgi' ? wc.loc : app.loc;
      const key = `${loc.file}:${loc.start}`;
      if (reported.has(key)) return;
      reported.add(key);
      ctx.report({
        loc,
        message:
          kind === 'asgi'
            ? `gunicorn serves ${appText(app)}, an ASGI application, with the ${workerName === 'sync' && !wc ? 'default sync' : workerName} worker, which only speaks WSGI: every request fails; use -k uvicorn_worker.UvicornWorker or serve the WSGI application.`
            : `gunicorn serves ${appText(app)}, a WSGI application, with the ASGI worker ${workerName}: every request fails; serve the ASGI application (e.g. mysite.asgi:application) or drop the worker class.`,
      });
    };
    for (const r of m.runs) {
      if (!r.production || !r.app) continue;
      checkRun(r, r.app);
    }
    for (const inv of m.commands) {
      if (!inv.source.production || !inv.app || (inv.server !== 'uvicorn' && inv.server !== 'daphne')) continue;
      if (inv.server === 'uvicorn' && optionValue(inv, '--interface')?.value?.text === 'wsgi') continue;
      const kind = m.appKind(inv.app, inv);
      if (!kind) continue;
      checked++;
      if (kind !== 'wsgi') continue;
      ctx.report({
        loc: inv.app.token.loc,
        message: `${inv.server} serves ${appText(inv.app)}, a WSGI application, but ${inv.server} speaks ASGI: requests fail; serve the ASGI application (e.g. mysite.asgi:application) or run gunicorn for WSGI.`,
      });
    }
    if (checked === 0 && m.commands.length === 0 && m.runs.length === 0) ctx.notApplicable('the project has no app server command line');
  },
};
