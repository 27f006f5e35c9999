// Where the platforms that run a Procfile look for it: the app's root folder only. A Procfile in a
// subfolder (docker/Procfile) is run only by what names it (`honcho -f docker/Procfile start`).
import type { Source } from './facts';

/** The platforms that read a Procfile at the app's root and nowhere else, each with its words. */
export const PROCFILE_AT_ROOT_ONLY: readonly { readonly platform: string; readonly source: Source }[] = [
  {
    platform: 'Heroku',
    source: {
      url: 'https://devcenter.heroku.com/articles/procfile',
      quote: 'The Procfile must live in your app’s root directory. It does not function if placed anywhere else.',
    },
  },
  {
    platform: 'Google Cloud’s buildpacks',
    source: {
      url: 'https://cloud.google.com/docs/buildpacks/about-procfile',
      quote: 'The Procfile must live in your project’s root directory and cannot be placed anywhere else.',
    },
  },
];

/** The programs that run the processes of a Procfile they are given (`-f PATH`, `--procfile PATH`). */
export const PROCFILE_RUNNERS: readonly string[] = ['honcho', 'foreman', 'forego', 'overmind', 'hivemind'];
