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

/**
 * A COPY or ADD source of the build context written as an absolute path (`COPY /deploy/nginx.conf
 * /etc/nginx/`) is that path within the build context, not on the host: the leading `/` is the
 * context's root (moby/moby#4592, documented by docker/docker#5762). Read by the Dockerfile reader
 * (readers/container/dockerfile.ts contextSource).
 */
export const COPY_ABSOLUTE_SOURCE_IN_CONTEXT: Fact<boolean> = {
  value: true,
  knob: 'COPY / ADD <src>',
  source: {
    url: 'https://github.com/moby/moby/issues/4592',
    quote:
      'maintainers, closing the issue: "the documentation was updated to explain that an absolute path refers to an absolute path within the build context, not an absolute path on the host" (docker/docker#5762); Dockerfile reference: "When adding source files from the build context, their paths are interpreted as relative to the root of the context."',
    versions: 'Docker 0.11 and later (classic builder and BuildKit)',
  },
};

/**
 * Base images that hold an operating system and Python only (Docker Official Images of
 * distributions and Python, Astral's uv image, the Python dev container): nothing of an application
 * comes with them. An image FROM any other base (`FROM some-org/django-container`) may carry files
 * the repository does not show: a project skeleton, its settings modules, an entrypoint.
 */
export const PUBLIC_BASE_IMAGE: Fact<RegExp> = {
  value:
    /^(?:docker\.io\/)?(?:library\/)?(?:python|pypy|debian|ubuntu|alpine|centos|fedora|rockylinux|almalinux|amazonlinux|buildpack-deps)(?::|@|$)|^ghcr\.io\/astral-sh\/uv(?::|@|$)|^(?:mcr\.microsoft\.com\/devcontainers\/)?python(?::|@|$)/i,
  knob: 'FROM',
  source: {
    url: 'https://docs.docker.com/docker-hub/repos/manage/trusted-content/official-images/',
    quote:
      'Docker Official Images: "a curated set of Docker repositories ... base OS repositories ... programming language runtimes"; the python image holds CPython on Debian or Alpine and no application.',
    versions: 'Docker Hub, 2026',
  },
};
