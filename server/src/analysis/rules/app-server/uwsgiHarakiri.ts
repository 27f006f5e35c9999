// DDG316: a production uWSGI configuration without a request timeout (harakiri), or with one that
// cannot work because there is no master process.
import { uwsgiFlag as flagOn, uwsgiInt, uwsgiOption } from '../../readers/process/appConfigs';
import { uwsgiEnvironmentSets, uwsgiIncludesOthers, uwsgiInstances } from '../../models/process/index';
import type { Loc } from '../../eval/values';
import type { Rule } from '../types';

export const uwsgiHarakiri: Rule = {
  code: 'DDG316',
  name: 'uwsgi-no-request-timeout',
  title: 'uWSGI never times out a stuck request',
  severity: 'warning',
  group: 'app-server',
  checklist: 'process',
  target: 'process',
  docs: {
    what: 'Reports a production uWSGI configuration that sets no `harakiri` (uWSGI then lets a request run for ever), or sets it while the master process is off (`master` not enabled): the master is what kills the worker, so the timeout is never applied. gunicorn has a 30-second default; uWSGI has none. A uWSGI command line (`uwsgi --module mysite.wsgi --master …` in a Procfile, Dockerfile, compose command, script, manifest or supervisord program) is read the same way, with the `--ini` file it loads. A configuration that includes others, a command line with words only known at run time (`$EXTRA_ARGS`), a `harakiri` inside an `if-env` … `endif` block, and a deployment that sets `UWSGI_HARAKIRI` (uWSGI reads options from `UWSGI_*` variables) are not reported. Neither is a configuration nothing in the repository runs while production serves the app with another server (an old `uwsgi.ini` beside a gunicorn image, with no uWSGI command line, no other file naming uWSGI, uWSGI in no dependency file): it is not production’s. A configuration that is the only description of production is reported as before.',
    why: 'A request stuck on a slow database query, an external API or a deadlock holds its worker for ever. With a handful of workers, a few such requests and the site stops answering while uWSGI looks healthy; the proxy in front times out and returns 504s for everyone.',
    example: '[uwsgi]\nmodule = mysite.wsgi:application\nprocesses = 4',
    fix: 'Enable the master process and set `harakiri` a little above the longest request you accept (and below the proxy’s timeout), e.g. `master = true` and `harakiri = 30`.',
    good: '[uwsgi]\nmodule = mysite.wsgi:application\nmaster = true\nprocesses = 4\nharakiri = 30',
    references: [
      { title: 'uWSGI: harakiri', url: 'https://uwsgi-docs.readthedocs.io/en/latest/Options.html#harakiri' },
      { title: 'uWSGI: things to know (best practices)', url: 'https://uwsgi-docs.readthedocs.io/en/latest/ThingsToKnow.html' },
    ],
  },
  check(ctx) {
    const uwsgi = uwsgiInstances(ctx.appServer.processes);
    if (uwsgi.length === 0) return ctx.notApplicable('the project has no uWSGI configuration or command line');
    const found = new Map<string, { loc: Loc; labels: string[]; message: (who: string, many: boolean) => string }>();
    const add = (loc: Loc, label: string, message: (who: string, many: boolean) => string): void => {
      const key = `${loc.file}:${loc.start}:${loc.end}`;
      const f = found.get(key);
      if (f) {
        if (!f.labels.includes(label)) f.labels.push(label);
      } else found.set(key, { loc, labels: [label], message });
    };
    for (const u of uwsgi) {
      if (!u.source.production) continue;
      const c = u.config;
      // a command line with words only known at run time (`$EXTRA_ARGS`) may set it there
      if (c.opaque) continue;
      // a configuration that includes others (ini =, include, inherit, @file placeholders) may set it there
      if (uwsgiIncludesOthers(c)) continue;
      // uWSGI's own router or an emperor's vassal template is configured elsewhere
      if (!uwsgiOption(c, 'module', 'wsgi-file', 'wsgi', 'file', 'mount', 'wsgi-env-behavior')) continue;
      // uWSGI also reads an option from UWSGI_<OPTION> in the environment it starts in
      const envSets = (name: string): boolean => uwsgiEnvironmentSets(ctx.appServer.processes, u, name);
      if (envSets('UWSGI_HARAKIRI') || envSets('UWSGI_MASTER')) continue;
      const harakiri = uwsgiOption(c, 'harakiri', 't');
      const master = uwsgiOption(c, 'master', 'M');
      if (master?.when || master?.value.dynamic) continue;
      const anchor = uwsgiOption(c, 'module', 'wsgi-file', 'wsgi', 'file', 'mount')!;
      // a harakiri inside `if-env` … `endif`, or from a placeholder, may apply: not reported
      if (harakiri && (harakiri.when || harakiri.value.dynamic)) continue;
      const seconds = harakiri ? uwsgiInt(harakiri.value.text) : undefined;
      // a master switched on by its bare name (`master`, `--master`) or a value uWSGI reads as true
      const masterOn = !!master && (master.bare || flagOn(master.value.text));
      // the advice in the form of the file it lands in: a command line's flags or a configuration's lines
      const loc = harakiri ? harakiri.value.loc : anchor.keyLoc;
      const cli = !!u.invocation && !(c.loads ?? []).includes(loc.file);
      const is = cli ? ' ' : ' = ';
      if (!harakiri || seconds === 0) {
        const set = cli ? `${masterOn ? '' : '--master and '}--harakiri 30` : `${masterOn ? '' : 'master = true and '}harakiri = 30`;
        add(
          loc,
          u.label,
          (who, many) =>
            `${who} set${many ? '' : 's'} no harakiri${harakiri ? ` (harakiri${is}${harakiri.value.text} is off)` : ''}: uWSGI lets a stuck request hold its worker for ever (gunicorn would kill it after 30 s); set ${set} (a little above your longest request).`,
        );
      } else if (seconds !== undefined && !masterOn) {
        add(
          loc,
          u.label,
          (who) =>
            `harakiri${is}${seconds} in ${who} is never applied: the master process kills the stuck worker, and ${master ? `master${is}${master.value.text} turns it off` : 'master is not enabled'}; set ${cli ? '--master' : 'master = true'}.`,
        );
      }
    }
    // one finding per place, naming every process that reads it (a file two command lines load)
    for (const f of found.values()) ctx.report({ loc: f.loc, message: f.message(f.labels.join(' and '), f.labels.length > 1) });
  },
};
