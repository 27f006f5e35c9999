// What happens to a container's stop signal when a shell script starts the app server: which process
// is PID 1, what PID 1 does with a signal it has no handler for, and which shells replace themselves
// with the command they run. Each fact with its source; the shells' behaviour is also checked on the
// real dash and bash by test/unit/shell-pid1.test.ts (it runs them and reads /proc).
import type { Fact, Source } from './facts';

/** `exec command` replaces the shell with the command: no new process, the command gets the shell's PID. */
export const EXEC_REPLACES_SHELL: readonly Source[] = [
  {
    url: 'https://manpages.debian.org/bookworm/dash/dash.1.en.html',
    quote: 'exec [command arg ...] Unless command is omitted, the shell process is replaced with the specified program',
    versions: 'dash 0.5.12 (Debian bookworm)',
  },
  {
    url: 'https://www.gnu.org/software/bash/manual/bash.html#index-exec',
    quote: 'If command is supplied, it replaces the shell without creating a new process.',
    versions: 'bash 5.2',
  },
];

/**
 * A script file's last command, without `exec`, is a child of the shell: dash and bash fork it and
 * wait for it (neither replaces itself with a script's last command). Observed by
 * test/unit/shell-pid1.test.ts on dash 0.5.12 and bash 5.2.15 (`sh script` with `sleep 30` as its
 * last command: the shell's process has `sleep` as its child).
 */
export const SCRIPT_LAST_COMMAND_IS_CHILD: Source = {
  url: 'test/unit/shell-pid1.test.ts',
  quote: 'a script whose last command is `sleep 30`: the shell stays, with sleep as its child (dash and bash)',
  versions: 'dash 0.5.12, bash 5.2.15',
};

/** PID 1 of a PID namespace (a container's first process) gets only the signals it has a handler for. */
export const INIT_IGNORES_UNHANDLED_SIGNALS: Source = {
  url: 'https://man7.org/linux/man-pages/man7/pid_namespaces.7.html',
  quote:
    'Only signals for which the "init" process has established a signal handler can be sent to the "init" process by other members of the PID namespace. […] a process in an ancestor namespace can […] send signals to the "init" process of a child PID namespace only if the "init" process has established a handler for that signal.',
};

/** What stopping a container does: SIGTERM to its main process, SIGKILL after a grace period (its default, and what sets it). */
export const STOP_SEQUENCE: Readonly<
  Record<'docker' | 'kubernetes', { readonly platform: string; readonly grace: string; readonly knob: string; readonly source: Source }>
> = {
  docker: {
    platform: 'docker stop',
    grace: '10 s',
    knob: 'docker stop --time, compose stop_grace_period',
    source: {
      url: 'https://docs.docker.com/reference/cli/docker/container/stop/',
      quote: 'The main process inside the container will receive SIGTERM, and after a grace period, SIGKILL.',
    },
  },
  kubernetes: {
    platform: 'Kubernetes',
    grace: '30 s',
    knob: 'terminationGracePeriodSeconds',
    source: {
      url: 'https://kubernetes.io/docs/concepts/workloads/pods/pod-lifecycle/#pod-termination',
      quote:
        'the container runtime sends a TERM signal to the main process in each container. […] Once the grace period has expired, the KILL signal is sent to any remaining processes',
    },
  },
};

/**
 * Inits run as PID 1 in front of a container's command that deliver the stop signal to the whole
 * process group (so a server that is a shell's child gets it too), each with the option that makes
 * it do so (none: by default).
 */
export const GROUP_SIGNALLING_INITS: readonly {
  readonly program: string;
  /** The option that makes it signal the group. */
  readonly option?: string;
  /** The options that make it signal the child alone. */
  readonly unless?: readonly string[];
  readonly source: Source;
}[] = [
  {
    program: 'dumb-init',
    unless: ['--single-child', '-c'],
    source: {
      url: 'https://github.com/Yelp/dumb-init/blob/v1.2.5/README.md#process-group-behavior',
      quote:
        'In its default mode, `dumb-init` establishes a process group (and "session", via setsid(2)) rooted at the child, and sends signals to the entire process group. This is useful if you have a poorly-behaving child (such as a shell script) which won\'t normally signal its children before dying.',
    },
  },
  {
    program: 'tini',
    option: '-g',
    source: {
      url: 'https://github.com/krallin/tini/blob/v0.19.0/README.md#process-group-killing',
      quote:
        "By default, Tini only kills its immediate child process. […] SIGINT is sent to the 'sh' process, but that shell won't react to it while it is waiting for the 'sleep' to finish. With the `-g` option, Tini kills the child process group",
    },
  },
  {
    program: 'tini-static',
    option: '-g',
    source: {
      url: 'https://github.com/krallin/tini/blob/v0.19.0/README.md#process-group-killing',
      quote:
        "By default, Tini only kills its immediate child process. […] SIGINT is sent to the 'sh' process, but that shell won't react to it while it is waiting for the 'sleep' to finish. With the `-g` option, Tini kills the child process group",
    },
  },
];

