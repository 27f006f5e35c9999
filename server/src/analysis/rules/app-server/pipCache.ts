// DDG303: `pip install` without --no-cache-dir in a production image: pip's download cache stays in
// the image layer.
import type { Rule } from '../types';
import { chainInstructions, productionPythonDockerfiles, stageChain } from './topology';

/** `pip install`, `pip3 install`, `python -m pip install` (not `uv pip install`, which has its own cache). */
const PIP_INSTALL = /(?<!\buv\s)(?<![\w-])(?:pip[\d.]*|python[\d.]*\s+-m\s+pip)\s+install\b/g;

export const pipCache: Rule = {
  code: 'DDG303',
  name: 'pip-cache-in-image',
  title: "pip's download cache is kept in the production image",
  severity: 'hint',
  group: 'app-server',
  checklist: 'containers',
  target: 'process',
  docs: {
    what: "Reports `pip install` in a `RUN` of a production Dockerfile's final stage (or a stage it is built from) without `--no-cache-dir`, unless the image sets PIP_NO_CACHE_DIR, the RUN mounts a build cache (`--mount=type=cache`), or it removes the cache in the same RUN. Builder stages whose files are copied out are left alone, as are development Dockerfiles.",
    why: 'pip keeps every wheel it downloads under ~/.cache/pip. In an image layer that cache is never used again but ships with every pull: often tens to hundreds of megabytes of a Django image, slowing deploys and scale-ups.',
    example: 'RUN pip install -r requirements.txt',
    fix: 'Add `--no-cache-dir` (or `ENV PIP_NO_CACHE_DIR=1` once), or use a BuildKit cache mount: `RUN --mount=type=cache,target=/root/.cache/pip pip install -r requirements.txt`.',
    good: 'RUN pip install --no-cache-dir -r requirements.txt',
    references: [
      { title: 'pip: caching', url: 'https://pip.pypa.io/en/stable/topics/caching/' },
      { title: 'Docker: optimize cache usage (cache mounts)', url: 'https://docs.docker.com/build/cache/optimize/#use-cache-mounts' },
    ],
  },
  check(ctx) {
    const files = productionPythonDockerfiles(ctx.appServer, ctx.project);
    if (files.length === 0) {
      ctx.notApplicable('the project has no production Dockerfile that runs Python');
      return;
    }
    for (const d of files) {
      const chain = stageChain(d);
      if (chain[0]!.env.has('PIP_NO_CACHE_DIR')) continue;
      for (const run of chainInstructions(chain, 'RUN')) {
        const text = run.args.text;
        if (/--mount=[^\s]*type=cache/.test(text) || /rm\s+-r[f]?\s+[^\n;&]*\.cache\/pip|pip[\d.]*\s+cache\s+purge/.test(text)) continue;
        for (const match of text.matchAll(PIP_INSTALL)) {
          const end = text.slice(match.index).search(/&&|;|\|\||\n|$/);
          const command = text.slice(match.index, match.index + (end < 0 ? text.length : end));
          if (/--no-cache-dir\b/.test(command)) continue;
          ctx.report({
            loc: run.args.loc(match.index, match.index + match[0].length),
            message: `${match[0]} without --no-cache-dir keeps pip's download cache in the image layer (often tens of megabytes shipped with every pull); add --no-cache-dir.`,
          });
        }
      }
    }
  },
};
