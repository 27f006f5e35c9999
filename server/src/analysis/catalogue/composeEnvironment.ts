// What docker compose gives a container for a variable named in `environment:` without a value
// (`- DJANGO_SECRET_KEY`, or `DJANGO_SECRET_KEY:` with nothing after it), and where it reads the
// `.env` it interpolates from. The process model reads compose services through these
// (models/process/sources/compose.ts): such a name gets the value the `.env` beside the compose
// file gives it (committed, or written by a committed script, models/process/writtenEnvFiles.ts).
import type { Fact, Source } from './facts';

/** A name without a value in `environment:` takes its value from the shell compose runs in or from the environment files. */
export const COMPOSE_PASS_THROUGH: Source = {
  url: 'https://docs.docker.com/compose/how-tos/environment-variables/set-environment-variables/',
  quote:
    'You can also pass a variable from the shell or your environment files by not giving it a value … The value of the DEBUG variable in the container is taken from the value for the same variable in the shell in which Compose is run or from the environment files.',
  versions: 'Compose v2 (docker/docs#20771)',
};

/** Compose reads the `.env` of the project directory (the compose file's folder) for interpolation. */
export const COMPOSE_DOTENV: Source = {
  url: 'https://docs.docker.com/compose/how-tos/environment-variables/variable-interpolation/',
  quote:
    'When you run `docker compose up`, the `web` service defined in the Compose file interpolates in the image `webapp:v1.5` which was set in the `.env` file.',
};

/**
 * Compose puts a project's services on a network of its own, a user-defined network, where Docker's
 * embedded DNS resolves each container by its name and its aliases: the service's name (an alias
 * compose gives it) and, with `container_name:`, that name too. A proxy reaches the service by either.
 */
export const COMPOSE_CONTAINER_NAME_DNS: Source = {
  url: 'https://docs.docker.com/engine/network/drivers/bridge/#differences-between-user-defined-bridges-and-the-default-bridge',
  quote:
    'User-defined bridges provide automatic DNS resolution between containers. Containers on the default bridge network can only access each other by IP addresses … On a user-defined bridge network, containers can resolve each other by name or alias. (docs.docker.com/compose/how-tos/networking: "By default Compose sets up a single network for your app. Each container for a service joins the default network and is both reachable by other containers on that network, and discoverable by the service\'s name.")',
};

/**
 * A service's `command:` replaces the CMD of its image (its ENTRYPOINT stays, and gets the command
 * as its arguments); an empty command ignores the image's CMD too. Read by the process model's pass
 * over images every service replaces the command of (models/process/passes/replacedCommand.ts).
 */
export const COMPOSE_COMMAND_REPLACES_CMD: Source = {
  url: 'https://docs.docker.com/reference/compose-file/services/#command',
  quote:
    "`command` overrides the default command declared by the container image, for example by Dockerfile's `CMD`. … If the value is `[]` (empty list) or `''` (empty string), the default command declared by the image is ignored, or in other words overridden to be empty.",
  versions: 'Compose Specification (docker compose v2)',
};

/** A service's `entrypoint:` replaces its image's ENTRYPOINT and makes compose ignore the image's CMD. */
export const COMPOSE_ENTRYPOINT_REPLACES_BOTH: Source = {
  url: 'https://docs.docker.com/reference/compose-file/services/#entrypoint',
  quote:
    "`entrypoint` declares the default entrypoint for the service container. This overrides the `ENTRYPOINT` instruction from the service's Dockerfile. If `entrypoint` is non-null, Compose ignores any default command from the image, for example the `CMD` instruction in the Dockerfile.",
  versions: 'Compose Specification (docker compose v2)',
};

/**
 * Compose merges the files given with `-f` (or listed in COMPOSE_FILE) in their order: a later
 * file's service adds to the earlier one of the same name, key by key; `command`, `entrypoint` and
 * `healthcheck.test` are replaced; sequences are appended, ports unique by their address, published
 * port, target and protocol, volumes by their container path; `environment` and `labels` merged by
 * name. Read by the process model (models/process/composeLayers.ts, readers/container/compose.ts
 * mergeComposeLayers).
 */
