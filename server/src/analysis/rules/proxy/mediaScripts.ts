// DDX110: nginx serves the uploads folder (MEDIA_URL) as it serves the site's own files: an
// uploaded .html or .svg opens as a page of the site, with its cookies (stored XSS).
import { locationFor, lookup, proxyPassOf } from '../../readers/proxy/configs';
import type { Rule } from '../types';
import { NGINX_X_ACCEL_KEEPS } from '../../catalogue/hops';
import { noNginx, proxyModel, serverLabel, tiesOf } from './shared';

export const mediaScripts: Rule = {
  code: 'DDX110',
  name: 'nginx-media-runs-scripts',
  title: 'Uploads are served as pages of the site',
  severity: 'warning',
  group: 'proxy',
  checklist: 'proxy-tls',
  target: 'settings',
  docs: {
    what: "In each nginx server of the project's site (one that proxies to the project's app, or answers a host the production `ALLOWED_HOSTS` names: a server of another app of the repository is not looked at), finds the location nginx chooses for a file under the production `MEDIA_URL` (a path, with Django's file-system storage) and reports it when nginx serves the files itself (`alias` or `root`, no `proxy_pass`) without anything that stops a browser from running them: no `add_header Content-Disposition attachment`, no `add_header Content-Security-Policy` with `sandbox`, and no `types { }` block that leaves every file `application/octet-stream`. An `internal` location (served only through the app's X-Accel-Redirect, with the app's Content-Type and Content-Disposition) is not reported. When nothing the analysis can see stores uploads (no file field, `upload_to`, storage, `request.FILES` or MEDIA_ROOT in the project's own modules, and no installed app the catalogue knows stores files), the finding is information. A regular-expression location that could take the request, or an include the analysis cannot read, leaves the rule unknown.",
    why: "nginx gives each file the type of its extension: an uploaded `.html` is served as text/html and an `.svg` as image/svg+xml, both of which run scripts — in the site's own origin, with access to its cookies and pages. Any form that accepts a FileField upload (FileField accepts every extension unless validated) becomes a stored cross-site scripting hole, and a link to `/media/…/x.html` is all an attacker needs to send.",
    example: "# settings: MEDIA_URL = '/media/'\nlocation /media/ {\n    alias /srv/mysite/media/;\n}",
    fix: 'Serve uploads as downloads, or sandboxed: `add_header Content-Disposition attachment;` and `add_header X-Content-Type-Options nosniff;` in the media location (or `add_header Content-Security-Policy "sandbox";`). Better still, serve them from another domain.',
    good: 'location /media/ {\n    alias /srv/mysite/media/;\n    add_header Content-Disposition attachment;\n    add_header X-Content-Type-Options nosniff;\n}',
    references: [
      { title: 'OWASP: unrestricted file upload', url: 'https://owasp.org/www-community/vulnerabilities/Unrestricted_File_Upload' },
      {
        title: 'Django: user-uploaded content security',
        url: 'https://docs.djangoproject.com/en/stable/topics/security/#user-uploaded-content',
      },
      { title: 'nginx: add_header', url: 'https://nginx.org/en/docs/http/ngx_http_headers_module.html#add_header' },
    ],
  },
  check(ctx) {
    if (noNginx(ctx)) return;
    const storages = ctx.settings.query('STORAGES');
    const legacy = ctx.settings.query('DEFAULT_FILE_STORAGE');
    if (storages.state !== 'unset' || legacy.state !== 'unset')
      return ctx.notApplicable('uploads are stored by a storage the settings choose (not served by nginx from the file system)');
    const media = ctx.settings.query('MEDIA_URL');
    if (media.state === 'supplied' || media.state === 'unknown') return ctx.undecided(media);
    if (media.value.kind !== 'str' || !media.value.v.startsWith('/') || media.value.v.startsWith('//'))
      return ctx.notApplicable('MEDIA_URL is not a path of this site');
    const url = media.value.v.endsWith('/') ? media.value.v : `${media.value.v}/`;
    let unknown: string | undefined;
    let internal: string | undefined;
    const reported = new Set<string>();
    const ties = tiesOf(ctx);
    let untied: string | undefined;
    let tied = 0;
    for (const config of proxyModel(ctx).nginx)
      for (const server of config.servers) {
        // only a server of this project's site: one that proxies to its app or answers a host ALLOWED_HOSTS names
        const tie = ties.server(server);
        if (tie.state !== 'app') {
          untied ??= `${serverLabel(ctx, server)}: ${tie.why}`;
          continue;
        }
        tied++;
        const choice = locationFor(server.locations, `${url}x.html`);
        if (choice.state === 'unknown') {
          unknown ??= choice.reason;
          continue;
        }
        const l = choice.location;
        if (!l || proxyPassOf(l.scope)) continue;
        if (!l.scope.directives.some((d) => d.name === 'alias' || d.name === 'root')) continue;
        if (l.scope.directives.some((d) => d.name === 'types' && d.block)) continue;
        // an internal location answers no browser request: nginx serves its files only where the app
        // answers with X-Accel-Redirect, with that response's Content-Type and Content-Disposition
        if (l.scope.directives.some((d) => d.name === 'internal')) {
          internal ??= `${serverLabel(ctx, server)} serves the uploads only from an internal location (X-Accel-Redirect): nginx keeps the ${NGINX_X_ACCEL_KEEPS.value.slice(0, 2).join(' and ')} of the app's response`;
          continue;
        }
        const headers = lookup(l.scope, 'add_header');
        if (headers.state === 'unknown') {
          unknown ??= headers.reason;
          continue;
        }
        const safe =
          headers.state === 'set' &&
          headers.directives.some((d) => {
            const name = d.args[0]?.text.toLowerCase();
            const value = d.args[1]?.text.toLowerCase() ?? '';
            return (
              (name === 'content-disposition' && value.startsWith('attachment')) ||
              (name === 'content-security-policy' && value.includes('sandbox'))
            );
          });
        if (safe) continue;
        const key = `${l.directive.loc.file}:${l.directive.loc.start}`;
        if (reported.has(key)) continue;
        reported.add(key);
        const message = `${serverLabel(ctx, server)} serves the uploads (MEDIA_URL ${url}) with the types of their extensions: an uploaded .html or .svg runs as a page of the site (stored XSS); add Content-Disposition attachment.`;
        // nothing seen stores uploads: the hazard waits for the first file field
        const uploads = ctx.codeStoresUploads;
        ctx.report({
          loc: l.directive.args[l.directive.args.length - 1]!.loc,
          ...(uploads?.state === 'no'
            ? {
                severity: 'information' as const,
                message: `${serverLabel(ctx, server)} serves MEDIA_URL ${url} with the types of the files' extensions, but nothing stores uploads yet (${uploads.why}): add Content-Disposition attachment before something does.`,
              }
            : { message }),
        });
      }
    if (tied === 0 && untied) return ctx.notApplicable(`no nginx server is known to serve this project's site (${untied})`);
    if (unknown) ctx.unknown(unknown);
    else if (internal && reported.size === 0) ctx.notApplicable(internal);
  },
};
