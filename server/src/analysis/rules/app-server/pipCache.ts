// DDG303: `pip install` without --no-cache-dir in a production image: pip's download cache stays in
// the image layer.
import type { Rule } from '../types';
import { chainInstructions, dockerfilesToCheck, stageChain } from './topology';

/** `pip install`, `pip3 install`, `python -m pip install` (not `uv pip install`, which has its own cache). */
const PIP_INSTALL = /(?<!\buv\s)(?<![\w-])(?:pip[\d.]*|python[\d.]*\s+-m\s+pip)\s+install\b/g;

/**
 * `--mount=…type=cache` in a RUN: read from the start of each word, up to its first --mount= (each
 * --mount= of a long word read the rest of it again); a later one followed by type=cache means the
 * first is too.
 */
export function mountsCache(text: string): boolean {
  return /(?<!\S)(?:(?!--mount=)\S)*--mount=\S*type=cache/.test(text);
}

/** root's (or the user's) whole cache folder, which holds pip's: `/root/.cache`, `~/.cache/`, `$HOME/.cache/*`. */
const HOME_CACHE = /(?:^|\s)(?:~|\/root|\$HOME|\$\{HOME\})\/\.cache\/?\*?(?=\s|$)/;

/**
 * `rm -rf …/.cache/pip` (or the whole home cache folder, `rm -rf /root/.cache`) in one command of a
 * RUN (between line breaks, `;` and `&`), or `pip cache purge`: the command's first `rm -r`, then
 * .cache/pip or the cache folder after it. (Each rm -r of a command read the rest of it again; an
 * rm -r broken over lines was read as one command.)
 */
export function removesCache(text: string): boolean {
  if (/pip[\d.]*\s+cache\s+purge/.test(text)) return true;
  return text.split(/[\n;&]/).some((command) => {
    const rm = /rm\s+-rf?\s+/.exec(command);
    if (rm === null) return false;
    const after = rm.index + rm[0].length;
    return command.includes('.cache/pip', after) || HOME_CACHE.test(command.slice(after - 1));
  });
}

export const pipCache: Rule = {
  code: 'DDG303',
  name: 'pip-cache-in-image',
  title: "pip's download cache is kept in the production image",
  severity: 'hint',
  group: 'app-server',
  checklist: 'containers',
  target: 'process',
  docs: {
    what: "Reports `pip install` in a `RUN` of a production Dockerfile's final stage (or a stage it is built from) without `--no-cache-dir` (or an abbreviation pip accepts, such as `--no-cache`), once per RUN, unless the image sets PIP_NO_CACHE_DIR, the RUN mounts a build cache (`--mount=type=cache`), or it removes the cache in the same RUN after installing (`rm -rf /root/.cache/pip`, `rm -rf /root/.cache` or `~/.cache`, `pip cache purge`: a later RUN does not shrink the layer). Builder stages whose files are copied out are left alone, as are development Dockerfiles.",
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
    const files = dockerfilesToCheck(ctx);
    for (const d of files) {
      const chain = stageChain(d);
      if (chain[0]!.env.has('PIP_NO_CACHE_DIR')) continue;
      for (const run of chainInstructions(chain, 'RUN')) {
        const text = run.args.text;
        if (mountsCache(text)) continue;
        // one finding per RUN, at its first pip install that keeps the cache
        const keeping = [...text.matchAll(PIP_INSTALL)].filter((match) => {
          const end = text.slice(match.index).search(/&&|;|\|\||\n/);
          const command = text.slice(match.index, end < 0 ? text.length : match.index + end);
          // pip's option parser takes unique prefixes: --no-cache and --no-cac mean --no-cache-dir
          return !/(^|\s)--no-cac(h(e(-(d(ir?)?)?)?)?)?(?=[\s=]|$)/.test(command);
        });
        const first = keeping[0];
        if (!first) continue;
        // the cache removed in the same RUN, after the last install that fills it: not in the layer
        if (removesCache(text.slice(keeping[keeping.length - 1]!.index))) continue;
        ctx.report({
          loc: run.args.loc(first.index, first.index + first[0].length),
          message: `${first[0]} without --no-cache-dir${keeping.length > 1 ? ` (and ${keeping.length - 1} more pip install in this RUN)` : ''} keeps pip's download cache in the image layer (often tens of megabytes shipped with every pull); add --no-cache-dir.`,
        });
      }
    }
  },
};
