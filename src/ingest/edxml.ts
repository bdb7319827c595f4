// edXML messages of the national document exchange (QCVN 102:2016, shared EXCHANGE.md §1), read as the
// exchange writes them: attachments in ContentTransferEncoded (or Value/ContentData), named by
// AttachmentName, ordered by the manifest, zipped or not whatever ContentType says (the bytes are
// sniffed); business kinds 0-3 (new, revocation, update, replacement) and status messages (StatusCode).
// No official XSD exists, so elements are found by local name wherever they sit. Only a message that
// cannot be read at all (not XML, no header) is an error; a broken attachment or a .doc is a fact.
// Bounded: sizes are checked before anything is decoded or inflated, and one message's total expansion
// is capped.
import { XMLParser } from "fast-xml-parser";
import type { DocumentMeta } from "../store/sqlite/documents.js";
import { parseMetadata, type CodeResolver } from "./metadata.js";
import { isCalendarDay } from "./dates.js";
import { isZip, readZip, ZipFormatError, ZipLimitError, type ZipBudget } from "./zip.js";

export class EdxmlError extends Error {
  override name = "EdxmlError";
  constructor(
    message: string,
    /** too large rather than malformed */
    readonly tooLarge = false,
    /** not an exchange message at all (no MessageHeader nor StatusCode): another XML file */
    readonly notExchange = false,
  ) {
    super(message);
  }
}

export interface EdxmlOrgan {
  organId: string;
  organName: string | null;
}

/** One file the message carries: a PDF, another kind of file (.doc, .txt, an image), or unreadable bytes. */
export interface EdxmlFile {
  /** the attachment's name, and inside a zip the member's path after it */
  name: string;
  kind: "pdf" | "not-pdf" | "broken";
  bytes: Uint8Array | null;
  /** for `broken`: why */
  reason?: string;
}

export type BusinessKind = "new" | "revocation" | "update" | "replacement";
const BUSINESS: Record<string, BusinessKind> = { "0": "new", "1": "revocation", "2": "update", "3": "replacement" };

export interface EdxmlDocumentMessage {
  kind: "document";
  business: BusinessKind;
  /** MessageHeader/DocumentId: identifies the document across messages */
  documentId: string | null;
  from: EdxmlOrgan;
  to: EdxmlOrgan[];
  /** số/ký hiệu as `CodeNumber/CodeNotation` */
  number: string | null;
  /** PromulgationDate as YYYY-MM-DD */
  issuedDate: string | null;
  typeName: string | null;
  subject: string | null;
  /** OtherInfo/Priority: 0 normal … 4 (edXML carries no classification: classified documents may not travel over it) */
  priority: string | null;
  /** Bussiness/Paper = 1: a paper copy is sent too */
  paper: boolean;
  /** the last TraceHeader/Timestamp, ISO 8601 with +07:00, when present */
  traceTime: string | null;
  /** Bussiness/BussinessDocReason */
  reason: string | null;
  /** for revocation, update and replacement: the DocumentIds of the documents it acts on */
  targets: string[];
  /** the files, the main document first (the first the manifest lists), then the annexes */
  files: EdxmlFile[];
}

export interface EdxmlStatusMessage {
  kind: "status";
  /** ResponseFor/DocumentId: the document answered */
  documentId: string | null;
  from: EdxmlOrgan | null;
  statusCode: string;
  description: string | null;
  /** Timestamp, ISO 8601 with +07:00 */
  time: string | null;
  responseFor: { organId: string | null; number: string | null; issuedDate: string | null };
  traceTime: string | null;
}

/** An envelope in the edXML namespace that carries no document header (Code, DocumentType) and no status:
 * other systems reuse the namespace (an antivirus report was seen). Listed, never counted. */
export interface EdxmlNotADocument {
  kind: "not-a-document";
  documentId: string | null;
  from: EdxmlOrgan | null;
  reason: string;
  traceTime: string | null;
}

export type EdxmlMessage = EdxmlDocumentMessage | EdxmlStatusMessage | EdxmlNotADocument;

