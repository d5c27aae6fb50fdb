// SPDX-License-Identifier: ISC
// Makes tampered copies of signed media for the differential test: one byte flipped in the
// asset's data, in the claim signature, in an assertion; the file cut in half and cut inside the
// manifest store; the store stripped (JPEG APP11 segments, PNG caBX chunks).  The places are found
// from the JUMBF labels in the file, so any format the reference signs gets the same variants.
// Usage: node variants.mjs OUT_DIR FILE...   (prints the variants it wrote)
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';

const [out, ...files] = process.argv.slice(2);

// The JUMBF superbox whose description box carries this label, the last one (the active
// manifest is the last of the store): [start, end) in the file.
function superbox(b, label) {
  const at = b.lastIndexOf(Buffer.from(label + '\0', 'latin1'));
  if (at < 25 + 8) return null;
  const start = at - 25 - 8;      // jumd header 8 + uuid 16 + toggles 1, then the jumb header
  if (b.toString('latin1', start + 4, start + 8) !== 'jumb') return null;
  const len = b.readUInt32BE(start);
  return len >= 8 && start + len <= b.length ? [start, start + len] : null;
}
// The manifest store: the first jumb superbox whose jumd UUID starts "c2pa".
function store(b) {
  for (let i = b.indexOf('jumb'); i >= 4; i = b.indexOf('jumb', i + 1)) {
    if (b.toString('latin1', i + 8, i + 12) === 'jumd' && b.toString('latin1', i + 12, i + 16) === 'c2pa')
      return [i - 4, Math.min(b.length, i - 4 + b.readUInt32BE(i - 4))];
  }
  return null;
}
const flip = (b, off) => { const c = Buffer.from(b); c[off] ^= 0x5a; return c; };

function stripJpeg(b) {
  const parts = [b.subarray(0, 2)];
  let i = 2;
  while (i + 4 <= b.length && b[i] === 0xff && b[i + 1] !== 0xda) {
    const len = b.readUInt16BE(i + 2);
    const seg = b.subarray(i, i + 2 + len);
    if (!(b[i + 1] === 0xeb && seg.toString('latin1', 4, 6) === 'JP')) parts.push(seg);
    i += 2 + len;
  }
  parts.push(b.subarray(i));
  return Buffer.concat(parts);
}
function stripPng(b) {
  const parts = [b.subarray(0, 8)];
  for (let i = 8; i + 12 <= b.length;) {
    const len = b.readUInt32BE(i);
    if (b.toString('latin1', i + 4, i + 8) !== 'caBX') parts.push(b.subarray(i, i + 12 + len));
    i += 12 + len;
  }
  return Buffer.concat(parts);
}

for (const f of files) {
  const b = readFileSync(f);
  const base = path.basename(f).replace(/\.([^.]+)$/, '');
  const ext = path.extname(f);
  const st = store(b);
  // a store kept as text (SVG's base64) has no binary labels to aim at: those files get no variants
  if (!st) { console.error(`variants: no binary manifest store in ${f}, no variants`); continue; }
  const v = {};
  // data: the middle of the larger stretch of bytes outside the store
  const before = st[0], after = b.length - st[1];
  v.data = flip(b, before >= after ? Math.floor(before * 0.6) : st[1] + Math.floor(after * 0.6));
  const sig = superbox(b, 'c2pa.signature');
  if (sig) v.sig = flip(b, sig[1] - 10);       // the last bytes of a COSE_Sign1 are the signature
  const act = superbox(b, 'c2pa.actions.v2') || superbox(b, 'c2pa.actions');
  if (act) v.assertion = flip(b, act[1] - 3);
  v.half = b.subarray(0, Math.floor(b.length / 2));
  v.cutstore = b.subarray(0, st[0] + Math.floor((st[1] - st[0]) / 2));
  if (b[0] === 0xff && b[1] === 0xd8) v.stripped = stripJpeg(b);
  else if (b.toString('latin1', 1, 4) === 'PNG') v.stripped = stripPng(b);
  for (const [k, data] of Object.entries(v)) {
    const name = path.join(out, `${base}.${k}${ext}`);
    writeFileSync(name, data);
    console.log(name);
  }
}
