// ASGI or WSGI: what kind of application a value is (from the library call that built it), what
// kind a gunicorn worker class runs, and which production app server serves Django over ASGI
// (gunicorn with an ASGI worker class, uvicorn, daphne, hypercorn, granian).
import { GREENLET_WORKERS } from '../../catalogue/greenletWorkers';
import { optionValue as commandOption } from '../../readers/process/commands';
import type { Value } from '../../eval/values';
import type { AppKind, AppServerModel } from './types';

/** What kind of application a value is, from the library call that built it. */
export function appKindOfValue(v: Value | undefined): AppKind | undefined {
  if (!v) return undefined;
  const ext = v.kind === 'unknown' ? v.ext : v.kind === 'object' ? v.tag : undefined;
  if (!ext) return undefined;
  const callee = ext.split('(')[0]!.toLowerCase();
  if (/a2wsgi\.asgimiddleware|asgi_to_wsgi|asgitowsgi/.test(callee)) return 'wsgi';
  if (/a2wsgi\.wsgimiddleware|wsgitoasgi|wsgi_to_asgi/.test(callee)) return 'asgi';
  if (
    /asgi|protocoltyperouter|get_default_application|urlrouter|authmiddlewarestack|originvalidator|starlette|fastapi|quart|litestar|sanic/.test(
      callee,
    )
  )
    return 'asgi';
  if (/wsgi|whitenoise|cling|dj_static|werkzeug|flask/.test(callee)) return 'wsgi';
  return undefined;
}

/** The kind of worker a gunicorn worker class runs (undefined: a custom class). */
export function workerKind(workerClass: string): AppKind | undefined {
  const t = workerClass.trim().replace(/^egg:gunicorn#/, '');
  const lower = t.toLowerCase();
  if (['sync', 'gthread', 'eventlet', 'gevent', 'gevent_wsgi', 'gevent_pywsgi', 'tornado', 'ginterpreter'].includes(lower)) return 'wsgi';
  if (/^gunicorn\.workers\.(sync|gthread|ggevent|geventlet|gtornado|ginterpreter)\./.test(t)) return 'wsgi';
  if (lower === 'asgi' || /^gunicorn\.workers\.gasgi\./.test(t) || /uvicorn|asgi/.test(lower)) return 'asgi';
  return undefined;
}

/** The production gunicorn runs whose worker class is written, with the class as written. */
function productionWorkerClasses(m: AppServerModel): { run: AppServerModel['runs'][number]; name: string }[] {
  const out: { run: AppServerModel['runs'][number]; name: string }[] = [];
  for (const run of m.runs) {
    const wc = run.production ? run.settings.get('worker_class') : undefined;
    if (wc?.value.kind === 'str') out.push({ run, name: wc.value.v.trim() });
  }
  return out;
}

/**
 * A production app server that serves Django over ASGI, described for a message ("gunicorn with
 * the worker class cl.workers.UvicornWorker (Procfile (web))"), or undefined when none is known to:
 * gunicorn with an ASGI worker class (uvicorn's, its own `asgi`, or a custom class serving an ASGI
 * application), uvicorn, daphne or hypercorn (unless the application they serve is a WSGI one or
 * uvicorn runs with --interface wsgi), granian with --interface asgi or asginl.
 */
export function productionAsgiServer(m: AppServerModel): string | undefined {
  for (const { run: r, name } of productionWorkerClasses(m)) {
    const kind = workerKind(name) ?? (r.app ? m.appKind(r.app, r.invocation, r) : undefined);
    if (kind === 'asgi') return `gunicorn with the worker class ${name} (${r.label})`;
  }
  for (const inv of m.commands) {
    if (!inv.source.production) continue;
    if (inv.server === 'uvicorn' || inv.server === 'daphne' || inv.server === 'hypercorn') {
      const iface = inv.server === 'uvicorn' ? commandOption(inv, '--interface')?.value : undefined;
      // an interface set at run time may be wsgi: not known to be ASGI
      if (iface && (iface.dynamic || iface.text.trim().toLowerCase() === 'wsgi')) continue;
      if (inv.app && m.appKind(inv.app, inv) === 'wsgi') continue;
      return `${inv.server} (${inv.source.label})`;
    }
    if (inv.server === 'granian') {
      const given = (commandOption(inv, '--interface')?.value ?? inv.env.get('GRANIAN_INTERFACE')?.token)?.text.trim().toLowerCase();
      if (given === 'asgi' || given === 'asginl') return `granian --interface ${given} (${inv.source.label})`;
    }
  }
  return undefined;
}

/**
 * A production gunicorn that runs each request in a greenlet (the gevent or eventlet worker
 * classes, catalogue/greenletWorkers.ts), described for a message ("gunicorn with the worker class
 * gevent (Procfile (web))"), or undefined when none is known to.
 */
export function productionGreenletServer(m: AppServerModel): string | undefined {
  for (const { run: r, name } of productionWorkerClasses(m)) {
    const bare = name.replace(/^egg:gunicorn#/, '').toLowerCase();
    if (GREENLET_WORKERS.value.includes(bare) || /^gunicorn\.workers\.(ggevent|geventlet)\./.test(name))
      return `gunicorn with the worker class ${name} (${r.label})`;
  }
  return undefined;
}
