// The period's validly signed documents their sender did not seal (no DOM): who sealed each, in the words
// leadership's report uses (SEALED in src/api/report-words.ts), and their order.
import { fillIn } from "../../api/report-words.js";
import type { Binding, DocumentItem, DocumentPage } from "./api.js";

/** How a document can be sealed otherwise than by its sender, in the report's order. */
export const NOT_SENDER = ["another-agency", "not-matched", "no-organisation-signature"] as const;

/** Who sealed a document its sender did not seal: the directory's name, else the certificate's. */
export function sealer(b: Binding, names: Map<string, string>, SEAL: Record<string, string>): string {
  if (b.status === "another-agency" && b.agency) return names.get(b.agency) ?? b.name ?? "";
  if (b.status === "no-organisation-signature") return b.name ? fillIn(SEAL.officials ?? "", { name: b.name }) : (SEAL.officialsNoName ?? "");
  return fillIn((b.candidates && b.candidates.length ? SEAL.ambiguous : SEAL.notInDirectory) ?? "", {
    name: b.name ?? "",
    candidates: (b.candidates ?? []).join(", "),
  });
}

export interface NotSealedRow {
  d: DocumentItem;
  by: string;
  from: string;
}

const day = (d: DocumentItem): string => (d.issuedDate ?? d.receivedAt).slice(0, 10);

/** The validly signed documents of the pages, by how, by who sealed them, by sender, by day, by number. */
export function notSealedRows(pages: DocumentPage[], names: Map<string, string>, SEAL: Record<string, string>): NotSealedRow[] {
  const order = (b: Binding): number => (NOT_SENDER as readonly string[]).indexOf(b.status);
  const rows = pages
    .flatMap((p) => p.documents)
    .filter((d) => d.category === "signed-valid" || d.category === "signed-valid-not-sender")
    .map((d) => ({ d, by: sealer(d.signerBinding, names, SEAL), from: names.get(d.sender) ?? d.sender }));
  return rows.sort(
    (x, y) =>
      order(x.d.signerBinding) - order(y.d.signerBinding) ||
      x.by.localeCompare(y.by, "vi") ||
      x.from.localeCompare(y.from, "vi") ||
      day(x.d).localeCompare(day(y.d)) ||
      (x.d.number ?? "").localeCompare(y.d.number ?? "", "vi", { numeric: true }),
  );
}
