// How `docker build` (and compose's builds, which run it through BuildKit) finds the Dockerfile.
import type { Fact } from './facts';

/**
 * A build whose Dockerfile is the default name, `Dockerfile`, reads `dockerfile` in lower case when
 * only that one exists (moby/moby#10858). Read by the file scan (a `dockerfile` is a Dockerfile) and by
 * the process model (a compose build of `Dockerfile` reads a lower-case one beside it).
 */
export const DOCKERFILE_LOWER_CASE: Fact<string> = {
  value: 'dockerfile',
  knob: 'docker build -f / compose build.dockerfile',
  source: {
    url: 'https://github.com/moby/buildkit/blob/master/frontend/dockerui/config.go',
    quote:
      'BuildKit: "// dockerfile is also supported casing moby/moby#10858 if path.Base(filename) == defaultDockerfileName { filenames = append(filenames, path.Join(path.Dir(filename), strings.ToLower(defaultDockerfileName))) }"; docker/cli cli/command/image/build/context.go: "Just to be nice ;-) look for \'dockerfile\' too but only use it if we found it".',
    versions: 'Docker 1.6 and later (classic builder and BuildKit)',
  },
};
