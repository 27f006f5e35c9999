// What stops a process and with which signal, where the repository says so: the process manager
// that runs it (Docker and compose, Kubernetes, systemd, supervisord, a Procfile platform, fly.io)
// and the signal it sends — written (Dockerfile STOPSIGNAL, compose `stop_signal:`, systemd
// `KillSignal=`, supervisord `stopsignal=`, fly.toml `kill_signal`) or its default
// (catalogue/stopSignals.ts DEFAULT_STOP_SIGNALS).
import * as path from 'node:path';
import { DEFAULT_STOP_SIGNALS, signalName, supervisordSignalName, systemdSignalName, type StopManager } from '../../catalogue/stopSignals';
import type { Loc } from '../../eval/values';
import { stageChain, targetStage, type Dockerfile } from '../../readers/container/dockerfile';
import type { ProcessModel, ProcessSource, Starter, Workload } from './model';
import { composeDir } from '../../readers/container/compose';

/** One process manager that stops a process: who, with which signal, and what says so. */
export interface Stopper {
  readonly manager: StopManager | 'fly';
  /** "docker-compose.yml (service web)", "mysite.service", "Dockerfile". */
  readonly who: string;
  /** The signal's SIG name ("SIGTERM"); undefined when what is written is not a known signal. */
  readonly signal?: string;
  /** What sets it, as written, and where ("STOPSIGNAL SIGQUIT"); undefined for the manager's default. */
  readonly written?: { readonly what: string; readonly loc: Loc };
  /**
   * What is written is not a signal name the manager knows. systemd logs an error and ignores the
   * line ('ignored': `signal` is then its default, SIGTERM); supervisord rejects the value and does
   * not load the configuration ('rejected': `signal` undefined). Catalogue SYSTEMD_SIGNAL_NAMES,
   * SUPERVISORD_SIGNAL_NAMES.
   */
  readonly unknownName?: 'ignored' | 'rejected';
}

type Written = { readonly what: string; readonly loc: Loc; readonly text: string };

/** The image's STOPSIGNAL (its stage's chain, the last written), as written. */
export function imageStopSignal(d: Dockerfile | undefined, target?: string): Written | undefined {
  if (!d) return undefined;
  const stage = targetStage(d, target);
  if (!stage) return undefined;
  const chain = stageChain(d, stage);
  const all = [...chain]
    .reverse()
    .flatMap((s) => s.instructions)
    .filter((i) => i.keyword === 'STOPSIGNAL');
  const last = all.at(-1);
  if (!last) return undefined;
  const text = last.args.text.trim();
  return { what: `STOPSIGNAL ${text}`, loc: last.args.loc(0, last.args.length), text };
}

function stopper(manager: StopManager, who: string, written: Written | undefined, fallback?: Written): Stopper {
  const w = written ?? fallback;
  const fallbackSignal = DEFAULT_STOP_SIGNALS[manager].value.signal;
  if (w && manager === 'systemd') {
    // a name systemd does not know: the line is ignored, the default applies
    const signal = systemdSignalName(w.text);
    return signal
      ? { manager, who, signal, written: { what: w.what, loc: w.loc } }
      : { manager, who, signal: fallbackSignal, written: { what: w.what, loc: w.loc }, unknownName: 'ignored' };
  }
  if (w && manager === 'supervisord') {
    const signal = supervisordSignalName(w.text);
    return signal
      ? { manager, who, signal, written: { what: w.what, loc: w.loc } }
      : { manager, who, written: { what: w.what, loc: w.loc }, unknownName: 'rejected' };
  }
  if (w) return { manager, who, signal: signalName(w.text), written: { what: w.what, loc: w.loc } };
  return { manager, who, signal: fallbackSignal };
}

function dockerfileOf(m: ProcessModel, file: string | undefined): Dockerfile | undefined {
  return file ? m.dockerfiles.find((d) => d.file === file) : undefined;
}

/** A compose service's stopper: its `stop_signal:`, else its built image's STOPSIGNAL, else compose's SIGTERM. */
function composeStopper(m: ProcessModel, file: string, service: string | undefined, label: string, image?: Written): Stopper {
  const c = m.compose.find((x) => x.file === file);
  const s = c?.services.find((x) => x.name === service);
  const own = s?.stopSignal ? { what: `stop_signal: ${s.stopSignal.text}`, loc: s.stopSignal.loc, text: s.stopSignal.text } : undefined;
  const built =
    s?.build && c
      ? imageStopSignal(dockerfileOf(m, path.resolve(composeDir(c), s.build.context, s.build.dockerfile)), s.build.target)
      : undefined;
  return stopper('compose', label, own, built ?? image);
}

