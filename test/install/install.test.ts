// The install paths a user takes outside VS Code, for real: `npm pack` gives a tarball that
// `npm install -g` installs with no devDependencies and no network, whose two executables run —
// `django-deploy-check`, and `django-deploy-hygiene-lsp` started the way other editors start a
// language server (a bare command on stdio, no workspace/configuration, settings in
// initializationOptions, the checklist through workspace/executeCommand).
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { CodeAction, Hover } from 'vscode-languageserver-protocol';

import { TestClient, uri } from '../helpers/lspClient';
import { CLI, FIXTURES, REPO } from '../helpers/paths';

const PROJECT = path.join(FIXTURES, 'install/precommit');
const pkg = JSON.parse(fs.readFileSync(path.join(REPO, 'package.json'), 'utf8')) as { version: string; bin: Record<string, string> };

/** npm with the repository's own configuration, building into the repository (as a user's clone does). */
function npm(args: string[], cwd: string): { status: number | null; stdout: string; stderr: string } {
  const env = { ...process.env };
  delete env.DDH_BUILD_DIR; // `npm pack` runs the build, which must land in the repository's dist/
  const r = spawnSync('npm', args, { cwd, env, encoding: 'utf8', timeout: 300_000 });
  return { status: r.status, stdout: r.stdout ?? '', stderr: (r.stderr ?? '') + (r.error ? String(r.error) : '') };
}

