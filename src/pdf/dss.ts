// The Document Security Store (ISO 32000-2 §12.8.4.3): certificates, CRLs and OCSP responses a document
// carries for long-term validation, as raw DER.
import type { PdfDocument } from "./document.js";
import { PdfError } from "./errors.js";
import { decodeStream } from "./filters.js";
import { PdfStream } from "./objects.js";

export interface DssData {
  certs: Uint8Array[];
  crls: Uint8Array[];
  ocsps: Uint8Array[];
}

export function readDss(doc: PdfDocument): DssData {
  const r = doc.final();
  const dss = r.dict(r.catalog()?.get("DSS"));
  const out: DssData = { certs: [], crls: [], ocsps: [] };
  if (!dss) return out;
  const streams = (key: string): Uint8Array[] => {
    const arr = r.resolve(dss.get(key));
    if (!Array.isArray(arr)) return [];
    const list: Uint8Array[] = [];
    for (const item of arr.slice(0, 2000)) {
      const s = r.resolve(item);
      if (!(s instanceof PdfStream)) continue;
      try {
        list.push(decodeStream(doc.buf.subarray(s.dataStart, s.dataEnd), s.dict, 16 << 20));
      } catch (e) {
        if (!(e instanceof PdfError)) throw e;
      }
    }
    return list;
  };
  out.certs = streams("Certs");
  out.crls = streams("CRLs");
  out.ocsps = streams("OCSPs");
  return out;
}
