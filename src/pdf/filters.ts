// Stream decoding for the streams the reader needs (xref and object streams, content streams): Flate
// with PNG predictors, and no filter. Every layer of a filter chain is bounded by the per-stream limit
// (zlib stops writing at it), and what it decodes is counted against the document's budget, so nested
// Flate layers that would expand to gigabytes cost at most the limit and say which limit stopped them.
import { readerPhrase } from "./reader-words.js";
import { inflateSync, constants } from "node:zlib";
import { type DecodeBudget, LIMITS, PdfError } from "./errors.js";
import { type PdfDict, PdfName, type PdfObject } from "./objects.js";

function filterNames(dict: PdfDict): string[] {
  const f = dict.get("Filter");
  if (f === undefined) return [];
  if (f instanceof PdfName) return [f.name];
  if (Array.isArray(f)) return f.map((x) => (x instanceof PdfName ? x.name : "?"));
  return ["?"];
}

function params(dict: PdfDict, i: number): PdfDict | undefined {
  const p = dict.get("DecodeParms") ?? dict.get("DP");
  const one = Array.isArray(p) ? p[i] : p;
  return one && typeof one === "object" && "map" in one ? (one as PdfDict) : undefined;
}

export function decodeStream(raw: Uint8Array, dict: PdfDict, maxOut: number = LIMITS.maxDecodedStream, budget?: DecodeBudget): Uint8Array {
  let data = raw;
  filterNames(dict).forEach((name, i) => {
    if (name === "FlateDecode" || name === "Fl") {
      data = inflate(data, maxOut);
      budget?.spend(data.length);
      const p = params(dict, i);
      if (p) data = unpredict(data, p);
    } else {
      throw new PdfError("STREAM", readerPhrase("reader.unsupportedFilter", { filter: name }));
    }
  });
  return data;
}

function inflate(data: Uint8Array, maxOut: number): Uint8Array {
  try {
    // Z_SYNC_FLUSH: tolerate a missing adler32 trailer, which many producers omit.
    return inflateSync(data, { maxOutputLength: maxOut, finishFlush: constants.Z_SYNC_FLUSH });
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === "ERR_BUFFER_TOO_LARGE")
      throw new PdfError("LIMIT", readerPhrase("reader.streamLimit", { mb: Math.round(maxOut / 2 ** 20) }));
    throw new PdfError("STREAM", readerPhrase("reader.inflate", { error: (e as Error).message }));
  }
}

function num(o: PdfObject | undefined, dflt: number): number {
  return typeof o === "number" ? o : dflt;
}

function unpredict(data: Uint8Array, p: PdfDict): Uint8Array {
  const predictor = num(p.get("Predictor"), 1);
  if (predictor < 10) {
    if (predictor === 1) return data;
    throw new PdfError("STREAM", readerPhrase("reader.unsupportedPredictor", { predictor }));
  }
  const colors = num(p.get("Colors"), 1);
  const bpc = num(p.get("BitsPerComponent"), 8);
  const columns = num(p.get("Columns"), 1);
  const bpp = Math.max(1, Math.ceil((colors * bpc) / 8));
  const rowLen = Math.ceil((colors * bpc * columns) / 8);
  if (rowLen <= 0 || rowLen > 1 << 20) throw new PdfError("STREAM", readerPhrase("reader.badPredictorColumns"));
  const rows = Math.floor(data.length / (rowLen + 1));
  const out = new Uint8Array(rows * rowLen);
  let prev = new Uint8Array(rowLen);
  for (let r = 0; r < rows; r++) {
    const type = data[r * (rowLen + 1)]!;
    const src = data.subarray(r * (rowLen + 1) + 1, (r + 1) * (rowLen + 1));
    const cur = out.subarray(r * rowLen, (r + 1) * rowLen);
    for (let i = 0; i < rowLen; i++) {
      const left = i >= bpp ? cur[i - bpp]! : 0;
      const up = prev[i]!;
      const upLeft = i >= bpp ? prev[i - bpp]! : 0;
      let v = src[i]!;
      switch (type) {
        case 0:
          break;
        case 1:
          v += left;
          break;
        case 2:
          v += up;
          break;
        case 3:
          v += (left + up) >> 1;
          break;
        case 4: {
          const pa = Math.abs(up - upLeft),
            pb = Math.abs(left - upLeft),
            pc = Math.abs(left + up - 2 * upLeft);
          v += pa <= pb && pa <= pc ? left : pb <= pc ? up : upLeft;
          break;
        }
        default:
          throw new PdfError("STREAM", readerPhrase("reader.badPngRow", { type }));
      }
      cur[i] = v & 0xff;
    }
    prev = cur;
  }
  return out;
}