describe('npm pack → npm install -g (no devDependencies, offline)', () => {
  let tmp: string;
  let prefix: string;
  let bin: (name: string) => string;

  before(() => {
    tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'ddh-install-'));
    prefix = path.join(tmp, 'prefix');
    bin = (name) => path.join(prefix, 'bin', name);
  });
  after(() => fs.rmSync(tmp, { recursive: true, force: true }));

  it('npm pack prints only the tarball name on stdout (pre-commit reads it from there)', () => {
    const r = npm(['pack', '--pack-destination', tmp], REPO);
    assert.equal(r.status, 0, r.stderr);
    assert.deepEqual(r.stdout.trim().split('\n'), [`django-deploy-hygiene-${pkg.version}.tgz`]);
  });

  it('installs globally from the tarball without the network, with both executables', () => {
    const tgz = path.join(tmp, `django-deploy-hygiene-${pkg.version}.tgz`);
    const r = npm(['install', '--global', '--offline', '--omit=dev', '--no-audit', '--no-fund', '--prefix', prefix, tgz], tmp);
    assert.equal(r.status, 0, r.stderr);
    assert.deepEqual(Object.keys(pkg.bin).sort(), ['django-deploy-check', 'django-deploy-hygiene-lsp']);
    for (const name of Object.keys(pkg.bin)) assert.ok(fs.existsSync(bin(name)), `${name} installed`);
    // nothing but our own files: the bundles carry their dependencies
    const installed = path.join(prefix, 'lib/node_modules/django-deploy-hygiene');
    assert.ok(!fs.existsSync(path.join(installed, 'node_modules')), 'no dependencies installed');
    assert.ok(!fs.existsSync(path.join(installed, 'server/src')), 'no sources in the package');
  });

  it('django-deploy-check runs and says what the checkout says', () => {
    const installed = spawnSync(bin('django-deploy-check'), [PROJECT, '--format', 'json', '--fail-on', 'never'], { encoding: 'utf8' });
    const local = spawnSync(process.execPath, [CLI, PROJECT, '--format', 'json', '--fail-on', 'never'], { encoding: 'utf8' });
    assert.equal(installed.status, 0, installed.stderr);
    const codes = (out: string) =>
      (JSON.parse(out) as { diagnostics: { code: string; line: number }[] }).diagnostics.map((d) => `${d.code}:${d.line}`);
    assert.deepEqual(codes(installed.stdout), codes(local.stdout));
    assert.ok(codes(installed.stdout).includes('DDH101:8'));
    const v = spawnSync(bin('django-deploy-check'), ['--version'], { encoding: 'utf8' });
    assert.match(v.stdout, new RegExp(pkg.version.replace(/\./g, '\\.')));
  });

  it('django-deploy-hygiene-lsp --version and --help answer without starting a server', () => {
    const v = spawnSync(bin('django-deploy-hygiene-lsp'), ['--version'], { encoding: 'utf8', timeout: 10_000 });
    assert.equal(v.status, 0);
    assert.equal(v.stdout.trim(), `django-deploy-hygiene-lsp ${pkg.version}`);
    const h = spawnSync(bin('django-deploy-hygiene-lsp'), ['--help'], { encoding: 'utf8', timeout: 10_000 });
    assert.match(h.stdout, /initializationOptions/);
  });

  it('django-deploy-hygiene-lsp, started as other editors start it: diagnostics, hover, code actions, checklist', async () => {
    const settingsFile = path.join(PROJECT, 'shop/settings.py');
    // A bare command (Helix, Zed, Sublime LSP), settings only in initializationOptions.
    const client = await TestClient.startBare(bin('django-deploy-hygiene-lsp'), [], PROJECT, { settings: { disabledRules: ['DDH304'] } });
    try {
      await client.waitFor(() => client.codesFor(settingsFile).includes('DDH101'), 'DDH101 on the hardcoded key', 20_000);
      assert.ok(!client.codesFor(settingsFile).includes('DDH304'), 'initializationOptions disabled DDH304');
      assert.equal(client.configurationRequests, 0, 'no workspace/configuration request to a client without it');

      // the editor opens the file, then asks about the squiggle under the cursor
      await client.open(settingsFile, fs.readFileSync(settingsFile, 'utf8'));
      await client.waitFor(() => client.codesFor(settingsFile).includes('DDH101'), 'DDH101 after didOpen', 20_000);
      const key = client.diagnostics.get(uri(settingsFile))!.find((d) => d.code === 'DDH101')!;
      const hover = (await client.connection.sendRequest('textDocument/hover', {
        textDocument: { uri: uri(settingsFile) },
        position: key.range.start,
      })) as Hover;
      assert.match(JSON.stringify(hover.contents), /hardcoded-secret-key/);

      const actions = (await client.connection.sendRequest('textDocument/codeAction', {
        textDocument: { uri: uri(settingsFile) },
        range: key.range,
        context: { diagnostics: [key] },
      })) as CodeAction[];
      assert.ok(
        actions.some((a) => /environment/i.test(a.title) && a.edit),
        `a fix to the environment among ${actions.map((a) => a.title).join(' | ')}`,
      );

      const viaCommand = (await client.connection.sendRequest('workspace/executeCommand', {
        command: 'djangoDeployHygiene.getChecklist',
        arguments: [],
      })) as {
        checklists: { production?: { module: string }; counts: Record<string, number> }[];
      };
      const viaRequest = (await client.connection.sendRequest('djangoDeployHygiene/checklist')) as typeof viaCommand;
      assert.equal(viaCommand.checklists[0]?.production?.module, 'shop.settings');
      assert.deepEqual(viaCommand.checklists[0]?.counts, viaRequest.checklists[0]?.counts);
      assert.ok((viaCommand.checklists[0]?.counts.failing ?? 0) >= 1);
      const markdown = (await client.connection.sendRequest('workspace/executeCommand', {
        command: 'djangoDeployHygiene.getChecklistMarkdown',
        arguments: [],
      })) as string;
      assert.match(markdown, /^### Production checklist/);
      assert.doesNotMatch(markdown, /q8#n2v/, 'the key never appears');

      // Settings pushed with didChangeConfiguration (clients without workspace/configuration).
      await client.connection.sendNotification('workspace/didChangeConfiguration', {
        settings: { djangoDeployHygiene: { disabledRules: ['DDH101', 'DDH102'] } },
      });
      await client.waitFor(() => !client.codesFor(settingsFile).includes('DDH101'), 'DDH101 disabled by didChangeConfiguration', 20_000);
      assert.ok(client.codesFor(settingsFile).includes('DDH304'), 'the new settings replace the initial ones');
    } finally {
      await client.stop();
    }
  });
});
