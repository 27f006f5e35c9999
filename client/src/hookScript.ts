// The pre-commit hook's text and where it may be written, apart from VS Code (unit-tested).
import * as fs from 'node:fs';
import * as path from 'node:path';

export const HOOK_MARKER = '# installed by Django Deploy Hygiene';

/** `text` as one sh word that nothing expands: single quotes, a quote inside written as '\\''. */
export function shQuote(text: string): string {
  return `'${text.replace(/'/g, `'\\''`)}'`;
}

/**
 * The hook: runs the CLI of the extension that installed it. After the extension updates, that
 * path is gone, so the hook looks for the newest installed copy of the extension (VS Code, its
 * server, Insiders, VSCodium, code-server), then for a `django-deploy-check` on the PATH. Without
 * either it says so and lets the commit through rather than blocking every commit. The path is
 * quoted for sh with single quotes: inside double quotes `$(...)` and backticks would run.
 */
export function hookScript(cliPath: string): string {
  return `#!/bin/sh
${HOOK_MARKER}: checks the production settings, gunicorn
# configs and process files before each commit. Remove this file to stop it.
CLI=${shQuote(cliPath)}
if [ ! -f "$CLI" ]; then
  for dir in "$HOME/.vscode/extensions" "$HOME/.vscode-server/extensions" "$HOME/.vscode-insiders/extensions" "$HOME/.vscode-oss/extensions" "$HOME/.local/share/code-server/extensions"; do
    for found in "$dir"/django-deploy-hygiene.django-deploy-hygiene-*/dist/cli.js; do
      [ -f "$found" ] && CLI="$found"
    done
  done
fi
if command -v node >/dev/null 2>&1 && [ -f "$CLI" ]; then
  exec node "$CLI" . --fail-on error
fi
if command -v django-deploy-check >/dev/null 2>&1; then
  exec django-deploy-check . --fail-on error
fi
echo "django-deploy-check: neither Node.js with the Django Deploy Hygiene extension nor django-deploy-check was found; the check was skipped." >&2
exit 0
`;
}

/** The real path of `file`, or of its nearest folder that exists with the rest appended. */
function realPathOf(file: string): string {
  let dir = path.resolve(file);
  const rest: string[] = [];
  for (;;) {
    try {
      return path.join(fs.realpathSync(dir), ...rest);
    } catch {
      const up = path.dirname(dir);
      if (up === dir) return path.resolve(file);
      rest.unshift(path.basename(dir));
      dir = up;
    }
  }
}

/**
 * Whether the hooks folder lies outside every workspace folder once symlinks are resolved: a
 * repository's `core.hooksPath` or a `.git` file's `gitdir:` can point anywhere on disk, and the
 * hook is then written only after the user confirms.
 */
export function outsideWorkspace(hooks: string, folders: readonly string[]): boolean {
  const real = realPathOf(hooks);
  return !folders.some((f) => {
    const rel = path.relative(realPathOf(f), real);
    return rel === '' || (rel !== '..' && !rel.startsWith('..' + path.sep) && !path.isAbsolute(rel));
  });
}
