// A directory change as a step any backend runs: the agencies added or updated, logged with the rows as
// given, and the documents the change may move to be derived again (./rederive.ts finds them, a slice of
// the store at a time, and derives them).
// Only agencies whose entry changed queue anything: the directory sent again as it stands (a nightly
// sync, say) derives nothing.
import { ask, type TxScript } from "../store/document-tx.js";
import type { Agency, AgencyRow } from "../store/rows.js";

const rowOf = (r: Agency): AgencyRow => ({
  code: r.code,
  name: r.name,
  parent: r.parent,
  kind: r.kind,
  aliases: (r.aliases ?? []).join(" "),
  valid_from: r.validFrom ?? null,
  valid_to: r.validTo ?? null,
  successor: r.successor ?? null,
  signer_names: (r.signerNames ?? []).join("|"),
  certificates: (r.certificates ?? []).join(" "),
});

/** Writes the agencies and records the documents they concern as to be derived again (found and derived in the background). */
export function* updateAgencies(rows: readonly Agency[], actor: string, at: string): TxScript<void> {
  // the documents of agencies whose entry changed are derived again, by their codes and aliases old and new
  const touched: string[] = [];
  // a name, signer name or certificate changed may move who sealed any signed document, whoever sent it
  let namesChanged = false;
  let changed = 0;
  for (const r of rows) {
    const next = rowOf(r);
    const was = yield* ask("agencyRow", r.code);
    if (was && (Object.keys(next) as Array<keyof AgencyRow>).every((k) => was[k] === next[k])) continue;
    touched.push(r.code, ...(r.aliases ?? []), ...(was?.aliases ? was.aliases.split(/\s+/).filter(Boolean) : []));
    // a successor changes only whose lineage the agency and its old and new successors share
    if (!was || was.name !== next.name || was.signer_names !== next.signer_names || was.certificates !== next.certificates) namesChanged = true;
    if (was && was.successor !== next.successor) touched.push(...[was.successor, next.successor].filter((c): c is string => !!c));
    yield* ask("putAgency", next);
    changed++;
  }
  if (namesChanged) touched.push(...(yield* ask("sealedSenders")));
  yield* ask("log", {
    actor,
    action: "agencies-update",
    subject: `${rows.length} agencies`,
    details: {
      agencies: rows.map((r) => [
        r.code,
        r.kind,
        ...(r.aliases?.length ? [r.aliases.join(" ")] : []),
        ...(r.successor ? [`→ ${r.successor} from ${r.validTo}`] : []),
        ...(r.signerNames?.length ? [`signs as ${r.signerNames.join(" | ")}`] : []),
        ...(r.certificates?.length ? [`certificates ${r.certificates.join(" ")}`] : []),
      ]),
    },
  });
  // the directory as it stood (a nightly sync): no document can move, none is walked
  if (changed) yield* ask("queueDerivations", touched, at);
}