/**
 * A TERM trap does not help a server run in the foreground: the shell runs the handler only once the
 * command it waits for has ended (only `server & wait` lets a handler forward the signal). Checked
 * on dash and bash as PID 1 by test/unit/shell-pid1.test.ts.
 */
export const TRAP_WAITS_FOR_FOREGROUND: Source = {
  url: 'https://www.gnu.org/software/bash/manual/bash.html#Signals',
  quote:
    'If Bash is waiting for a command to complete and receives a signal for which a trap has been set, the trap will not be executed until the command completes.',
  versions: 'bash 5.2; dash 0.5.12 alike (test/unit/shell-pid1.test.ts)',
};

/** Programs an image's ENTRYPOINT runs as the container's init, in front of its command. */
export const CONTAINER_INITS: readonly string[] = ['tini', 'tini-static', 'dumb-init', 'docker-init', 'catatonit'];

/** The names a `trap` command gives SIGTERM. */
export const SIGNAL_FORWARDING_TRAP: ReadonlySet<string> = new Set(['TERM', 'SIGTERM', '15']);

/**
 * What a shell given its commands as text (`sh -c "…"`: a shell-form CMD or ENTRYPOINT, which Docker
 * runs as `/bin/sh -c "…"`, a compose or Kubernetes command `sh -c "…"`) does with the last command:
 * Debian's dash forks it and waits, even when it is the only command (so dash stays the parent);
 * bash replaces itself with the last simple command of the text. Observed by
 * test/unit/shell-pid1.test.ts; busybox ash (Alpine's /bin/sh) is not observed, so not said.
 */
export const SH_C_LAST_COMMAND: Readonly<Record<'dash' | 'bash', { readonly child: boolean; readonly source: Source }>> = {
  dash: {
    child: true,
    source: {
      url: 'test/unit/shell-pid1.test.ts',
      quote: '`dash -c "sleep 30"` and `dash -c "true && sleep 30"`: dash stays, with sleep as its child',
      versions: 'dash 0.5.12 (Debian bookworm and trixie)',
    },
  },
  bash: {
    child: false,
    source: {
      url: 'test/unit/shell-pid1.test.ts',
      quote: '`bash -c "sleep 30"` and `bash -c "true; sleep 30"`: sleep replaces bash (same process)',
      versions: 'bash 5.2.15',
    },
  },
};

/** Docker runs a shell-form CMD or ENTRYPOINT with this shell unless a SHELL instruction names another. */
export const DOCKER_SHELL_FORM: Fact<readonly string[]> = {
  value: ['/bin/sh', '-c'],
  knob: 'SHELL ["executable", "parameters"]',
  source: {
    url: 'https://docs.docker.com/reference/dockerfile/#shell-and-exec-form',
    quote:
      'The command is invoked by a command shell, which by default is /bin/sh -c on Linux. […] The default shell for the shell form can be changed using the SHELL command.',
  },
};

/**
 * The shell an official base image's /bin/sh is, by the image's name and tag: the Debian and Ubuntu
 * images (and the images built FROM them: python, node, buildpack-deps without an alpine tag) have
 * dash as /bin/sh; Alpine's is busybox ash, which is not catalogued (undefined: not known).
 */
export const IMAGE_SH: {
  readonly debianFamily: readonly string[];
  readonly sources: readonly Source[];
} = {
  debianFamily: ['python', 'debian', 'ubuntu', 'node', 'buildpack-deps', 'pypy'],
  sources: [
    {
      url: 'https://wiki.debian.org/Shell',
      quote: 'Debian uses Dash as /bin/sh since Debian 6.0 (Squeeze)',
    },
    {
      url: 'https://wiki.ubuntu.com/DashAsBinSh',
      quote: 'In Ubuntu 6.10, the default system shell, /bin/sh, was changed to dash (the Debian Almquist Shell)',
    },
    {
      url: 'https://github.com/docker-library/python/blob/master/3.13/slim-bookworm/Dockerfile',
      quote: 'FROM debian:bookworm-slim (the python images without alpine in their tag are built on Debian)',
    },
  ],
};

/** The shell /bin/sh is in an image named `ref` (an official Debian-family image: dash), undefined when not known. */
export function imageSh(ref: string): 'dash' | undefined {
  const noDigest = ref.trim().toLowerCase().split('@')[0]!;
  if (noDigest.includes('$') || noDigest.includes('{')) return undefined;
  const slash = noDigest.lastIndexOf('/');
  const colon = noDigest.indexOf(':', slash + 1);
  const name = noDigest.slice(0, colon < 0 ? undefined : colon);
  const tag = colon < 0 ? 'latest' : noDigest.slice(colon + 1);
  // official images only: `python`, `library/python`, `docker.io/library/python`
  const bare = name.replace(/^(docker\.io\/)?(library\/)?/, '');
  if (bare.includes('/') || !IMAGE_SH.debianFamily.includes(bare)) return undefined;
  if (/alpine|windowsservercore|nanoserver/.test(tag)) return undefined;
  return 'dash';
}
