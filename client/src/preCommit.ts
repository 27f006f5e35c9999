// "Install Git Pre-commit Hook": writes the pre-commit hook (in .git/hooks, or where core.hooksPath
// points) that runs the bundled django-deploy-check before each commit. An existing hook is never
// replaced without asking; when replaced, it is kept next to it as pre-commit.backup.
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import * as vscode from 'vscode';

import { HOOK_MARKER, hookScript, outsideWorkspace } from './hookScript';

export { HOOK_MARKER, hookScript };

/** The value of `core.hooksPath` in one git config file's text, if set (the last one wins, as in git). */
export function coreHooksPath(configText: string): string | undefined {
  let section = '';
  let value: string | undefined;
  for (const raw of configText.split(/\r?\n/)) {
    const line = raw.replace(/^\s+/, '');
    if (line.startsWith('#') || line.startsWith(';')) continue;
    // "[core]" or '[includeIf "gitdir:…"]': only the plain [core] section counts here
    const header = /^\[([^\]]*)\]\s*(.*)$/.exec(line);
    let rest = line;
    if (header) {
      section = header[1]!.trim().toLowerCase();
      rest = header[2]!;
    }
    if (section !== 'core') continue;
    const m = /^hookspath\s*=\s*(.*?)\s*$/i.exec(rest);
    if (m) value = m[1]!.replace(/^"(.*)"$/, '$1');
  }
  return value || undefined;
}

function readText(file: string): string | undefined {
  try {
    return fs.readFileSync(file, 'utf8');
  } catch {
    return undefined;
  }
}

/**
 * The hooks folder git uses for the repository that holds `folder`, or undefined when it is not in a
 * git repository. `core.hooksPath` is honoured from the repository's config, else from the user's
 * (~/.gitconfig, then $XDG_CONFIG_HOME/git/config): a hook written to .git/hooks while it is set would never
 * run. A linked worktree keeps its hooks and config in the main repository (its `commondir`).
 */
export function hooksDir(folder: string, home = os.homedir()): string | undefined {
  let dir = folder;
  for (;;) {
    const dotgit = path.join(dir, '.git');
    let gitDir: string | undefined;
    try {
      if (fs.statSync(dotgit).isDirectory()) gitDir = dotgit;
      else {
        const m = /^gitdir:\s*(.+)$/m.exec(fs.readFileSync(dotgit, 'utf8'));
        if (m) gitDir = path.resolve(dir, m[1]!.trim());
      }
    } catch {
      // no .git here
    }
    if (gitDir) {
      const common = readText(path.join(gitDir, 'commondir'))?.trim();
      const commonDir = common ? path.resolve(gitDir, common) : gitDir;
      const xdg = process.env.XDG_CONFIG_HOME || path.join(home, '.config');
      // the repository's own config overrides the user's, whose ~/.gitconfig overrides the XDG file
      const configs = [path.join(commonDir, 'config'), path.join(home, '.gitconfig'), path.join(xdg, 'git', 'config')];
      for (const config of configs) {
        const text = readText(config);
        const hooksPath = text === undefined ? undefined : coreHooksPath(text);
        if (!hooksPath) continue;
        // git reads "~/" as the home folder and a relative path from the top of the working tree
        return hooksPath.startsWith('~/') ? path.join(home, hooksPath.slice(2)) : path.resolve(dir, hooksPath);
      }
      return path.join(commonDir, 'hooks');
    }
    const parent = path.dirname(dir);
    if (parent === dir) return undefined;
    dir = parent;
  }
}

/** A name for the replaced hook that holds no earlier backup: pre-commit.backup, then pre-commit.backup.1, … */
export function backupPath(hook: string): string {
  let candidate = `${hook}.backup`;
  for (let n = 1; fs.existsSync(candidate) || isSymlink(candidate); n++) candidate = `${hook}.backup.${n}`;
  return candidate;
}

function isSymlink(file: string): boolean {
  try {
    return fs.lstatSync(file).isSymbolicLink();
  } catch {
    return false;
  }
}

/** A path to show the user: relative to the workspace when inside it. */
function shown(file: string): string {
  return vscode.workspace.asRelativePath(vscode.Uri.file(file), false);
}

export async function installPreCommitHook(context: vscode.ExtensionContext): Promise<void> {
  const folder = vscode.workspace.workspaceFolders?.[0];
  if (!folder) {
    void vscode.window.showWarningMessage('Open a folder first.');
    return;
  }
  // a hook runs on every commit: only a workspace the user trusts may have one written (the
  // command's enablement says so too; this holds when it is run some other way)
  if (!vscode.workspace.isTrusted) {
    void vscode.window.showWarningMessage('Installing the pre-commit hook needs a trusted workspace.');
    return;
  }
  const hooks = hooksDir(folder.uri.fsPath);
  if (!hooks) {
    void vscode.window.showWarningMessage(`${folder.name} is not in a git repository: run "git init" first.`);
    return;
  }
  if (
    outsideWorkspace(
      hooks,
      (vscode.workspace.workspaceFolders ?? []).map((f) => f.uri.fsPath),
    )
  ) {
    const choice = await vscode.window.showWarningMessage(
      `The repository's hooks folder is outside the workspace: ${hooks}`,
      { modal: true, detail: "It comes from the repository's core.hooksPath or its .git file. Write the pre-commit hook there?" },
      'Install There',
    );
    if (choice !== 'Install There') return;
  }
  const hook = path.join(hooks, 'pre-commit');
  const script = hookScript(context.asAbsolutePath(path.join('dist', 'cli.js')));
  let backup: string | undefined;
  if (fs.existsSync(hook) || isSymlink(hook)) {
    const current = readText(hook) ?? '';
    if (current === script) {
      void offerToOpen(hook, `The pre-commit hook is already installed (${shown(hook)}).`);
      return;
    }
    const ours = current.includes(HOOK_MARKER);
    if (!ours) backup = backupPath(hook);
    const choice = await vscode.window.showWarningMessage(
      ours
        ? 'An older Django Deploy Hygiene pre-commit hook is installed.'
        : `This repository already has a pre-commit hook (${shown(hook)}).`,
      {
        modal: true,
        detail: ours
          ? 'Update it to run the django-deploy-check of this version of the extension?'
          : `Replace it with one that runs django-deploy-check? The current hook will be kept as ${shown(backup!)}; it will no longer run.`,
      },
      ours ? 'Update' : 'Replace',
    );
    if (!choice) return;
    // renamed, not copied: a hook that is a symbolic link (to a script shared by several repositories)
    // stays a link, and its target is not overwritten by the new hook
    if (backup) fs.renameSync(hook, backup);
    else fs.rmSync(hook, { force: true });
  }
  fs.mkdirSync(hooks, { recursive: true });
  fs.writeFileSync(hook, script, { mode: 0o755 });
  fs.chmodSync(hook, 0o755); // the mode of writeFileSync is reduced by the umask
  const kept = backup ? ` The previous hook is kept as ${shown(backup)}.` : '';
  void offerToOpen(hook, `Installed ${shown(hook)}: commits now run django-deploy-check (errors block the commit).${kept}`);
}

/** An information message with the button "Open Hook" (with a button the toast shows the whole message, not one line). */
async function offerToOpen(hook: string, message: string): Promise<void> {
  const open = 'Open Hook';
  if ((await vscode.window.showInformationMessage(message, open)) === open) {
    await vscode.window.showTextDocument(vscode.Uri.file(hook));
  }
}
