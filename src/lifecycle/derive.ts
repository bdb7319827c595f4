// The one derivation of what the figures read for a document (between administrative agencies, the
// agency counted for, held or not, category, counts, who sealed it) from its recorded facts, the directory
// and the policy, as a step any backend runs: what changed is written (the rollups follow) and logged, so
// an export of the log alone still gives every document's place in the figures.
import type { Category, CompliancePolicy } from "../compliance/index.js";
import type { Directory } from "../compliance/directory.js";
import { ask, type TxScript } from "../store/document-tx.js";
import { categoryChange, derivation, documentFacts, factsDigest, FACTS_VERSION } from "../store/row-facts.js";
import type { DocumentRow } from "../store/rows.js";

/** Derives the document again and writes and logs what changed; its category after. */
export function* derive(id: string, actor: string, dir?: Directory, policy?: CompliancePolicy): TxScript<Category | null> {
  const row = yield* ask("documentRow", id);
  if (!row) throw new Error(`no document ${id}`);
  const recipients = yield* ask("recipientsOf", id);
  const d = derivation(row, recipients, dir ?? (yield* ask("directory")), policy ?? (yield* ask("policy")));
  const changed =
    row.between_admin !== d.between_admin || row.held !== d.held || row.category !== d.category || row.counts !== d.counts || row.agency !== d.agency;
  const rebound = row.sealed !== d.sealed || row.signer_binding !== d.signer_binding;
  if (changed || rebound) {
    yield* ask("updateDocument", id, {
      between_admin: d.between_admin,
      held: d.held,
      category: d.category,
      counts: d.counts,
      agency: d.agency,
      sealed: d.sealed,
      signer_binding: d.signer_binding,
    });
    const e = categoryChange(row, d, actor);
    if (e) yield* ask("log", e);
  }
  // a directory change that moves who sealed it (a signer name or a certificate registered): logged, so an
  // export alone still gives the sealed-by-sender figures
  if (rebound && !changed && d.category !== null) yield* ask("log", figuresChange(row, d, actor, { sealedBySender: d.sealed === 1 }));
  const factsLogged = d.category !== null || d.held !== null ? yield* noteFacts({ ...row, ...d }, recipients, actor) : false;
  // the agency counted for (a reorganisation) or the held reason changed, with nothing else to say so:
  // the log still holds every document's place in the figures
  if (changed && !factsLogged && row.category === d.category && (row.agency !== d.agency || row.held !== d.held))
    yield* ask("log", figuresChange(row, d, actor, {}));
  return d.category;
}

function figuresChange(row: DocumentRow, d: { category: Category | null; held: string | null; agency: string }, actor: string, more: Record<string, unknown>) {
  return {
    actor,
    action: "figures-change" as const,
    subject: `document ${row.id}`,
    documentId: row.id,
    agency: row.sender,
    details: { category: d.category, held: d.held, countedFor: d.agency, periodDate: row.period_date, ...more },
  };
}

/** Logs the document's facts when they differ from those last logged (a `document-facts` entry); whether it logged. */
export function* noteFacts(row: DocumentRow, recipients: readonly string[], actor: string): TxScript<boolean> {
  const digest = factsDigest(row, recipients);
  if (row.facts_logged === digest) return false;
  yield* ask("log", {
    actor,
    action: "document-facts",
    subject: `document ${row.id}`,
    documentId: row.id,
    agency: row.sender,
    details: {
      factsSha256: digest,
      factsVersion: FACTS_VERSION,
      facts: documentFacts(row, recipients),
      category: row.category,
      held: row.held,
      countedFor: row.agency,
      sealedBySender: row.sealed === 1,
    },
  });
  yield* ask("updateDocument", row.id, { facts_logged: digest });
  return true;
}
