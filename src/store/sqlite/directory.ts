// The agency directory in the store: its rows and the compliance Directory over them, cached until they
// change (lifecycle/directory.ts writes them).
import { Directory } from "../../compliance/directory.js";
import type { Db } from "./db.js";

import { agencyOfRow, directoryFrom, type Agency, type AgencyRow } from "../rows.js";
export type { Agency } from "../rows.js";

/** The directory changes rarely and is read on every insert: kept per database until it changes. */
const directoryCache = new WeakMap<Db, { list: Agency[]; directory: Directory }>();

/** The agencies changed: the directory is read again at its next use. */
export const forgetDirectory = (db: Db): void => void directoryCache.delete(db);

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
