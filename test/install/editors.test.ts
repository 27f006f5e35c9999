// The README's configuration for Neovim 0.7–0.10, run as written in Debian's Neovim (installed here
// when missing): headless, it opens a settings module of a project and must show our diagnostic on
// the hardcoded key. The language server is the checkout's build, reached through PATH under the
// name the README uses.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { after, before, describe, it } from 'node:test';

import { ensureDebianPackages } from '../helpers/debian.cjs';
import { FIXTURES, REPO, SERVER } from '../helpers/paths';

/** The Lua between the README's `<!-- neovim-0.7:begin -->` and `:end` markers, without the fence. */
function documentedConfig(): string {
  const readme = fs.readFileSync(path.join(REPO, 'README.md'), 'utf8');
  const m = /<!-- neovim-0\.7:begin -->\n```lua\n([\s\S]*?)```\n<!-- neovim-0\.7:end -->/.exec(readme);
  assert.ok(m, 'the README has the marked Neovim configuration');
  return m[1]!;
}

// After the configuration: wait for our diagnostic on the key, write every diagnostic of the buffer
// to a file, and quit (with an error code when it never came).
const PROBE = `
local ok = vim.wait(90000, function()
  for _, d in ipairs(vim.diagnostic.get(0)) do if d.code == 'DDH101' then return true end end
  return false
end, 100)
local out = {}
for _, d in ipairs(vim.diagnostic.get(0)) do
  table.insert(out, string.format('%d:%d %s %s %s', d.lnum + 1, d.col + 1, tostring(d.code), tostring(d.source), d.message))
end
vim.fn.writefile(out, vim.env.DDH_NVIM_OUT)
vim.cmd(ok and 'qa!' or 'cq!')
`;

describe('Neovim, configured as the README says', () => {
  let tmp: string;
  let unavailable: string | undefined;

  before(() => {
    try {
      ensureDebianPackages(['neovim'], { log: (m: string) => process.stderr.write(`${m}\n`) });
    } catch (e) {
      if (process.env.CI === 'true') throw e; // on CI a missing Neovim is a failure, never a skip
      unavailable = (e as Error).message;
      return;
    }
    tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'ddh-nvim-'));
    fs.cpSync(path.join(FIXTURES, 'install/precommit'), path.join(tmp, 'project'), { recursive: true });
    fs.mkdirSync(path.join(tmp, 'bin'));
    fs.symlinkSync(SERVER, path.join(tmp, 'bin', 'django-deploy-hygiene-lsp'));
    fs.writeFileSync(path.join(tmp, 'init.lua'), documentedConfig());
    fs.writeFileSync(path.join(tmp, 'probe.lua'), PROBE);
  });
  after(() => tmp && fs.rmSync(tmp, { recursive: true, force: true }));

  it('shows DDH101 on the hardcoded key of an opened settings module', (t) => {
    if (unavailable) return t.skip(`Neovim is not installed and cannot be: ${unavailable}`);
    const out = path.join(tmp, 'diagnostics.txt');
    const r = spawnSync(
      'nvim',
      ['--headless', '--clean', '-u', path.join(tmp, 'init.lua'), '-c', `luafile ${path.join(tmp, 'probe.lua')}`, 'shop/settings.py'],
      {
        cwd: path.join(tmp, 'project'),
        env: {
          ...process.env,
          PATH: `${path.join(tmp, 'bin')}${path.delimiter}${process.env.PATH}`,
          DDH_NVIM_OUT: out,
          HOME: tmp,
          XDG_STATE_HOME: tmp,
        },
        encoding: 'utf8',
        timeout: 150_000,
      },
    );
    const lines = fs.existsSync(out) ? fs.readFileSync(out, 'utf8').trim().split('\n') : [];
    // Neovim's LSP log (under the HOME/XDG folders given above) says why, should the server not answer
    const logs = ['.cache/nvim/lsp.log', 'nvim/lsp.log'].map((f) => path.join(tmp, f)).filter((f) => fs.existsSync(f));
    const log = logs.map((f) => fs.readFileSync(f, 'utf8').slice(-3000)).join('\n');
    assert.equal(r.status, 0, `nvim exited ${r.status}; diagnostics: ${lines.join(' | ')}; stderr: ${r.stderr}; LSP log: ${log}`);
    assert.ok(
      lines.some((l) => l.startsWith('8:14 DDH101 Django Deploy Hygiene SECRET_KEY is hardcoded')),
      lines.join('\n'),
    );
    assert.ok(!lines.some((l) => l.includes('q8#n2v')), 'the key is never shown');
  });
});
