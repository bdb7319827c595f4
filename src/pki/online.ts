// Online revocation (off by default; DESIGN.md §4.2): for signing certificates whose status the document
// does not establish, ask the OCSP responders and CRL distribution points their certificates name.
// Bounded: a time limit per request, a size limit per answer, a few addresses per certificate.
import { createHash } from "node:crypto";
import { isIP } from "node:net";
import { algo, int, octets, seq } from "../asn1/der-writer.js";
import { now } from "../clock.js";
import type { Certificate } from "./certificate.js";
import { crlUrls, ocspUrls } from "./extensions.js";
import { parseCrl } from "./crl.js";
import { keyBitString, parseOcsp } from "./ocsp.js";

export interface OnlineOptions {
  timeoutMs: number;
  maxBytes: number;
  /** keep answers for the next documents this long at most (never past their nextUpdate); 0: never */
  cacheSeconds?: number;
  /** the clock that bounds how long an answer is kept, in ms (tests move it; default: the process clock of src/clock.ts) */
  clock?: () => number;
  /** all the fetches of one document together: a slow responder leaves the revocation unchecked (soft-fail)
   * and time for the analysis itself, never a document that fails for want of time */
  budgetMs?: number;
  /** hosts or addresses that may be loopback, link-local or private (KYSO_ONLINE_ALLOW); others are refused */
  allow?: string[];
}

export const DEFAULT_ONLINE: OnlineOptions = { timeoutMs: 5000, maxBytes: 8 << 20, cacheSeconds: 3600, budgetMs: 6000 };

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
    const times = parseOcsp(body)
      .responses.map((r) => r.nextUpdate)
      .filter((t): t is string => t !== null)
      .sort();
    return times[0] ?? null;
  } catch {
    return "1970-01-01T00:00:00Z"; // unreadable: never kept
  }
}

/** Fetches under way, by what they ask: documents analysed at once share one request per answer. */
const IN_FLIGHT = new Map<string, Promise<Uint8Array>>();

async function ask(kind: "crl" | "ocsp", key: string, url: string, init: RequestInit, o: OnlineOptions, at: number, deadline: number): Promise<Uint8Array> {
  const seconds = o.cacheSeconds ?? 0;
  const clock = o.clock ?? (() => now().getTime());
  const hit = seconds > 0 ? cached(key, clock(), at) : undefined;
  if (hit) return hit;
  const running = IN_FLIGHT.get(key);
  if (running) return running;
  const p = get(url, init, o, deadline).then((body) => {
    if (seconds > 0) keep(key, body, nextUpdateOf(kind, body), seconds, clock(), at);
    return body;
  });
  IN_FLIGHT.set(key, p);
  try {
    return await p;
  } finally {
    IN_FLIGHT.delete(key);
  }
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

/**
 * One request that cannot hurt: http(s) only, to a public address unless allowed, no redirect followed,
 * within the time left of the document's budget, the body read as a stream and cut at the cap.
 */
async function get(url: string, init: RequestInit, o: OnlineOptions, deadline: number): Promise<Uint8Array> {
  const left = Math.min(o.timeoutMs, deadline - Date.now());
  if (left <= 0) throw new Error("no time left in this document's budget for online checks");
  const u = new URL(url);
  if (u.protocol !== "http:" && u.protocol !== "https:") throw new Error(`${u.protocol} is not fetched`);
  await refuseInternal(u.hostname, o.allow ?? []);
  const signal = AbortSignal.timeout(left);
  const res = await fetch(u, { ...init, signal, redirect: "manual" });
  if (res.status >= 300 && res.status < 400) {
    await res.body?.cancel();
    throw new Error(`HTTP ${res.status}: a redirect (to ${res.headers.get("location") ?? "?"}) is not followed`);
  }
  if (!res.ok) {
    await res.body?.cancel();
    throw new Error(`HTTP ${res.status}`);
  }
  const declared = Number(res.headers.get("content-length") ?? 0);
  if (declared > o.maxBytes) {
    await res.body?.cancel();
    throw new Error(`answer of ${declared} bytes is too large`);
  }
  const chunks: Uint8Array[] = [];
  let size = 0;
  const reader = res.body?.getReader();
  if (!reader) return new Uint8Array();
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    size += value.byteLength;
    if (size > o.maxBytes) {
      await reader.cancel();
      throw new Error(`answer of more than ${o.maxBytes} bytes is too large: stopped reading`);
    }
    chunks.push(value);
  }
  return new Uint8Array(Buffer.concat(chunks));
}

/** Loopback, link-local, private and unspecified addresses (IPv4 and IPv6). */
function isInternal(ip: string): boolean {
  const v4 = /^(?:::ffff:)?(\d+)\.(\d+)\.(\d+)\.(\d+)$/i.exec(ip);
  if (v4) {
    const [a, b] = [Number(v4[1]), Number(v4[2])];
    return (
      a === 0 ||
      a === 10 ||
      a === 127 ||
      (a === 169 && b === 254) ||
      (a === 172 && b >= 16 && b <= 31) ||
      (a === 192 && b === 168) ||
      (a === 100 && b >= 64 && b <= 127)
    );
  }
  const x = ip.toLowerCase();
  return (
    x === "::" ||
    x === "::1" ||
    x.startsWith("fe8") ||
    x.startsWith("fe9") ||
    x.startsWith("fea") ||
    x.startsWith("feb") ||
    x.startsWith("fc") ||
    x.startsWith("fd")
  );
}

/** Refuses a host that is, or resolves to, an internal address, unless KYSO_ONLINE_ALLOW names it. */
async function refuseInternal(host: string, allow: string[]): Promise<void> {
  const name = host.replace(/^\[|\]$/g, "");
  if (allow.includes(name)) return;
  const { lookup } = await import("node:dns/promises");
  const addrs = isIP(name) ? [{ address: name }] : await lookup(name, { all: true });
  for (const a of addrs)
    if (isInternal(a.address) && !allow.includes(a.address))
      throw new Error(`${name} is an internal address (${a.address}): not fetched unless KYSO_ONLINE_ALLOW lists it`);
}

/** `at`: the validation time (ISO 8601), which decides whether a kept answer still speaks for this document. */
export async function fetchRevocation(needs: Array<{ cert: Certificate; issuer: Certificate }>, o: OnlineOptions, at: string): Promise<Fetched> {
  const atMs = Date.parse(at);
  const deadline = Date.now() + (o.budgetMs ?? o.timeoutMs * 2);
  const out: Fetched = { crls: [], ocsps: [], problems: [] };
  const seen = new Set<string>();
  for (const { cert, issuer } of needs) {
    if (seen.has(cert.sha256)) continue;
    seen.add(cert.sha256);
    let done = false;
    for (const url of ocspUrls(cert).slice(0, 2)) {
      try {
        const request = new Uint8Array(ocspRequest(cert, issuer));
        out.ocsps.push(
          await ask(
            "ocsp",
            `ocsp ${url} ${Buffer.from(request).toString("base64")}`,
            url,
            { method: "POST", headers: { "content-type": "application/ocsp-request" }, body: request },
            o,
            atMs,
            deadline,
          ),
        );
        done = true;
        break;
      } catch (e) {
        out.problems.push(`OCSP ${url}: ${(e as Error).message}`);
      }
    }
    if (done) continue;
    for (const url of crlUrls(cert).slice(0, 2)) {
      try {
        out.crls.push(await ask("crl", `crl ${url}`, url, { method: "GET" }, o, atMs, deadline));
        break;
      } catch (e) {
        out.problems.push(`CRL ${url}: ${(e as Error).message}`);
      }
    }
  }
  return out;
}
