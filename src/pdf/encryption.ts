// Whether an encrypted PDF needs a password to be opened (DESIGN.md §4.1: ENCRYPTED only then). Files
// encrypted with an empty user password ("protected" documents) open for everyone, and their signatures
// are verified on the raw bytes (/Contents and /ByteRange are never encrypted). The test is the standard
// security handler's own (ISO 32000-2 §7.6.4.4): the empty password is tried against /U, for revisions
// 2–4 (RC4/AES-128 keys from MD5, Algorithms 2, 4 and 5) and 5–6 (AES-256, Algorithm 2.A/2.B).
import { createCipheriv, createHash } from "node:crypto";
import type { PdfDocument } from "./document.js";
import { PdfDict, PdfString } from "./objects.js";

/** The padding string of Algorithm 2 (ISO 32000-2 §7.6.4.3.2). */
const PAD = Buffer.from("28bf4e5e4e758a4164004e56fffa01082e2e00b6d0683e802f0ca9fe6453697a", "hex");

export type EncryptionState = { encrypted: false } | { encrypted: true; needsPassword: boolean; handler: string; revision: number | null };

export function encryptionState(doc: PdfDocument): EncryptionState {
  const r = doc.final();
  if (!r.trailer.has("Encrypt")) return { encrypted: false };
  const d = r.dict(r.trailer.get("Encrypt"));
  const filter = d?.name("Filter") ?? "unknown";
  // a certificate-based handler (/Adobe.PubSec) always needs the recipient's private key
  if (!d || filter !== "Standard") return { encrypted: true, needsPassword: true, handler: filter, revision: null };
  const rev = d.get("R");
  const R = typeof rev === "number" ? rev : null;
  const opens = R === null ? false : R >= 5 ? emptyPasswordOpensAes256(d, R) : emptyPasswordOpensMd5(d, R, firstId(r.trailer));
  return { encrypted: true, needsPassword: !opens, handler: filter, revision: R };
}

function bytesOf(d: PdfDict, key: string): Buffer | null {
  const v = d.get(key);
  return v instanceof PdfString ? Buffer.from(v.bytes) : null;
}

function firstId(trailer: PdfDict): Buffer {
  const id = trailer.get("ID");
  return Array.isArray(id) && id[0] instanceof PdfString ? Buffer.from(id[0].bytes) : Buffer.alloc(0);
}

/** Revisions 2–4: the file key from the empty password (Algorithm 2), then /U recomputed (4 or 5). */
function emptyPasswordOpensMd5(d: PdfDict, R: number, id: Buffer): boolean {
  const O = bytesOf(d, "O");
  const U = bytesOf(d, "U");
  const P = d.get("P");
  if (!O || !U || typeof P !== "number" || O.length < 32 || U.length < 32) return false;
  const length = d.get("Length");
  const n = R === 2 ? 5 : Math.min(16, Math.max(5, (typeof length === "number" ? length : 40) >> 3));
  const p = Buffer.alloc(4);
  p.writeInt32LE(P | 0);
  const h = createHash("md5").update(PAD).update(O.subarray(0, 32)).update(p).update(id);
  if (R >= 4 && d.get("EncryptMetadata") === false) h.update(Buffer.from([0xff, 0xff, 0xff, 0xff]));
  let key = h.digest().subarray(0, n);
  if (R >= 3) for (let i = 0; i < 50; i++) key = createHash("md5").update(key).digest().subarray(0, n);
  if (R === 2) return rc4(key, PAD).equals(U.subarray(0, 32));
  let x = rc4(key, createHash("md5").update(PAD).update(id).digest());
  for (let i = 1; i <= 19; i++) x = rc4(Buffer.from(key.map((b) => b ^ i)), x);
  return x.equals(U.subarray(0, 16));
}

/** Revisions 5 and 6: /U holds a hash of the password and its validation salt (bytes 32–39). */
function emptyPasswordOpensAes256(d: PdfDict, R: number): boolean {
  const U = bytesOf(d, "U");
  if (!U || U.length < 48) return false;
  const salt = U.subarray(32, 40);
  const hash = R === 5 ? createHash("sha256").update(salt).digest() : hash2B(Buffer.alloc(0), salt);
  return hash.equals(U.subarray(0, 32));
}

/** Algorithm 2.B (ISO 32000-2 §7.6.4.3.4) for the user password (no /U data mixed in). */
function hash2B(password: Buffer, salt: Buffer): Buffer {
  let k = createHash("sha256").update(password).update(salt).digest();
  for (let round = 0; ; round++) {
    const k1 = Buffer.concat(Array.from({ length: 64 }, () => Buffer.concat([password, k])));
    const c = createCipheriv("aes-128-cbc", k.subarray(0, 16), k.subarray(16, 32)).setAutoPadding(false);
    const e = Buffer.concat([c.update(k1), c.final()]);
    let sum = 0;
    for (let i = 0; i < 16; i++) sum += e[i]!;
    k = createHash(["sha256", "sha384", "sha512"][sum % 3]!)
      .update(e)
      .digest();
    if (round >= 63 && e[e.length - 1]! <= round - 31) break;
  }
  return k.subarray(0, 32);
}

/** RC4, which OpenSSL 3 no longer offers by default: the file key is at most 16 bytes, the data 32. */
function rc4(key: Uint8Array, data: Uint8Array): Buffer {
  const s = new Uint8Array(256).map((_, i) => i);
  for (let i = 0, j = 0; i < 256; i++) {
    j = (j + s[i]! + key[i % key.length]!) & 255;
    [s[i], s[j]] = [s[j]!, s[i]!];
  }
  const out = Buffer.alloc(data.length);
  for (let n = 0, i = 0, j = 0; n < data.length; n++) {
    i = (i + 1) & 255;
    j = (j + s[i]!) & 255;
    [s[i], s[j]] = [s[j]!, s[i]!];
    out[n] = data[n]! ^ s[(s[i]! + s[j]!) & 255]!;
  }
  return out;
}
