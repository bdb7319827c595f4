// edXML messages of the national document exchange (QCVN 102:2016/BTTTT, VIETNAM.md): the header gives the
// exchange's metadata, the attachments the files (base64; often a zip holding the signed PDF). No official
// XSD is available, so elements are found by local name wherever they sit, and the raw message is kept by
// the caller. Bounded: attachment and archive sizes are checked before anything is decoded or inflated.
import { unzipSync } from "fflate";
import { XMLParser } from "fast-xml-parser";
import type { DocumentMeta } from "../store/documents.js";
import { parseMetadata } from "./metadata.js";

export class EdxmlError extends Error {
  override name = "EdxmlError";
  constructor(
    message: string,
    /** too large rather than malformed */
    readonly tooLarge = false,
  ) {
    super(message);
  }
}

export interface EdxmlOrgan {
  organId: string;
  organName: string | null;
}

export interface EdxmlAttachment {
  /** the attachment's name, and inside a zip the member's path after it */
  name: string;
  bytes: Uint8Array;
}

export interface EdxmlMessage {
  from: EdxmlOrgan;
  to: EdxmlOrgan[];
  /** số/ký hiệu as `CodeNumber/CodeNotation` */
  number: string | null;
  /** PromulgationDate as YYYY-MM-DD */
  issuedDate: string | null;
  typeName: string | null;
  subject: string | null;
  /** OtherInfo/Priority: 0 normal … 4 (urgency; edXML carries no classification: classified documents may not travel over it) */
  priority: string | null;
  /** PDFs among the attachments (directly, or inside zip attachments) */
  pdfs: EdxmlAttachment[];
  /** attachments that are neither PDFs nor zips holding PDFs, by name */
  skipped: string[];
}

export interface EdxmlLimits {
  /** largest decoded attachment, and largest inflated zip member (bytes) */
  maxFileBytes: number;
  /** most attachments and zip members considered */
  maxFiles: number;
}

const DEFAULT_LIMITS: EdxmlLimits = { maxFileBytes: 50 << 20, maxFiles: 100 };

type Node = Record<string, unknown>;

const parser = new XMLParser({
  removeNSPrefix: true,
  ignoreAttributes: true,
  parseTagValue: false,
  trimValues: true,
  processEntities: true,
  // every element may repeat: lists everywhere, so one shape whatever the sender wrote
  isArray: () => true,
});

/** All elements named `name` anywhere below `node`, in document order (breadth first). */
function all(node: unknown, name: string, limit = 10_000): Node[] {
  const out: Node[] = [];
  const queue: unknown[] = [node];
  for (let seen = 0; queue.length && seen < 200_000; seen++) {
    const cur = queue.shift();
    if (Array.isArray(cur)) {
      queue.push(...cur);
      continue;
    }
    if (!cur || typeof cur !== "object") continue;
    for (const [k, v] of Object.entries(cur as Node)) {
      if (k === name) for (const x of Array.isArray(v) ? v : [v]) if (out.length < limit) out.push((x && typeof x === "object" ? x : { "#text": x }) as Node);
      queue.push(v);
    }
  }
  return out;
}

function text(node: unknown, name: string): string | null {
  const n = all(node, name, 1)[0];
  if (!n) return null;
  const t = n["#text"];
  const v = Array.isArray(t) ? t.join("") : t;
  return typeof v === "string" && v.trim() ? v.trim() : null;
}

function organ(node: Node): EdxmlOrgan | null {
  const organId = text(node, "OrganId");
  return organId ? { organId, organName: text(node, "OrganName") } : null;
}

/** yyyy/MM/dd (the standard's form), also yyyy-MM-dd and dd/MM/yyyy as senders write them. */
function date(v: string | null): string | null {
  if (!v) return null;
  let m = /^(\d{4})[/-](\d{1,2})[/-](\d{1,2})/.exec(v);
  if (m) return `${m[1]}-${m[2]!.padStart(2, "0")}-${m[3]!.padStart(2, "0")}`;
  m = /^(\d{1,2})\/(\d{1,2})\/(\d{4})$/.exec(v);
  if (m) return `${m[3]}-${m[2]!.padStart(2, "0")}-${m[1]!.padStart(2, "0")}`;
  throw new EdxmlError(`PromulgationDate '${v}' is not a date (yyyy/MM/dd)`);
}

const isPdf = (b: Uint8Array) => Buffer.from(b.subarray(0, 1024)).includes("%PDF-");
const isZip = (b: Uint8Array) => b.length >= 4 && b[0] === 0x50 && b[1] === 0x4b && b[2] === 0x03 && b[3] === 0x04;

