// Fail-open defaults and functional fallbacks. A value production gets only because an environment
// variable is not set (a lookup's default, or what the branch `if "DATABASE_URL" in os.environ: …
// else: …` binds by default) is *as written unless the deployment sets the variable*. Whether that
// is production's value depends on the deployment:
//   - a fail-open default (DEBUG on, any host allowed, a written or per-process random
//     SECRET_KEY) is a finding in itself: a deployment that forgets the variable runs open; rules
//     report it whatever the deployment shows;
//   - a functional fallback (SQLite without DATABASE_URL, the console mail backend without SMTP
//     credentials, a local-memory cache without MEMCACHE_SERVERS, a localhost origin without a host
//     variable) keeps a development checkout working: it is production's only where the deployment
//     is seen to leave the variable unset (every process that serves the app has its environment
//     written in the repository, and none sets it); elsewhere the deployment may well set it, and
//     a rule says so ("if DATABASE_URL is not set where it runs") at a lower severity; and where
//     a process that serves the app loads an environment the repository does not have (compose's
//     `env_file: .env.prod`, ignored by git; an envFrom of a Secret not in it), which exists to
//     supply such variables, the fallback is not production's: no rule reports it (`supplied`).
import type { Value } from '../../eval/values';
import { HEROKU_DYNO } from '../../catalogue/platformVariables';
import { unreadFromTemplate, unreadMayHold } from '../../readers/kubernetes/manifests';
import { fallbackVariables } from './query';

/** What production's deployment files say of the environment (engine/deployment.ts). */
export interface DeploymentFacts {
  /** The variables a production process gets from the deployment files (a value or not). */
  readonly sets: ReadonlySet<string>;
  /**
   * Set when the environment of every process that serves the app is written in the repository
   * (compose services, systemd units…; nothing set on a platform or in a Secret): the files that
   * show it. A variable none of them sets is then unset where the app runs.
   */
  readonly closed?: string;
  /**
   * The environment sources the processes serving the app load and the repository does not have
   * ("env_file .env.prod (ignored by git)", with the process's label): any variable one of them
   * may hold is maybe set there (models/process unreadEnvironments).
   */
  readonly unread?: readonly { readonly label: string; readonly what: string }[];
}

/**
 * Whether production takes a fallback: undefined when the value is no fallback (nothing in the
 * environment replaces it); `taken` when the deployment is seen to leave its variables unset;
 * `supplied` when a process serving the app loads an environment file (or Secret) the repository
 * does not have, which may set them: what it exists for, so the fallback is not production's;
 * `maybe` when the repository cannot tell otherwise (the variables may be set where it runs).
 */
export type FallbackUse =
  | {
      readonly use: 'taken';
      readonly variables: readonly string[];
      /** The files that set production's whole environment; with platformOnly, why the platform that sets the variables is not production's. */
      readonly evidence: string;
      readonly platformOnly?: boolean;
    }
  | { readonly use: 'maybe'; readonly variables: readonly string[] }
  | {
      readonly use: 'supplied';
      readonly variables: readonly string[];
      /** "docker-compose.prod.yml (service web) loads env_file .env.prod (ignored by git)". */
      readonly by: string;
      /** What it loads ("env_file .env.prod (ignored by git)"). */
      readonly what: string;
    };

export function fallbackUse(v: Value | null | undefined, deployment: DeploymentFacts | undefined): FallbackUse | undefined {
  return variablesUse(fallbackVariables(v), deployment);
}

/**
 * Whether production runs without `variables` (whose absence gives the fallback): see fallbackUse.
 * Also for a value written first and replaced only in branches these variables select (`DB =
 * os.getenv("DB", "sqlite")`, `if DB == "postgres": DATABASES = …`).
 */
export function variablesUse(variables: readonly string[], deployment: DeploymentFacts | undefined): FallbackUse | undefined {
  if (variables.length === 0) return undefined;
  if (deployment?.closed && !variables.some((n) => deployment.sets.has(n))) return { use: 'taken', variables, evidence: deployment.closed };
  // a variable only a platform sets (Heroku's DYNO) is unset where no production file runs the app there
  if (deployment && variables.every((n) => n === HEROKU_DYNO.name && !deployment.sets.has(n)))
    return { use: 'taken', variables, evidence: 'no production file runs the app on Heroku, the platform that', platformOnly: true };
  // (one made from a committed template the analysis read names what it sets: a variable it does
  // not name is only maybe added there)
  const unread = deployment?.unread?.find((u) => !unreadFromTemplate(u.what) && variables.some((n) => unreadMayHold(u.what, n)));
  if (unread) return { use: 'supplied', variables, by: `${unread.label} loads ${unread.what}`, what: unread.what };
  return { use: 'maybe', variables };
}

/** Why a taken fallback's variables are unset, for a parenthesis: the files that set production's environment, or the platform that alone sets them. */
export function takenEvidence(use: Extract<FallbackUse, { use: 'taken' }>): string {
  return use.platformOnly ? `${use.evidence} sets it` : use.evidence;
}

/** "DATABASE_URL", "DATABASE_URL or DB_ENGINE". */
export function variablesText(variables: readonly string[]): string {
  return variables.length <= 2 ? variables.join(' or ') : `${variables.slice(0, 2).join(', ')} or ${variables.length - 2} more`;
}

/**
 * For a message: " where it runs, since nothing sets DATABASE_URL (docker-compose.yml (service
 * web) sets production's environment)" when the fallback is taken; " if DATABASE_URL is not set
 * where it runs" when the repository cannot tell.
 */
export function fallbackNote(use: FallbackUse): string {
  const vars = variablesText(use.variables);
  return use.use === 'taken'
    ? use.platformOnly
      ? `, as production's deployment leaves ${vars} unset (${takenEvidence(use)})`
      : `, as production's deployment leaves ${vars} unset (${use.evidence} ${use.evidence.includes(', ') ? 'set' : 'sets'} its environment)`
    : use.use === 'supplied'
      ? ` unless ${use.what} sets ${vars}`
      : use.variables.length > 1
        ? ` if none of ${vars} is set where it runs`
        : ` if ${vars} is not set where it runs`;
}
