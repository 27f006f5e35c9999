// What a platform's runtime does to the containers it runs, beyond what the image says: the user it
// runs them as; and what its build runs of the app's own files (the Python buildpack's hooks). Each
// with the vendor's page and words. Rules read these (DDG302: an image the platform never runs as
// root does not run the app as root there; DDG317: migrate in a build hook).
import type { Fact, Source } from './facts';

export interface NonRootPlatform {
  /** The platform file's format, as its reader names it (`heroku.yml`). */
  readonly format: string;
  readonly platform: string;
  readonly source: Source;
}

export const NON_ROOT_PLATFORMS: readonly NonRootPlatform[] = [
  {
    format: 'heroku.yml',
    platform: "Heroku's container stack",
    source: {
      url: 'https://devcenter.heroku.com/articles/container-registry-and-runtime#testing-an-image-locally',
      quote:
        'We highly recommend testing your images locally as a non-root user, as containers are not run with root privileges on Heroku.',
    },
  },
];

/** The platform that never runs a process of this platform file's format as root, when one does not. */
export function nonRootPlatform(format: string | undefined): NonRootPlatform | undefined {
  return NON_ROOT_PLATFORMS.find((p) => p.format === format);
}

/**
 * The build hooks the classic Python buildpack runs while it builds an app from a Procfile (Heroku;
 * Dokku and Scalingo build with the same buildpack): the app's own scripts, by these paths from the
 * app's root, after the dependencies are installed and before the slug is released.
 */
export const PYTHON_BUILDPACK_HOOKS: Fact<readonly string[]> = {
  value: ['bin/pre_compile', 'bin/post_compile'],
  knob: 'PRE_COMPILE_HOOK, POST_COMPILE_HOOK',
  source: {
    url: 'https://github.com/heroku/heroku-buildpack-python/blob/04128c163860aab23074a88508ffc741e9bf950b/bin/steps/hooks/post_compile',
    quote:
      ': ${POST_COMPILE_HOOK:=bin/post_compile} … if [ -f $POST_COMPILE_HOOK ]; then echo "-----> Running post-compile hook" … sub-env $POST_COMPILE_HOOK',
  },
};

/**
 * The requirements file the classic Python buildpack installs while it builds an app from a
 * Procfile (Heroku; Dokku and Scalingo build with the same buildpack): `requirements.txt` at the
 * app's root, with `pip install -r`. A requirements file elsewhere, or of another name, is not
 * installed by the build (unless that one includes it with `-r`).
 */
export const PYTHON_BUILDPACK_REQUIREMENTS: Fact<string> = {
  value: 'requirements.txt',
  source: {
    // (the README's words while the buildpack installed with pip only; later ones add Pipfile, Poetry and uv)
    url: 'https://github.com/heroku/heroku-buildpack-python#readme',
    quote:
      "-----> Installing python-2.7.12 $ pip install -r requirements.txt … A `requirements.txt` file must be present at the root of your application's repository.",
  },
};

/**
 * How Dokku picks the builder of an app: the herokuish builder (the Heroku buildpacks, run from the
 * Procfile) is detected when a `.buildpacks` file is at the root of the app's repository or the
 * BUILDPACK_URL variable is set (`dokku config:set`, or a committed `.env` at the root), and the
 * Dockerfile builder only when neither herokuish nor pack is detected and a Dockerfile is at the
 * root: a `.buildpacks` file alone keeps a root Dockerfile from being built. (The pack builder,
 * detected by DOKKU_CNB_EXPERIMENTAL or a project.toml, is not read here; `dokku builder:set` on the
 * host overrides all of it and is not in the repository.)
 */
export const DOKKU_HEROKUISH_DETECTION: Fact<{ readonly file: string; readonly variable: string; readonly envFile: string }> = {
  value: { file: '.buildpacks', variable: 'BUILDPACK_URL', envFile: '.env' },
  source: {
    url: 'https://dokku.com/docs/deployment/builders/herokuish-buildpacks/',
    quote:
      'This builder will be auto-detected in either the following cases: The BUILDPACK_URL app environment variable is set. A .buildpacks file exists in the root of the app repository. … (dockerfiles page) Dokku will only select the dockerfile builder if both the herokuish and pack builders are not detected and a Dockerfile exists.',
    versions:
      'Dokku 0.24.0 and later (builder plugins; builder-management: "The exception to this is when a Dockerfile is detected and the app is also able to use either herokuish or pack-cli for building, in which case one of the latter will be chosen"); the same rule since 0.5 (buildpacks page: "Create a .buildpacks file in the root of your repository" to avoid the Dockerfile detection)',
  },
};

