// The environment variables the system gives a process where it runs, not the deployment's files:
// the container runtime (Docker sets HOSTNAME, HOME and PATH in every Linux container, Kubernetes
// names the container's host after its Pod), the login and the service manager (HOME, USER,
// LOGNAME, SHELL), the shell (PWD, and bash's host name). Whether one is set, and to what,
// depends on the machine and on how the process was started, which the repository cannot show: a
// settings lookup of one is unknown, never its default (`"ec2" in os.environ.get("HOSTNAME", "")`
// is not False in production because the repository sets no HOSTNAME). A deployment file that sets
// one explicitly (compose's `environment:`, a unit's `Environment=`) still gives its value.
// HOST is not one: only zsh (a shell parameter it does not export) and tcsh set it, neither of which
// starts an app server, and settings use it for their own setting (`os.environ.get("HOST") or
// "localhost"`), which keeps defaults semantics.
// Read by the evaluator (eval/calls.ts envValue, eval/expressions.ts os.environ[…]).
import type { Source } from './facts';

export interface RuntimeVariable {
  readonly name: string;
  /** Who sets it where the app runs, as the reason an unknown value gives. */
  readonly setBy: string;
  readonly sources: readonly Source[];
}

const DOCKER: Source = {
  url: 'https://docs.docker.com/engine/containers/run/#environment-variables',
  quote:
    'Docker automatically sets some environment variables when creating a Linux container. […] HOME: Set based on the value of USER; HOSTNAME: The hostname associated with the container; PATH: Includes popular directories',
  versions: 'Docker Engine 27',
};

const KUBERNETES_HOSTNAME: Source = {
  url: 'https://kubernetes.io/docs/concepts/containers/container-environment/#container-information',
  quote:
    'The hostname of a Container is the name of the Pod in which the Container is running. It is available through the hostname command or the gethostname function call in libc.',
  versions: 'Kubernetes 1.31',
};

const POSIX_ENVIRONMENT: Source = {
  url: 'https://pubs.opengroup.org/onlinepubs/9699919799/basedefs/V1_chap08.html#tag_08_03',
  quote:
    "HOME: The system shall initialize this variable at the time of login to be a pathname of the user's home directory. LOGNAME: The system shall initialize this variable at the time of login to be the user's login name.",
  versions: 'POSIX.1-2017 (XBD 8.3)',
};

const POSIX_SHELL_PWD: Source = {
  url: 'https://pubs.opengroup.org/onlinepubs/9699919799/utilities/V3_chap02.html#tag_18_05_03',
  quote: 'PWD: Set by the shell and by the cd utility.',
  versions: 'POSIX.1-2017 (XCU 2.5.3)',
};

const BASH_HOSTNAME: Source = {
  url: 'https://www.gnu.org/software/bash/manual/html_node/Bash-Variables.html#index-HOSTNAME',
  quote: 'HOSTNAME: The name of the current host.',
  versions: 'bash 5.2',
};

const SYSTEMD_USER: Source = {
  url: 'https://www.freedesktop.org/software/systemd/man/latest/systemd.exec.html#%24USER',
  quote:
    'User name (twice), home directory, and the login shell. The variables are set for the units that have User= set, which includes user systemd instances.',
  versions: 'systemd 256 ($USER, $LOGNAME, $HOME, $SHELL)',
};

const LOGIN: Source = {
  url: 'https://man7.org/linux/man-pages/man1/login.1.html',
  quote:
    'The value for $HOME, $USER, $SHELL, $PATH, $LOGNAME, and $MAIL are set according to the appropriate fields in the password entry.',
  versions: 'util-linux 2.39',
};

/** The variables the system sets where the app runs; a lookup of one is unknown. */
export const RUNTIME_VARIABLES: readonly RuntimeVariable[] = [
  {
    name: 'HOSTNAME',
    setBy: "the container runtime (the container's host name, the Pod's name on Kubernetes) or the shell (bash)",
    sources: [DOCKER, KUBERNETES_HOSTNAME, BASH_HOSTNAME],
  },
  {
    name: 'HOME',
    setBy: "the container runtime, the login or the service manager (the user's home directory)",
    sources: [DOCKER, POSIX_ENVIRONMENT, SYSTEMD_USER],
  },
  { name: 'USER', setBy: "the login or the service manager (the user's name)", sources: [LOGIN, SYSTEMD_USER] },
  { name: 'LOGNAME', setBy: "the login or the service manager (the user's login name)", sources: [POSIX_ENVIRONMENT, SYSTEMD_USER, LOGIN] },
  { name: 'SHELL', setBy: "the login or the service manager (the user's login shell)", sources: [SYSTEMD_USER, LOGIN] },
  { name: 'PWD', setBy: 'the shell that started the process (its working directory)', sources: [POSIX_SHELL_PWD] },
  { name: 'PATH', setBy: 'the container runtime, the login or the service manager', sources: [DOCKER, LOGIN] },
];

const BY_NAME = new Map(RUNTIME_VARIABLES.map((v) => [v.name, v]));

/** The system variable of that name, if it is one (RUNTIME_VARIABLES). */
export function runtimeVariable(name: string): RuntimeVariable | undefined {
  return BY_NAME.get(name);
}
