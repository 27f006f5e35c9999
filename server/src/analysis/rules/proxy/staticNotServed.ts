// DDX107: the location nginx chooses for STATIC_URL (or MEDIA_URL) proxies to Django, which does
// not serve those files in production: every stylesheet, script or upload is a 404.
import { middlewareHeld } from '../middleware/order';
import { hasValue } from '../../models/settings/query';
import { locationFor, type NginxLocation, proxyPassOf } from '../../readers/proxy/configs';
import type { Rule, SettingsRuleContext } from '../types';
import { WHITENOISE } from '../../catalogue/libraries';
import { noProxy, proxiedLocations, serverLabel, urlPath } from './shared';

/** Static files are stored by Django's own staticfiles storage (STORAGES and STATICFILES_STORAGE unset, or one of django.contrib.staticfiles.storage). */
function djangoStaticStorage(ctx: SettingsRuleContext): boolean {
  if (ctx.settings.query('STORAGES').state !== 'unset') return false;
  const legacy = ctx.settings.query('STATICFILES_STORAGE');
  if (legacy.state === 'unset') return true;
  return hasValue(legacy) && legacy.value.kind === 'str' && legacy.value.v.startsWith('django.contrib.staticfiles.storage.');
}

export const staticNotServed: Rule = {
  code: 'DDX107',
  name: 'proxy-static-to-django',
  title: 'Static or media files are proxied to Django, which does not serve them',
  severity: 'error',
  group: 'proxy',
  checklist: 'proxy-app',
  target: 'settings',
  docs: {
    what: "Finds the location nginx chooses for a file under the production `STATIC_URL` (when `django.contrib.staticfiles` is installed and WhiteNoise is not in MIDDLEWARE) and under `MEDIA_URL` (when uploads are stored on the file system: STORAGES and DEFAULT_FILE_STORAGE left to Django's default), with nginx's own choice of location (exact, longest prefix, `^~`, nested), and reports a server where that location proxies to the app. When nothing the analysis can see stores uploads (no file field, `upload_to`, storage, `request.FILES` or MEDIA_ROOT in the project's own modules, and no installed app the catalogue knows stores files), the MEDIA_URL finding is information. A server with an `internal` location leaves MEDIA_URL to the app: the app answers for each upload (a permission check) and has nginx send the file with X-Accel-Redirect. Only settings written as paths are read (a full URL means another host serves the files); a DEBUG that is on or unknown, a regular-expression location that could take the request, or a setting the analysis cannot read leave the rule silent or unknown.",
    why: 'With DEBUG off Django serves neither static files nor uploads (`runserver` and the `static()` URL helper do it only while DEBUG is on). When nginx hands `/static/…` to gunicorn, every stylesheet and script answers 404 and the site renders unstyled; when it hands `/media/…`, every upload is a 404.',
    example:
      "# settings: STATIC_URL = '/static/'; no WhiteNoise\nserver {\n    location / {\n        proxy_pass http://127.0.0.1:8000;\n    }\n}",
    fix: 'Serve the folders from nginx: `location /static/ { alias /srv/mysite/staticfiles/; }` (STATIC_ROOT, filled by `collectstatic`) and `location /media/ { alias /srv/mysite/media/; }` (MEDIA_ROOT), with the trailing slashes on both sides (DDX201). Or add WhiteNoise for the static files.',
    good: 'location /static/ {\n    alias /srv/mysite/staticfiles/;\n}\nlocation / {\n    proxy_pass http://127.0.0.1:8000;\n}',
    references: [
      { title: 'Django: deploying static files', url: 'https://docs.djangoproject.com/en/stable/howto/static-files/deployment/' },
      {
        title: 'Django: serving uploaded files in development only',
        url: 'https://docs.djangoproject.com/en/stable/howto/static-files/#serving-files-uploaded-by-a-user-during-development',
      },
      { title: 'nginx: location', url: 'https://nginx.org/en/docs/http/ngx_http_core_module.html#location' },
    ],
  },
  check(ctx) {
    const proxied = proxiedLocations(ctx);
    if (noProxy(ctx, proxied)) return;
    const debug = ctx.settings.query('DEBUG');
    if (debug.state === 'supplied' || debug.state === 'unknown') return ctx.undecided(debug);
    if (debug.value.kind === 'bool' && debug.value.v) return ctx.notApplicable('DEBUG is on (other rules report it)');
    const asked: { what: string; setting: string; path: string }[] = [];
    let unknown: string | undefined;
    // static files: staticfiles installed, no WhiteNoise
    const staticfiles = ctx.settings.contains('INSTALLED_APPS', 'django.contrib.staticfiles');
    const whitenoise = middlewareHeld(ctx, WHITENOISE.middleware.whitenoise);
    const staticUrl = ctx.settings.query('STATIC_URL');
    if (staticfiles === undefined || whitenoise === undefined) unknown = 'INSTALLED_APPS or MIDDLEWARE cannot be read';
    else if (staticfiles && !whitenoise && djangoStaticStorage(ctx)) {
      if (hasValue(staticUrl)) {
        const p = urlPath(staticUrl.value);
        if (p) asked.push({ what: 'static files', setting: 'STATIC_URL', path: p });
      } else if (staticUrl.state !== 'unset') unknown ??= 'STATIC_URL cannot be read';
    }
    // uploads: stored on the file system by Django's default storage
    const storages = ctx.settings.query('STORAGES');
    const legacy = ctx.settings.query('DEFAULT_FILE_STORAGE');
    const mediaUrl = ctx.settings.query('MEDIA_URL');
    if (storages.state === 'unset' && legacy.state === 'unset' && hasValue(mediaUrl)) {
      const p = urlPath(mediaUrl.value);
      if (p) asked.push({ what: 'uploaded files', setting: 'MEDIA_URL', path: p });
    }
    const reported = new Set<string>();
    const servers = [...new Set(proxied.map((p) => p.server))];
    for (const a of asked)
      for (const server of servers) {
        const choice = locationFor(server.locations, `${a.path}x`);
        if (choice.state === 'unknown') {
          unknown ??= choice.reason;
          continue;
        }
        const l = choice.location;
        const pass = l ? proxyPassOf(l.scope) : undefined;
        if (!l || !pass) continue;
        // the app answers for uploads itself (a permission check) and has nginx send the file from an
        // internal location (X-Accel-Redirect): handing MEDIA_URL to it is the design
        if (a.setting === 'MEDIA_URL' && internalLocation(server.locations)) continue;
        const key = `${pass.loc.file}:${pass.loc.start}:${a.setting}`;
        if (reported.has(key)) continue;
        reported.add(key);
        const message = `${serverLabel(ctx, server)} hands ${a.path}… (${a.setting}) to the app through location ${l.path}, but Django does not serve ${a.what} with DEBUG off${a.setting === 'STATIC_URL' ? ' and without WhiteNoise' : ''}: each one is a 404; serve the folder from nginx.`;
        // no upload to serve that the analysis can see: said as what it rests on, not as a broken site
        const uploads = a.setting === 'MEDIA_URL' ? ctx.codeStoresUploads : undefined;
        if (uploads?.state === 'no')
          ctx.report({
            loc: pass.nameLoc,
            severity: 'information',
            message: `${serverLabel(ctx, server)} hands ${a.path}… (${a.setting}) to the app through location ${l.path}, where Django serves no upload with DEBUG off; nothing stores uploads yet (${uploads.why}): serve the folder from nginx once something does.`,
          });
        else ctx.report({ loc: pass.nameLoc, message });
      }
    if (unknown) ctx.unknown(unknown);
  },
};

/** Whether a server has an `internal` location: one nginx serves only on the app's X-Accel-Redirect. */
function internalLocation(locations: readonly NginxLocation[]): boolean {
  return locations.some((l) => l.scope.directives.some((d) => d.name === 'internal') || internalLocation(l.nested));
}