/** A workload's stopper: fly.io's kill_signal; a Kubernetes container's image STOPSIGNAL, else SIGTERM; other platforms unknown. */
function workloadStopper(m: ProcessModel, w: Workload, image?: Written): Stopper | undefined {
  const p = w.process;
  if (p.stopSignal && w.source.kind === 'platform')
    return {
      manager: 'fly',
      who: w.source.label,
      signal: signalName(p.stopSignal.signal),
      ...(p.stopSignal.written ? { written: { what: `kill_signal = "${p.stopSignal.signal}"`, loc: p.stopSignal.loc } } : {}),
    };
  if (w.source.kind === 'kubernetes')
    return stopper('kubernetes', w.source.label, imageStopSignal(dockerfileOf(m, p.dockerfile?.file), p.dockerfile?.target), image);
  return undefined;
}

function starterStopper(m: ProcessModel, st: Starter, image?: Written): Stopper | undefined {
  switch (st.kind) {
    case 'compose':
      return composeStopper(m, st.file, st.service, st.label, image);
    case 'workload':
      return st.workload ? workloadStopper(m, st.workload, image) : undefined;
    case 'procfile':
      return stopper('procfile', st.label, undefined);
    case 'systemd':
      return st.source ? sourceStopper(m, st.source) : stopper('systemd', st.label, undefined);
  }
}

/** The stopper of a source that is itself run by a process manager (a unit, a compose service, a Procfile entry, a workload). */
function sourceStopper(m: ProcessModel, s: ProcessSource): Stopper | undefined {
  switch (s.kind) {
    case 'systemd':
      return stopper(
        'systemd',
        s.label,
        s.killSignal ? { what: `KillSignal=${s.killSignal.text}`, loc: s.killSignal.loc, text: s.killSignal.text } : undefined,
      );
    case 'compose':
      return composeStopper(m, s.file, s.service, s.label);
    case 'procfile':
      return stopper('procfile', s.label, undefined);
    case 'kubernetes':
    case 'platform': {
      const w = m.workloads.find((x) => x.source === s);
      return w ? workloadStopper(m, w) : undefined;
    }
    default:
      return undefined;
  }
}

/**
 * Who stops a process a source starts, and with which signal, as far as the repository says: the
 * source's own manager (a unit's KillSignal=, a compose service's stop_signal or its image's
 * STOPSIGNAL, a Procfile platform, a Kubernetes container, fly.io's kill_signal); a supervisord
 * program's `stopsignal=`; for an image's command or a start script, each service, workload, entry
 * or unit that ends up running it (starters.ts) with the image's STOPSIGNAL, or Docker itself when
 * nothing in the repository runs the image. Empty: nothing in the repository says what runs it.
 */
export function stoppersOf(m: ProcessModel, s: ProcessSource): Stopper[] {
  if (s.kind === 'appconfig') {
    if (s.format !== 'supervisord configuration') return [];
    const w = m.workloads.find((x) => x.source === s);
    const own = w?.process.stopSignal;
    return [stopper('supervisord', s.label, own ? { what: `stopsignal=${own.signal}`, loc: own.loc, text: own.signal } : undefined)];
  }
  if (s.kind !== 'dockerfile' && s.kind !== 'shell') {
    const own = sourceStopper(m, s);
    return own ? [own] : [];
  }
  // the image whose command it is (or whose command runs the script), and its STOPSIGNAL
  const images =
    s.kind === 'dockerfile'
      ? [{ file: s.file, stage: s.stage }]
      : m.scripts
          .filter((r) => r.source.kind === 'dockerfile' && r.file === s.file)
          .map((r) => ({ file: r.source.file, stage: r.source.stage }));
  const image = images.map((i) => imageStopSignal(dockerfileOf(m, i.file), i.stage)).find((x) => !!x);
  const out: Stopper[] = [];
  for (const st of m.starters.get(s) ?? []) {
    if (!st.production) continue;
    const one = starterStopper(m, st, image);
    if (one) out.push(one);
  }
  if (out.length === 0 && images.length > 0) {
    const d = images[0]!;
    out.push(stopper('docker', path.basename(d.file), image));
  }
  return out;
}
