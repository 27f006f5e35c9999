// "Install a git pre-commit hook": writes .git/hooks/pre-commit (or core.hooksPath) that runs the
// bundled django-deploy-check before each commit. An existing hook is never replaced without asking;
// when replaced, it is kept as pre-commit.backup.
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';

export const HOOK_MARKER = '# installed by Django Deploy Hygiene';

/** The hooks folder of the repository that holds `folder`, or undefined when it is not a git repository. */
export function hooksDir(folder: string): string | undefined {
  let dir = folder;
  for (;;) {
    const dotgit = path.join(dir, '.git');
    let gitDir: string | undefined;
    try {
      const st = fs.statSync(dotgit);
      if (st.isDirectory()) gitDir = dotgit;
      else {
        const m = /^gitdir:\s*(.+)$/m.exec(fs.readFileSync(dotgit, 'utf8'));
        if (m) gitDir = path.resolve(dir, m[1]!.trim());
      }
    } catch {
      // not here
    }
    if (gitDir) {
      try {
        const config = fs.readFileSync(path.join(gitDir, 'config'), 'utf8');
        const m = /^\s*hookspath\s*=\s*(.+)$/im.exec(config);
        if (m) return path.resolve(dir, m[1]!.trim());
      } catch {
        // no config
      }
      return path.join(gitDir, 'hooks');
    }
    const parent = path.dirname(dir);
    if (parent === dir) return undefined;
    dir = parent;
  }
}

export function hookScript(cliPath: string): string {
  return `#!/bin/sh
${HOOK_MARKER}: checks the production settings, gunicorn
# configs and process files before each commit. Remove this file to stop it.
CLI=${JSON.stringify(cliPath)}
if command -v node >/dev/null 2>&1 && [ -f "$CLI" ]; then
  exec node "$CLI" . --fail-on error
fi
if command -v npx >/dev/null 2>&1; then
  exec npx --yes --package django-deploy-hygiene django-deploy-check . --fail-on error
fi
echo "django-deploy-check: Node.js is not installed; the check was skipped." >&2
exit 0
`;
}

export async function installPreCommitHook(context: vscode.ExtensionContext): Promise<void> {
  const folder = vscode.workspace.workspaceFolders?.[0];
  if (!folder) {
    void vscode.window.showWarningMessage('Open a folder first.');
    return;
  }
  const hooks = hooksDir(folder.uri.fsPath);
  if (!hooks) {
    void vscode.window.showWarningMessage(`${folder.name} is not in a git repository.`);
    return;
  }
  const hook = path.join(hooks, 'pre-commit');
  const script = hookScript(context.asAbsolutePath(path.join('dist', 'cli.js')));
  if (fs.existsSync(hook)) {
    const current = fs.readFileSync(hook, 'utf8');
    if (current === script) {
      void vscode.window.showInformationMessage('The pre-commit hook is already installed.');
      return;
    }
    const ours = current.includes(HOOK_MARKER);
    const choice = await vscode.window.showWarningMessage(
      ours ? 'An older Django Deploy Hygiene pre-commit hook is installed. Update it?' : 'This repository already has a pre-commit hook. Replace it? The current one will be kept as pre-commit.backup.',
      { modal: true },
      ours ? 'Update' : 'Replace',
    );
    if (!choice) return;
    if (!ours) fs.copyFileSync(hook, hook + '.backup');
  }
  fs.mkdirSync(hooks, { recursive: true });
  fs.writeFileSync(hook, script, { mode: 0o755 });
  fs.chmodSync(hook, 0o755);
  void vscode.window.showInformationMessage(`Installed ${vscode.workspace.asRelativePath(hook)}: commits now run django-deploy-check (errors block the commit).`);
}
