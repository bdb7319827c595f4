// The agency directory in the store: its rows, their update (logged; the documents a change concerns are
// derived again by the caller's rederive) and the compliance Directory over them, cached until they change.
import { Directory } from "../../compliance/directory.js";
import { appendAudit } from "./audit.js";
import type { Db } from "./db.js";

import { agencyOfRow, directoryFrom, type Agency, type AgencyRow } from "../rows.js";
export type { Agency } from "../rows.js";

/** The directory changes rarely and is read on every insert: kept per database until it changes. */
const directoryCache = new WeakMap<Db, { list: Agency[]; directory: Directory }>();

/**
 * Adds or updates agencies: an admin action, logged with the rows as given. Documents held as directory
 * gaps, and those of the agencies changed, are derived again (a new agency brings its documents into the
 * figures; a successor takes over periods after a change).
 */
export function upsertAgencies(db: Db, rows: Agency[], actor: string, rederive?: (db: Db, codes: string[]) => void): number {
  const stmt = db.prepare(
    `INSERT INTO agencies (code, name, parent, kind, aliases, valid_from, valid_to, successor, signer_names, certificates) VALUES (@code, @name, @parent, @kind, @aliases, @validFrom, @validTo, @successor, @signerNames, @certificates)
     ON CONFLICT(code) DO UPDATE SET name = excluded.name, parent = excluded.parent, kind = excluded.kind, aliases = excluded.aliases, valid_from = excluded.valid_from, valid_to = excluded.valid_to, successor = excluded.successor, signer_names = excluded.signer_names, certificates = excluded.certificates`,
  );
  const before = db.prepare(
    "SELECT code, name, parent, kind, aliases, valid_from, valid_to, successor, signer_names, certificates FROM agencies WHERE code = ?",
  );
  db.transaction(() => {
    // only the documents of agencies whose entry changed are derived again (by their codes and aliases,
    // old and new): the directory sent again as it stands, a nightly sync say, derives nothing
    const touched: string[] = [];
    // a name, signer name or certificate changed may move who sealed any signed document, whoever sent it
    let namesChanged = false;
    for (const r of rows) {
      const next: AgencyRow = {
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
      };
      const was = before.get(r.code) as AgencyRow | undefined;
      if (was && (Object.keys(next) as Array<keyof AgencyRow>).every((k) => was[k] === next[k])) continue;
      touched.push(r.code, ...(r.aliases ?? []), ...(was?.aliases ? was.aliases.split(/\s+/).filter(Boolean) : []));
      // a new name, signer name or certificate may make any signed document's seal this agency's; a
      // successor changes only whose lineage the agency and its old and new successors share
      if (!was || was.name !== next.name || was.signer_names !== next.signer_names || was.certificates !== next.certificates) namesChanged = true;
      if (was && was.successor !== next.successor) touched.push(...[was.successor, next.successor].filter((c): c is string => !!c));
      stmt.run({
        code: next.code,
        name: next.name,
        parent: next.parent,
        kind: next.kind,
        aliases: next.aliases,
        validFrom: next.valid_from,
        validTo: next.valid_to,
        successor: next.successor,
        signerNames: next.signer_names,
        certificates: next.certificates,
      });
    }
    if (namesChanged)
      for (const d of db.prepare("SELECT DISTINCT sender FROM documents WHERE seals IS NOT NULL AND seals <> '[]'").all() as Array<{ sender: string }>)
        touched.push(d.sender);
    directoryCache.delete(db);
    appendAudit(db, {
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
    rederive?.(db, touched);
  }).immediate();
  directoryCache.delete(db);
  return rows.length;
}

function loadDirectory(db: Db): { list: Agency[]; directory: Directory } {
  let d = directoryCache.get(db);
  if (!d) {
    const rows = db
      .prepare("SELECT code, name, parent, kind, aliases, valid_from, valid_to, successor, signer_names, certificates FROM agencies ORDER BY code")
      .all() as AgencyRow[];
    const list: Agency[] = rows.map(agencyOfRow);
    d = {
      list,
      directory: directoryFrom(list),
    };
    directoryCache.set(db, d);
  }
  return d;
}

export function listAgencies(db: Db): Agency[] {
  return loadDirectory(db).list;
}

/** The directory's rules over the stored agencies (cached until the agencies change). */
export function directoryOf(db: Db): Directory {
  return loadDirectory(db).directory;
}

export function agencyKinds(db: Db): Map<string, string> {
  return new Map(listAgencies(db).map((a) => [a.code, a.kind]));
}

/** The directory lists this code (as it is stored). */
export const hasAgency = (db: Db, code: string): boolean => db.prepare("SELECT 1 FROM agencies WHERE code = ?").get(code) !== undefined;
