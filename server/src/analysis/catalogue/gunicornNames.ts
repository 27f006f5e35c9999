// Gunicorn setting names: lookup by config name or flag, and "did you mean" suggestions for names
// gunicorn does not know (it silently ignores them in a config file): common wrong names first
// (`bind_address`, `log_level`, `preload`), then the closest name by edit distance.
import { compareVersions } from '../base/versions';
import { GUNICORN_SETTINGS, type GunicornSetting } from './gunicornSettings';

const BY_NAME = new Map<string, GunicornSetting>();
for (const s of GUNICORN_SETTINGS) if (!BY_NAME.has(s.name) || !s.removedIn) BY_NAME.set(s.name, s);

/** The setting a config-file name sets (current or legacy). */
export function settingByName(name: string): GunicornSetting | undefined {
  return BY_NAME.get(name);
}

/** Whether gunicorn `version` (undefined: the newest) has the setting. */
export function settingExistsIn(s: GunicornSetting, version: string | undefined): boolean {
  if (version === undefined) return !s.removedIn;
  if (s.since && compareVersions(version, s.since) < 0) return false;
  if (s.removedIn && compareVersions(version, s.removedIn) >= 0) return false;
  return true;
}

/** Names people write for a setting that gunicorn calls something else. */
export const COMMON_WRONG_NAMES: Readonly<Record<string, string>> = {
  bind_address: 'bind',
  bind_addr: 'bind',
  listen: 'bind',
  address: 'bind',
  host: 'bind',
  hosts: 'bind',
  port: 'bind',
  num_workers: 'workers',
  worker_count: 'workers',
  workers_count: 'workers',
  n_workers: 'workers',
  processes: 'workers',
  worker_processes: 'workers',
  concurrency: 'workers',
  web_concurrency: 'workers',
  worker_threads: 'threads',
  threads_per_worker: 'threads',
  num_threads: 'threads',
  worker_type: 'worker_class',
  worker: 'workers',
  worker_timeout: 'timeout',
  request_timeout: 'timeout',
  graceful_shutdown_timeout: 'graceful_timeout',
  shutdown_timeout: 'graceful_timeout',
  keep_alive_timeout: 'keepalive',
  preload: 'preload_app',
  app_preload: 'preload_app',
  log_level: 'loglevel',
  logging_level: 'loglevel',
  access_log: 'accesslog',
  access_logfile: 'accesslog',
  access_log_file: 'accesslog',
  error_log: 'errorlog',
  error_logfile: 'errorlog',
  error_log_file: 'errorlog',
  log_file: 'errorlog',
  logfile: 'errorlog',
  access_logformat: 'access_log_format',
  access_log_fmt: 'access_log_format',
  log_config: 'logconfig',
  log_config_dict: 'logconfig_dict',
  pid: 'pidfile',
  pid_file: 'pidfile',
  process_name: 'proc_name',
  procname: 'proc_name',
  env: 'raw_env',
  max_request: 'max_requests',
  max_requests_per_worker: 'max_requests',
  jitter: 'max_requests_jitter',
  auto_reload: 'reload',
  autoreload: 'reload',
  reload_files: 'reload_extra_files',
  worker_tmp: 'worker_tmp_dir',
  tmp_dir: 'worker_tmp_dir',
  daemonize: 'daemon',
  forwarded_allowed_ips: 'forwarded_allow_ips',
  forward_allow_ips: 'forwarded_allow_ips',
  trusted_proxies: 'forwarded_allow_ips',
  proxy_allow_from: 'proxy_allow_ips',
  ssl_keyfile: 'keyfile',
  ssl_certfile: 'certfile',
  key_file: 'keyfile',
  cert_file: 'certfile',
  on_start: 'on_starting',
  on_startup: 'on_starting',
  post_worker_fork: 'post_fork',
  worker_init: 'post_worker_init',
  capture_stdout: 'capture_output',
  working_dir: 'chdir',
  working_directory: 'chdir',
  python_path: 'pythonpath',
  temp_upload_dir: 'tmp_upload_dir',
  statsd_address: 'statsd_host',
};

/** Optimal-string-alignment distance (adjacent transpositions count as one edit). */
export function editDistance(a: string, b: string, max = 4): number {
  if (Math.abs(a.length - b.length) > max) return max + 1;
  const d: number[][] = [];
  for (let i = 0; i <= a.length; i++) d.push([i]);
  for (let j = 1; j <= b.length; j++) d[0]![j] = j;
  for (let i = 1; i <= a.length; i++) {
    let rowMin = Infinity;
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      let v = Math.min(d[i - 1]![j]! + 1, d[i]![j - 1]! + 1, d[i - 1]![j - 1]! + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) v = Math.min(v, d[i - 2]![j - 2]! + 1);
      d[i]![j] = v;
      rowMin = Math.min(rowMin, v);
    }
    if (rowMin > max) return max + 1;
  }
  return d[a.length]![b.length]!;
}

function maxDistance(name: string): number {
  return name.length <= 4 ? 1 : 2;
}

/** The closest candidate within a distance that suits the name's length, if one is clearly closest. */
export function closest(name: string, candidates: readonly string[]): string | undefined {
  const max = maxDistance(name);
  let best: string | undefined;
  let bestD = max + 1;
  let tie = false;
  for (const c of candidates) {
    const d = editDistance(name, c, max);
    if (d < bestD) {
      best = c;
      bestD = d;
      tie = false;
    } else if (d === bestD) tie = true;
  }
  return bestD <= max && !tie ? best : undefined;
}

/**
 * The setting a module-level name that gunicorn does not know was probably meant to be.
 * `hooksOnly`: the name is a function (only hooks can be meant); `noHooks`: it is not callable.
 */
export function suggestSetting(
  name: string,
  options: { hooksOnly?: boolean; noHooks?: boolean; version?: string } = {},
): GunicornSetting | undefined {
  const pool = GUNICORN_SETTINGS.filter(
    (s) =>
      !s.removedIn &&
      (!options.hooksOnly || s.type === 'hook') &&
      (!options.noHooks || s.type !== 'hook') &&
      settingExistsIn(s, options.version),
  );
  const names = pool.map((s) => s.name);
  const isUpper = name === name.toUpperCase() && /[A-Z]/.test(name);
  if (isUpper) {
    // ALL-CAPS names are usually constants; only an exact setting name in the wrong case counts
    return pool.find((s) => s.name === name.toLowerCase());
  }
  const lower = name.toLowerCase();
  const exactCase = pool.find((s) => s.name === lower);
  if (exactCase) return exactCase;
  const alias = COMMON_WRONG_NAMES[lower];
  if (alias) {
    const s = pool.find((x) => x.name === alias);
    if (s) return s;
  }
  const c = closest(lower, names);
  return c ? pool.find((s) => s.name === c) : undefined;
}

/** The long flag closest to an unknown one (`--timout` → `--timeout`). */
export function suggestFlag(flag: string, flags: readonly string[]): string | undefined {
  if (!flag.startsWith('--')) return undefined;
  const body = flag.slice(2);
  const longs = flags.filter((f) => f.startsWith('--'));
  const c = closest(
    body,
    longs.map((f) => f.slice(2)),
  );
  if (c) return '--' + c;
  // `--log_level` → `--log-level`
  const dashed = '--' + body.replace(/_/g, '-');
  return longs.includes(dashed) ? dashed : undefined;
}
