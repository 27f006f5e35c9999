// The official database images' documented interface: which image it is, the port the server
// listens on, the variables that set its superuser and application passwords, and the variables
// that let it start with no password at all. Each fact with the image's documentation page (the
// Docker Official Images docs, docker-library/docs) and its words. The rules read this table;
// they never name these variables themselves.

export interface DatabaseImageSource {
  readonly url: string;
  /** The documentation's words. */
  readonly quote: string;
}

export interface DatabasePassword {
  readonly variable: string;
  /** The variable that names the account, when one does. */
  readonly userVariable?: string;
  /** The account's name when no variable names it. */
  readonly user?: string;
}

export interface DatabaseImage {
  /** "PostgreSQL", "MySQL", "MariaDB". */
  readonly name: string;
  /** Matches the image reference (`postgres:16`, `docker.io/library/postgres`, `postgis/postgis`). */
  readonly image: RegExp;
  /** The port the server listens on in the container. */
  readonly port: number;
  /**
   * Variables that set a password the server accepts from other hosts, in the order the
   * documentation lists them, each with the account it is for: the variable naming it, or its fixed name.
   */
  readonly passwords: readonly DatabasePassword[];
  /** Variables (with the value that turns it on, or any non-empty value) that let the superuser in without a password. */
  readonly noPassword: readonly { readonly variable: string; readonly value?: string }[];
  /** The superuser, as `passwords` names accounts. */
  readonly superuser: Omit<DatabasePassword, 'variable'>;
  /**
   * A server configured on its command line rather than by variables (Redis): the option that sets
   * its password (`--requirepass`); without it, and without a configuration file given, there is none.
   */
  readonly passwordOption?: string;
  /**
   * A server without passwords of its own that authenticates only when a flag of its command turns
   * it on (Memcached's `-S`, SASL, with credentials kept outside the command): without the flag,
   * every client is let in.
   */
  readonly authFlags?: readonly string[];
  /**
   * The variable without which the image refuses to initialise its database (it exits), and what may
   * stand in for it instead: so an environment file the image and the app both load, which the
   * repository does not hold, sets it unless it sets one of those.
   */
  readonly requiredToStart?: {
    readonly variable: string;
    /** Variables that may replace it (`POSTGRES_PASSWORD_FILE`) or let the image start without it (`POSTGRES_HOST_AUTH_METHOD=trust`). */
    readonly instead: readonly string[];
    readonly source: DatabaseImageSource;
  };
  /** What anyone who reaches it can do, for a server without accounts ("reads and rewrites every cached value"). */
  readonly access?: string;
  readonly sources: readonly DatabaseImageSource[];
}

const HUB = 'https://github.com/docker-library/docs/blob/master';

