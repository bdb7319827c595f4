// Trust anchors and helper certificates (DESIGN.md §4.2). An anchor matches by subject and public key,
// not by certificate bytes (the same CA is often re-issued: pyHanko's test root is), and may be an
// intermediate. Helpers (intermediates, TSA certificates) only help path building.
import { createHash } from "node:crypto";
import { DerError } from "../asn1/der.js";
import { parseCertificate, type Certificate } from "./certificate.js";
import { nameKey } from "./names.js";

export interface TrustInput {
  der: Uint8Array;
  anchor: boolean;
  /** where it came from, for messages */
  source?: string;
}

export class TrustStore {
  readonly anchors: Certificate[] = [];
  readonly helpers: Certificate[] = [];
  /** sha256 over the sorted anchor fingerprints: the `trustStore` of every report */
  readonly id: string;
  readonly problems: string[] = [];
  private readonly anchorKeys = new Set<string>();
  private readonly bySubject = new Map<string, Certificate[]>();

  constructor(inputs: TrustInput[]) {
    for (const i of inputs) {
      let c: Certificate;
      try {
        c = parseCertificate(i.der);
      } catch (e) {
        if (!(e instanceof DerError)) throw e;
        this.problems.push(`${i.source ?? "a certificate"}: not a certificate (${e.message})`);
        continue;
      }
      (i.anchor ? this.anchors : this.helpers).push(c);
      if (i.anchor) this.anchorKeys.add(anchorKey(c));
      const k = nameKey(c.subject);
      this.bySubject.set(k, [...(this.bySubject.get(k) ?? []), c]);
    }
    const prints = this.anchors.map((c) => c.sha256).sort();
    this.id = createHash("sha256").update(prints.join("\n")).digest("hex");
  }

  static empty(): TrustStore {
    return new TrustStore([]);
  }

  /** True when `c` is a trust anchor: same subject and same public key as one. */
  isAnchor(c: Certificate): boolean {
    return this.anchorKeys.has(anchorKey(c));
  }

  /** Store certificates whose subject is the issuer name of `c` (candidate issuers). */
  issuersOf(c: Certificate): Certificate[] {
    return this.bySubject.get(nameKey(c.issuer)) ?? [];
  }

  all(): Certificate[] {
    return [...this.anchors, ...this.helpers];
  }

  get size(): number {
    return this.anchors.length + this.helpers.length;
  }
}

function anchorKey(c: Certificate): string {
  return `${nameKey(c.subject)}/${Buffer.from(c.spki).toString("hex")}`;
}