export function parseEdxml(xml: string, limits: EdxmlLimits = DEFAULT_LIMITS): EdxmlMessage {
  let doc: unknown;
  try {
    doc = parser.parse(xml, true);
  } catch (e) {
    throw new EdxmlError(`the message is not well-formed XML: ${(e as Error).message.split("\n")[0]}`);
  }
  const header = all(doc, "MessageHeader", 1)[0];
  if (!header) throw new EdxmlError("no MessageHeader element: not an edXML message");
  const from = all(header, "From", 1).map(organ)[0];
  if (!from) throw new EdxmlError("MessageHeader has no From/OrganId");
  const to = all(header, "To").map(organ).filter((o): o is EdxmlOrgan => o !== null);
  const code = all(header, "Code", 1)[0];
  const codeNumber = code ? text(code, "CodeNumber") : null;
  const notation = code ? text(code, "CodeNotation") : null;
  const promulgation = all(header, "PromulgationInfo", 1)[0];
  const docType = all(header, "DocumentType", 1)[0];
  const other = all(header, "OtherInfo", 1)[0];

  const pdfs: EdxmlAttachment[] = [];
  const skipped: string[] = [];
  const attachments = all(doc, "Attachment", limits.maxFiles + 1);
  if (attachments.length > limits.maxFiles) throw new EdxmlError(`more than ${limits.maxFiles} attachments`, true);
  attachments.forEach((a, i) => {
    const name = text(a, "Name") ?? text(a, "AttachmentName") ?? `attachment-${i + 1}`;
    const value = text(a, "Value") ?? text(a, "ContentData");
    if (!value) return void skipped.push(name);
    const b64 = value.replace(/\s+/g, "");
    if (!/^[A-Za-z0-9+/]*={0,2}$/.test(b64)) throw new EdxmlError(`attachment '${name}' is not base64`);
    if ((b64.length * 3) / 4 > limits.maxFileBytes) throw new EdxmlError(`attachment '${name}' is larger than ${limits.maxFileBytes} bytes`, true);
    const bytes = new Uint8Array(Buffer.from(b64, "base64"));
    if (isPdf(bytes)) pdfs.push({ name, bytes });
    else if (isZip(bytes)) pdfs.push(...pdfsInZip(name, bytes, limits, skipped));
    else skipped.push(name);
  });
  return {
    from,
    to,
    number: codeNumber && notation ? `${codeNumber}/${notation}` : (codeNumber ?? notation),
    issuedDate: date(promulgation ? text(promulgation, "PromulgationDate") : null),
    typeName: docType ? text(docType, "TypeName") : null,
    subject: text(header, "Subject"),
    priority: other ? text(other, "Priority") : null,
    pdfs,
    skipped,
  };
}

/** PDFs inside a zip attachment; every member's declared size is checked before it is inflated. */
function pdfsInZip(name: string, zip: Uint8Array, limits: EdxmlLimits, skipped: string[]): EdxmlAttachment[] {
  let members = 0;
  let files: Record<string, Uint8Array>;
  try {
    files = unzipSync(zip, {
      filter: (f) => {
        if (++members > limits.maxFiles) throw new EdxmlError(`zip attachment '${name}' holds more than ${limits.maxFiles} files`, true);
        if (f.originalSize > limits.maxFileBytes) throw new EdxmlError(`'${f.name}' in '${name}' inflates to ${f.originalSize} bytes, more than ${limits.maxFileBytes}`, true);
        return !f.name.endsWith("/");
      },
    });
  } catch (e) {
    if (e instanceof EdxmlError) throw e;
    throw new EdxmlError(`zip attachment '${name}' cannot be read: ${(e as Error).message}`);
  }
  const out: EdxmlAttachment[] = [];
  for (const [member, bytes] of Object.entries(files)) {
    // the declared size is the sender's word: the inflated size is what counts
    if (bytes.length > limits.maxFileBytes) throw new EdxmlError(`'${member}' in '${name}' is larger than ${limits.maxFileBytes} bytes`, true);
    if (isPdf(bytes)) out.push({ name: `${name}/${member}`, bytes });
    else skipped.push(`${name}/${member}`);
  }
  return out;
}

/** What the attachments of a message with a PDF became: the document's file, the annexes, the rest. */
export function attachmentSummary(msg: EdxmlMessage): { document: string; annexes: string[]; skipped: string[] } {
  return { document: msg.pdfs[0]?.name ?? "", annexes: msg.pdfs.slice(1).map((p) => p.name), skipped: msg.skipped };
}

/** edXML OtherInfo/Priority codes (QCVN 102:2016). */
const URGENCY: Record<string, string> = { "0": "Thường", "1": "Khẩn", "2": "Thượng khẩn", "3": "Hỏa tốc", "4": "Hỏa tốc hẹn giờ" };

/** The document's metadata from the message header, validated like any other (MetadataError if bad). */
export function edxmlMetadata(msg: EdxmlMessage, known: Set<string>, now: Date, receivedAt?: string): DocumentMeta {
  return parseMetadata(
    {
      sender: msg.from.organId,
      recipients: msg.to.map((t) => t.organId),
      number: msg.number ?? undefined,
      issuedDate: msg.issuedDate ?? undefined,
      type: msg.typeName ?? undefined,
      subject: msg.subject ?? undefined,
      urgency: msg.priority !== null ? (URGENCY[msg.priority] ?? msg.priority) : undefined,
      receivedAt,
    },
    known,
    now,
  );
}
