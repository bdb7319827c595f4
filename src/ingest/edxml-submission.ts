// What one parsed edXML message becomes for the life-cycle: a document (or a new version of one, or its
// revocation) with its main file stored, or a status event. The same for `POST /api/v1/edxml` and
// `kyso scan`, so both give the same store.
import { now } from "../clock.js";
import type { StoredFile, Submission } from "../lifecycle/index.js";
import { attachmentSummary, edxmlMetadata, type EdxmlMessage } from "./edxml.js";
import { codeAsSent } from "../compliance/directory.js";
import type { CodeResolver } from "./metadata.js";

/** The summary kinds of `kyso scan --json` (issue 11). */
export type MessageKind = "document" | "status" | "revocation" | "update" | "replacement" | "not-a-document" | "conflict" | "rejected" | "error";

export function messageKind(msg: EdxmlMessage): Exclude<MessageKind, "rejected" | "conflict" | "error"> {
  if (msg.kind === "status") return "status";
  if (msg.kind === "not-a-document") return "not-a-document";
  return msg.business === "new" ? "document" : msg.business;
}

export interface SubmissionInput {
  msg: EdxmlMessage;
  /** SHA-256 of the raw message as stored */
  messageSha: string;
  /** when kyso received the message (used when it carries no trace time) */
  receivedAt: string;
  resolve: CodeResolver;
  /** stores bytes, returns their SHA-256 */
  put: (bytes: Uint8Array) => string | Promise<string>;
  source: "edxml" | "scan";
  /** the exchange's trace time proves existence (KYSO_TRUSTED_TRACE: the channel is configured as trusted) */
  trustedTrace?: boolean;
}

/** KYSO_TRUSTED_TRACE=true: the national exchange's trace headers are trusted to prove when a message passed. */
export const trustedTraceFromEnv = (env: Record<string, string | undefined> = process.env): boolean =>
  ["true", "1", "yes"].includes((env.KYSO_TRUSTED_TRACE ?? "").toLowerCase());

/** What a message submits; null for an envelope that is not a document (listed, never counted). */
export async function edxmlSubmission(x: SubmissionInput): Promise<Submission | null> {
  const { msg } = x;
  if (msg.kind === "not-a-document") return null;
  const receivedAt = msg.traceTime ? new Date(msg.traceTime).toISOString() : x.receivedAt;
  if (msg.kind === "status") {
    const rf = msg.responseFor;
    const answers = rf.organId ? { sender: x.resolve(rf.organId) ?? codeAsSent(rf.organId), number: rf.number, issuedDate: rf.issuedDate } : null;
    return {
      kind: "status",
      source: x.source,
      exchangeId: msg.documentId,
      answers,
      from: msg.from ? (x.resolve(msg.from.organId) ?? codeAsSent(msg.from.organId)) : null,
      code: msg.statusCode,
      description: msg.description,
      at: msg.time ? new Date(msg.time).toISOString() : receivedAt,
      message: { sha256: x.messageSha, receivedAt, attachments: { document: "", annexes: [], skipped: [] } },
    };
  }
  const message = { sha256: x.messageSha, receivedAt, attachments: attachmentSummary(msg) };
  if (msg.business === "revocation") {
    return {
      kind: "revocation",
      source: x.source,
      targets: msg.targets,
      exchangeId: msg.documentId,
      sender: x.resolve(msg.from.organId) ?? codeAsSent(msg.from.organId),
      reason: msg.reason,
      at: receivedAt,
      message,
    };
  }
  const meta = edxmlMetadata(msg, x.resolve, now(), receivedAt);
  const main = msg.files[0];
  let file: StoredFile | null = null;
  if (main) {
    const base = { name: main.name, kind: main.kind, ...(main.reason ? { reason: main.reason } : {}) };
    file = main.bytes ? { ...base, sha256: await x.put(main.bytes), bytes: main.bytes.length } : { ...base, kind: "broken", sha256: null, bytes: 0 };
  } else {
    // an electronic exchange whose message carries no file at all: unreadable, in the denominator
    file = { name: null, kind: "broken", reason: "the message carries no attachment", sha256: null, bytes: 0 };
  }
  const existence = x.trustedTrace && msg.traceTime ? { at: new Date(msg.traceTime).toISOString(), basis: "exchange-trace" as const } : null;
  if (msg.business === "new") return { kind: "document", source: x.source, meta, file, exchangeId: msg.documentId, paperCopy: msg.paper, message, existence };
  return {
    kind: msg.business,
    source: x.source,
    targets: msg.targets,
    meta,
    file,
    exchangeId: msg.documentId,
    paperCopy: msg.paper,
    reason: msg.reason,
    message,
    existence,
  };
}