export interface EdxmlLimits {
  /** most elements, and deepest nesting, of a message (a real one has a few hundred elements, depth < 12) */
  maxElements?: number;
  maxDepth?: number;
  /** largest decoded attachment, and largest inflated zip member (bytes) */
  maxFileBytes: number;
  /** most attachments and zip members considered */
  maxFiles: number;
  /** most bytes one message may decode and inflate to, all files together */
  maxTotalBytes: number;
}

export const DEFAULT_LIMITS: EdxmlLimits = { maxElements: 20_000, maxDepth: 64, maxFileBytes: 64 << 20, maxFiles: 100, maxTotalBytes: 256 << 20 };

/**
 * Counts elements and nesting in one pass over the text before anything is parsed, so that a message of
 * 200,000 siblings or 100,000 nested elements is refused in time linear in its size (the parser and the
 * tree it builds would cost far more). Approximate (comments and CDATA are skipped, not validated).
 */
export function checkShape(xml: string, maxElements: number, maxDepth: number): void {
  let elements = 0;
  let depth = 0;
  for (let i = xml.indexOf("<"); i !== -1; i = xml.indexOf("<", i + 1)) {
    const c = xml.charCodeAt(i + 1);
    if (c === 0x21 /* ! */) {
      const end = xml.startsWith("<!--", i) ? xml.indexOf("-->", i + 4) : xml.startsWith("<![CDATA[", i) ? xml.indexOf("]]>", i + 9) : xml.indexOf(">", i + 2);
      if (end === -1) return;
      i = end;
      continue;
    }
    if (c === 0x3f /* ? */) continue;
    if (c === 0x2f /* / */) {
      depth--;
      continue;
    }
    if (++elements > maxElements) throw new EdxmlError(`the message has more than ${maxElements} elements (an edXML message has a few hundred)`, true);
    const close = xml.indexOf(">", i + 1);
    if (close === -1) return;
    if (xml.charCodeAt(close - 1) !== 0x2f /* self-closing */ && ++depth > maxDepth)
      throw new EdxmlError(`the message nests elements deeper than ${maxDepth} levels`, true);
    i = close;
  }
}

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

/** All elements named `name` anywhere below `node`, in document order (breadth first, linear time). */
function all(node: unknown, name: string, limit = 10_000): Node[] {
  const out: Node[] = [];
  const queue: unknown[] = [node];
  for (let i = 0; i < queue.length && out.length < limit; i++) {
    const cur = queue[i];
    if (Array.isArray(cur)) {
      for (const x of cur) queue.push(x);
      continue;
    }
    if (!cur || typeof cur !== "object") continue;
    for (const [k, v] of Object.entries(cur as Node)) {
      if (k === name) for (const x of Array.isArray(v) ? v : [v]) if (out.length < limit) out.push((x && typeof x === "object" ? x : { "#text": x }) as Node);
      if (k !== "#text") queue.push(v);
    }
  }
  return out;
}

function text(node: unknown, name: string): string | null {
  const n = all(node, name, 1)[0];
  if (!n) return null;
  return ownText(n);
}

function ownText(n: Node): string | null {
  const t = n["#text"];
  const v = Array.isArray(t) ? t.join("") : t;
  return typeof v === "string" && v.trim() ? v.trim() : null;
}

function organ(node: Node): EdxmlOrgan | null {
  const organId = text(node, "OrganId");
  // the literal `null` is a recipient seen in real messages: no agency
  return organId && organId !== "null" ? { organId, organName: text(node, "OrganName") } : null;
}

/** yyyy/MM/dd (the standard's form), also yyyy-MM-dd and dd/MM/yyyy as senders write them; null if unreadable. */
function date(v: string | null): string | null {
  if (!v) return null;
  let m = /^(\d{4})[/-](\d{1,2})[/-](\d{1,2})/.exec(v);
  if (m) return valid(`${m[1]}-${m[2]!.padStart(2, "0")}-${m[3]!.padStart(2, "0")}`);
  m = /^(\d{1,2})\/(\d{1,2})\/(\d{4})$/.exec(v);
  if (m) return valid(`${m[3]}-${m[2]!.padStart(2, "0")}-${m[1]!.padStart(2, "0")}`);
  return null;
}

function valid(d: string): string | null {
  return isCalendarDay(d) ? d : null;
}

