// The directory the ingest routes resolve agency codes with and check a key's agencies against, read through
// the read model and kept: it changes rarely and every upload, message and register asks for it. This node
// forgets it when it changes the directory itself (PUT agencies). A change another node makes (or `kyso
// agencies` in another process) is seen here within DIRECTORY_TTL_MS; meanwhile a code it added is stored as
// sent and a key bound to an agency it renamed is checked against the older entry. What a document counts
// for is not decided here: each step derives it with the directory its store reads in its own transaction,
// so the figures follow the change at once.
import type { Directory } from "../compliance/directory.js";
import type { ReadModel } from "../store/ports.js";
import { directoryFrom, type Agency } from "../store/rows.js";

export const DIRECTORY_TTL_MS = 30_000;

export interface KnownDirectory {
  agencies: Agency[];
  directory: Directory;
}

const kept = new WeakMap<ReadModel, { until: number; read: Promise<KnownDirectory> }>();

/** The directory as the read model last gave it (read again once older than DIRECTORY_TTL_MS). */
export function knownDirectory(rm: ReadModel, now = Date.now()): Promise<KnownDirectory> {
  const k = kept.get(rm);
  if (k && k.until > now) return k.read;
  const read = rm.agencies().then((agencies) => ({ agencies, directory: directoryFrom(agencies) }));
  kept.set(rm, { until: now + DIRECTORY_TTL_MS, read });
  // a failed read is not kept: the next request asks again
  read.catch(() => kept.get(rm)?.read === read && kept.delete(rm));
  return read;
}

/** This node changed the directory: the next request reads it again. */
export const forgetKnownDirectory = (rm: ReadModel): void => void kept.delete(rm);
