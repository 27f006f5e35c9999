// DDX201: `location /static { alias /srv/static/; }`: the location has no trailing slash and the
// alias has one, so /static../ reaches the folder above (gixy's alias_traversal).
import type { Loc } from '../../eval/values';
import type { Rule } from '../types';
import { noNginx, proxyModel } from './shared';
import { allLocations, templatedLocation } from '../../readers/proxy/configs';

export const aliasTraversal: Rule = {
  code: 'DDX201',
  name: 'nginx-alias-traversal',
  title: 'nginx alias lets /static../ read the folder above',
  severity: 'error',
  group: 'proxy',
  checklist: 'proxy-tls',
  target: 'project',
  fixSafety: 'safe',
  docs: {
    what: 'Reports an nginx prefix `location` whose path does not end with `/` while its `alias` does (`location /static { alias /srv/app/static/; }`), the path traversal gixy calls alias_traversal.',
    why: "nginx replaces the location's prefix with the alias: `/static../settings.py` becomes `/srv/app/static/../settings.py`, which is the folder above the static files — often the project itself, with its settings, `.env` and database file. Scanners try this on every site that serves /static or /media.",
    example: 'location /static {\n    alias /srv/app/staticfiles/;\n}',
    fix: "Add the trailing slash to the location (`location /static/`), so the prefix and the alias end alike; the quick fix does it. (Or use `root` when the folder's name is the URL's.)",
    good: 'location /static/ {\n    alias /srv/app/staticfiles/;\n}',
    references: [
      { title: 'gixy: alias traversal', url: 'https://github.com/yandex/gixy/blob/master/docs/en/plugins/aliastraversal.md' },
      { title: 'nginx: alias', url: 'https://nginx.org/en/docs/http/ngx_http_core_module.html#alias' },
    ],
  },
  check(ctx) {
    if (noNginx(ctx)) return;
    for (const config of proxyModel(ctx).nginx)
      for (const server of config.servers)
        for (const l of allLocations(server)) {
          if (l.modifier !== '' && l.modifier !== '^~') continue;
          if (l.path.endsWith('/')) continue;
          const alias = l.scope.directives.find((d) => d.name === 'alias');
          if (!alias?.args[0]?.text.endsWith('/')) continue;
          // (a path a template fills in, `location __STATIC_URL__`: whether it ends with a slash is unknown)
          const word = l.directive.args[l.directive.args.length - 1]!;
          // (a word as the file writes it: a template's placeholder, `__STATIC_ROOT__/`, is read as a variable)
          const written = (w: { readonly text: string; readonly loc: Loc }): string =>
            ctx.fileText(w.loc.file)?.slice(w.loc.start, w.loc.end) ?? w.text;
          if (templatedLocation(l)) {
            ctx.unknown(`location ${written(word)} is a value its template fills in: whether it ends with a slash is unknown`, word.loc);
            continue;
          }
          ctx.report({
            loc: word.loc,
            message: `location ${l.path} has no trailing slash but its alias ${written(alias.args[0])} has one: ${l.path}../ reads the folder above the alias (path traversal); write location ${l.path}/.`,
            fixes:
              ctx.wantsFixes && !word.quoted
                ? [
                    {
                      title: `Write location ${l.path}/`,
                      safety: 'safe',
                      preferred: true,
                      edits: [{ file: word.loc.file, start: word.loc.end, end: word.loc.end, newText: '/' }],
                    },
                  ]
                : [],
          });
        }
  },
};
