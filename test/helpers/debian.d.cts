export function missingDebianPackages(pkgs: readonly string[]): string[];
export function ensureDebianPackages(
  pkgs: readonly string[],
  options?: { log?: (message: string) => void; run?: (title: string, cmd: string, args: string[], env: NodeJS.ProcessEnv) => void },
): void;
/** Where debianBackport keeps a package for the repository at `repo` (.cache/debian-backports/<pkg>). */
export function backportPaths(repo: string, pkg: string): { dir: string; root: string; pythonPath: string };
/** The package from Debian's bookworm-backports unpacked (never installed) into backportPaths(repo, pkg).root. */
export function debianBackport(
  repo: string,
  pkg: string,
  options?: { log?: (message: string) => void },
): { dir: string; root: string; pythonPath: string; present: boolean };
