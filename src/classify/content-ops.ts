// A content-stream tokenizer (ISO 32000-1 §7.8.2): operands are PDF objects, operators bare keywords.
// Inline image data is skipped, never decoded. Bounded: a stream yields at most `maxOps` operators.
import { PdfError } from "../pdf/errors.js";
import type { PdfObject } from "../pdf/objects.js";
import { isDelim, isWhite, Parser } from "../pdf/parser.js";

export interface Op {
  op: string;
  args: PdfObject[];
}

const OPERAND_START = new Set([0x2f, 0x3c, 0x28, 0x5b, 0x2b, 0x2d, 0x2e]);

export function* contentOps(data: Uint8Array, maxOps = 2_000_000): Generator<Op> {
  const p = new Parser(data);
  let args: PdfObject[] = [];
  let count = 0;
  for (;;) {
    p.skipWs();
    const c = p.peek();
    if (c < 0) return;
    if (OPERAND_START.has(c) || (c >= 0x30 && c <= 0x39)) {
      args.push(p.parseObject());
      if (args.length > 10_000) throw new PdfError("LIMIT", "too many operands", p.pos);
      continue;
    }
    if (c === 0x5d || c === 0x29 || c === 0x3e || c === 0x7b || c === 0x7d) {
      p.pos++; // stray delimiter: skip (lenient, as viewers are)
      continue;
    }
    const start = p.pos;
    const tok = p.regularToken();
    if (!tok) throw new PdfError("SYNTAX", "unexpected byte in content stream", start);
    if (tok === "true" || tok === "false" || tok === "null") {
      args.push(tok === "true" ? true : tok === "false" ? false : null);
      continue;
    }
    if (++count > maxOps) throw new PdfError("LIMIT", "too many operators in a content stream", start);
    if (tok === "BI") {
      skipInlineImage(p, data);
      yield { op: "BI", args: [] };
      args = [];
      continue;
    }
    yield { op: tok, args };
    args = [];
  }
}

/** Skips `BI … ID <data> EI`: the data ends at an `EI` that stands alone between white space. */
function skipInlineImage(p: Parser, data: Uint8Array): void {
  const start = p.pos;
  for (let guard = 0; guard < 1000; guard++) {
    p.skipWs();
    if (p.tryKeyword("ID")) break;
    if (p.peek() < 0) throw new PdfError("SYNTAX", "inline image without ID", start);
    p.parseObject();
  }
  let i = p.pos + 1;
  for (; i + 1 < data.length; i++) {
    if (data[i] === 0x45 && data[i + 1] === 0x49 && isWhite(data[i - 1]!) && (i + 2 >= data.length || isWhite(data[i + 2]!) || isDelim(data[i + 2]!))) {
      p.pos = i + 2;
      return;
    }
  }
  throw new PdfError("SYNTAX", "inline image without EI", start);
}
