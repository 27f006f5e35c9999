// What outlives a container: the volumes a deployment mounts, where a file the app writes (a SQLite
// database) is kept when the container is replaced; and what a volume does not change: SQLite lets
// one process write at a time.
import type { Fact } from './facts';

/**
 * Compose's named volumes: a data store of the container engine that `docker compose up` reuses
 * when it recreates the service's containers; a bind mount is a folder of the host. Both outlive the
 * container (an anonymous volume or a tmpfs is not counted here).
 */
export const COMPOSE_NAMED_VOLUMES_PERSIST: Fact<{ readonly kinds: readonly ('named' | 'bind')[] }> = {
  value: { kinds: ['named', 'bind'] },
  knob: 'services.<name>.volumes',
  source: {
    url: 'https://docs.docker.com/reference/compose-file/volumes/',
    quote:
      "Volumes are persistent data stores implemented by the container engine. … Running docker compose up creates the volume if it doesn't already exist. Otherwise, the existing volume is used and is recreated if it's manually deleted outside of Compose.",
  },
};

/** SQLite lets many processes read one database file, one write to it at a time. */
export const SQLITE_ONE_WRITER: Fact<true> = {
  value: true,
  source: {
    url: 'https://www.sqlite.org/faq.html#q5',
    quote:
      'Multiple processes can have the same database open at the same time. Multiple processes can be doing a SELECT at the same time. But only one process can be making changes to the database at any moment in time, however.',
  },
};

/**
 * What Docker puts in a named volume mounted over a folder the image holds files in: the image's
 * files, copied once, when the volume is empty (created by that start); a volume that already holds
 * files keeps them and hides the image's. A bind mount is never filled from the image.
 */
export const NAMED_VOLUME_FILLED_WHEN_EMPTY: Fact<{ readonly when: 'empty' }> = {
  value: { when: 'empty' },
  source: {
    url: 'https://docs.docker.com/engine/storage/volumes/#populate-a-volume-using-a-container',
    quote:
      "If you start a container which creates a new volume, and the container has files or directories in the directory to be mounted such as /app/, Docker copies the directory's contents into the volume. The container then mounts and uses the volume, and other containers which use the volume also have access to the pre-populated content.",
    versions:
      'docs.docker.com, Volumes ("Mounting a volume over existing data: If you mount a non-empty volume into a directory in the container in which files or directories exist, the pre-existing files are obscured by the mount.")',
  },
};
