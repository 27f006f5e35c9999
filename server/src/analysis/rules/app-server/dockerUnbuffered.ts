// DDG301: a production Dockerfile that runs Python without PYTHONUNBUFFERED: what the app prints
// sits in a buffer and is lost when the container stops or crashes.
import type { AppServerModel } from '../../models/appServer/model';
import type { Rule } from '../types';
import { chainInstructions, opaqueBase, dockerfilesToCheck, imageRunsOtherSoftware, servicesBuilding, stageChain } from './topology';

const FLAG_U = /-\w*u\b/y;
const LINE_BREAK = /[\n\r\u2028\u2029]/g;

/**
 * Whether a CMD or ENTRYPOINT starts Python unbuffered: `python -u`, `python3.12 -Bu app.py`, a
 * `"-u"` later on the line after `python `, or the exec form `"python3", "-u"`. What
 * /\bpython[\d.]*\s+(-\w*u\b|.*"-u")|"python[\d.]*",\s*"-u"/ matched, each part read once: the
 * pattern read the rest of the line again from each python.
 */
export function startsUnbuffered(cmd: string): boolean {
  if (/"python[\d.]*",\s*"-u"/.test(cmd)) return true;
  // the next "-u" and line break from where the spaces after a python end (-1: no "-u" any more)
  let u = -2;
  let lineEnd = -1;
  for (const m of cmd.matchAll(/\bpython[\d.]*\s+/g)) {
    const e = m.index + m[0].length;
    FLAG_U.lastIndex = e;
    if (FLAG_U.test(cmd)) return true;
    if (u === -1) continue;
    if (u < e) u = cmd.indexOf('"-u"', e);
    if (u === -1) continue;
    if (lineEnd < e) {
      LINE_BREAK.lastIndex = e;
      lineEnd = LINE_BREAK.exec(cmd)?.index ?? cmd.length;
    }
    if (u < lineEnd) return true;
  }
  return false;
}

/**
 * Whether the start scripts an image's ENTRYPOINT or CMD runs give PYTHONUNBUFFERED (non-empty) to
 * every Python process they start (`export PYTHONUNBUFFERED=1` at the top of entrypoint.sh), and
 * start at least one.
 */
function scriptsExportIt(m: AppServerModel, dockerfile: string): boolean {
  const files = new Set(m.processes.scripts.filter((s) => s.source.file === dockerfile && s.file).map((s) => s.file!));
  if (files.size === 0) return false;
  const started = [...m.processes.invocations, ...m.processes.tasks].filter((x) => files.has(x.source.file));
  return started.length > 0 && started.every((x) => (x.source.env.get('PYTHONUNBUFFERED')?.value ?? '') !== '');
}

export const dockerUnbuffered: Rule = {
  code: 'DDG301',
  name: 'docker-python-buffered',
  title: 'Production image buffers Python output',
  severity: 'information',
  group: 'app-server',
  checklist: 'containers',
  target: 'process',
  docs: {
    what: 'Reports a production Dockerfile that runs Python (a Python base image, pip/poetry/uv in the build, or a command that starts the app, a management command or celery) whose final image, built from a public base image (python, debian, ubuntu, alpine…: an image the project builds itself is not judged), sets no `PYTHONUNBUFFERED` (ENV in the last stage or a stage it is built from, or the `environment:` of every compose service that builds it) and starts no `python -u`, and whose start scripts do not export it before every Python process they start. An image whose exec-form ENTRYPOINT/CMD starts other software and nothing of the app (`CMD ["caddy", "run", …]` on a Python base) is left alone; one that runs a script the model cannot classify is not. Dockerfiles named or staged for development, and those only development compose services build, are left alone.',
    why: 'Without a terminal, Python buffers what it writes to stdout in blocks of several kilobytes. In a container that means print() output and logging to stdout show up in `docker logs` late, out of order with stderr, and what is still in the buffer when the process is killed or crashes is lost: exactly the lines that explain the crash.',
    example:
      'FROM python:3.12-slim\nWORKDIR /app\nCOPY . .\nRUN pip install --no-cache-dir -r requirements.txt\nCMD ["gunicorn", "mysite.wsgi", "--bind", "0.0.0.0:8000"]',
    fix: 'Add `ENV PYTHONUNBUFFERED=1` to the final stage (any non-empty value turns buffering off).',
    good: 'FROM python:3.12-slim\nENV PYTHONUNBUFFERED=1\nWORKDIR /app\nCOPY . .\nRUN pip install --no-cache-dir -r requirements.txt\nCMD ["gunicorn", "mysite.wsgi", "--bind", "0.0.0.0:8000"]',
    references: [
      { title: 'Python: PYTHONUNBUFFERED', url: 'https://docs.python.org/3/using/cmdline.html#envvar-PYTHONUNBUFFERED' },
      { title: 'Docker: Dockerfile reference (ENV)', url: 'https://docs.docker.com/reference/dockerfile/#env' },
    ],
  },
  check(ctx) {
    const m = ctx.appServer;
    const files = dockerfilesToCheck(ctx);
    for (const d of files) {
      const chain = stageChain(d);
      const last = chain[0]!;
      const env = last.env.get('PYTHONUNBUFFERED');
      if (env && env.value !== '') continue;
      if (env?.token.dynamic) continue;
      const builders = servicesBuilding(m, d.file);
      if (builders.length > 0 && builders.every((b) => (b.service.environment.get('PYTHONUNBUFFERED')?.value ?? '') !== '')) continue;
      const commands = [...chainInstructions(chain, 'CMD'), ...chainInstructions(chain, 'ENTRYPOINT')];
      if (commands.some((c) => startsUnbuffered(c.args.text))) continue;
      // the start script the image runs exports it before every Python process it starts
      if (scriptsExportIt(m, d.file)) continue;
      // the image runs other software (`CMD ["caddy", "run", …]` on a Python base): no Python output to buffer
      if (imageRunsOtherSoftware(m, d.file)) continue;
      const opaque = opaqueBase(chain);
      if (opaque) {
        ctx.unknown(`the image is built FROM ${opaque}, whose environment is not in the repository`, last.baseLoc);
        continue;
      }
      ctx.report({
        loc: last.baseLoc,
        message: `this image runs Python without PYTHONUNBUFFERED: output to stdout is buffered, shows up late in the container's logs and is lost when the process crashes; add ENV PYTHONUNBUFFERED=1.`,
      });
    }
  },
};
