// Document metadata (DESIGN.md §4.6), the same names in multipart fields, JSON keys and CSV columns,
// validated with precise messages. Agency codes are resolved through the directory (codes and explicit
// aliases, never a conversion by rule: shared EXCHANGE.md §3).
import { z } from "zod";
import { codeAsSent } from "../compliance/directory.js";
import type { DocumentMeta } from "../store/sqlite/documents.js";

const DATE = /^\d{4}-\d{2}-\d{2}$/;

export const MetadataSchema = z.object({
  sender: z.string().trim().min(1, "sender is required"),
  recipients: z.union([z.string(), z.array(z.string())]).optional(),
  number: z.string().trim().max(200).optional(),
  issuedDate: z.string().regex(DATE, "issuedDate must be YYYY-MM-DD").optional(),
  type: z.string().trim().max(200).optional(),
  subject: z.string().trim().max(8000).optional(),
  classification: z.enum(["none", "mat", "toi-mat", "tuyet-mat"], { error: "classification must be one of none, mat, toi-mat, tuyet-mat" }).optional(),
  urgency: z.string().trim().max(50).optional(),
  receivedAt: z.string().optional(),
  channel: z.enum(["electronic", "paper"], { error: "channel must be electronic or paper" }).optional(),
  sha256: z
    .string()
    .regex(/^[0-9a-fA-F]{64}$/, "sha256 must be 64 hexadecimal digits")
    .optional(),
});

export type RawMetadata = z.input<typeof MetadataSchema>;

export class MetadataError extends Error {
  override name = "MetadataError";
}

/** Maps a code as sent to the directory's code (itself, or the agency whose aliases list it); null if unknown. */
export type CodeResolver = (code: string) => string | null;

/**
 * Validated metadata. Agency codes are written as the directory writes them when it knows them (by code
 * or alias); a code it does not know is kept as sent (trimmed), never refused: the document is a
 * directory gap, held out of the figures until the directory has the agency.
 */
export function parseMetadata(raw: Record<string, unknown>, resolve: CodeResolver, now: Date): DocumentMeta & { sha256?: string } {
  const cleaned = Object.fromEntries(Object.entries(raw).filter(([, v]) => v !== "" && v !== undefined && v !== null));
  const r = MetadataSchema.safeParse(cleaned);
  if (!r.success) {
    // messages that already name their field are not prefixed with it again
    const say = (i: { path: PropertyKey[]; message: string }) =>
      i.path.length && !i.message.startsWith(String(i.path[0])) ? `${i.path.join(".")}: ${i.message}` : i.message;
    throw new MetadataError(r.error.issues.map(say).join("; "));
  }
  const m = r.data;
  const recipients = (Array.isArray(m.recipients) ? m.recipients : (m.recipients ?? "").split(",")).map((x) => x.trim()).filter(Boolean);
  if (m.receivedAt !== undefined && (Number.isNaN(Date.parse(m.receivedAt)) || !/^\d{4}-\d\d-\d\d/.test(m.receivedAt)))
    throw new MetadataError("receivedAt must be an ISO 8601 time");
  if (m.issuedDate && Number.isNaN(Date.parse(m.issuedDate))) throw new MetadataError(`issuedDate '${m.issuedDate}' is not a date`);
  return {
    // a code the directory lacks is kept in its canonical form (h53.01 and H53.０１ are one code)
    sender: resolve(m.sender) ?? codeAsSent(m.sender),
    recipients: [...new Set(recipients.map((c) => resolve(c) ?? codeAsSent(c)))],
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
