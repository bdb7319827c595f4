// The instance's log key: an Ed25519 key kept in a file outside the database (KYSO_LOG_KEY, default
// log-key.pem beside kyso.db, mode 0600). Every log entry's tree head (its size and root) is signed with
// it, so whoever edits the database without the key cannot make a head that verifies. The public key is
// recorded in the log itself (a `log-key` entry) and printed by `kyso audit key` for pinning elsewhere.
import { createHash, createPrivateKey, createPublicKey, generateKeyPairSync, sign, verify, type KeyObject } from "node:crypto";
import { closeSync, fsyncSync, openSync, readFileSync, writeSync } from "node:fs";
import { dirname } from "node:path";

export interface LogKey {
  keyId: string;
  /** the raw 32-byte public key, base64 */
  publicKey: string;
  sign(message: string): string;
}

/** What a signature covers: a tree head. */
export const headMessage = (size: number, root: string): string => `kyso-log-head:v1\n${size}\n${root}`;
/** What a key rotation's endorsement covers: the new key, signed by the one it replaces. */
export const endorsementMessage = (publicKey: string): string => `kyso-log-key:v1\n${publicKey}`;

/** The key's id: the first 16 hex digits of the SHA-256 of the raw public key. */
export const keyIdOf = (publicKeyB64: string): string => createHash("sha256").update(Buffer.from(publicKeyB64, "base64")).digest("hex").slice(0, 16);

const SPKI_ED25519 = Buffer.from("302a300506032b6570032100", "hex");

/** Parsed keys by their base64: a log has a handful, and building the key object cost as much as the verification itself. */
const keyObjects = new Map<string, KeyObject>();

function publicKeyObject(publicKeyB64: string): KeyObject {
  let k = keyObjects.get(publicKeyB64);
  if (!k) {
    k = createPublicKey({ key: Buffer.concat([SPKI_ED25519, Buffer.from(publicKeyB64, "base64")]), format: "der", type: "spki" });
    // bounded: keys read from hostile input (an export, a kept head) are not kept without end
    if (keyObjects.size >= 64) keyObjects.clear();
    keyObjects.set(publicKeyB64, k);
  }
  return k;
}

export function verifySignature(publicKeyB64: string, message: string, signatureB64: string): boolean {
  try {
    return verify(null, Buffer.from(message), publicKeyObject(publicKeyB64), Buffer.from(signatureB64, "base64"));
  } catch {
    return false;
  }
}

function fromPrivate(pk: KeyObject): LogKey {
  const spki = createPublicKey(pk).export({ format: "der", type: "spki" });
  const publicKey = spki.subarray(SPKI_ED25519.length).toString("base64");
  return { keyId: keyIdOf(publicKey), publicKey, sign: (m) => sign(null, Buffer.from(m), pk).toString("base64") };
}

/** A new key, written durably and only if no key is there yet (two processes starting at once agree). */
export function createLogKey(path: string): LogKey {
  const { privateKey } = generateKeyPairSync("ed25519");
  const pem = privateKey.export({ format: "pem", type: "pkcs8" }) as string;
  let fd: number;
  try {
    fd = openSync(path, "wx", 0o600);
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === "EEXIST") return readLogKey(path)!;
    throw e;
  }
  try {
    writeSync(fd, pem);
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
  return fromPrivate(privateKey);
}

/** The key in a file, or null when there is none. */
export function readLogKey(path: string): LogKey | null {
  let pem: string;
  try {
    pem = readFileSync(path, "utf8");
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === "ENOENT") return null;
    throw e;
  }
  const pk = createPrivateKey(pem);
  if (pk.asymmetricKeyType !== "ed25519") throw new Error(`${path} is not an Ed25519 private key`);
  return fromPrivate(pk);
}
