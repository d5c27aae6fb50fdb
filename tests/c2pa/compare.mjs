// SPDX-License-Identifier: ISC
// Compares winnow's verdicts (`winnow badge --json`, one object per line) with the reference's
// (ref.mjs, one object per line) file by file, and prints one line per disagreement.
// Usage: node compare.mjs REF.jsonl WINNOW.jsonl ALLOW-LIST [PREFIX]
// A disagreement is allowed when the allow-list names the file (first field) with a reason; an
// allowed file that agrees after all is reported too, so the list cannot go stale silently.
import { readFileSync } from 'node:fs';

const [refPath, winPath, allowPath, prefix = ''] = process.argv.slice(2);
const lines = (p) => readFileSync(p, 'utf8').split('\n').filter((l) => l.trim());
const ref = new Map();
for (const l of lines(refPath)) { const r = JSON.parse(l); ref.set(r.file, r); }
const win = new Map();
for (const l of lines(winPath)) {
  let w;
  try { w = JSON.parse(l); } catch { continue; }
  if (w.file) win.set(w.file, w);
}
const allow = new Map();
for (const l of lines(allowPath)) {
  if (/^\s*#/.test(l)) continue;
  const m = /^(\S+)\s+(.+)$/.exec(l.trim());
  if (!m) { console.log(`allow-list: no reason on line: ${l}`); process.exitCode = 2; continue; }
  allow.set(m[1], m[2]);
}

// The reference's validation_state against winnow's state name.
function stateOk(r, w) {
  const ws = w.state;
  switch (r.state) {
    case 'none': return ws === 'none';
    case 'error':
      if (/RemoteManifest/.test(r.error || '')) return ws === 'remote';
      return ws === 'malformed' || ws === 'invalid';
    case 'Invalid': return ws === 'invalid' || ws === 'malformed';
    case 'Valid': return ws === 'valid';
    case 'Trusted': return ws === 'trusted';
    default: return false;
  }
}

const term = (s) => String(s).replace(/\(ingredient\)$/, '');
function diff(r, w) {
  if (!w) return 'winnow printed nothing';
  const out = [];
  if (!stateOk(r, w)) out.push(`state ${r.state} vs ${w.state}${w.failure ? ' (' + w.failure + ')' : ''}`);
  if (r.state === 'Invalid' && w.failure && !r.failure.includes(w.failure) &&
      !r.ingredient_failure.includes(w.failure))
    out.push(`failure ${w.failure} not among [${r.failure.join(' ')}]`);
  if (r.manifest && (w.state === 'valid' || w.state === 'trusted' || w.state === 'invalid')) {
    if ((r.claim_generator || '') !== (w.generator || '')) out.push(`generator "${r.claim_generator}" vs "${w.generator}"`);
    if ((r.issuer || '') !== (w.signer_org || '')) out.push(`signer "${r.issuer}" vs "${w.signer_org}"`);
    const rs = (r.source_type || []).map(term);
    const ws = w.source_type || '';
    if (ws ? !rs.includes(ws) : rs.length > 0) out.push(`source type [${rs.join(' ')}] vs "${ws}"`);
  }
  return out.join('; ');
}

let agree = 0, allowed = 0, bad = 0;
for (const [file, r] of ref) {
  const d = diff(r, win.get(file));
  const name = prefix + file;
  if (!d) {
    agree++;
    if (allow.has(name)) { console.log(`STALE ${name}: agrees now, remove it from the allow-list`); bad++; }
  } else if (allow.has(name)) {
    allowed++;
    console.log(`allowed ${name}: ${d}  [${allow.get(name)}]`);
  } else {
    bad++;
    console.log(`DISAGREE ${name}: ${d}`);
  }
}
console.log(`c2pa-diff ${prefix || 'files'}: ${agree} agree, ${allowed} allowed, ${bad} disagree, of ${ref.size}`);
if (bad) process.exitCode = 1;