/**
 * A fly.toml process group's command (`[processes] app = "gunicorn …"`) is what its machines run in
 * place of the image's CMD: the image's ENTRYPOINT stays and runs it, the CMD does not run. flyctl
 * splits the command into words itself (shell-style, no shell) and gives them to the machine as its
 * init command.
 */
export const FLY_PROCESS_COMMAND: Fact<'replaces-cmd'> = {
  value: 'replaces-cmd',
  knob: '[processes] <group> = "<command>"',
  source: {
    url: 'https://fly.io/docs/reference/configuration/#the-processes-section',
    quote:
      'fly.io, "Run multiple process groups in an app" (https://fly.io/docs/apps/processes/): Process group commands in a Fly App correspond to CMD in Docker; they don\'t replace the ENTRYPOINT of your app image, but will supersede CMD. (flyctl internal/appconfig/processgroups.go InitCmd: cmd, err := shlex.Split(cmdStr) (github.com/google/shlex), the words given as the machine\'s init cmd)',
    versions: 'flyctl with Machines (Apps V2)',
  },
};

/**
 * A fly.toml process group whose command is empty (`app = ""`) runs the image's own command, as a
 * group does when fly.toml has no [processes] at all: flyctl gives its machines no init command,
 * and a process group's command is what would have superseded the image's CMD.
 */
export const FLY_EMPTY_PROCESS_COMMAND: Fact<'image-command'> = {
  value: 'image-command',
  knob: '[processes] <group> = "<command>"',
  source: {
    url: 'https://github.com/superfly/flyctl/blob/c2a4e88ac8c8e51d7f2f5521bdcf7cee86c2d671/internal/appconfig/processgroups.go',
    quote:
      'func (c *Config) InitCmd(groupName string) … cmdStr, ok := c.Processes[groupName]; if !ok { return nil, nil }; if cmdStr == "" { return nil, nil } (fly.io, "Run multiple process groups in an app", https://fly.io/docs/apps/processes/: on boot they run whatever entrypoint process the app\'s Docker image has … Process group commands in a Fly App correspond to CMD in Docker; they don\'t replace the ENTRYPOINT of your app image, but will supersede CMD.)',
    versions: 'flyctl with Machines (Apps V2)',
  },
};

/**
 * fly.toml without a [build] section (no `image`, `dockerfile`, `builder` or `buildpacks`): `fly
 * deploy` builds the Dockerfile of its working directory, the folder of fly.toml. In a folder without
 * one, it builds nothing of the repository: the app's image is chosen elsewhere (a Fly Postgres
 * app's, by flyctl when `fly postgres create` made it).
 */
export const FLY_DEFAULT_BUILD: Fact<'working-dir-dockerfile'> = {
  value: 'working-dir-dockerfile',
  knob: '[build] image / dockerfile / builder',
  source: {
    url: 'https://fly.io/docs/reference/configuration/#the-build-section',
    quote:
      'fly.io, "Builders and Fly" (https://fly.io/docs/reference/builders/): The dockerfile builder is the default builder, invoked when there is a Dockerfile and there are no build settings in the fly.toml file. It looks for a Dockerfile in the current directory. ("Monorepo and multi-environment deployments", https://fly.io/docs/launch/monorepo/: By default, fly deploy will look for a Dockerfile in the working directory.)',
    versions: 'flyctl with Machines (Apps V2)',
  },
};

/**
 * The fly.toml deploy strategies that start a machine of the new release beside a running one:
 * `canary` (one new machine, then a rolling restart) and `bluegreen` (a new machine beside each).
 * `rolling` (the default) and `immediate` replace each machine in place.
 */
