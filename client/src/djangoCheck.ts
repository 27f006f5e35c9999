// "Run Django's check --deploy": only when the user asks and only in a trusted workspace, runs the
// project's Python on manage.py check --deploy --settings=<production module>, and sends what Django
// reported to the server, which merges it into the checklist. It never runs by itself.
import { execFile } from 'node:child_process';
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { DjangoCheckMessage, DjangoCheckResult, WireChecklist } from '../../server/src/protocol';

interface PythonExtensionApi {
  environments?: {
    getActiveEnvironmentPath(resource?: vscode.Uri): { path: string };
    resolveEnvironment(env: { path: string }): Promise<{ executable: { uri?: vscode.Uri } } | undefined>;
  };
}

/** The Python to run: the Python extension's selected interpreter, else the setting, else python3. */
export async function pythonFor(folder: vscode.Uri): Promise<{ command: string; source: string }> {
  const ext = vscode.extensions.getExtension<PythonExtensionApi>('ms-python.python');
  if (ext) {
    try {
      const api = ext.isActive ? ext.exports : await ext.activate();
      const envPath = api.environments?.getActiveEnvironmentPath(folder);
      const env = envPath ? await api.environments!.resolveEnvironment(envPath) : undefined;
      const exe = env?.executable.uri?.fsPath;
      if (exe) return { command: exe, source: "the Python extension's selected interpreter" };
    } catch {
      // fall through to the setting
    }
  }
  const configured = vscode.workspace.getConfiguration('djangoDeployHygiene', folder).get<string>('pythonPath');
  if (configured) return { command: configured, source: 'the djangoDeployHygiene.pythonPath setting' };
  return { command: 'python3', source: 'python3 on the PATH' };
}

/** Parses `manage.py check` output: lines like "?: (security.W004) You have not set …". */
export function parseCheckOutput(output: string): DjangoCheckMessage[] {
  const out: DjangoCheckMessage[] = [];
  for (const line of output.split(/\r?\n/)) {
    const m = /^(?:[^:\s]+:\s*)?\(([a-z_0-9]+(?:\.[a-z_0-9]+)*\.([EWCI])\d{3})\)\s*(.*)$/i.exec(line.trim());
    if (!m) continue;
    const level = { E: 'error', W: 'warning', C: 'critical', I: 'info' }[m[2]!.toUpperCase()] ?? 'warning';
    out.push({ id: m[1]!, level, message: m[3]!.trim() });
  }
  return out;
}

export async function runDjangoCheck(checklist: WireChecklist, output: vscode.LogOutputChannel): Promise<DjangoCheckResult | undefined> {
  // (the buttons also make VS Code show the whole message in its toast, which it otherwise cuts to a line)
  if (!vscode.workspace.isTrusted) {
    void vscode.window
      .showWarningMessage(
        "Running Django's check --deploy executes the project's code, so it needs a trusted workspace.",
        'Manage Workspace Trust',
      )
      .then((a) => a && vscode.commands.executeCommand('workbench.trust.manage'));
    return undefined;
  }
  if (!checklist.production) {
    void vscode.window
      .showWarningMessage('No production settings module is known for this project: choose one first.', 'Choose Production Settings')
      .then((a) => a && vscode.commands.executeCommand('djangoDeployHygiene.chooseProductionSettings'));
    return undefined;
  }
  const root = checklist.root;
  const manage = path.join(root, 'manage.py');
  try {
    await vscode.workspace.fs.stat(vscode.Uri.file(manage));
  } catch {
    void vscode.window.showWarningMessage(`There is no manage.py in ${root}.`);
    return undefined;
  }
  const python = await pythonFor(vscode.Uri.file(root));
  const args = ['manage.py', 'check', '--deploy', `--settings=${checklist.production.module}`];
  output.info(`Running ${python.command} ${args.join(' ')} in ${root} (${python.source})`);
  const ranAt = new Date().toISOString();
  const result = await vscode.window.withProgress(
    { location: vscode.ProgressLocation.Notification, title: "Running Django's check --deploy…", cancellable: true },
    (_progress, token) =>
      new Promise<DjangoCheckResult>((resolve) => {
        const child = execFile(
          python.command,
          args,
          { cwd: root, timeout: 120_000, maxBuffer: 4 * 1024 * 1024, env: { ...process.env, PYTHONUNBUFFERED: '1' } },
          (error, stdout, stderr) => {
            const text = `${stdout}\n${stderr}`;
            output.info(text.trim());
            const messages = parseCheckOutput(text);
            const ran = /System check identified/.test(text) || messages.length > 0;
            if (ran) resolve({ root, ok: true, messages, ranAt });
            else {
              const why = (stderr.trim().split(/\r?\n/).pop() || error?.message || 'no output').slice(0, 300);
              resolve({ root, ok: false, messages: [], error: why, ranAt });
            }
          },
        );
        token.onCancellationRequested(() => child.kill());
      }),
  );
  if (result.ok) {
    void vscode.window.showInformationMessage(
      // short enough for a toast's one line (about 60 characters), which cuts the rest off
      result.messages.length === 0
        ? "Django's check --deploy found no issues."
        : `Django's check --deploy: ${result.messages.length} issue${result.messages.length === 1 ? '' : 's'}, now in the checklist.`,
    );
  } else {
    void vscode.window
      .showErrorMessage(`Django's check --deploy could not run: ${result.error}`, 'Show Output')
      .then((a) => a && output.show());
  }
  return result;
}
