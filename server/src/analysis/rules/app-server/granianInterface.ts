// DDG205: granian started without `--interface asgi|wsgi` (its default, RSGI, is a protocol Django
// does not speak), or with an interface that does not fit the application it serves.
import { optionValue } from '../../readers/process/commands';
import type { Rule } from '../types';

export const granianInterface: Rule = {
  code: 'DDG205',
  name: 'granian-interface',
  title: 'Granian serves Django over an interface Django does not speak',
  severity: 'error',
  group: 'app-server',
  checklist: 'process',
  target: 'process',
  docs: {
    what: 'Reports a granian command line (Procfile, Dockerfile, docker-compose, systemd unit, start script) that gives no `--interface` (and whose environment sets no GRANIAN_INTERFACE), or gives `--interface rsgi`, and one whose interface does not fit the application it names (`--interface asgi` with `mysite.wsgi:application`, `--interface wsgi` with an ASGI application). Development files are reported too: the server cannot serve Django there either.',
    why: "Granian's default interface is RSGI, granian's own protocol, which Django does not implement: granian starts, then every request fails because it calls Django's application with arguments it does not take. The same happens when the interface and the application disagree (granian calls a WSGI application with ASGI's arguments, or the other way round).",
    example: '# Procfile\nweb: granian mysite.asgi:application --host 0.0.0.0 --port $PORT',
    fix: "Add `--interface asgi` for Django's ASGI application (`mysite.asgi:application`) or `--interface wsgi` for the WSGI one (`mysite.wsgi:application`), or set GRANIAN_INTERFACE in the process's environment.",
    good: 'web: granian --interface asgi mysite.asgi:application --host 0.0.0.0 --port $PORT',
    references: [
      { title: 'Granian: README (interfaces and options)', url: 'https://github.com/emmett-framework/granian#readme' },
      { title: 'Django: how to deploy with ASGI', url: 'https://docs.djangoproject.com/en/stable/howto/deployment/asgi/' },
    ],
  },
  check(ctx) {
    const m = ctx.appServer;
    const granians = m.commands.filter((c) => c.server === 'granian');
    if (granians.length === 0) {
      ctx.notApplicable('the project starts no granian');
      return;
    }
    for (const inv of granians) {
      const kind = inv.app ? m.appKind(inv.app, inv) : undefined;
      const want = kind ? `--interface ${kind}` : '--interface asgi (or wsgi for the WSGI application)';
      const o = optionValue(inv, '--interface');
      const env = inv.env.get('GRANIAN_INTERFACE');
      const value = o ? o.value : env?.token;
      if (!o && !env) {
        ctx.report({
          loc: inv.program.loc,
          message: `granian (${inv.source.label}) is started without --interface, so it serves its own RSGI protocol, which Django does not speak: every request fails; add ${want}.`,
        });
        continue;
      }
      if (!value) continue;
      if (value.dynamic) {
        ctx.unknown(`granian's interface is set at run time (${value.text})`, value.loc);
        continue;
      }
      const given = value.text.trim().toLowerCase();
      const what = o ? `--interface ${value.text}` : `GRANIAN_INTERFACE=${value.text}`;
      if (given === 'rsgi') {
        ctx.report({
          loc: value.loc,
          message: `granian ${what} (${inv.source.label}) serves granian's own RSGI protocol, which Django does not speak: every request fails; use ${want}.`,
        });
        continue;
      }
      const serves = given === 'asginl' ? 'asgi' : given;
      if (kind && (serves === 'asgi' || serves === 'wsgi') && serves !== kind) {
        ctx.report({
          loc: value.loc,
          message: `granian ${what} (${inv.source.label}) serves ${inv.app!.token.text}, ${kind === 'wsgi' ? 'a WSGI' : 'an ASGI'} application, over ${serves.toUpperCase()}: every request fails; use --interface ${kind}.`,
        });
      }
    }
  },
};
