// Procfiles: each process type a process of its own, run by the platform from the Procfile's folder
// (Heroku, Dokku, honcho). A `Procfile.dev` or a `dev`/`test` process type is for development; so is
// a Procfile in a subfolder (docker/Procfile), which no platform reads, unless a production image
// runs it (`CMD honcho -f docker/Procfile start`).
import * as path from 'node:path';
import type { ScannedFile } from '../../../files/scan';
import { PROCFILE_AT_ROOT_ONLY, PROCFILE_RUNNERS } from '../../../catalogue/procfileLocation';
import { devReasonOfPath } from '../../../readers/devPaths';
import { parseProcfile, type ProcfileEntry } from '../../../readers/process/procfile';
import { tokenize } from '../../../readers/shell';
import { commandWords } from '../../../readers/container/dockerfile';
import { dockerfileAt, type Collected } from '../collect';
import { addCommands } from '../commandRecords';
import type { ProcessSource } from '../model';

export function readProcfileSource(r: Collected, f: ScannedFile, rel: string): void {
  const text = r.ws.fs.readText(f.path);
  if (text === undefined) return;
  r.containerized = true;
  // (labels and reasons name the file by its path: several Dockerfiles or Procfiles are usual)
  const name = rel.split(path.sep).join('/') || path.basename(f.path);
  const entries = parseProcfile(f.path, text);
  const fileDev = devReasonOfPath(rel) ?? notAtRoot(r, f.path) ?? localOrchestration(entries);
  for (const e of entries) {
    const typeDev = devReasonOfPath(e.type);
    const source: ProcessSource = {
      kind: 'procfile',
      file: f.path,
      label: `${name} (${e.type})`,
      production: !fileDev && !typeDev,
      devReason: fileDev ? `${name}: ${fileDev}` : typeDev ? `the process type ${e.type} is for development` : undefined,
      containerized: true,
      workingDir: path.dirname(f.path),
      runDir: path.dirname(f.path),
      env: new Map(),
    };
    addCommands(r, tokenize(e.command), source);
  }
}

/**
 * Why a Procfile in a subfolder of the app is not a platform's: the platforms read only the one at
 * the app's root (the project's folder, or one above it: the repository's); it is production's only when
 * a production image's CMD or ENTRYPOINT runs it with a Procfile runner (honcho, foreman…).
 */
function notAtRoot(r: Collected, file: string): string | undefined {
  const dir = path.dirname(file);
  const project = r.project;
  // the project's folder and each folder above it (the repository's, a monorepo's app folder) are app roots
  const up = path.relative(dir, project.root);
  if (up === '' || (!up.startsWith('..') && !path.isAbsolute(up))) return undefined;
  const rel = path
    .relative(project.repositoryRoot ?? project.root, file)
    .split(path.sep)
    .join('/');
  for (const df of r.dockerfileFiles) {
    if (devReasonOfPath(path.relative(project.root, df))) continue;
    for (const st of dockerfileAt(r, df)?.stages ?? []) {
      if (st.name && devReasonOfPath(st.name)) continue;
      for (const c of [st.entrypoint, st.cmd]) {
        const words = commandWords(c);
        if (
          words.some((w) => PROCFILE_RUNNERS.includes(path.basename(w))) &&
          words.some((w) => w === rel || w.endsWith(`/${rel}`) || rel.endsWith(`/${w}`))
        )
          return undefined;
      }
    }
  }
  const platforms = PROCFILE_AT_ROOT_ONLY.map((p) => p.platform).join(' and ');
  return `it is not at the app's root, the only place ${platforms} read a Procfile, and no production image runs it`;
}

/**
 * Why a Procfile is a local process manager's (honcho, foreman, overmind): one of its processes runs
 * Docker Compose (`db: docker-compose --profile db up db`), which no platform that runs Procfiles
 * has, or a database server (`postgres -D databases/postgres`): it starts the developer's database
 * beside the development server.
 */
function localOrchestration(entries: readonly ProcfileEntry[]): string | undefined {
  for (const e of entries) {
    const commands = tokenize(e.command);
    const words = commands.flatMap((c) => c.words.map((w) => w.text));
    if (words.some((w, i) => w === 'docker-compose' || (w === 'docker' && words[i + 1] === 'compose')))
      return `its process ${e.type} runs Docker Compose, which no platform that runs a Procfile has: a local process manager's file`;
    // …or a database server on a data folder of its own (`postgres -D databases/postgres`): the
    // platforms that run Procfiles provide the database as a service, never as a process of the app
    for (const c of commands) {
      const program = c.words.map((w) => w.text).find((w) => w !== 'exec' && !/^[A-Za-z_]\w*=/.test(w));
      if (program && DATABASE_SERVERS.has(program.slice(program.lastIndexOf('/') + 1)))
        return `its process ${e.type} runs a database server (${program}), which the platforms that run a Procfile provide as a service: a local process manager's file`;
    }
  }
  // …or Django's development server beside a front-end watcher (`tailwind: npm start`, `vite`,
  // `webpack --watch`): the developer's pair of processes, rebuilding assets as they are edited
  const runserver = entries.some((e) => tokenize(e.command).some((c) => c.words.some((w) => w.text === 'runserver')));
  const watcher = runserver ? entries.find((e) => tokenize(e.command).some((c) => frontEndWatcher(c.words.map((w) => w.text)))) : undefined;
  if (watcher)
    return `it runs Django's development server beside a front-end watcher (its process ${watcher.type}): a local process manager's file`;
  return undefined;
}

/** A command that rebuilds front-end assets as they change: `npm start`, `npm run dev|watch`, `vite`, `… --watch`. */
function frontEndWatcher(words: readonly string[]): boolean {
  const [program, sub, script] = words.map((w) => w.slice(w.lastIndexOf('/') + 1));
  if (program === 'npm' || program === 'yarn' || program === 'pnpm')
    return (
      sub === 'start' ||
      sub === 'dev' ||
      sub === 'watch' ||
      (sub === 'run' && (script === 'start' || script === 'dev' || script === 'watch'))
    );
  if (program === 'vite') return sub === undefined || sub === 'dev';
  return (program === 'webpack' || program === 'tailwindcss' || program === 'npx') && words.includes('--watch');
}

/** Database servers a developer's Procfile starts beside the app (honcho, foreman, overmind). */
const DATABASE_SERVERS = new Set(['postgres', 'pg_ctl', 'mysqld', 'mariadbd', 'mongod']);
