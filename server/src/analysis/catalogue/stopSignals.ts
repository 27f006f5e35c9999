// Which signal a platform stops a process with, and what an app server does with each.
import type { Fact } from './facts';

/** fly.io sends SIGINT to stop a machine's process unless fly.toml's kill_signal names another. */
export const FLY_KILL_SIGNAL: Fact<string> = {
  value: 'SIGINT',
  knob: 'kill_signal',
  source: {
    url: 'https://fly.io/docs/reference/configuration/#runtime-options',
    quote:
      'When shutting down a Fly app instance, by default, Fly sends a SIGINT signal to the running process. Typically this triggers a hard shutdown option on most applications. The kill_signal option allows you to change what signal is sent so that you can trigger a softer, less disruptive shutdown.',
  },
};

/** Gunicorn's arbiter: TERM stops gracefully; INT and QUIT stop at once. */
export const GUNICORN_STOP_SIGNALS: Fact<{ readonly graceful: string; readonly quick: readonly string[] }> = {
  value: { graceful: 'SIGTERM', quick: ['SIGINT', 'SIGQUIT'] },
  knob: 'graceful_timeout',
  source: {
    url: 'https://docs.gunicorn.org/en/stable/signals.html',
    quote:
      'QUIT, INT: Quick shutdown. TERM: Graceful shutdown. Waits for workers to finish their current requests up to the graceful_timeout.',
  },
};
