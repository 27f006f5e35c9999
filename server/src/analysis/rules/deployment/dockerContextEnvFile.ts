// DDG333: a production image copies the whole build context (`COPY . /app`) where the repository's
// .gitignore ignores an env file (`.env`, in developers' checkouts only) and no .dockerignore of the
// build leaves it out: the image built from a checkout carries that checkout's secrets.
import type { Rule } from '../types';
import { dockerfilesToCheck } from '../app-server/topology';

function list(files: readonly string[]): string {
  return files.length === 1 ? files[0]! : `${files.slice(0, -1).join(', ')} and ${files[files.length - 1]}`;
}

export const dockerContextEnvFile: Rule = {
  code: 'DDG333',
  name: 'docker-context-copies-env-file',
  title: "The production image copies the developer's git-ignored .env",
  severity: 'warning',
  group: 'settings-secrets',
  checklist: 'secrets',
  target: 'process',
  docs: {
    what: "Reports a COPY or ADD of a production Dockerfile's final stage (or a stage it is built from, or a stage whose files it takes with `COPY --from`) whose source is the whole build context (`.`, `./`) or a folder holding an env file, where the repository's .gitignore ignores that env file in the context and developers' checkouts are shown to hold it (the checkout has it, a committed template of it sits beside it, the settings load an env file, or a compose file's env_file names it; a .gitignore line alone, often written by a template, is not enough): `.env` (or an env file a .gitignore names: `.env.prod`, `/backend/.env`) beside the .gitignore that ignores it, or at the context's root when the checkout has it or its committed template is there (`backend/.env.example`); never a template such as `.env.example` itself and no .dockerignore of the build leaves it out. Docker reads `<context>/.dockerignore`, and with BuildKit `<Dockerfile>.dockerignore` beside the Dockerfile first; its patterns are read as Docker reads them (Go's filepath.Match, `**`, `!` exceptions, the last matching line deciding). The build context is the compose service's `build.context` where a compose file builds the image, else the Dockerfile's folder. A warning: it depends on the checkout the image is built from holding the file, which the .gitignore says developers' checkouts do; information where a CI job or a build script of the repository builds the image under a name (a clean checkout in CI holds no git-ignored file). When the settings read an env file at run time (`load_dotenv()`, `environ.Env.read_env()`), the message says the image also runs with the developer's values.",
    why: "`git clone` leaves the ignored `.env` out, but `docker build .` from a developer's checkout sends every file of the folder to the builder, and `COPY . /app` puts it in a layer: the SECRET_KEY, database and mail passwords of that checkout ship with every pull of the image and are pushed to its registry, where anyone who can pull it reads them (`docker history`, `docker save`). Deleting the file in a later `RUN` does not take it out of the earlier layer.",
    example:
      'FROM python:3.12-slim\nWORKDIR /app\nCOPY . /app\nRUN pip install -r requirements.txt\nCMD gunicorn mysite.wsgi\n# .gitignore: .env — and no .dockerignore',
    fix: 'Add the env file to a `.dockerignore` at the root of the build context (`.env`, `.env.*`, `!.env.example`), or copy only what the image needs (`COPY mysite/ /app/mysite/`, `COPY requirements.txt /app/`); give production its secrets at run time (the platform, `env_file:`, a secret store), never in the image.',
    good: '# .dockerignore\n.git\n.env\n.env.*\n!.env.example',
    references: [
      { title: 'Docker: Build context › .dockerignore files', url: 'https://docs.docker.com/build/concepts/context/#dockerignore-files' },
      { title: 'Docker: Build secrets', url: 'https://docs.docker.com/build/building/secrets/' },
    ],
  },
  check(ctx) {
    for (const d of dockerfilesToCheck(ctx)) {
      for (const c of ctx.appServer.envFilesCopied(d)) {
        const what = c.source === '.' || c.source === './' || c.source === '/' ? 'the whole build context' : c.source;
        const files = list(c.files);
        const it = c.files.length > 1 ? 'them' : 'it';
        const kept = c.dockerignore ? `${c.dockerignore} does not exclude ${it}` : `no .dockerignore excludes ${it}`;
        const via = c.viaStage ? ` (in stage ${c.viaStage}, which the final stage copies from)` : '';
        // (asked only where a copy is found: it reads the settings modules)
        const loads = ctx.appServer.settingsLoadEnvFile;
        const runs = loads ? ` The settings also load ${it} at run time (${loads}), so the image runs with that developer's values.` : '';
        // an image a CI job or build script builds under a name is built from a clean checkout where CI
        // runs it, which holds no git-ignored file: only a build from a developer's checkout carries it
        const ci = ctx.appServer.processes.builtByBuilds.has(d.file);
        ctx.report({
          loc: c.sourceLoc,
          message: `${c.keyword} of ${what}${via} takes the ${files} developers' checkouts hold (git-ignored) and ${kept}: ${ci ? "the build the repository scripts may run from a clean checkout, which holds none, but an image built from a developer's checkout carries its secrets in a layer" : 'an image built from a checkout carries its secrets in a layer pushed to the registry'}.${runs} Add ${list(c.entries)} to ${c.dockerignoreToEdit}.`,
          ...(ci ? { severity: 'information' as const } : {}),
        });
      }
    }
  },
};
