// DDG332: a production container's start (a compose `command:`/`entrypoint:`, an image's CMD or
// ENTRYPOINT, a Kubernetes container's command and args, or a script one of these runs) installs
// packages: `apt-get install`, `apk add`, `pip install`, `npm ci`, `yarn install`
// (catalogue/packageInstallers.ts). Every start — a restart, a new replica — then downloads from the
// registry before the server starts. Procfiles, platform files and units are not containers: a
// buildpack platform builds at release, a host keeps what it installed.
import * as path from 'node:path';
import { argsDecideBranch, readBranch, testsArguments } from '../../models/process/branch';
import type { ProcessSource } from '../../models/process/model';
import { startChain } from '../app-server/topology';
import { fileOf } from '../helpers';
import type { Rule } from '../types';

/** The sources that start a container from an image: what they run at start is run at every start. */
const CONTAINER_KINDS = new Set<ProcessSource['kind']>(['dockerfile', 'compose', 'kubernetes']);

export const packageInstallAtStart: Rule = {
  code: 'DDG332',
  name: 'package-install-at-start',
  title: 'Packages installed every time a container starts',
  severity: 'warning',
  group: 'app-server',
  checklist: 'containers',
  target: 'process',
  docs: {
    what: "Reports a package installation — `apt-get install`, `apk add`, `yum`/`dnf install`, `pip install`, `uv sync`, `npm install`/`npm ci`, `yarn install` (or `yarn` alone), `pnpm install` — in the start of a production container: a compose service's `command:` or `entrypoint:`, an image's CMD or ENTRYPOINT, a Kubernetes container's command and args, or a script any of these runs (`docker-entrypoint.sh`). An installation with an option that keeps it offline (`pip install --no-index`, `npm ci --offline`) is not reported, nor one in a development file, stage or service, nor the processes of a Procfile, a platform file or a systemd unit (a buildpack platform installs at build, a host keeps what it installed). A guard around the command is followed when it decides with the deployment's variables unset; one the analysis cannot decide is named, at information level.",
    why: "An image is built once and started many times: at every deploy, every restart after a crash or a node drain, every replica a scale-out adds. What the start installs is downloaded again each time, from the distribution's archive, PyPI or the npm registry: the container takes minutes to come up instead of seconds (a health check may kill it first), it fails to start while the registry is slow, rate-limited or down — exactly when an outage makes the platform restart it —, and each start may get other versions than the ones tested, since nothing pins what the registry serves that day. Installed in the image, the packages are fixed in a layer that every container starts from.",
    example:
      '# docker-compose.prod.yml\nservices:\n  web:\n    build: .\n    command: sh -c "pip install -r requirements.txt && npm ci && npm run build && gunicorn mysite.wsgi -b 0.0.0.0:8000"',
    fix: 'Move the installation and any asset build into the Dockerfile (`RUN pip install --no-cache-dir -r requirements.txt`, `RUN npm ci && npm run build`, `RUN apt-get update && apt-get install -y --no-install-recommends libpq5`), so that the start only starts the server. No quick fix is offered: the Dockerfile and the start command change together.',
    good: '# Dockerfile\nRUN pip install --no-cache-dir -r requirements.txt\nRUN npm ci && npm run build\nCMD ["gunicorn", "mysite.wsgi", "-b", "0.0.0.0:8000"]',
    references: [
      { title: 'Docker: building best practices (apt-get, RUN)', url: 'https://docs.docker.com/build/building/best-practices/#apt-get' },
      { title: 'pip install', url: 'https://pip.pypa.io/en/stable/cli/pip_install/' },
      { title: 'npm ci', url: 'https://docs.npmjs.com/cli/v10/commands/npm-ci' },
    ],
  },
  check(ctx) {
    const m = ctx.appServer;
    const installs = m.processes.installs.filter((x) => x.source.production);
    if (installs.length === 0) return ctx.notApplicable('no production process installs packages when it starts');
    const reported = new Set<string>();
    for (const { install, source } of installs) {
      const word = install.command ?? install.program;
      const at = `${word.loc.file}:${word.loc.start}`;
      if (reported.has(at)) continue;
      // the container that runs it: the source itself, or what runs the script it is in
      const owners = [{ source, steps: [] as ReturnType<typeof startChain>[number]['steps'] }, ...startChain(m, source)];
      const runner = owners.find((o) => o.source.kind !== 'shell' && o.source.production);
      if (!runner || !CONTAINER_KINDS.has(runner.source.kind)) continue;
      // (a branch of the script that tests its own arguments, `if [ "$1" == "--dev" ]`, with the
      // arguments the process that runs it passes: `CMD ["/app/init.sh"]` never takes it)
      // (and one it passes, `CMD ["/app/init.sh", "--dev"]`, takes it: those tests are decided)
      const caller = runner.steps[runner.steps.length - 1];
      const chosen = caller && install.branch ? argsDecideBranch(install.branch, caller.ref.args) : undefined;
      if (chosen === false) continue;
      const own = chosen === true ? install.branch?.filter((t) => !testsArguments(t)) : install.branch;
      const branches = [own, ...runner.steps.map((s) => s.ref.branch)].filter((b) => b && b.length > 0);
      const readings = branches.map((b) => readBranch(b!));
      if (readings.some((r) => r.takenWhenUnset === false)) continue;
      const undecided = readings.filter((r) => r.takenWhenUnset === undefined).map((r) => r.description);
      reported.add(at);
      const command = `${path.basename(install.program.text)}${install.command ? ` ${install.command.text}` : ''}`;
      const via =
        runner.steps.length > 0
          ? ` through ${runner.steps.map((s) => path.basename(s.ref.script.text)).join(' → ')}`
          : source.kind === 'shell'
            ? ` (${fileOf(ctx, source.file)})`
            : '';
      // (each reading says the outcome its branch needs: the install runs where every one holds)
      const when = undecided.length > 0 ? `, if ${undecided.join(' and ')}` : '';
      ctx.report({
        loc: word.loc,
        message: `${command} runs each time ${runner.source.label} starts${via}${when}: every restart and new replica downloads from ${install.from} before the server starts, taking minutes and failing whenever that is unreachable; install it in the image (a RUN of its Dockerfile).`,
        ...(undecided.length > 0 ? { severity: 'information' as const } : {}),
      });
    }
  },
};
