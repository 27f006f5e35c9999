// DDG334: a production systemd unit or supervisord program that runs the app (gunicorn, uWSGI,
// daphne, uvicorn, celery, manage.py) as root: no `User=` (or `User=root`) and no `DynamicUser=`,
// no supervisord `user=` where nothing in the repository starts supervisord (the system's, root).
import type { Loc } from '../../eval/values';
import type { ProcessSource } from '../../models/process/model';
import { SUPERVISORD_DEFAULT_USER, SYSTEMD_DEFAULT_USER } from '../../catalogue/processUsers';
import type { Rule } from '../types';
import { nonRootUser, serverDropsTo, startChain, startedBy, workloadOf } from './topology';

/** A command line that switches user before the app starts (`runuser -u app -- gunicorn …`). */
const DROPS_PRIVILEGES = /\b(gosu|su-exec|setpriv|setuidgid|s6-setuidgid|runuser|chpst\s+-u|sudo\s+-u)\b/;

/** Paths under root's home: the code there must move before an unprivileged user can run it. */
const UNDER_ROOT = /(^|[\s="'])\/root(\/|$|[\s"'])/;

export const hostRootUser: Rule = {
  code: 'DDG334',
  name: 'host-service-runs-as-root',
  title: 'A systemd unit or supervisord program runs the app as root',
  severity: 'information',
  group: 'app-server',
  checklist: 'process',
  target: 'process',
  docs: {
    what: "Reports a production systemd unit that runs the app — gunicorn, uWSGI, daphne, uvicorn, Django's runserver, celery or a management command, on its ExecStart= line or in a script it runs — with no `User=` (or with `User=root`, `User=0`) and no `DynamicUser=yes`: systemd then runs the service as root. Likewise a supervisord program that runs the app with no `user=` (or `user=root`) when nothing in the repository starts supervisord and its file does not set `nodaemon=true` (the system's supervisord, which Debian's package runs as root, reading its `conf.d`; a `nodaemon=true` one runs in the foreground under a container or unit the repository does not show); a supervisord a unit starts runs as that unit's user, so the unit is judged, and one an image starts is left to DDG302. The finding is on the command that starts the app, or on `User=root`. Not reported: a unit or program with a non-root user (or one a template fills in), a server that drops root itself (uWSGI's `uid`, gunicorn's `user` without `preload_app`), a command line that switches user (`runuser`, `setpriv`, `gosu`, `sudo -u`), a celery with `--uid`, development units, and user units (a `systemd/user/` folder). Lines inside a Jinja comment (`{# User=app #}`) of a `.j2` unit are not there. When the unit or program shows the code under /root, the message says the code must move too.",
    why: 'A process running as root can do anything on the server: a flaw in the app (a template injection, an unsafe deserialisation, a vulnerable dependency) then gives root on the machine — the code, every secret, the database files, the other services. systemd runs a service as root unless `User=` names another user; supervisord runs a program as the user supervisord itself runs as unless `user=` names another.',
    example: '[Service]\nWorkingDirectory=/srv/mysite\nExecStart=/srv/venv/bin/gunicorn mysite.wsgi --bind 127.0.0.1:8000\nRestart=always',
    fix: "Add `User=` (and `Group=`) naming an unprivileged user that owns only what the app must write (a media folder), or `DynamicUser=yes`; for supervisord, `user=` in the program section. Code kept under /root must move (to /srv or /opt) first: another user cannot read root's home.",
    good: '[Service]\nUser=www-data\nGroup=www-data\nWorkingDirectory=/srv/mysite\nExecStart=/srv/venv/bin/gunicorn mysite.wsgi --bind 127.0.0.1:8000\nRestart=always',
    references: [
      { title: 'systemd.exec(5): User=, Group=, DynamicUser=', url: SYSTEMD_DEFAULT_USER.source.url },
      { title: 'supervisord: [program:x] section values (user)', url: SUPERVISORD_DEFAULT_USER.source.url },
    ],
  },
  check(ctx) {
    const m = ctx.appServer;
    const p = m.processes;
    const starts: { source: ProcessSource; what: string; program: { loc: Loc }; drops?: string; uid?: boolean }[] = [
      ...p.invocations.map((i) => ({ source: i.source, what: i.server, program: i.program, drops: serverDropsTo(m, i) })),
      ...p.tasks.map((t) => ({
        source: t.source,
        what:
          t.task.kind === 'celery'
            ? `celery${t.task.subcommand ? ` ${t.task.subcommand.text}` : ''}`
            : `manage.py${t.task.subcommand ? ` ${t.task.subcommand.text}` : ''}`,
        program: t.task.program,
        uid: t.task.kind === 'celery' && t.task.args.some((a) => /^--uid(=|$)/.test(a.text)),
      })),
    ].filter((s) => s.source.production);
    const hosted = (s: ProcessSource): boolean =>
      s.kind === 'systemd' || (s.kind === 'appconfig' && s.format === 'supervisord configuration');
    if (!starts.some((s) => hosted(s.source) || startChain(m, s.source).some((c) => hosted(c.source))))
      return ctx.notApplicable('no production systemd unit or supervisord program runs the app');
    const found = new Map<string, { loc: Loc; manager: ProcessSource; what: string[]; root: 'absent' | 'written'; user?: string }>();
    for (const st of starts) {
      if (st.drops || st.uid) continue;
      const chain = [
        { source: st.source, at: st.program.loc },
        ...startChain(m, st.source).map((c) => ({ source: c.source, at: c.steps[0]!.ref.script.loc })),
      ];
      for (const { source, at } of chain) {
        if (source.kind === 'shell') continue;
        if (!hosted(source) || !source.production) break;
        const text = ctx.fileText(at.file) ?? '';
        const line = text.slice(
          text.lastIndexOf('\n', at.start - 1) + 1,
          Math.max(at.end, text.indexOf('\n', at.end) < 0 ? text.length : text.indexOf('\n', at.end)),
        );
        if (DROPS_PRIVILEGES.test(line)) break;
        let root: 'absent' | 'written';
        let loc = at;
        let user: string | undefined;
        if (source.kind === 'systemd') {
          // a user unit (~/.config/systemd/user, /etc/systemd/user) runs as the user whose manager runs it
          if (/(^|[\\/])systemd[\\/]user[\\/]/.test(source.file)) break;
          if (source.systemdDynamicUser) break;
          if (source.systemdUser && nonRootUser(source.systemdUser.text)) break;
          root = source.systemdUser ? 'written' : 'absent';
          if (source.systemdUser) {
            loc = source.systemdUser.loc;
            user = source.systemdUser.text;
          }
        } else {
          const w = workloadOf(m, source);
          // a supervisord run in the foreground (nodaemon=true) runs as what starts it, not known here
          if (w?.process.supervisordForeground && startedBy(m, source).length === 0) break;
          const u = w?.process.user;
          if (u && (u.dynamic || nonRootUser(u.text))) break;
          if (u) {
            root = 'written';
            loc = u.loc;
            user = u.text;
          } else {
            // a supervisord the repository starts runs as what starts it: judged there (a unit, DDG302 for an image)
            if (startedBy(m, source).length > 0) continue;
            root = 'absent';
          }
        }
        const key = `${loc.file}:${loc.start}`;
        const f = found.get(key) ?? { loc, manager: source, what: [], root, ...(user ? { user } : {}) };
        if (!f.what.includes(st.what)) f.what.push(st.what);
        found.set(key, f);
        break;
      }
    }
    for (const f of found.values()) {
      const s = f.manager;
      const what = f.what.join(', ');
      const fileText = ctx.fileText(s.file) ?? '';
      const underRoot = (s.runDir !== undefined && /^\/root(\/|$)/.test(s.runDir)) || UNDER_ROOT.test(fileText);
      const move = underRoot ? ' The code is under /root, which another user cannot read: move it (to /srv or /opt) first.' : '';
      const why =
        s.kind === 'systemd'
          ? f.root === 'written'
            ? `${s.label} sets User=${f.user}`
            : `${s.label} sets no User= (nor DynamicUser=), so systemd runs it as root`
          : f.root === 'written'
            ? `${s.label} sets user=${f.user}`
            : `${s.label} sets no user=, so supervisord runs it as its own user — root, when the system starts supervisord (nothing in the repository starts it)`;
      const fix =
        s.kind === 'systemd'
          ? 'add User= (and Group=) naming an unprivileged user, or DynamicUser=yes'
          : 'add user= naming an unprivileged user';
      ctx.report({
        loc: f.loc,
        message: `${why}: ${what} runs as root, so a flaw in the app gives root on the server; ${fix}.${move}`,
        fixes: [],
      });
    }
  },
};
