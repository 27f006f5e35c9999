// Litestream (streaming replication for SQLite): how `litestream replicate` is run — the app as its
// `-exec` subprocess, the databases it replicates from its command line or its configuration file —
// what that does to a SQLite database's durability, and what it leaves: one writer. Read from
// benbjohnson/litestream's cmd/litestream at the v0.5.16 tag (and v0.3.13, alike in these points) and
// the documentation at litestream.io (benbjohnson/litestream.io at da62ae17).
import type { Fact } from './facts';

const CMD = 'https://github.com/benbjohnson/litestream/blob/v0.5.16/cmd/litestream';

/** How `litestream replicate` reads its command line (Go's flag package: `-x value`, `-x=value`, `--x` alike). */
export const LITESTREAM_REPLICATE: Fact<{
  readonly program: string;
  readonly subcommand: string;
  /** The flag whose value is the command line of the subprocess it supervises. */
  readonly execFlag: string;
  /** The flag naming its configuration file. */
  readonly configFlag: string;
  /** Its flags that take a value (the next word unless written `-x=value`); the others are switches. */
  readonly valueFlags: readonly string[];
  /** The configuration file read without -config (unless LITESTREAM_CONFIG names another). */
  readonly defaultConfig: string;
  /** The names a committed configuration file has. */
  readonly configNames: readonly string[];
}> = {
  value: {
    program: 'litestream',
    subcommand: 'replicate',
    execFlag: 'exec',
    configFlag: 'config',
    valueFlags: ['exec', 'config', 'log-level'],
    defaultConfig: '/etc/litestream.yml',
    configNames: ['litestream.yml', 'litestream.yaml'],
  },
  source: {
    url: `${CMD}/replicate.go#L68-L74`,
    quote:
      'execFlag := fs.String("exec", "", "execute subcommand"); logLevelFlag := fs.String("log-level", …); restoreIfDBNotExists := fs.Bool(…); onceFlag := fs.Bool(…); forceSnapshotFlag := fs.Bool(…); enforceRetentionFlag := fs.Bool(…); configPath, noExpandEnv := registerConfigFlag(fs) … (main.go) func DefaultConfigPath() string { if v := os.Getenv("LITESTREAM_CONFIG"); v != "" { return v }; return defaultConfigPath } … fs.String("config", "", "config path")',
    versions: 'v0.3.13 to v0.5.16',
  },
};

/**
 * The database `litestream replicate DB_PATH REPLICA_URL` replicates without a configuration file,
 * and the `dbs:` list of `path:` entries of its configuration file otherwise.
 */
export const LITESTREAM_DATABASES: Fact<{ readonly configList: string; readonly configPath: string }> = {
  value: { configList: 'dbs', configPath: 'path' },
  source: {
    url: 'https://litestream.io/reference/replicate',
    quote:
      'You can specify your database & replica in a configuration file or you can replicate a single database file by specifying its path and its replica in the command line arguments. … litestream replicate [arguments] DB_PATH REPLICA_URL … (configuration file) dbs: - path: /data/db replica: url: s3://BUCKET/db',
  },
};

/**
 * What `litestream replicate -exec "…"` does: it supervises the app as its subprocess and copies the
 * database's write-ahead log to a replica (object storage) continuously; `litestream restore
 * -if-replica-exists` at start brings the database back in a new container. The file on the
 * container's disk is then no longer the only copy: replacing the container loses at most the last
 * second or so of writes.
 */
export const LITESTREAM_DURABILITY: Fact<{ readonly replicatesContinuously: true; readonly restoresAtStart: true }> = {
  value: { replicatesContinuously: true, restoresAtStart: true },
  source: {
    url: 'https://litestream.io/how-it-works/',
    quote:
      'Litestream is a streaming replication tool for SQLite databases. It runs as a separate background process and continuously copies write-ahead log pages from disk to a replica. This asynchronous replication provides disaster recovery … (litestream.io/guides/docker, "Running in the same container") If you are deploying to a service like Fly.io that only uses a single container, you can bundle both your application and Litestream together using Litestream\'s built-in process supervision. You can specify your application\'s process and flags by passing them to the -exec flag: litestream replicate -exec "myapp -myflag myarg" … (litestream.io/reference/restore) -if-replica-exists Returns exit code of 0 if no backups are found.',
  },
};

/**
 * What Litestream leaves to the deployment: one writer. Two instances of the app (a second machine,
 * a rolling or canary deploy starting the new one beside the old) each write a database of their
 * own and replicate it into the same place.
 */
export const LITESTREAM_ONE_WRITER: Fact<true> = {
  value: true,
  source: {
    url: 'https://litestream.io/tips/#multiple-applications-replicating-into-location-can-corrupt',
    quote:
      'Multiple applications replicating into the same bucket & path can cause situations where you will be unable to restore. It is your responsibility to ensure you do not have multiple applications replicating concurrently.',
  },
};
