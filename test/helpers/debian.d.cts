export function missingDebianPackages(pkgs: readonly string[]): string[];
export function ensureDebianPackages(
  pkgs: readonly string[],
  options?: { log?: (message: string) => void; run?: (title: string, cmd: string, args: string[], env: NodeJS.ProcessEnv) => void },
): void;
