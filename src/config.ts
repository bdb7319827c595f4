// Configuration read from the environment and files, validated once. The trust store is loaded here
// (file I/O is an edge concern); the core receives a ready TrustStore.
import { DEFAULT_ONLINE, type OnlineOptions } from "./pki/online.js";
import { existsSync, readdirSync, readFileSync, statSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { TrustStore, type TrustInput } from "./pki/trust-store.js";

/** The Vietnamese roots and intermediates shipped with kyso (trust/vn, pinned by MANIFEST.tsv). */
export const DEFAULT_TRUST_DIR = fileURLToPath(new URL("../trust/vn", import.meta.url));

const CERT_FILE = /\.(pem|crt|cer|der)$/i;

/** Certificates of one folder. With a MANIFEST.tsv that has a `role` column, only `root…` rows are
 * anchors (intermediates and TSA certificates help path building); without one, every certificate is. */
export function readTrustDir(dir: string): TrustInput[] {
  const roles = new Map<string, string>();
  try {
    const [head, ...rows] = readFileSync(join(dir, "MANIFEST.tsv"), "utf8").trimEnd().split("\n");
    const cols = head!.split("\t");
    const fi = cols.indexOf("file");
    const ri = cols.indexOf("role");
    if (fi >= 0 && ri >= 0) for (const r of rows) roles.set(r.split("\t")[fi]!, r.split("\t")[ri]!);
  } catch {
    // no manifest: every certificate is an anchor
  }
  const out: TrustInput[] = [];
  for (const f of readdirSync(dir).sort()) {
    const path = join(dir, f);
    if (!CERT_FILE.test(f) || !statSync(path).isFile()) continue;
    const anchor = roles.size === 0 || (roles.get(f) ?? "root").startsWith("root");
    for (const der of certificatesIn(readFileSync(path))) out.push({ der, anchor, source: path });
  }
  return out;
}

/** PEM (one or more blocks) or a single DER certificate. */
export function certificatesIn(bytes: Buffer): Uint8Array[] {
  const text = bytes.toString("latin1");
  const blocks = [...text.matchAll(/-----BEGIN CERTIFICATE-----([\s\S]*?)-----END CERTIFICATE-----/g)];
  if (blocks.length) return blocks.map((m) => Buffer.from(m[1]!.replace(/\s+/g, ""), "base64"));
  return [bytes];
}

const cache = new Map<string, TrustStore>();

/** The default Vietnamese set plus `extra` folders (and KYSO_TRUST_DIRS), cached per combination. */
/** A setting that names something that is not there (a trust folder, say): said plainly, never a crash. */
export class ConfigError extends Error {
  override name = "ConfigError";
}

/**
 * The store's backend: PostgreSQL when KYSO_DATABASE_URL is a postgres:// URL, else the embedded SQLite
 * store in the data folder. Any other value is refused with the setting named.
 */
export function databaseUrl(env: Record<string, string | undefined> = process.env): string | null {
  const url = env.KYSO_DATABASE_URL?.trim();
  if (!url) return null;
  if (!/^postgres(ql)?:\/\/./.test(url))
    throw new ConfigError("KYSO_DATABASE_URL must be a postgres:// URL (unset it for the embedded store in the data folder)");
  return url;
}

export function loadTrustStore(extra: string[] = [], opts: { includeDefault?: boolean } = {}): TrustStore {
  const env = (process.env.KYSO_TRUST_DIRS ?? "").split(":").filter(Boolean);
  const dirs = [...(opts.includeDefault === false ? [] : [DEFAULT_TRUST_DIR]), ...env, ...extra];
  const key = dirs.join("\n");
  let store = cache.get(key);
  if (!store) {
    for (const d of dirs) {
      if (existsSync(d) && statSync(d).isDirectory()) continue;
      const from =
        d === DEFAULT_TRUST_DIR
          ? "the Vietnamese trust folder kyso ships with (a broken install?)"
          : env.includes(d)
            ? "KYSO_TRUST_DIRS"
            : "a trust folder given";
      throw new ConfigError(`${from}: no folder '${d}'`);
    }
    store = new TrustStore(dirs.flatMap(readTrustDir));
    cache.set(key, store);
  }
  return store;
}

const crlCaches = new Map<string, Uint8Array[]>();

/** CRLs of a local cache folder (DER or PEM `X509 CRL` files), read once per folder. */
export function loadCrlCache(dir: string): Uint8Array[] {
  let list = crlCaches.get(dir);
  if (!list) {
    list = [];
    for (const f of readdirSync(dir).sort()) {
      const path = join(dir, f);
      if (!/\.(crl|pem|der)$/i.test(f) || !statSync(path).isFile()) continue;
      const bytes = readFileSync(path);
      const text = bytes.toString("latin1");
      const blocks = [...text.matchAll(/-----BEGIN X509 CRL-----([\s\S]*?)-----END X509 CRL-----/g)];
      if (blocks.length) for (const m of blocks) list.push(Buffer.from(m[1]!.replace(/\s+/g, ""), "base64"));
      else list.push(bytes);
    }
    crlCaches.set(dir, list);
  }
  return list;
}

/** How the service checks revocation (kyso serve and kyso worker), from the environment. */
export interface RevocationSettings {
  revocation: "strict" | "soft-fail" | "off";
  /** ask the CRL and OCSP addresses of signing certificates the document leaves undetermined (with the
   * hosts KYSO_ONLINE_ALLOW lets be internal addresses) */
  online: boolean | OnlineOptions;
  /** a local folder of CRLs */
  crlDir?: string;
}

export function revocationFromEnv(env: Record<string, string | undefined>): RevocationSettings {
  const revocation = env.KYSO_REVOCATION ?? "soft-fail";
  if (revocation !== "strict" && revocation !== "soft-fail" && revocation !== "off")
    throw new Error(`KYSO_REVOCATION must be strict, soft-fail or off, not '${revocation}'`);
  const online = (env.KYSO_ONLINE ?? "false").toLowerCase();
  if (!["true", "false", "1", "0", "yes", "no"].includes(online)) throw new Error(`KYSO_ONLINE must be true or false, not '${env.KYSO_ONLINE}'`);
  if (env.KYSO_CRL_DIR && !existsSync(env.KYSO_CRL_DIR)) throw new Error(`KYSO_CRL_DIR: no folder '${env.KYSO_CRL_DIR}'`);
  const on = ["true", "1", "yes"].includes(online);
  const allow = (env.KYSO_ONLINE_ALLOW ?? "")
    .split(",")
    .map((h) => h.trim())
    .filter(Boolean);
  return { revocation, online: on && allow.length ? { ...DEFAULT_ONLINE, allow } : on, ...(env.KYSO_CRL_DIR ? { crlDir: env.KYSO_CRL_DIR } : {}) };
}
