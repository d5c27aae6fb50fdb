// SPDX-License-Identifier: ISC
// Signs media with the reference implementation's builder (c2pa-rs in WebAssembly), so that the
// differential test covers every format the reference writes, not only the files someone shipped.
// The builder hands over the claim bytes and expects a whole COSE_Sign1 back ("direct COSE"):
// it is built here with the c2pa-rs test keys, padded to exactly the size the builder reserved.
// Usage: C2PA_REF=DIR node refsign.mjs CERTS_DIR OUT_DIR KIND:ALG:SOURCE_TYPE:FILE...  (see below)
// Prints the path of each signed file; a file the builder refuses is an error (exit 1).
import { readFileSync, writeFileSync } from 'node:fs';
import crypto from 'node:crypto';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { mimeOf } from './mime.mjs';

const pkg = path.join(process.env.C2PA_REF || '.', 'node_modules/@contentauth/c2pa-wasm');
const { initSync, WasmBuilder, encodeSignerPayload } = await import(pathToFileURL(path.join(pkg, 'pkg/c2pa.js')).href);
initSync({ module: readFileSync(path.join(pkg, 'pkg/c2pa_bg.wasm')) });

// The builder reads its source through Blob.slice and FileReaderSync, a browser API; this is the
// smallest stand-in that serves bytes already in memory.
class SyncBlob {
  constructor(b) { this.b = b; }
  get size() { return this.b.length; }
  slice(a, e) { return new SyncBlob(this.b.subarray(a, e)); }
}
globalThis.FileReaderSync = class { readAsArrayBuffer(x) { return x.b.buffer.slice(x.b.byteOffset, x.b.byteOffset + x.b.length); } };

function head(major, n) {
  if (n < 24) return Buffer.from([(major << 5) | n]);
  if (n < 256) return Buffer.from([(major << 5) | 24, n]);
  if (n < 65536) { const b = Buffer.alloc(3); b[0] = (major << 5) | 25; b.writeUInt16BE(n, 1); return b; }
  const b = Buffer.alloc(5); b[0] = (major << 5) | 26; b.writeUInt32BE(n, 1); return b;
}
function enc(v) {   // the CBOR a COSE_Sign1 needs, nothing more
  if (v === null) return Buffer.from([0xf6]);
  if (typeof v === 'number') return v >= 0 ? head(0, v) : head(1, -1 - v);
  if (typeof v === 'string') { const s = Buffer.from(v, 'utf8'); return Buffer.concat([head(3, s.length), s]); }
  if (v instanceof Uint8Array) return Buffer.concat([head(2, v.length), Buffer.from(v)]);
  if (Array.isArray(v)) return Buffer.concat([head(4, v.length), ...v.map(enc)]);
  if (v instanceof Map) return Buffer.concat([head(5, v.size), ...[...v].flatMap(([k, x]) => [enc(k), enc(x)])]);
  if (v && v.tag !== undefined) return Buffer.concat([head(6, v.tag), enc(v.value)]);
  throw new Error('cannot encode ' + typeof v);
}
const pemCerts = (pem) => [...pem.matchAll(/-----BEGIN CERTIFICATE-----([^-]+)-----END CERTIFICATE-----/g)]
  .map((m) => Buffer.from(m[1].replace(/\s/g, ''), 'base64'));
const ALG = { es256: [-7, 'sha256'], es384: [-35, 'sha384'], es512: [-36, 'sha512'], ps256: [-37, 'sha256'], ed25519: [-8, null] };
const RESERVE = 24000;

