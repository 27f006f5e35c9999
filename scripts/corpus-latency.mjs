// Keystroke latency on real projects: for each project of the extracted development corpus
// (../shared/corpus, extracted with its extract.sh), the language server is started on the
// project's root with its production settings module, the production module and the largest other
// settings module it reads are opened, and single-character edits are typed inside their string
// literals; each is timed until the diagnostics for that version arrive. A script, not a test: it
// prints median and p95 per project and file (and its first three keystrokes), and asserts nothing.
//
// `--settle MS`: typing starts that long after the first diagnostics (a developer who opens the
// project and reads before typing; the server's typing practice, practice.ts, runs meanwhile).
// `--gap MS`: each keystroke is typed that long after the diagnostics of the one before arrived (a
// developer's pause between keystrokes; default 0, at once).
//
//   node scripts/corpus-latency.mjs [--dest /tmp/corpus-dev] [--manifest ../shared/corpus/dev-manifest.tsv] [--edits 100] [--only ID,ID] [--settle MS] [--gap MS]
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { startServer, stats, stringTargets, typeInStrings } from './benchLsp.mjs';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const dist = join(process.env.DDH_BUILD_DIR || root, 'dist');
const arg = (name, def) => {
  const i = process.argv.indexOf(name);
  return i >= 0 ? process.argv[i + 1] : def;
};
const dest = resolve(arg('--dest', '/tmp/corpus-dev'));
const manifest = resolve(arg('--manifest', join(root, '../shared/corpus/dev-manifest.tsv')));
const edits = Number(arg('--edits', '100'));
const settle = Number(arg('--settle', '0'));
const gap = Number(arg('--gap', '0'));
const only = arg('--only', '') ? new Set(arg('--only', '').split(',')) : undefined;
const ms = (x) => (x < 10 ? x.toFixed(1) : x.toFixed(0));

const rows = readFileSync(manifest, 'utf8')
  .trim()
  .split('\n')
  .slice(1)
  .map((l) => l.split('\t'));
const all = [];
for (const [id, , , projectRoot, module] of rows) {
  if (only && !only.has(id)) continue;
  const dir = join(dest, id, projectRoot);
  if (!existsSync(dir)) continue;
  const settings = module && !module.includes('<') && module !== 'n/a' ? { productionSettingsModule: module } : {};
  const s = await startServer(join(dist, 'server.js'), dir, {}, settings);
  try {
    const first = await s.waitFor(() => true).catch(() => undefined);
    if (first === undefined) {
      console.log(`${id.padEnd(42)} no diagnostics at all`);
      continue;
    }
    if (settle > 0) await new Promise((resolve) => setTimeout(resolve, settle));
    const lists = await s.conn.sendRequest('djangoDeployHygiene/checklist');
    const list = lists.checklists.find((c) => c.production) ?? lists.checklists[0];
    if (!list?.production) {
      console.log(`${id.padEnd(42)} no production settings module`);
      continue;
    }
    const prodFile = fileURLToPath(list.production.uri);
    // the largest other settings module, or Python file beside production (split-settings includes
    // such as settings.dist.py are not module names): where the base production reads usually is
    const beside = readdirSync(dirname(prodFile))
      .filter((f) => f.endsWith('.py'))
      .map((f) => join(dirname(prodFile), f));
    const others = [...new Set([...list.settingsModules.map((m) => fileURLToPath(m.uri)), ...beside])].filter(
      (f) => f !== prodFile && existsSync(f),
    );
    others.sort((a, b) => statSync(b).size - statSync(a).size);
    for (const file of [prodFile, others[0]].filter(Boolean)) {
      const text = readFileSync(file, 'utf8');
      const targets = stringTargets(text);
      if (targets.length === 0) {
        console.log(`${id.padEnd(42)} ${file.slice(dir.length + 1).padEnd(48)} no string literal to type in`);
        continue;
      }
      const uri = pathToFileURL(file).href;
      const opened = s.waitFor((p) => p.uri === uri && p.version === 1);
      await s.conn.sendNotification('textDocument/didOpen', { textDocument: { uri, languageId: 'python', version: 1, text } });
      await opened;
      const { times } = await typeInStrings(s, uri, targets, edits, 1, gap);
      const st = stats(times);
      all.push(...times);
      const lines = text.split('\n').length;
      console.log(
        `${id.padEnd(42)} ${file.slice(dir.length + 1).padEnd(48)} ${String(lines).padStart(5)} lines  median ${ms(st.median).padStart(5)} ms  p95 ${ms(st.p95).padStart(5)} ms  first ${times.slice(0, 3).map(ms).join(', ')} ms`,
      );
    }
  } catch (e) {
    console.log(`${id.padEnd(42)} failed: ${e.message}`);
  } finally {
    await s.stop();
  }
}
const st = stats(all);
console.log(`all edits: median ${ms(st.median)} ms, p95 ${ms(st.p95)} ms (n=${st.n})`);
process.exit(0);
