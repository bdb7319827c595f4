// Online revocation (off by default; DESIGN.md §4.2): for signing certificates whose status the document
// does not establish, ask the OCSP responders and CRL distribution points their certificates name.
// Bounded: a time limit per request, a size limit per answer, a few addresses per certificate.
import { createHash } from "node:crypto";
import { algo, int, octets, seq } from "../cms/der-writer.js";
import type { Certificate } from "./certificate.js";
import { crlUrls, ocspUrls } from "./extensions.js";
import { keyBitString } from "./ocsp.js";

export interface OnlineOptions {
  timeoutMs: number;
  maxBytes: number;
}

export const DEFAULT_ONLINE: OnlineOptions = { timeoutMs: 5000, maxBytes: 8 << 20 };

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

export async function fetchRevocation(needs: Array<{ cert: Certificate; issuer: Certificate }>, o: OnlineOptions = DEFAULT_ONLINE): Promise<Fetched> {
  const out: Fetched = { crls: [], ocsps: [], problems: [] };
  const seen = new Set<string>();
  for (const { cert, issuer } of needs) {
    if (seen.has(cert.sha256)) continue;
    seen.add(cert.sha256);
    let done = false;
    for (const url of ocspUrls(cert).slice(0, 2)) {
      try {
        out.ocsps.push(await get(url, { method: "POST", headers: { "content-type": "application/ocsp-request" }, body: new Uint8Array(ocspRequest(cert, issuer)) }, o));
        done = true;
        break;
      } catch (e) {
        out.problems.push(`OCSP ${url}: ${(e as Error).message}`);
      }
    }
    if (done) continue;
    for (const url of crlUrls(cert).slice(0, 2)) {
      try {
        out.crls.push(await get(url, { method: "GET" }, o));
        break;
      } catch (e) {
        out.problems.push(`CRL ${url}: ${(e as Error).message}`);
      }
    }
  }
  return out;
}
