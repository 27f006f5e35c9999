// Where a container looks for a bare command name: the PATH of the usual base images, from the
// engine's default and the official python images. The process model reads this (a start script an
// image installs on its PATH by COPY is the script a bare name runs).
import type { Fact } from './facts';

/** The directories of a base image's PATH, in the order they are searched. */
export const IMAGE_PATH: Fact<readonly string[]> = {
  value: ['/usr/local/sbin', '/usr/local/bin', '/usr/sbin', '/usr/bin', '/sbin', '/bin'],
  knob: 'ENV PATH',
  source: {
    url: 'https://github.com/moby/moby/blob/master/oci/defaults.go',
    quote:
      'DefaultPathEnvUnix = "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin" (the PATH a container gets when its image sets none; the debian images set the same, and the python images prepend /usr/local/bin: "ensure local python is preferred over distribution python", https://github.com/docker-library/python/blob/master/Dockerfile-linux.template)',
  },
};
