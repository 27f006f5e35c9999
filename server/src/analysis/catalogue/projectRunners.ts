// The project runners a command line may start a program through, in the project's environment:
// `uv run CMD`, `poetry run CMD`, `pipenv run CMD`, `pdm run CMD`, `hatch run [ENV:]CMD`, `rye run CMD`,
// `pixi run CMD`, `conda run -n ENV CMD`. The program
// they run is the word after the runner's `run` and its own options (those in `withValue` followed by
// their value); hatch's may carry its environment's name before a colon. Each with the tool's own
// documentation.
import type { Fact } from './facts';

export interface ProjectRunner {
  /** The program's base name (`uv`). */
  readonly program: string;
  /** The subcommand that runs a command (`run`). */
  readonly command: string;
  /** Its options that take the next word as their value. */
  readonly withValue: readonly string[];
  /** The command's first word may be `ENV:CMD`, the environment to run it in (hatch). */
  readonly envPrefix?: true;
}

const UV: Fact<ProjectRunner> = {
  value: {
    program: 'uv',
    command: 'run',
    withValue: [
      '--with',
      '--with-editable',
      '--with-requirements',
      '--python',
      '-p',
      '--project',
      '--directory',
      '--package',
      '--group',
      '--extra',
      '--env-file',
      '--index',
      '--index-url',
    ],
  },
  source: {
    url: 'https://docs.astral.sh/uv/reference/cli/#uv-run',
    quote: 'Run a command or script. Ensures that the command runs in a Python environment.',
  },
};

const POETRY: Fact<ProjectRunner> = {
  value: { program: 'poetry', command: 'run', withValue: ['--directory', '-C', '--project', '-P'] },
  source: {
    url: 'https://python-poetry.org/docs/cli/#run',
    quote: "The run command executes the given command inside the project's virtualenv.",
  },
};

const PIPENV: Fact<ProjectRunner> = {
  value: { program: 'pipenv', command: 'run', withValue: ['--python', '--pypi-mirror'] },
  source: {
    url: 'https://pipenv.pypa.io/en/latest/cli.html',
    // (the run command's help, as pipenv --help and the CLI reference print it)
    quote: 'Spawns a command installed into the virtualenv.',
  },
};

const PDM: Fact<ProjectRunner> = {
  value: { program: 'pdm', command: 'run', withValue: ['-p', '--project', '--venv'] },
  source: {
    url: 'https://pdm-project.org/latest/usage/scripts/',
    quote: 'Like npm run, with PDM, you can run arbitrary scripts or commands with local packages loaded. … pdm run flask run -p 54321',
  },
};

const HATCH: Fact<ProjectRunner> = {
  value: { program: 'hatch', command: 'run', withValue: [], envPrefix: true },
  source: {
    url: 'https://hatch.pypa.io/latest/cli/reference/#hatch-run',
    quote:
      'Run commands within project environments. … If the first argument contains a colon, then the preceding component will be interpreted as the name of the environment to target',
  },
};

const RYE: Fact<ProjectRunner> = {
  value: { program: 'rye', command: 'run', withValue: ['--pyproject'] },
  source: {
    url: 'https://rye-up.com/guide/pyproject/',
    quote: 'Scripts can be installed using rye sync and run using rye run',
  },
};

const PIXI: Fact<ProjectRunner> = {
  value: { program: 'pixi', command: 'run', withValue: ['-e', '--environment', '--manifest-path', '-p', '--platform'] },
  source: {
    url: 'https://pixi.prefix.dev/latest/reference/cli/pixi/run',
    quote:
      "Runs task in the pixi environment … The pixi task or a task shell command you want to run in the workspace's environment, which can be an executable in the environment's PATH … --environment (-e) <ENVIRONMENT>- The environment to run the task in",
  },
};

const CONDA: Fact<ProjectRunner> = {
  value: { program: 'conda', command: 'run', withValue: ['-n', '--name', '-p', '--prefix', '--cwd'] },
  source: {
    url: 'https://docs.conda.io/projects/conda/en/stable/commands/run.html',
    quote:
      "Run an executable in a conda environment. usage: conda run [-h] [-n ENVIRONMENT | -p PATH] [-v] [--dev] [--debug-wrapper-scripts] [--cwd CWD] [-s] … Use '--' to separate conda run's options from the executable's options",
  },
};

export const PROJECT_RUNNERS: readonly Fact<ProjectRunner>[] = [UV, POETRY, PIPENV, PDM, HATCH, RYE, PIXI, CONDA];

/** The runner whose program has the base name `base`, if any. */
export function projectRunner(base: string): ProjectRunner | undefined {
  return PROJECT_RUNNERS.find((r) => r.value.program === base)?.value;
}

/** The index of the program a project runner at `words[i]` runs (after `run`, its options and a `--`), or -1 when `words[i]` starts no runner's `run`. */
export function afterProjectRunner(words: readonly string[], i: number): number {
  const runner = projectRunner(words[i]?.replace(/^.*\//, '') ?? '');
  if (!runner || words[i + 1] !== runner.command) return -1;
  let k = i + 2;
  while (k < words.length && words[k]!.startsWith('-') && words[k] !== '--') k += runner.withValue.includes(words[k]!) ? 2 : 1;
  if (words[k] === '--') k++;
  return k;
}

/** The command word a runner passes on: hatch's `ENV:cmd` without its environment. */
export function runnerCommandWord(words: readonly string[], i: number, at: number): string | undefined {
  const w = words[at];
  const runner = projectRunner(words[i]?.replace(/^.*\//, '') ?? '');
  return w !== undefined && runner?.envPrefix && /^[\w.-]+:[^:]/.test(w) ? w.slice(w.indexOf(':') + 1) : w;
}
