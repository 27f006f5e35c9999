// The project runners a command line may start a program through, in the project's environment:
// `uv run CMD`, `poetry run CMD`, `pipenv run CMD`, `pdm run CMD`, `hatch run [ENV:]CMD`. The program
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

export const PROJECT_RUNNERS: readonly Fact<ProjectRunner>[] = [UV, POETRY, PIPENV, PDM, HATCH];

/** The index of the program a project runner at `words[i]` runs (after `run`, its options and a `--`), or -1 when `words[i]` starts no runner's `run`. */
export function afterProjectRunner(words: readonly string[], i: number): number {
  const runner = PROJECT_RUNNERS.find((r) => r.value.program === words[i]?.replace(/^.*\//, ''))?.value;
  if (!runner || words[i + 1] !== runner.command) return -1;
  let k = i + 2;
  while (k < words.length && words[k]!.startsWith('-') && words[k] !== '--') k += runner.withValue.includes(words[k]!) ? 2 : 1;
  if (words[k] === '--') k++;
  return k;
}

/** The command word a runner passes on: hatch's `ENV:cmd` without its environment. */
export function runnerCommandWord(words: readonly string[], i: number, at: number): string | undefined {
  const w = words[at];
  const runner = PROJECT_RUNNERS.find((r) => r.value.program === words[i]?.replace(/^.*\//, ''))?.value;
  return w !== undefined && runner?.envPrefix && /^[\w.-]+:[^:]/.test(w) ? w.slice(w.indexOf(':') + 1) : w;
}