/** `yyyy/MM/dd HH:mm:ss` (or the pre-2016 format's `dd/MM/yyyy HH:mm:ss`) in Vietnam time (UTC+7) → ISO
 * 8601 with its offset; null if unreadable. */
export function vietnamTime(v: string | null): string | null {
  if (!v) return null;
  const m = /^(\d{4})[/-](\d\d)[/-](\d\d)[ T](\d\d):(\d\d)(?::(\d\d))?/.exec(v.trim());
  const d = m ? null : /^(\d\d)\/(\d\d)\/(\d{4})[ T](\d\d):(\d\d)(?::(\d\d))?/.exec(v.trim());
  if (!m && !d) return null;
  const iso = m ? `${m[1]}-${m[2]}-${m[3]}T${m[4]}:${m[5]}:${m[6] ?? "00"}+07:00` : `${d![3]}-${d![2]}-${d![1]}T${d![4]}:${d![5]}:${d![6] ?? "00"}+07:00`;
  return Number.isNaN(Date.parse(iso)) ? null : iso;
}

const isPdf = (b: Uint8Array): boolean => Buffer.from(b.buffer, b.byteOffset, Math.min(b.byteLength, 1024)).includes("%PDF-");
/** A .docx, .xlsx or .odt is itself a zip: it is the file, not a wrapper around one. */
const isOfficeZip = (members: string[]): boolean => members.some((n) => n === "[Content_Types].xml" || n === "mimetype" || n.startsWith("word/"));

const stripCid = (s: string | null): string | null => (s ? s.replace(/^cid:/i, "").replace(/^<|>$/g, "").trim() : null);

export function parseEdxml(xml: string, limits: EdxmlLimits = DEFAULT_LIMITS): EdxmlMessage {
  checkShape(xml, limits.maxElements ?? DEFAULT_LIMITS.maxElements!, limits.maxDepth ?? DEFAULT_LIMITS.maxDepth!);
  let doc: unknown;
  try {
    doc = parser.parse(xml, true);
  } catch (e) {
    throw new EdxmlError(`the message is not well-formed XML: ${(e as Error).message.split("\n")[0]}`);
  }
  const header = all(doc, "MessageHeader", 1)[0];
  const traces = all(doc, "TraceHeader");
  const traceTime = vietnamTime(traces.length ? text(traces[traces.length - 1], "Timestamp") : null);
  const statusCode = text(doc, "StatusCode");
  // a status message's only Code is the answered document's, inside ResponseFor (EXCHANGE.md)
  if (statusCode && (!header || !ownChild(header, "Code"))) return statusMessage(doc, statusCode, traceTime);
  if (!header) throw new EdxmlError("no MessageHeader (nor a StatusCode): not an edXML message", false, true);
  if (!ownChild(header, "Code") && !ownChild(header, "DocumentType")) {
    const fromNode = ownChild(header, "From");
    return {
      kind: "not-a-document",
      documentId: text(header, "DocumentId"),
      from: fromNode ? organ(fromNode) : null,
      reason: "the envelope has no document header (no Code, no DocumentType) and no status: not a document",
      traceTime,
    };
  }

  const from = all(header, "From", 1).map(organ)[0] ?? { organId: "", organName: null };
  const to = all(header, "To")
    .map(organ)
    .filter((o): o is EdxmlOrgan => o !== null);
  const code = all(header, "Code", 1)[0];
  const codeNumber = code ? text(code, "CodeNumber") : null;
  const notation = code ? text(code, "CodeNotation") : null;
  const promulgation = all(header, "PromulgationInfo", 1)[0];
  const docType = all(header, "DocumentType", 1)[0];
  const other = all(header, "OtherInfo", 1)[0];
  const business = all(doc, "Bussiness", 1)[0] ?? all(doc, "Business", 1)[0];
  const kind = BUSINESS[(business && text(business, "BussinessDocType")) ?? "0"] ?? "new";
  const documentId = text(header, "DocumentId");
  const targets: string[] = [];
  if (kind !== "new") {
    const push = (v: string | null) => v && !targets.includes(v) && targets.push(v);
    // the message's own DocumentId is the document it revokes, updates or replaces (its lineage); the
    // others it names (ReplacementInfo, Bussiness, ResponseFor) are tried after it
    push(documentId);
    for (const r of business ? all(business, "ReplacementInfo") : []) push(text(r, "DocumentId"));
    if (business) push(text(business, "DocumentId"));
    const rf = all(header, "ResponseFor", 1)[0];
    if (rf) push(text(rf, "DocumentId"));
    if (targets.length === 0 && documentId) targets.push(documentId);
  }
  return {
    kind: "document",
    business: kind,
    documentId,
    from,
    to,
    number: codeNumber && notation ? `${codeNumber}/${notation}` : (codeNumber ?? notation),
    issuedDate: date(promulgation ? text(promulgation, "PromulgationDate") : null),
    typeName: docType ? text(docType, "TypeName") : null,
    subject: text(header, "Subject"),
    priority: other ? text(other, "Priority") : null,
    paper: business ? text(business, "Paper") === "1" : false,
    traceTime,
    reason: business ? text(business, "BussinessDocReason") : null,
    targets,
    files: files(doc, limits),
  };
}