export const COMPOSE_MERGE: Source = {
  url: 'https://docs.docker.com/reference/compose-file/merge/',
  quote:
    'A YAML mapping gets merged by adding missing entries and merging the conflicting ones. … A YAML sequence is merged by appending values from the overriding Compose file to the previous one. … When merging Compose files that use the services attributes command, entrypoint and healthcheck: test, the value is overridden by the latest Compose file, and not appended. … Unique resources: Applies to the ports, volumes, secrets and configs services attributes.',
  versions: 'Compose Specification (docker compose v2)',
};

/**
 * A service's `extends: {service: S, file: F}` (F defaulting to its own file): compose takes the
 * properties of the service S of F and lays the extending service over them by the merge rules
 * (COMPOSE_MERGE: `environment` merged by name, `env_file` appended, `command`, `image`, `build`'s
 * keys replaced); S itself is not a service of the project. The paths of the extended file are
 * written relative to the main project's folder, as the page asks. Read by readers/container/compose.ts
 * withExtends.
 */
export const COMPOSE_EXTENDS: Source = {
  url: 'https://docs.docker.com/compose/how-tos/multiple-compose-files/extends/',
  quote:
    'This instructs Compose to re-use only the properties of the webapp service defined in the common-services.yml file. The webapp service itself is not part of the final project. … you must make sure all paths in the files are relative to the base Compose file (i.e. the Compose file in your main-project folder). … Compose copies configurations from the original service over to the local one. If a configuration option is defined in both the original service and the local service, the local value replaces or extends the original value.',
  versions: 'Compose Specification (docker compose v2)',
};

/**
 * The files compose reads: those of the `-f` options in order, else the ones COMPOSE_FILE lists
 * (separated by `:` on Linux and macOS), else compose.yaml (docker-compose.yml) and its override.
 */
export const COMPOSE_FILE_ORDER: Source = {
  url: 'https://docs.docker.com/compose/how-tos/multiple-compose-files/merge/',
  quote:
    "To use multiple override files, or an override file with a different name, you can either use the pre-defined COMPOSE_FILE environment variable, or use the -f option to specify the list of files. Compose merges files in the order they're specified on the command line. Subsequent files may merge, override, or add to their predecessors. … Paths are evaluated relative to the base file.",
  versions: 'docker compose v2',
};

/**
 * Run with no `-f` and no COMPOSE_FILE, compose reads its default file (compose.yaml, else the older
 * docker-compose.yml names) and, when one is beside it, its override file, merged over it: a plain
 * `docker compose up` in the folder runs the stack the two make. The override file is where a
 * project puts what its developers run (the development server, a development settings module).
 * The value: each default file's name, with the override names compose reads beside it. Read by the
 * process model's pass over the developers' stacks (models/process/passes/overriddenCompose.ts).
 */
export const COMPOSE_DEFAULT_OVERRIDE: Fact<ReadonlyMap<string, readonly string[]>> = {
  value: new Map([
    ['compose.yaml', ['compose.override.yaml', 'compose.override.yml']],
    ['compose.yml', ['compose.override.yml', 'compose.override.yaml']],
    ['docker-compose.yaml', ['docker-compose.override.yaml', 'docker-compose.override.yml']],
    ['docker-compose.yml', ['docker-compose.override.yml', 'docker-compose.override.yaml']],
  ]),
  knob: '-f FILE, COMPOSE_FILE',
  source: {
    url: 'https://docs.docker.com/compose/how-tos/multiple-compose-files/merge/',
    quote:
      'By default, Compose reads two files, a compose.yaml and an optional compose.override.yaml file. By convention, the compose.yaml contains your base configuration. The override file can contain configuration overrides for existing services or entirely new services. … If a service is defined in both files, Compose merges the configurations using the rules described below. (docs.docker.com/compose/intro/compose-application-model: "The default path for a Compose file is compose.yaml (preferred) or compose.yml … Compose also supports docker-compose.yaml and docker-compose.yml for backwards compatibility.")',
    versions: 'docker compose v2',
  },
};