function coseSign1(alg, keyPem, certPem, payload) {
  const [id, md] = ALG[alg];
  const prot = enc(new Map([[1, id], [33, pemCerts(certPem)]]));
  const tbs = enc(['Signature1', prot, Buffer.alloc(0), Buffer.from(payload)]);
  const key = crypto.createPrivateKey(keyPem);
  let sig;
  if (alg.startsWith('es')) sig = crypto.sign(md, tbs, { key, dsaEncoding: 'ieee-p1363' });
  else if (alg === 'ps256') sig = crypto.sign(md, tbs, { key, padding: crypto.constants.RSA_PKCS1_PSS_PADDING, saltLength: 32 });
  else sig = crypto.sign(null, tbs, key);
  // the asset was hashed with RESERVE bytes for the signature: fill them exactly with a pad
  for (let k = 0; k <= RESERVE; k++) {
    const c = enc({ tag: 18, value: [prot, new Map([['pad', Buffer.alloc(k)]]), null, sig] });
    if (c.length === RESERVE) return c;
    if (c.length > RESERVE) break;
  }
  throw new Error('signature larger than the reserved size');
}

// ---- CAWG identity assertions, signed here ----
const b64url = (b) => Buffer.from(b).toString('base64url');
// The issuer of identity credentials: an Ed25519 key named by a did:jwk (its key is in the DID).
const icaKey = crypto.generateKeyPairSync('ed25519');
const icaJwk = icaKey.publicKey.export({ format: 'jwk' });
const icaDid = 'did:jwk:' + b64url(JSON.stringify({ alg: 'EdDSA', kty: 'OKP', crv: 'Ed25519', x: icaJwk.x }));
const otherKey = crypto.generateKeyPairSync('ed25519');

function x509Identity(certs, alg) {
  const keyPem = readFileSync(path.join(certs, alg + '.pem'));
  const certPem = readFileSync(path.join(certs, alg + '.pub'), 'utf8');
  return { sigType: 'cawg.x509.cose', reserveSize: 12000, referencedAssertions: [], roles: [],
    sign: async (payload) => new Uint8Array(bareCose(alg, keyPem, certPem, encodeSignerPayload(payload))) };
}
function bareCose(alg, keyPem, certPem, payload) {
  const [id, md] = ALG[alg];
  const prot = enc(new Map([[1, id], [33, pemCerts(certPem)]]));
  const tbs = enc(['Signature1', prot, Buffer.alloc(0), Buffer.from(payload)]);
  const key = crypto.createPrivateKey(keyPem);
  const sig = alg.startsWith('es') ? crypto.sign(md, tbs, { key, dsaEncoding: 'ieee-p1363' }) : crypto.sign(null, tbs, key);
  return enc({ tag: 18, value: [prot, new Map(), null, sig] });
}
// An identity claims aggregation credential; `bad` names the one thing made wrong.
function icaIdentity(bad) {
  return { sigType: 'cawg.identity_claims_aggregation', reserveSize: 12000, referencedAssertions: [], roles: [],
    sign: async (payload) => {
      const asset = { referenced_assertions: payload.referencedAssertions.map((r) => ({ url: r.url,
        hash: [...Buffer.from(Buffer.from(r.hash).toString('base64'), 'latin1')] })), sig_type: payload.sigType };
      if (bad === 'payload') asset.referenced_assertions[0].hash[0] ^= 1;
      const vc = { '@context': ['https://www.w3.org/ns/credentials/v2', 'https://cawg.io/identity/1.1/ica/context/'],
        type: ['VerifiableCredential', 'IdentityClaimsAggregationCredential'],
        issuer: bad === 'didweb' ? 'did:web:example.com' : icaDid,
        validFrom: bad === 'future' ? '2200-01-01T00:00:00Z' : '2025-01-01T00:00:00Z',
        ...(bad === 'expired' ? { validUntil: '2025-06-01T00:00:00Z' } : {}),
        credentialSubject: { verifiedIdentities: [{ type: 'cawg.social_media', name: 'Check Winnow',
          username: 'checkwinnow', uri: 'https://social.example/checkwinnow', verifiedAt: '2025-01-01T00:00:00Z',
          provider: { id: 'https://social.example', name: 'Example Social' } }], c2paAsset: asset } };
      const prot = enc(new Map([[1, -8], [3, bad === 'ctype' ? 'application/json' : 'application/vc']]));
      const body = Buffer.from(JSON.stringify(vc));
      const tbs = enc(['Signature1', prot, Buffer.alloc(0), body]);
      const sig = crypto.sign(null, tbs, bad === 'sig' ? otherKey.privateKey : icaKey.privateKey);
      return new Uint8Array(enc({ tag: 18, value: [prot, new Map(), body, sig] }));
    } };
}

