// DDG322: production runs a release past its end of life: the Django the dependency files pin, the
// Python of a production image's base, or the Linux distribution that base is built on.
import { analysisDay } from '../../base/clock';
import {
  ALPINE_EOL,
  baseImageReleases,
  DEBIAN_EOL,
  DJANGO_EOL,
  endedBy,
  type EndOfLifeTable,
  lastDay,
  PYTHON_EOL,
  spoken,
  UBUNTU_EOL,
} from '../../catalogue/endOfLife';
import { productionPythonDockerfiles, stageChain } from '../app-server/topology';
import { requirementLoc } from '../helpers';
import type { Rule } from '../types';

/** The supported lines of a table on `day`: the two newest ("5.2 or 6.0"), or the oldest "or newer" ("3.11 or newer"). */
function supported(table: EndOfLifeTable, day: string, orNewer = false): string {
  const open = table.releases.filter((r) => lastDay(r.until) >= day).map((r) => r.release);
  return orNewer ? `${open[0]} or newer` : open.slice(-2).join(' or ');
}

export const pastEndOfLife: Rule = {
  code: 'DDG322',
  name: 'release-past-end-of-life',
  title: 'Production runs a release past its end of life',
  severity: 'warning',
  group: 'deployment',
  checklist: 'supported-versions',
  target: 'process',
  docs: {
    what: "Reports a Django release line whose extended support has ended, as the dependency files pin it (a lock file, an `==` pin, or a constraint whose newest allowed release is past it; an assumed version is never reported), and the base image of a production Dockerfile that runs Python when its tag names a Python line past its end of life (`python:3.8`) or a distribution past its support (`-buster`, `alpine3.14`, `debian:10`, `ubuntu:20.04`). The dates are the publishers' (Django's download page, Python's devguide, Debian LTS, Alpine's and Ubuntu's release pages: catalogue/endOfLife.ts), compared with the day of the analysis.",
    why: 'A release past its end of life gets no more security fixes: every vulnerability found since (in Django, CPython, OpenSSL, glibc or musl) stays open in production, and scanners and compliance audits flag the image. Upgrading late also means crossing several releases at once, with their deprecations.',
    example: '# requirements.txt\nDjango==3.2.25\n\n# Dockerfile\nFROM python:3.8-slim-buster',
    fix: "Upgrade to a supported release: Django's current LTS or the latest release (read the release notes of each version crossed, and run the tests with warnings on), and a base image of a supported Python on a supported distribution (`python:3.12-slim-bookworm`). Pin the tag so the next end of life is visible.",
    good: '# requirements.txt\nDjango==5.2.8\n\n# Dockerfile\nFROM python:3.12-slim-bookworm',
    references: [
      { title: 'Django: supported versions', url: 'https://www.djangoproject.com/download/#supported-versions' },
      { title: 'Python: status of Python versions', url: 'https://devguide.python.org/versions/' },
      { title: 'Debian LTS', url: 'https://wiki.debian.org/LTS' },
      { title: 'Alpine Linux releases', url: 'https://alpinelinux.org/releases/' },
    ],
  },
  check(ctx) {
    const day = analysisDay();
    const v = ctx.project.djangoVersion;
    if (!v.assumed && v.file) {
      const ended = endedBy(DJANGO_EOL, v.version, day);
      if (ended)
        ctx.report({
          loc: requirementLoc(ctx, v.file, 'django', v.exact),
          message: `Django ${v.exact ?? v.version} (${v.source}) has had no security fixes since ${spoken(ended.until)}, when ${DJANGO_EOL.what} of ${v.version} ended: upgrade to a supported release (${supported(DJANGO_EOL, day)}).`,
        });
    }
    for (const d of productionPythonDockerfiles(ctx.appServer, ctx.project)) {
      const chain = stageChain(d);
      const root = chain[chain.length - 1];
      if (!root) continue;
      const r = baseImageReleases(root.base);
      const parts: string[] = [];
      const instead: string[] = [];
      const py = r.python ? endedBy(PYTHON_EOL, r.python, day) : undefined;
      if (py) {
        parts.push(`Python ${r.python} (${PYTHON_EOL.what} ended ${spoken(py.until)})`);
        instead.push(`Python ${supported(PYTHON_EOL, day, true)}`);
      }
      const distro: [EndOfLifeTable, string | undefined][] = [
        [DEBIAN_EOL, r.debian],
        [ALPINE_EOL, r.alpine],
        [UBUNTU_EOL, r.ubuntu],
      ];
      for (const [table, release] of distro) {
        const e = release ? endedBy(table, release, day) : undefined;
        if (!e) continue;
        parts.push(`${table.product} ${release} (${table.what} ended ${spoken(e.until)})`);
        instead.push(`${table.product} ${supported(table, day, true)}`);
      }
      if (parts.length === 0) continue;
      ctx.report({
        loc: root.baseLoc,
        message: `the production image is built on ${root.base}: ${parts.join(' on ')}, with no security fixes since; move to a supported base (${instead.join(' on ')}).`,
      });
    }
  },
};