export const FLY_STRATEGIES_STARTING_BESIDE: Fact<readonly string[]> = {
  value: ['canary', 'bluegreen'],
  knob: '[deploy] strategy',
  source: {
    url: 'https://fly.io/docs/reference/configuration/#picking-a-deployment-strategy',
    quote:
      'rolling: The default strategy for apps with or without volumes. One by one, each running Machine is taken down and replaced by a new release Machine. … canary: Boots a single, new Machine with the new release, verifies its health, and then proceeds with a rolling restart strategy. … bluegreen: For every running Machine, a new one is booted alongside it in the same region. Once all of the new Machines pass health checks, traffic gets migrated to the new Machines and the old Machines are destroyed.',
    versions: 'flyctl with Machines (Apps V2)',
  },
};

/**
 * The services of a Fly Postgres app (made by `fly postgres create`, its image chosen by flyctl):
 * TCP services whose ports hand connections to the `pg_tls` handler, on the Postgres ports (5432 to
 * the cluster's proxy, 5433 to Postgres itself). A fly.toml whose services are only these is a
 * database's, not a web app's.
 */
export const FLY_POSTGRES_SERVICES: Fact<{ readonly handlers: readonly string[]; readonly ports: readonly number[] }> = {
  value: { handlers: ['pg_tls'], ports: [5432, 5433] },
  knob: '[[services]] internal_port / [[services.ports]] handlers',
  source: {
    url: 'https://fly.io/docs/postgres/',
    quote:
      'fly.io, "Fly Postgres" (https://fly.io/docs/postgres/): Fly Postgres is a regular Fly App, with an automated creation process (fly postgres create). fly.toml reference, [[services.ports]] handlers (https://fly.io/docs/reference/configuration/#services-ports-handlers): pg_tls, TLS for PostgreSQL connections. (flyctl postgres create output: Proxy port: 5432, Postgres port: 5433.)',
    versions: 'flyctl with Machines (Apps V2), postgres-flex',
  },
};

/**
 * The gunicorn command line Google's Cloud Run quickstart for Python runs (its sample Dockerfile):
 * one worker process with 8 threads, and the worker timeout off, so that Cloud Run, which stops a
 * request after its own request timeout (300 s by default, hops.ts 'cloud-run' readTimeout) and
 * scales instances, not workers, handles timeouts and scaling. Its comment also says to raise the
 * workers to the cores an instance has. Rules read it (DDG104: `--workers 1` on Cloud Run is the
 * documented count; DDG105: `--timeout 0` on Cloud Run is the documented setting).
 */
export const CLOUD_RUN_GUNICORN: Fact<{ readonly workers: number; readonly threads: number; readonly timeout: number }> = {
  value: { workers: 1, threads: 8, timeout: 0 },
  knob: 'gunicorn --workers, --threads, --timeout in the image’s CMD',
  source: {
    // (the quickstart shows the sample's Dockerfile: GoogleCloudPlatform/python-docs-samples run/helloworld/Dockerfile at 0b0a91ec93e05c5f1c9499dec5daf5558284da61)
    url: 'https://cloud.google.com/run/docs/quickstarts/build-and-deploy/deploy-python-service',
    quote:
      'Here we use the gunicorn webserver, with one worker process and 8 threads. For environments with multiple CPU cores, increase the number of workers to be equal to the cores available. Timeout is set to 0 to disable the timeouts of the workers to allow Cloud Run to handle instance scaling. CMD exec gunicorn --bind :$PORT --workers 1 --threads 8 --timeout 0 main:app',
  },
};

/**
 * The Dockerfile Railway builds a service from: `Dockerfile` at the root of the service's source
 * (the folder of its railway.json / railway.toml), unless `build.dockerfilePath` names another or
 * `build.builder` another builder; without a start command, the image's ENTRYPOINT and CMD run.
 */
export const RAILWAY_DOCKERFILE: Fact<string> = {
  value: 'Dockerfile',
  knob: 'build.dockerfilePath, build.builder (railway.json / railway.toml), RAILWAY_DOCKERFILE_PATH',
  source: {
    url: 'https://docs.railway.com/builds/dockerfiles',
    quote:
      'When building a service, Railway will look for and use a Dockerfile at the root of the source directory. … If your service deploys with a Dockerfile or from an image, the start command defaults to the ENTRYPOINT and / or CMD defined in the Dockerfile (docs.railway.com/reference/build-and-start-commands).',
  },
};
