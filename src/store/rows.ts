// The shapes of a document as it enters (DocumentMeta) and as the documents table holds it (DocumentRow).
import type { Category, Classification, Held } from "../compliance/index.js";
import { Directory } from "../compliance/directory.js";

export interface DocumentMeta {
  sender: string;
  recipients: string[];
  number?: string | undefined;
  issuedDate?: string | undefined;
  type?: string | undefined;
  subject?: string | undefined;
  classification: Classification;
  urgency?: string | undefined;
  receivedAt: string;
  channel: "electronic" | "paper";
}

export interface DocumentRow {
  id: string;
  sha256: string | null;
  bytes: number | null;
  sender: string;
  number: string | null;
  issued_date: string | null;
  type: string | null;
  subject: string | null;
  classification: Classification;
  urgency: string | null;
  received_at: string;
  channel: "electronic" | "paper";
  status: "queued" | "processing" | "done" | "failed" | "paper";
  attempts: number;
  failure: string | null;
  between_admin: number;
  verdict: string | null;
  content_kind: string | null;
  nd30_complete: number;
  category: Category | null;
  counts: number;
  period_date: string;
  created_at: string;
  /** the agency the document counts for (the sender, or its successor after a reorganisation) */
  agency: string;
  source: string;
  /** the edXML DocumentId */
  exchange_id: string | null;
  file_kind: "pdf" | "not-pdf" | "broken" | null;
  file_name: string | null;
  version: number;
  supersedes: string | null;
  superseded_by: string | null;
  revoked_at: string | null;
  revocation_reason: string | null;
  paper_copy: number;
  held: Held | null;
  /** the SHA-256 of the facts last logged for it (lifecycle.documentFacts) */
  facts_logged: string | null;
  /** the time that proves the document existed, and what proves it: kyso's receipt, or a trusted
   * channel's trace time (null before issue 12: the receipt is created_at) */
  existence_at: string | null;
  existence_basis: "receipt" | "exchange-trace" | null;
  /** the valid signatures' signers its latest analysis found (JSON Seal[]; null before an analysis) */
  seals: string | null;
  /** who sealed it with respect to its sender (JSON SignerBinding; null with no valid signature) */
  signer_binding: string | null;
  /** 1 when its sender (or its reorganisation lineage) sealed it */
  sealed: number;
}

/** An agency of the directory, as the store keeps it. */
export interface Agency {
  code: string;
  name: string;
  parent: string | null;
  kind: string;
  /** legacy codes naming this agency (explicit: no code is converted by rule) */
  aliases?: string[];
  /** YYYY-MM-DD: the first day it exists, the first day it no longer does, and who takes over then */
  validFrom?: string | null;
  validTo?: string | null;
  successor?: string | null;
  /** names its certificates give besides `name` (issue 24) */
  signerNames?: string[];
  /** SHA-256 fingerprints (hex, lower case) of its registered organisation certificates */
  certificates?: string[];
}

/** An agency as a table keeps it (lists as text: aliases space-separated, signer names by |, certificates by space). */
export interface AgencyRow {
  code: string;
  name: string;
  parent: string | null;
  kind: string;
  aliases: string;
  valid_from: string | null;
  valid_to: string | null;
  successor: string | null;
  signer_names: string;
  certificates: string;
}

export const agencyOfRow = (r: AgencyRow): Agency => ({
  code: r.code,
  name: r.name,
  parent: r.parent,
  kind: r.kind,
  aliases: r.aliases ? r.aliases.split(/\s+/).filter(Boolean) : [],
  validFrom: r.valid_from,
  validTo: r.valid_to,
  successor: r.successor,
  ...(r.signer_names ? { signerNames: r.signer_names.split("|") } : {}),
  ...(r.certificates ? { certificates: r.certificates.split(" ") } : {}),
});

/** The directory's rules over a list of agencies (what every backend's directory is made from). */
export function directoryFrom(list: readonly Agency[]): Directory {
  return new Directory(
    list.map((a) => ({ ...a, aliases: a.aliases ?? [], validFrom: a.validFrom ?? null, validTo: a.validTo ?? null, successor: a.successor ?? null })),
  );
}
