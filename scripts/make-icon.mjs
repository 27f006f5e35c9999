// Draws images/icon.png (128×128): a Django-green rounded square with a white check mark over a
// shield outline. Run once; the PNG is committed. No image libraries: raw RGBA through zlib.
import { writeFileSync } from 'node:fs';
import { deflateSync } from 'node:zlib';

const N = 128;
const px = new Uint8Array(N * N * 4);
const GREEN = [12, 75, 51];
const LIGHT = [68, 183, 139];
const WHITE = [255, 255, 255];

function set(x, y, [r, g, b], a = 255) {
  if (x < 0 || y < 0 || x >= N || y >= N) return;
  const i = (y * N + x) * 4;
  const k = a / 255;
  px[i] = Math.round(px[i] * (1 - k) + r * k);
  px[i + 1] = Math.round(px[i + 1] * (1 - k) + g * k);
  px[i + 2] = Math.round(px[i + 2] * (1 - k) + b * k);
  px[i + 3] = Math.max(px[i + 3], a);
}

// rounded square, anti-aliased edge
const R = 24;
for (let y = 0; y < N; y++)
  for (let x = 0; x < N; x++) {
    const cx = Math.min(Math.max(x + 0.5, R), N - R);
    const cy = Math.min(Math.max(y + 0.5, R), N - R);
    const d = Math.hypot(x + 0.5 - cx, y + 0.5 - cy);
    const a = Math.max(0, Math.min(1, R - d + 0.5));
    if (a > 0) set(x, y, GREEN, Math.round(a * 255));
  }

// shield: points inside |x| <= w(y)
function inShield(x, y) {
  const u = (x - 64) / 40;
  const v = (y - 22) / 86;
  if (v < 0 || v > 1) return false;
  const half = v < 0.55 ? 1 : Math.sqrt(Math.max(0, 1 - ((v - 0.55) / 0.45) ** 2));
  return Math.abs(u) <= half;
}
for (let y = 0; y < N; y++)
  for (let x = 0; x < N; x++) {
    let inside = 0;
    for (let sy = 0; sy < 4; sy++) for (let sx = 0; sx < 4; sx++) if (inShield(x + (sx + 0.5) / 4, y + (sy + 0.5) / 4)) inside++;
    if (inside) set(x, y, LIGHT, Math.round((inside / 16) * 255));
  }

// check mark: two thick segments
function segDist(px0, py0, ax, ay, bx, by) {
  const dx = bx - ax;
  const dy = by - ay;
  const t = Math.max(0, Math.min(1, ((px0 - ax) * dx + (py0 - ay) * dy) / (dx * dx + dy * dy)));
  return Math.hypot(px0 - (ax + t * dx), py0 - (ay + t * dy));
}
for (let y = 0; y < N; y++)
  for (let x = 0; x < N; x++) {
    const d = Math.min(segDist(x + 0.5, y + 0.5, 42, 64, 58, 82), segDist(x + 0.5, y + 0.5, 58, 82, 88, 44));
    const a = Math.max(0, Math.min(1, 8 - d + 0.5));
    if (a > 0) set(x, y, WHITE, Math.round(a * 255));
  }

function crc32(buf) {
  let c = ~0;
  for (const b of buf) {
    c ^= b;
    for (let k = 0; k < 8; k++) c = (c >>> 1) ^ (0xedb88320 & -(c & 1));
  }
  return ~c >>> 0;
}
function chunk(type, data) {
  const out = Buffer.alloc(12 + data.length);
  out.writeUInt32BE(data.length, 0);
  out.write(type, 4, 'ascii');
  Buffer.from(data).copy(out, 8);
  out.writeUInt32BE(crc32(Buffer.concat([Buffer.from(type, 'ascii'), Buffer.from(data)])), 8 + data.length);
  return out;
}
const raw = Buffer.alloc(N * (N * 4 + 1));
for (let y = 0; y < N; y++) {
  raw[y * (N * 4 + 1)] = 0;
  Buffer.from(px.buffer, y * N * 4, N * 4).copy(raw, y * (N * 4 + 1) + 1);
}
const ihdr = Buffer.alloc(13);
ihdr.writeUInt32BE(N, 0);
ihdr.writeUInt32BE(N, 4);
ihdr[8] = 8;
ihdr[9] = 6;
const png = Buffer.concat([
  Buffer.from([137, 80, 78, 71, 13, 10, 26, 10]),
  chunk('IHDR', ihdr),
  chunk('IDAT', deflateSync(raw)),
  chunk('IEND', Buffer.alloc(0)),
]);
writeFileSync(new URL('../images/icon.png', import.meta.url), png);
console.log('images/icon.png written');
