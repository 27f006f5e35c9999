// The commands that download and install packages from a registry or a distribution's archive: what
// an image's build runs (RUN), and what a container's start should not. Each with the tool's own
// documentation. A command line matches when its program (its base name, after wrappers such as
// sudo) is `program` and its first word that is not an option is one of `commands` (`bare`: also
// with no command word at all, as `yarn` alone installs). An option of `offline` makes it install
// only what is already on disk (pip's --no-index), so no registry is needed.
import type { Fact } from './facts';

export interface PackageInstaller {
  /** The program's base name (`apt-get`, `pip3`). */
  readonly program: string;
  /** The command words that install (`install`, `add`, `ci`); for `uv pip install` the two words joined by a space. */
  readonly commands: readonly string[];
  /** Installs with no command word too (`yarn`). */
  readonly bare?: true;
  /** What it downloads from: for messages (`the Debian archive`, `PyPI`, `the npm registry`). */
  readonly from: string;
  /** Options that make it install from local files only. */
  readonly offline?: readonly string[];
}

const APT: Fact<PackageInstaller[]> = {
  value: [
    { program: 'apt-get', commands: ['install'], from: "the distribution's package archive" },
    { program: 'apt', commands: ['install'], from: "the distribution's package archive" },
  ],
  source: {
    url: 'https://manpages.debian.org/bookworm/apt/apt-get.8.en.html',
    quote:
      'install is followed by one or more packages desired for installation or upgrading. … All packages required by the package(s) specified for installation will also be retrieved and installed.',
  },
};

const APK: Fact<PackageInstaller[]> = {
  value: [{ program: 'apk', commands: ['add'], from: "Alpine's package repositories" }],
  source: {
    url: 'https://man.archlinux.org/man/apk-add.8.en',
    quote:
      'apk add adds or updates given constraints to world (see apk-world(5)) and commit changes to disk. This usually involves installing new packages, but may also cause other changes to the installed packages.',
  },
};

const RPM: Fact<PackageInstaller[]> = {
  value: [
    { program: 'yum', commands: ['install'], from: "the distribution's package repositories" },
    { program: 'dnf', commands: ['install'], from: "the distribution's package repositories" },
    { program: 'microdnf', commands: ['install'], from: "the distribution's package repositories" },
  ],
  source: {
    url: 'https://dnf.readthedocs.io/en/latest/command_ref.html#install-command',
    quote: 'dnf [options] install <spec>... Makes sure that the given packages and their dependencies are installed on the system.',
  },
};

const PIP: Fact<PackageInstaller[]> = {
  value: [
    { program: 'pip', commands: ['install'], from: 'PyPI', offline: ['--no-index'] },
    { program: 'pip3', commands: ['install'], from: 'PyPI', offline: ['--no-index'] },
    { program: 'uv', commands: ['pip install', 'sync'], from: 'PyPI', offline: ['--offline', '--no-index'] },
    { program: 'poetry', commands: ['install'], from: 'PyPI' },
    { program: 'pipenv', commands: ['install', 'sync'], from: 'PyPI' },
  ],
  source: {
    url: 'https://pip.pypa.io/en/stable/cli/pip_install/',
    quote:
      'Install packages from: PyPI (and other indexes) using requirement specifiers. … --no-index: Ignore package index (only looking at --find-links URLs instead).',
    versions:
      'uv: https://docs.astral.sh/uv/reference/cli/#uv-sync ("Update the project\'s environment"); poetry install, pipenv install/sync likewise resolve and download from the index',
  },
};

const NODE: Fact<PackageInstaller[]> = {
  value: [
    { program: 'npm', commands: ['install', 'i', 'ci', 'add'], from: 'the npm registry', offline: ['--offline'] },
    { program: 'yarn', commands: ['install', 'add'], bare: true, from: 'the npm registry', offline: ['--offline'] },
    { program: 'pnpm', commands: ['install', 'i', 'add'], from: 'the npm registry', offline: ['--offline'] },
  ],
  source: {
    url: 'https://docs.npmjs.com/cli/v10/commands/npm-install',
    quote:
      'This command installs a package and any packages that it depends on. (npm ci: "This command is similar to npm install, except it\'s meant to be used in automated environments such as test platforms, continuous integration, and deployment"; yarn: "Running yarn with no command will run yarn install, passing through any provided flags", https://classic.yarnpkg.com/en/docs/cli/install)',
  },
};

/** Every package-installing command the analysis recognises on a command line. */
export const PACKAGE_INSTALLERS: readonly PackageInstaller[] = [APT, APK, RPM, PIP, NODE].flatMap((f) => f.value);