export const DATABASE_IMAGES: readonly DatabaseImage[] = [
  {
    name: 'PostgreSQL',
    image: /(^|\/)(postgres|postgis|timescaledb(-ha)?)(:|@|$)/i,
    port: 5432,
    passwords: [{ variable: 'POSTGRES_PASSWORD', userVariable: 'POSTGRES_USER', user: 'postgres' }],
    superuser: { userVariable: 'POSTGRES_USER', user: 'postgres' },
    noPassword: [{ variable: 'POSTGRES_HOST_AUTH_METHOD', value: 'trust' }],
    requiredToStart: {
      variable: 'POSTGRES_PASSWORD',
      instead: ['POSTGRES_PASSWORD_FILE', 'POSTGRES_HOST_AUTH_METHOD'],
      source: {
        url: 'https://github.com/docker-library/postgres/blob/master/docker-entrypoint.sh',
        quote:
          'if [ -z "$POSTGRES_PASSWORD" ] && [ \'trust\' != "$POSTGRES_HOST_AUTH_METHOD" ]; then … Error: Database is uninitialized and superuser password is not specified. You must specify POSTGRES_PASSWORD to a non-empty value for the superuser. … exit 1 (file_env \'POSTGRES_PASSWORD\' reads POSTGRES_PASSWORD_FILE before)',
      },
    },
    sources: [
      {
        url: `${HUB}/postgres/content.md#postgres_password`,
        quote:
          'This environment variable sets the superuser password for PostgreSQL. The default superuser is defined by the POSTGRES_USER environment variable.',
      },
      {
        url: `${HUB}/postgres/content.md#postgres_user`,
        quote: 'If it is not specified, then the default user of postgres will be used.',
      },
      {
        url: 'https://github.com/docker-library/postgres/blob/master/docker-entrypoint.sh',
        quote: 'You may also use "POSTGRES_HOST_AUTH_METHOD=trust" to allow all connections without a password. This is *not* recommended.',
      },
    ],
  },
  {
    name: 'MySQL',
    image: /(^|\/)mysql(-server)?(:|@|$)/i,
    port: 3306,
    passwords: [
      { variable: 'MYSQL_ROOT_PASSWORD', user: 'root' },
      { variable: 'MYSQL_PASSWORD', userVariable: 'MYSQL_USER' },
    ],
    superuser: { user: 'root' },
    noPassword: [{ variable: 'MYSQL_ALLOW_EMPTY_PASSWORD' }],
    sources: [
      {
        url: `${HUB}/mysql/content.md#mysql_root_password`,
        quote: 'This variable is mandatory and specifies the password that will be set for the MySQL root superuser account.',
      },
      {
        url: `${HUB}/mysql/content.md#mysql_allow_empty_password`,
        quote: 'Set to a non-empty value, like yes, to allow the container to be started with a blank password for the root user.',
      },
    ],
  },
  {
    name: 'MariaDB',
    image: /(^|\/)mariadb(:|@|$)/i,
    port: 3306,
    passwords: [
      { variable: 'MARIADB_ROOT_PASSWORD', user: 'root' },
      { variable: 'MYSQL_ROOT_PASSWORD', user: 'root' },
      { variable: 'MARIADB_PASSWORD', userVariable: 'MARIADB_USER' },
      { variable: 'MYSQL_PASSWORD', userVariable: 'MYSQL_USER' },
    ],
    superuser: { user: 'root' },
    noPassword: [{ variable: 'MARIADB_ALLOW_EMPTY_ROOT_PASSWORD' }, { variable: 'MYSQL_ALLOW_EMPTY_PASSWORD' }],
    sources: [
      {
        url: `${HUB}/mariadb/content.md#mariadb_root_password--mariadb_root_password_hash-mariadb_random_root_password-mariadb_allow_empty_root_password`,
        quote:
          'This specifies the password that will be set for the MariaDB root superuser account. … Set MARIADB_ALLOW_EMPTY_ROOT_PASSWORD to a non-empty value, like 1, to allow the container to be started with a blank password for the root user.',
      },
    ],
  },
  {
    name: 'Redis',
    image: /(^|\/)(redis|valkey)(:|@|$)/i,
    port: 6379,
    passwords: [],
    superuser: { user: 'default' },
    noPassword: [],
    passwordOption: '--requirepass',
    sources: [
      {
        url: 'https://github.com/docker-library/redis/blob/master/docker-entrypoint.sh',
        quote:
          'Disable Redis protected mode [1] as it is unnecessary in context of Docker. Ports are not automatically exposed when running inside Docker, but rather explicitly by specifying -p / -P.',
      },
      {
        url: 'https://redis.io/docs/latest/operate/oss_and_stack/management/security/',
        quote:
          'Redis is designed to be accessed by trusted clients inside trusted environments. … when Redis is exposed to the internet without authentication … anyone can connect.',
      },
    ],
  },
  {
    name: 'Memcached',
    image: /(^|\/)memcached(:|@|$)/i,
    port: 11211,
    passwords: [],
    superuser: { user: 'any client' },
    noPassword: [],
    authFlags: ['-S', '--enable-sasl'],
    access: 'reads and rewrites every cached value (sessions too, where they are cached)',
    sources: [
      {
        url: 'https://github.com/memcached/memcached/wiki/SASLHowto',
        quote:
          'In order to enable SASL support in the server you must use the -S flag. The -S flag does a few things things: … Require authentication to have been successful before commands may be issued on a connection.',
      },
      {
        url: 'https://dev.mysql.com/doc/refman/8.0/en/innodb-memcached-security.html',
        quote:
          'Because memcached does not use an authentication mechanism by default, … Do not allow memcached access to these servers from the Internet; only allow access from within a firewalled intranet',
      },
    ],
  },
];

/** The database an image runs, when it is one of the official images above. */
export function databaseImage(image: string): DatabaseImage | undefined {
  return DATABASE_IMAGES.find((d) => d.image.test(image.trim()));
}

/**
 * Images of services an app uses rather than runs as itself: the databases above, caches, brokers,
 * search engines, identity servers, object stores and mail catchers (the repository's last path
 * segment: `quay.io/keycloak/keycloak:26`, `bitnami/redis`, `docker.io/postgis/postgis:14`). The names
 * are those of Docker Hub's official images (https://hub.docker.com/search?badges=official: postgres,
 * mysql, mariadb, redis, memcached, rabbitmq, elasticsearch, mongo, adminer), their projects' own
 * (https://www.keycloak.org/server/containers, https://hub.docker.com/r/postgis/postgis,
 * https://hub.docker.com/r/valkey/valkey, https://hub.docker.com/r/opensearchproject/opensearch,
 * https://hub.docker.com/r/minio/minio, https://hub.docker.com/r/mailhog/mailhog,
 * https://hub.docker.com/r/axllent/mailpit, https://hub.docker.com/r/dpage/pgadmin4,
 * https://hub.docker.com/r/localstack/localstack, https://hub.docker.com/r/redis/redis-stack).
 */
const BACKING_IMAGE_NAMES =
  /^(postgres|postgis|mysql|mariadb|redis|redis-stack|valkey|memcached|keycloak|rabbitmq|elasticsearch|opensearch|minio|mailhog|mailpit|mongo|adminer|pgadmin4|localstack)$/;
export function isBackingServiceImage(image: string): boolean {
  if (databaseImage(image)) return true;
  const repo = image.trim().split('@')[0]!.split(':')[0]!;
  const last = repo.slice(repo.lastIndexOf('/') + 1).toLowerCase();
  return BACKING_IMAGE_NAMES.test(last);
}
