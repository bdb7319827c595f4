// Document metadata (DESIGN.md §4.6), the same names in multipart fields, JSON keys and CSV columns,
// validated with precise messages. Agency codes must be known (either form of VIETNAM.md is accepted when
// it names a known agency).
import { z } from "zod";
import type { DocumentMeta } from "../store/documents.js";

const DATE = /^\d{4}-\d{2}-\d{2}$/;

export const MetadataSchema = z.object({
  sender: z.string().trim().min(1, "sender is required"),
  recipients: z.union([z.string(), z.array(z.string())]).optional(),
  number: z.string().trim().max(100).optional(),
  issuedDate: z.string().regex(DATE, "issuedDate must be YYYY-MM-DD").optional(),
  type: z.string().trim().max(200).optional(),
  subject: z.string().trim().max(2000).optional(),
  classification: z.enum(["none", "mat", "toi-mat", "tuyet-mat"], { error: "classification must be one of none, mat, toi-mat, tuyet-mat" }).optional(),
  urgency: z.string().trim().max(50).optional(),
  receivedAt: z.string().optional(),
  channel: z.enum(["electronic", "paper"], { error: "channel must be electronic or paper" }).optional(),
  sha256: z.string().regex(/^[0-9a-fA-F]{64}$/, "sha256 must be 64 hexadecimal digits").optional(),
});

export type RawMetadata = z.input<typeof MetadataSchema>;

export class MetadataError extends Error {
  override name = "MetadataError";
}

/**
 * An agency code in either form of VIETNAM.md, as a code of the directory. The legacy edXML form
 * `000.00.12.H53` is read right to left, level 1 first, all-zero groups dropped (`H53.12`); this reading
 * is an assumption (the meaning of each group is not confirmed), so it is accepted only when the result
 * is a known agency.
 */
export function directoryCode(code: string, known: Set<string>): string | null {
  if (known.has(code)) return code;
  const m = /^(\d{3})\.(\d{2})\.(\d{2})\.([A-Z]\d{2})$/.exec(code.trim());
  if (!m) return null;
  const levels = [m[4]!, m[3]!, m[2]!, m[1]!].filter((g) => !/^0+$/.test(g));
  const mapped = levels.join(".");
  return known.has(mapped) ? mapped : null;
}

function knownCode(code: string, known: Set<string>): string {
  const c = directoryCode(code, known);
  if (c) return c;
  throw new MetadataError(`unknown agency code '${code}' (neither a code of the directory nor the legacy form of one, like 000.00.12.H53 for H53.12)`);
}

export function parseMetadata(raw: Record<string, unknown>, known: Set<string>, now: Date): DocumentMeta & { sha256?: string } {
  const cleaned = Object.fromEntries(Object.entries(raw).filter(([, v]) => v !== "" && v !== undefined && v !== null));
  const r = MetadataSchema.safeParse(cleaned);
  if (!r.success) {
    // messages that already name their field are not prefixed with it again
    const say = (i: { path: PropertyKey[]; message: string }) => (i.path.length && !i.message.startsWith(String(i.path[0])) ? `${i.path.join(".")}: ${i.message}` : i.message);
    throw new MetadataError(r.error.issues.map(say).join("; "));
  }
  const m = r.data;
  const recipients = (Array.isArray(m.recipients) ? m.recipients : (m.recipients ?? "").split(",")).map((x) => x.trim()).filter(Boolean);
  if (m.receivedAt !== undefined && (Number.isNaN(Date.parse(m.receivedAt)) || !/^\d{4}-\d\d-\d\d/.test(m.receivedAt))) throw new MetadataError("receivedAt must be an ISO 8601 time");
  if (m.issuedDate && Number.isNaN(Date.parse(m.issuedDate))) throw new MetadataError(`issuedDate '${m.issuedDate}' is not a date`);
  return {
    sender: knownCode(m.sender, known),
    recipients: recipients.map((c) => knownCode(c, known)),
    number: m.number,
    issuedDate: m.issuedDate,
    type: m.type,
    subject: m.subject,
    classification: m.classification ?? "none",
    urgency: m.urgency,
    receivedAt: m.receivedAt ? new Date(m.receivedAt).toISOString() : now.toISOString(),
    channel: m.channel ?? "electronic",
    ...(m.sha256 ? { sha256: m.sha256.toLowerCase() } : {}),
  };
}