/** A direct child element of `node` (a namespace prefix ignored), not one nested deeper. */
function ownChild(node: Node, name: string): Node | undefined {
  for (const [k, v] of Object.entries(node)) {
    if (k !== name && !k.endsWith(`:${name}`)) continue;
    const x = Array.isArray(v) ? v[0] : v;
    return (x && typeof x === "object" ? x : { "#text": x }) as Node;
  }
  return undefined;
}

function statusMessage(doc: unknown, statusCode: string, traceTime: string | null): EdxmlStatusMessage {
  const rf = all(doc, "ResponseFor", 1)[0];
  const fromNode = all(doc, "From", 1)[0];
  return {
    kind: "status",
    documentId: rf ? text(rf, "DocumentId") : null,
    from: fromNode ? organ(fromNode) : null,
    statusCode,
    description: text(doc, "Description"),
    time: vietnamTime(text(doc, "Timestamp")),
    responseFor: { organId: rf ? text(rf, "OrganId") : null, number: rf ? text(rf, "Code") : null, issuedDate: rf ? date(text(rf, "PromulgationDate")) : null },
    traceTime,
  };
}

/** The files in manifest order (attachments the manifest does not list follow in message order). */
function files(doc: unknown, limits: EdxmlLimits): EdxmlFile[] {
  const attachments = all(doc, "Attachment", limits.maxFiles + 1);
  if (attachments.length > limits.maxFiles) throw new EdxmlError(`more than ${limits.maxFiles} attachments`, true);
  const order = new Map<string, number>();
  const descriptions = new Map<string, string>();
  all(doc, "Reference").forEach((r, i) => {
    const id = stripCid(text(r, "ContentId") ?? text(r, "ContentID"));
    const description = text(r, "Description");
    if (id && description && !descriptions.has(id)) descriptions.set(id, description);
    for (const k of [stripCid(text(r, "ContentId") ?? text(r, "ContentID")), text(r, "AttachmentName")]) if (k && !order.has(k)) order.set(k, i);
  });
  const rank = (a: Node, i: number): number => {
    const byId = order.get(stripCid(text(a, "ContentId") ?? text(a, "ContentID")) ?? "\0");
    const byName = order.get(text(a, "AttachmentName") ?? "\0");
    return byId ?? byName ?? order.size + i;
  };
  const sorted = attachments.map((a, i) => ({ a, i, r: rank(a, i) })).sort((x, y) => x.r - y.r || x.i - y.i);
  const budget: ZipBudget = { maxFileBytes: limits.maxFileBytes, remaining: limits.maxTotalBytes, maxFiles: limits.maxFiles };
  const out: EdxmlFile[] = [];
  for (const { a, i } of sorted) {
    // the pre-2016 format names a file only in its manifest Reference's Description
    const name =
      text(a, "AttachmentName") ?? text(a, "Name") ?? descriptions.get(stripCid(text(a, "ContentID") ?? text(a, "ContentId")) ?? "\0") ?? `attachment-${i + 1}`;
    const value = textOf(a, ["ContentTransferEncoded", "Value", "ContentData"]);
    if (value === null) {
      out.push({ name, kind: "broken", bytes: null, reason: "no content" });
      continue;
    }
    const b64 = value.replace(/\s+/g, "");
    const size = Math.floor((b64.length * 3) / 4);
    if (size > limits.maxFileBytes) throw new EdxmlError(`attachment '${name}' is larger than ${limits.maxFileBytes} bytes`, true);
    if (size > budget.remaining) throw new EdxmlError(`the attachments decode to more than ${limits.maxTotalBytes} bytes`, true);
    if (!/^[A-Za-z0-9+/]*={0,2}$/.test(b64) || b64.length % 4 === 1) {
      out.push({ name, kind: "broken", bytes: null, reason: "the attachment is not valid base64" });
      continue;
    }
    const bytes = new Uint8Array(Buffer.from(b64, "base64"));
    budget.remaining -= bytes.length;
    out.push(...unwrap(name, bytes, budget, limits));
  }
  return out;
}

