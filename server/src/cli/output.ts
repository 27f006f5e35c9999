// What every command of the CLI writes with: its version, paths relative to the analysed folder,
// its messages on stderr (escaped: a path or a message never starts a line of its own), the progress
// line of a run through several projects, and DDH_TIMING's phase times.
import * as path from 'node:path';
import { escapeControl } from '../analysis/base/controlChars';

declare const DDH_VERSION: string | undefined;
export const VERSION = typeof DDH_VERSION === 'string' ? DDH_VERSION : '0.0.0-dev';

/** `file` relative to `root` with forward slashes ('.' for the root itself). */
export function rel(root: string, file: string): string {
  return path.relative(root, file).split(path.sep).join('/') || '.';
}

/** Control characters escaped: a path or a message never starts a line of its own (see controlChars.ts). */
export const clean = escapeControl;

/** Writes one line to stderr, escaped. */
export function say(message: string): void {
  process.stderr.write(`django-deploy-check: ${clean(message)}\n`);
}

/** Said when PATH holds no Django project. */
export const NO_PROJECT = 'django-deploy-check: no Django project found (no manage.py, wsgi.py or settings module)\n';

/** DDH_TIMING=1: when each phase ended, in ms since the process started (for benchmarks). */
export function timing(phase: string): void {
  if (process.env.DDH_TIMING === '1') process.stderr.write(`django-deploy-check: timing ${phase} ${performance.now().toFixed(1)} ms\n`);
}

export interface Progress {
  onProject?: (index: number, count: number, dir: string) => void;
  done(): void;
}

/**
 * A progress line on stderr while a run goes through several projects, when stderr is a terminal
 * (rewritten in place; done() clears it); nothing otherwise.
 */
export function progress(root: string): Progress {
  let shown = false;
  if (!process.stderr.isTTY || process.env.CI) return { done: () => undefined };
  return {
    onProject: (index, count, dir) => {
      if (count < 2) return;
      shown = true;
      process.stderr.write(
        `\r\x1b[2K${`analysing ${index + 1}/${count}: ${clean(rel(root, dir))}`.slice(0, (process.stderr.columns ?? 80) - 1)}`,
      );
    },
    done: () => {
      if (shown) process.stderr.write('\r\x1b[2K');
      shown = false;
    },
  };
}
