// The store checked as a whole (../check decides; check-source.ts reads): the log (chain, signed heads,
// heads kept outside) and the figures replayed from it. `kyso audit verify` and GET /api/v1/audit/verify
// run the full check; the server runs the start-up one (startup-check.ts: bounded, whatever the log's
// length) and reports a failure on /readyz, then the full check in the background.
import type { ChainCheck, TrustedHistory } from "../../log/export-check.js";
import { chainAgainstHead, storedChain } from "../check/chain.js";
import type { KeptHead } from "../../log/signed-history.js";
import { replayFigures as replay, type FigureCheck } from "../check/replay.js";
import { runCheck } from "../check/script.js";
import { checkSince } from "../check/since.js";
import { checkAndHead, checkStore as check, type CheckMode, type StoreCheck } from "../check/store-check.js";
import { runSnapshot, sqliteCheckReads } from "./check-source.js";
import type { Db } from "./db.js";

export { describeBroken, type StoreCheck } from "../check/store-check.js";
export type { FigureCheck } from "../check/replay.js";
export type { BlobCheck } from "../check/blobs.js";

/**
 * Re-checks every stored entry: its hash, its link to the one before, no gap in seq, the recorded head,
 * each entry's signed tree head, and the heads kept outside (`trusted.kept`).
 */
export const verifyStoredChain = (db: Db, trusted: TrustedHistory = {}): ChainCheck => runCheck(sqliteCheckReads(db), storedChain(trusted));

/** The stored chain checked against a head kept elsewhere (an export's, an auditor's note): the entry at that seq must still carry that hash. */
export const verifyAgainstHead = (db: Db, kept: { seq: number; hash: string }, trusted: TrustedHistory = {}): ChainCheck =>
  runCheck(sqliteCheckReads(db), chainAgainstHead(kept, trusted));

export const checkStore = (db: Db, trusted: TrustedHistory = {}): StoreCheck => runCheck(sqliteCheckReads(db), check(trusted));

/** The figures replayed from the log: every document, or (`only`) those given; the rollups always whole. */
export const replayFigures = (db: Db, only?: ReadonlySet<string>): FigureCheck => runCheck(sqliteCheckReads(db), replay(only));

/** The check from a head verified before (`kyso audit verify --since`): the entries since and the documents they name. */
export const checkStoreSince = (db: Db, since: KeptHead, trusted: TrustedHistory = {}): StoreCheck =>
  runCheck(sqliteCheckReads(db), checkSince(since, trusted));

/**
 * The full check (or, given a head verified before, the check since it) in one read transaction, with the
 * head it verified when it held.
 */
export const checkStoreSnapshot = (db: Db, trusted: TrustedHistory = {}, mode: CheckMode = {}): StoreCheck => runSnapshot(db, checkAndHead(trusted, mode));

export { quickCheck, startupCheck, type StartupCheck, type StartupCheckOptions } from "./startup-check.js";
