// DDG102: a gunicorn setting given a value of the wrong type or form (gunicorn's validators refuse
// it at start-up), or a server hook with the wrong number of parameters.
import { gunicornRelease } from '../../models/appServer/model';
import { settingByName } from '../../catalogue/gunicornNames';
import { checkConfigValue, checkFlagProblem, commaItems, type TypeProblem, workerClassProblem } from '../../models/appServer/validate';
import { compareVersions } from '../../models/project/version';
import type { ParsedOption } from '../../readers/process/commands';
import type { Loc } from '../../eval/values';
import type { Rule } from '../types';
import { noGunicorn } from './shared';

export function hookParams(def: string): string {
  // from the first `(` (each `(` of `((((…` read to the end again)
  return /^[^(]*\(([^)]*)\)/.exec(def)?.[1] ?? '';
}

export const invalidValue: Rule = {
  code: 'DDG102',
  name: 'invalid-gunicorn-value',
  title: 'Gunicorn setting has a value gunicorn refuses',
  severity: 'error',
  group: 'app-server',
  checklist: 'gunicorn-settings',
  target: 'gunicorn',
  docs: {
    what: 'Checks each gunicorn setting\'s value against the validator gunicorn runs on it: integers for `workers`/`timeout`/`threads` (a string such as "4" is read with `int(s, 0)`, floats and negative numbers are refused), `True`/`False` (or the strings "true"/"false") for switches such as `reload` and `preload_app`, strings for paths and addresses (a `pathlib.Path` is refused), one comma-separated string for `forwarded_allow_ips`, `proxy_allow_ips` and `forwarder_headers` (a Python list is refused), the fixed choices of settings like `proxy_protocol`, a known worker class, CIDR networks in `forwarded_allow_ips`/`proxy_allow_ips` on a pinned gunicorn older than 24.1 (23.0–24.0 refuse them; older releases accept them but never match them, a warning), and an entry there that is no address (`\'*\'` with its quotes, from an exec-form CMD): refused from 23.0, a warning on an older pinned release, which compares the entries with the client\'s address as text and so never trusts the proxy, and server hooks that take exactly the parameters gunicorn passes (`def post_fork(server, worker)`). Command-line values and GUNICORN_CMD_ARGS are checked the same way.',
    why: 'Gunicorn validates every setting when it loads the configuration and exits with "Invalid value for …" (or a TypeError about the hook) when one does not fit: the deploy fails at start-up, often only on the server, since development uses another command. A list for `forwarded_allow_ips` is a common case: it reads naturally in Python, and gunicorn refuses it with "Not a string".',
    example:
      '# gunicorn.conf.py\nworkers = 2.5\nreload = 1\nforwarded_allow_ips = ["10.0.0.1", "10.0.0.2"]\naccesslog = BASE_DIR / "logs" / "access.log"\n\ndef post_fork(worker):\n    ...',
    fix: 'Write the value in the form the setting takes: an integer, `True`/`False`, a string (wrap paths in `str()`), or one comma-separated string for the IP lists. Hooks take the parameters listed in the gunicorn docs, in that order.',
    good: 'workers = 3\nreload = False\nforwarded_allow_ips = "10.0.0.1,10.0.0.2"\naccesslog = str(BASE_DIR / "logs" / "access.log")\n\ndef post_fork(server, worker):\n    ...',
    references: [
      { title: 'Gunicorn: settings', url: 'https://docs.gunicorn.org/en/stable/settings.html' },
      { title: 'Gunicorn: server hooks', url: 'https://docs.gunicorn.org/en/stable/settings.html#server-hooks' },
    ],
  },
  check(ctx) {
    if (noGunicorn(ctx)) return;
    const m = ctx.appServer;
    const g = gunicornRelease(m);
    const reported = new Set<string>();
    const report = (loc: Loc, message: string, problem?: TypeProblem): void => {
      const key = `${loc.file}:${loc.start}:${loc.end}`;
      if (reported.has(key)) return;
      reported.add(key);
      // a value an older pinned release still takes (an IP list entry that is no address: refused from
      // 23.0; before, compared with the client's address as text, never matching)
      const since = problem?.refusedSince;
      if (since && !g.assumed && compareVersions(g.version, since) < 0) {
        ctx.report({
          loc,
          severity: 'warning',
          message: `${message.replace(/: gunicorn refuses to start\.$/, '').replace(/\.$/, '')}, but gunicorn ${g.version} does not check its entries (it does from ${since}): it compares each with the client's address as text, so that entry matches no proxy and its X-Forwarded-* headers are ignored; list the proxy's addresses (or "*").`,
        });
        return;
      }
      ctx.report({ loc, message });
    };
    for (const cfg of m.configs) {
      for (const s of cfg.settings.values()) {
        if (s.def.type === 'hook') {
          if (s.value.kind === 'object' && s.arity && !s.arity.decorated) {
            const want = s.def.hookArity ?? 0;
            const ok = s.name === 'post_request' ? s.arity.count >= 2 && s.arity.count <= 4 : s.arity.count === want;
            if (!ok) {
              report(
                s.arity.loc,
                `${s.name} must take ${s.name === 'post_request' ? '2 to 4' : want} positional parameter${want === 1 ? '' : 's'} (${hookParams(s.def.default)}), not ${s.arity.count}: gunicorn refuses to start ("Value must have an arity of ${want}").`,
              );
            }
            continue;
          }
        }
        const p = checkConfigValue(s.def, s.value);
        if (p) report(p.loc ?? s.loc, `${p.message.replace(/\.$/, '')}.`, p);
      }
    }
    const checkOption = (o: ParsedOption, where: string): void => {
      if (!o.key) return;
      const def = settingByName(o.key);
      if (!def) return;
      if (!o.isSwitch && !o.value) {
        if (def.flagValue !== 'optional') report(o.flag.loc, `${o.flag.text}${where} needs a value: gunicorn refuses to start.`);
        return;
      }
      if (o.isSwitch && o.value) {
        report(
          o.value.loc,
          `${o.flag.text}${where} is a switch and takes no value: gunicorn refuses "${o.flag.text}=${o.value.text}"; write ${o.flag.text} alone (or leave it out).`,
        );
        return;
      }
      const v = o.value;
      if (!v || v.dynamic) return;
      const worker = def.name === 'worker_class' ? workerClassProblem(v.text) : undefined;
      const problem = worker !== undefined ? { message: worker } : checkFlagProblem(def, v.text);
      if (problem) report(v.loc, `${problem.message}${where}: gunicorn refuses to start.`, problem);
    };
    // CIDR networks in the trusted-proxy lists: understood from gunicorn 24.1; 23.0–24.0 validate
    // every entry as one address and refuse a network; older releases compare the entries with the
    // peer address as text, so a network never matches and the proxy's headers are ignored
    if (!g.assumed && compareVersions(g.version, '24.1.0') < 0) {
      for (const name of ['forwarded_allow_ips', 'proxy_allow_ips']) {
        for (const o of m.occurrences(name)) {
          if (o.value.kind !== 'str') continue;
          const net = commaItems(o.value.v).find((e) => e.entry.includes('/'));
          if (!net) continue;
          const label = o.source === 'config' ? name : o.source === 'environment' ? (o.envName ?? name) : (o.option?.flag.text ?? name);
          if (compareVersions(g.version, '23.0.0') >= 0)
            report(
              o.loc,
              `${label} lists the network "${net.entry}", but gunicorn ${g.version} accepts only single addresses there (networks arrive in 24.1): it refuses to start; list the proxy's addresses or upgrade gunicorn.`,
            );
          else
            ctx.report({
              loc: o.loc,
              severity: 'warning',
              message: `${label} lists the network "${net.entry}", but gunicorn ${g.version} compares each entry with the client's address as text, so a network never matches and the proxy's X-Forwarded-* headers are ignored (networks are understood from 24.1); list the proxy's addresses or upgrade gunicorn.`,
            });
        }
      }
    }
    for (const r of m.runs) {
      for (const o of r.invocation?.options ?? []) checkOption(o, '');
      for (const o of r.cmdArgs?.options ?? []) checkOption(o, ' (in GUNICORN_CMD_ARGS)');
      for (const o of r.settings.values()) {
        if (o.source !== 'environment' || o.name === 'bind') continue;
        const v = o.value;
        if (v.kind !== 'str' && v.kind !== 'int') continue;
        const text = v.kind === 'int' ? String(v.v) : v.v;
        const problem = checkFlagProblem(o.def, text);
        if (problem) report(o.loc, `${o.envName} is read by gunicorn as ${o.def.name}: ${problem.message}.`, problem);
      }
    }
  },
};
