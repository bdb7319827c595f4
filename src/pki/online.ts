// Online revocation (off by default; DESIGN.md §4.2): for signing certificates whose status the document
// does not establish, ask the OCSP responders and CRL distribution points their certificates name.
// Bounded: a time limit per request, a size limit per answer, a few addresses per certificate.
import { createHash } from "node:crypto";
import { algo, int, octets, seq } from "../asn1/der-writer.js";
import type { Certificate } from "./certificate.js";
import { crlUrls, ocspUrls } from "./extensions.js";
import { parseCrl } from "./crl.js";
import { keyBitString, parseOcsp } from "./ocsp.js";

export interface OnlineOptions {
  timeoutMs: number;
  maxBytes: number;
  /** keep answers for the next documents this long at most (never past their nextUpdate); 0: never */
  cacheSeconds?: number;
  /** the process clock that bounds how long an answer is kept (tests move it; the default is the wall clock) */
  clock?: () => number;
}

export const DEFAULT_ONLINE: OnlineOptions = { timeoutMs: 5000, maxBytes: 8 << 20, cacheSeconds: 3600 };

/**
 * Answers kept between the documents one process verifies (a CRL of a national CA runs to megabytes, and
 * a batch of documents is mostly signed under the same few CAs). Keyed by what was asked; an answer is
 * kept until the earlier of its nextUpdate and the cache time, and the cache is bounded in bytes. The
 * wall clock only decides reuse here: each answer is still judged at the validation time like any other.
 */
const CACHE = new Map<string, { body: Uint8Array; until: number; nextUpdate: number }>();
const CACHE_MAX_BYTES = 64 << 20;
let cacheBytes = 0;

/**
 * A kept answer is reused while the process has kept it less than cacheSeconds (process clock) and while
 * it still speaks for the time the document is judged at (its nextUpdate is not before the validation
 * time). Comparing nextUpdate with the wall clock instead made reuse depend on the day a test ran.
 */
function cached(key: string, now: number, at: number): Uint8Array | undefined {
  const hit = CACHE.get(key);
  if (!hit) return undefined;
  if (hit.until > now && hit.nextUpdate >= at) return hit.body;
  CACHE.delete(key);
  cacheBytes -= hit.body.length;
  return undefined;
}

function keep(key: string, body: Uint8Array, nextUpdate: string | null, seconds: number, now: number, at: number): void {
  const next = nextUpdate ? Date.parse(nextUpdate) : Infinity;
  if (!(next >= at) || body.length > CACHE_MAX_BYTES) return;
  const until = now + seconds * 1000;
  for (const [k, v] of CACHE) {
    if (cacheBytes + body.length <= CACHE_MAX_BYTES) break;
    CACHE.delete(k); // oldest first (insertion order)
    cacheBytes -= v.body.length;
  }
  CACHE.set(key, { body, until, nextUpdate: next });
  cacheBytes += body.length;
}

/** The earliest nextUpdate an answer carries (null: none, or unreadable: then it is not kept long). */
function nextUpdateOf(kind: "crl" | "ocsp", body: Uint8Array): string | null {
  try {
    if (kind === "crl") return parseCrl(body).nextUpdate;
    const times = parseOcsp(body).responses.map((r) => r.nextUpdate).filter((t): t is string => t !== null).sort();
    return times[0] ?? null;
  } catch {
    return "1970-01-01T00:00:00Z"; // unreadable: never kept
  }
}

async function ask(kind: "crl" | "ocsp", key: string, url: string, init: RequestInit, o: OnlineOptions, at: number): Promise<Uint8Array> {
  const seconds = o.cacheSeconds ?? 0;
  const clock = o.clock ?? Date.now;
  const hit = seconds > 0 ? cached(key, clock(), at) : undefined;
  if (hit) return hit;
  const body = await get(url, init, o);
  if (seconds > 0) keep(key, body, nextUpdateOf(kind, body), seconds, clock(), at);
  return body;
}

export interface Fetched {
  crls: Uint8Array[];
  ocsps: Uint8Array[];
  problems: string[];
}

/** An OCSP request (RFC 6960 §4.1) for one certificate, CertID hashed with SHA-1 as responders expect. */
export function ocspRequest(cert: Certificate, issuer: Certificate): Buffer {
  const sha1 = (b: Uint8Array) => createHash("sha1").update(b).digest();
  const certId = seq(algo("1.3.14.3.2.26"), octets(sha1(issuer.subjectDer)), octets(sha1(keyBitString(issuer))), int(cert.serial));
  return seq(seq(seq(seq(certId))));
}

async function get(url: string, init: RequestInit, o: OnlineOptions): Promise<Uint8Array> {
  const res = await fetch(url, { ...init, signal: AbortSignal.timeout(o.timeoutMs), redirect: "follow" });
  if (!res.ok) throw new Error(`HTTP ${res.status}`);
  const declared = Number(res.headers.get("content-length") ?? 0);
  if (declared > o.maxBytes) throw new Error(`answer of ${declared} bytes is too large`);
  const body = new Uint8Array(await res.arrayBuffer());
  if (body.length > o.maxBytes) throw new Error(`answer of ${body.length} bytes is too large`);
  return body;
}

/** `at`: the validation time (ISO 8601), which decides whether a kept answer still speaks for this document. */
export async function fetchRevocation(needs: Array<{ cert: Certificate; issuer: Certificate }>, o: OnlineOptions, at: string): Promise<Fetched> {
  const atMs = Date.parse(at);
  const out: Fetched = { crls: [], ocsps: [], problems: [] };
  const seen = new Set<string>();
  for (const { cert, issuer } of needs) {
    if (seen.has(cert.sha256)) continue;
    seen.add(cert.sha256);
    let done = false;
    for (const url of ocspUrls(cert).slice(0, 2)) {
      try {
        const request = new Uint8Array(ocspRequest(cert, issuer));
        out.ocsps.push(await ask("ocsp", `ocsp ${url} ${Buffer.from(request).toString("base64")}`, url, { method: "POST", headers: { "content-type": "application/ocsp-request" }, body: request }, o, atMs));
        done = true;
        break;
      } catch (e) {
        out.problems.push(`OCSP ${url}: ${(e as Error).message}`);
      }
    }
    if (done) continue;
    for (const url of crlUrls(cert).slice(0, 2)) {
      try {
        out.crls.push(await ask("crl", `crl ${url}`, url, { method: "GET" }, o, atMs));
        break;
      } catch (e) {
        out.problems.push(`CRL ${url}: ${(e as Error).message}`);
      }
    }
  }
  return out;
}