// A job is KIND:ALG:SOURCE_TYPE:FILE.  KIND: plain; x509 (a CAWG X.509 identity); ica, ica-sig,
// ica-payload, ica-expired, ica-future, ica-didweb, ica-ctype (claims aggregation, one thing wrong);
// compressed (the manifest brotli-compressed); ingredient (FILE is signed with the previous job's output as its parent ingredient); update (an
// update manifest added to FILE, which is signed already).  ALG@DIR takes the key from DIR.
const [certs, out, ...jobs] = process.argv.slice(2);
let previous = null;
for (const job of jobs) {
  const m = /^([a-z0-9-]+):([a-z0-9]+)(@[^:]+)?:([A-Za-z]*):(.+)$/.exec(job);
  if (!m) { console.error(`refsign: bad job ${job}`); process.exit(1); }
  const [, kind, alg, keydir, dst, file] = m;
  const kd = keydir ? keydir.slice(1) : certs;
  const src = readFileSync(file);
  const fmt = mimeOf(src, file);
  const def = {
    claim_generator_info: [{ name: 'winnow-check-c2pa', version: '1.0' }],
    title: path.basename(file),
    assertions: [{ label: 'c2pa.actions.v2', data: { actions: [{ action: kind === 'ingredient' ? 'c2pa.opened' : 'c2pa.created',
      ...(kind === 'ingredient' ? { parameters: { ingredientIds: ['parent'] } } : {}),
      ...(dst ? { digitalSourceType: 'http://cv.iptc.org/newscodes/digitalsourcetype/' + dst } : {}) }] } }],
  };
  const keyPem = readFileSync(path.join(kd, alg + '.pem'));
  const certPem = readFileSync(path.join(kd, alg + '.pub'), 'utf8');
  // an update manifest carries no actions; its parent is the file itself
  if (kind === 'update') def.assertions = [];
  // compressed: the store's manifests brotli-compressed, as c2pa-rs writes them when asked
  const b = WasmBuilder.fromJson(JSON.stringify(def),
    kind === 'compressed' ? JSON.stringify({ core: { prefer_compress_manifests: true } }) : undefined);
  if (kind === 'update') {
    b.setIntent('update');
    await b.addIngredientFromBlob(JSON.stringify({ title: path.basename(file), relationship: 'parentOf' }), fmt, new SyncBlob(src));
  }
  const signer = { alg, reserveSize: RESERVE, sign: async (bytes) => new Uint8Array(coseSign1(alg, keyPem, certPem, bytes)) };
  let ids = [];
  if (kind === 'x509') ids = [x509Identity(certs, 'es256')];
  else if (kind.startsWith('ica')) ids = [icaIdentity(kind.slice(4))];
  const name = path.join(out, `${kind}-${alg}${keydir ? '-other' : ''}-${path.basename(file)}`);
  try {
    if (kind === 'ingredient') {
      if (!previous) throw new Error('an ingredient job needs a job before it');
      const pb = readFileSync(previous);
      await b.addIngredientFromBlob(JSON.stringify({ title: path.basename(previous), relationship: 'parentOf', label: 'parent' }),
        mimeOf(pb, previous), new SyncBlob(pb));
    }
    const signed = await b.sign(signer, ids, fmt, new SyncBlob(src));
    writeFileSync(name, signed);
    console.log(name);
    previous = name;
  } catch (e) {
    console.error(`refsign: the reference could not sign ${file} (${fmt}, ${kind}): ${e?.message || e}`);
    process.exitCode = 1;
  }
  b.free();
}