/** The first of these elements that has text (the exchange's name first). */
function textOf(a: Node, names: string[]): string | null {
  for (const n of names) {
    const t = text(a, n);
    if (t !== null) return t;
  }
  return null;
}

/** An attachment as files: itself, or the members of the zip it is (one level: a zipped .docx stays whole). */
function unwrap(name: string, bytes: Uint8Array, budget: ZipBudget, limits: EdxmlLimits): EdxmlFile[] {
  if (isPdf(bytes)) return [{ name, kind: "pdf", bytes }];
  if (!isZip(bytes)) return [{ name, kind: "not-pdf", bytes }];
  let members;
  try {
    members = readZip(bytes, budget);
  } catch (e) {
    if (e instanceof ZipLimitError) throw new EdxmlError(`zip attachment '${name}': ${e.message}`, true);
    if (e instanceof ZipFormatError) return [{ name, kind: "broken", bytes, reason: e.message }];
    throw e;
  }
  if (members.length > limits.maxFiles) throw new EdxmlError(`zip attachment '${name}' holds more than ${limits.maxFiles} files`, true);
  if (members.length === 0) return [{ name, kind: "broken", bytes, reason: "an empty zip" }];
  if (isOfficeZip(members.map((m) => m.name))) return [{ name, kind: "not-pdf", bytes }];
  return members.map((m) => ({ name: `${name}/${m.name}`, kind: isPdf(m.bytes) ? "pdf" : "not-pdf", bytes: m.bytes }));
}

/** What the files of a message became: the document's file and the annexes. */
export function attachmentSummary(msg: EdxmlDocumentMessage): { document: string; annexes: string[]; skipped: string[] } {
  return {
    document: msg.files[0]?.name ?? "",
    annexes: msg.files.slice(1).map((p) => p.name),
    skipped: msg.files.filter((f) => f.kind === "broken").map((f) => `${f.name}: ${f.reason}`),
  };
}

/** edXML OtherInfo/Priority codes (QCVN 102:2016). */
const URGENCY: Record<string, string> = { "0": "Thường", "1": "Khẩn", "2": "Thượng khẩn", "3": "Hỏa tốc", "4": "Hỏa tốc hẹn giờ" };

/**
 * The document's metadata from the message header. Agency codes are kept as sent when the directory does
 * not know them (a directory gap, held out of the figures until the directory has them). The time
 * received is the last hop's trace time when there is one, else `receivedAt` (when kyso received it).
 */
export function edxmlMetadata(msg: EdxmlDocumentMessage, resolve: CodeResolver, now: Date, receivedAt?: string): DocumentMeta {
  return parseMetadata(
    {
      sender: msg.from.organId || "(none)",
      recipients: msg.to.map((t) => t.organId),
      number: msg.number ?? undefined,
      issuedDate: msg.issuedDate ?? undefined,
      type: msg.typeName ?? undefined,
      subject: msg.subject ?? undefined,
      urgency: msg.priority !== null ? (URGENCY[msg.priority] ?? msg.priority) : undefined,
      receivedAt: msg.traceTime ?? receivedAt,
    },
    resolve,
    now,
  );
}
