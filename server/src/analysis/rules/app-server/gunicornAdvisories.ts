// DDG114: the gunicorn the dependency files pin has known request-smuggling vulnerabilities.
import { GUNICORN_ADVISORIES, GUNICORN_FOREIGN_PARSER_WORKERS } from '../../catalogue/endOfLife';
import { sideOf } from '../../models/project/version';
import { requirementLoc } from '../helpers';
import type { Rule } from '../types';
import { productionServers } from './topology';

export const gunicornAdvisories: Rule = {
  code: 'DDG114',
  name: 'gunicorn-known-vulnerabilities',
  title: 'Gunicorn release with known request-smuggling vulnerabilities',
  severity: 'warning',
  group: 'app-server',
  checklist: 'supported-versions',
  target: 'process',
  docs: {
    what: 'Reports the gunicorn the dependency files pin (a lock file, an `==` pin, or a constraint that allows only older releases) when production starts gunicorn and every release the pin allows is older than the fix of a published advisory: CVE-2024-1135 (fixed in 22.0.0) and CVE-2024-6827 (the advisory lists 23.0.0). The advisories are in catalogue/endOfLife.ts with their pages; an unpinned gunicorn installs the newest and is not reported. When every production gunicorn runs a worker that parses HTTP itself (uvicorn’s `UvicornWorker` and `UvicornH11Worker`, from uvicorn or the uvicorn-worker package: catalogue/endOfLife.ts), gunicorn’s parser never reads a request and nothing is reported.',
    why: "Both are HTTP request smuggling: gunicorn and the proxy in front of it disagree on where a request ends (conflicting or unvalidated Transfer-Encoding headers), so a request hidden in another's body reaches Django without the proxy's checks — past its access rules, into another user's response, or into a poisoned cache. A proxy that rejects such requests narrows it; the gunicorn fix closes it.",
    example: '# requirements.txt\ngunicorn==20.1.0',
    fix: 'Upgrade gunicorn to 23.0.0 or later (read the 22.0 notes: its stricter parser refuses malformed requests it used to accept).',
    good: '# requirements.txt\ngunicorn==23.0.0',
    references: [
      { title: 'GHSA-w3h3-4rj7-4ph4 (CVE-2024-1135)', url: 'https://github.com/advisories/GHSA-w3h3-4rj7-4ph4' },
      { title: 'GHSA-hc5x-x2vx-497g (CVE-2024-6827)', url: 'https://github.com/advisories/GHSA-hc5x-x2vx-497g' },
      { title: 'Gunicorn: changelog', url: 'https://docs.gunicorn.org/en/stable/news.html' },
    ],
  },
  check(ctx) {
    if (!productionServers(ctx).some((s) => s.server === 'gunicorn')) return ctx.notApplicable('no production process starts gunicorn');
    const g = ctx.project.versions.gunicorn;
    if (!g || (g.exact === undefined && !g.specifier)) return ctx.notApplicable('the dependency files do not pin gunicorn');
    const open = GUNICORN_ADVISORIES.filter((a) => sideOf(g, a.fixedIn) === 'below');
    if (open.length === 0) return;
    // every production gunicorn hands its sockets to a worker that parses HTTP itself (uvicorn's):
    // gunicorn's parser, where the smuggling bugs are, never reads a request
    const runs = ctx.appServer.runs.filter((r) => r.production);
    const foreign = runs.map((r) => {
      const v = r.settings.get('worker_class')?.value;
      return v?.kind === 'str' ? GUNICORN_FOREIGN_PARSER_WORKERS.find((w) => w.workerClass === v.v.trim()) : undefined;
    });
    if (runs.length > 0 && foreign.every((w) => w !== undefined))
      return ctx.notApplicable(
        `every production gunicorn runs ${[...new Set(foreign.map((w) => w!.workerClass))].join(', ')}, so ${foreign[0]!.parser} parses HTTP, not gunicorn (${open.map((a) => a.id).join(', ')} are in gunicorn's parser)`,
      );
    const fix = open.map((a) => a.fixedIn).sort((a, b) => a.localeCompare(b, undefined, { numeric: true }))[open.length - 1]!;
    ctx.report({
      loc: requirementLoc(ctx, g.file, 'gunicorn', g.exact),
      message: `gunicorn ${g.exact ?? g.specifier} (${g.source}) has ${open.map((a) => a.id).join(' and ')}: ${open[0]!.what}; upgrade to ${fix} or later.`,
    });
  },
};
