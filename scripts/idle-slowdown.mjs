// How much slower this machine runs memory-bound work right after idling: a walk over a few MB of
// objects (allocating as an analysis does), timed back to back and after a pause like a typist's
// between keystrokes, in one process with no server, no worker and no I/O. On the 2-core VMs the
// benchmarks run on, the walk takes about twice as long after a 130 ms pause (a C program doing a
// random pointer chase over 32 MB shows the same, 1.6x), so latency figures measured with pauses
// between keystrokes are not comparable with the back-to-back figures of scripts/bench.mjs and
// scripts/corpus-latency.mjs, whatever the server does. See BENCHMARKS.md, seventh session.
//
//   node scripts/idle-slowdown.mjs [--pause MS] [--runs N]
import { parseArgs } from 'node:util';

const { values } = parseArgs({ options: { pause: { type: 'string', default: '130' }, runs: { type: 'string', default: '60' } } });
const pause = Number(values.pause);
const runs = Number(values.runs);

const objects = [];
for (let i = 0; i < 300_000; i++) objects.push({ a: i, s: `k${i}`, l: [i, i + 1] });

/** One unit of work: a strided walk over the objects, allocating what it keeps for a moment. */
function work() {
  const t0 = performance.now();
  let sum = 0;
  const made = [];
  for (let i = 0; i < 60_000; i++) {
    const o = objects[(i * 7919) % objects.length];
    sum += o.a + o.l[1];
    made.push({ v: sum, w: o.s });
  }
  const byKey = new Map();
  for (let i = 0; i < 20_000; i++) byKey.set(`k${i % 5000}`, made[i]);
  return performance.now() - t0;
}

const median = (xs) => [...xs].sort((a, b) => a - b)[xs.length >> 1];
const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

for (let i = 0; i < 50; i++) work(); // warm up
const rows = [];
for (const gap of [0, pause, 0, pause]) {
  const times = [];
  for (let i = 0; i < runs; i++) {
    if (gap > 0) await sleep(gap);
    else await new Promise((resolve) => setImmediate(resolve));
    times.push(work());
  }
  rows.push([gap, median(times)]);
  console.log(`${gap === 0 ? 'back to back' : `after ${gap} ms idle`}: median ${median(times).toFixed(2)} ms (${runs} runs)`);
}
const back = median(rows.filter(([g]) => g === 0).map(([, m]) => m));
const idle = median(rows.filter(([g]) => g !== 0).map(([, m]) => m));
console.log(`after idling: ${(idle / back).toFixed(2)}x the back-to-back time`);
