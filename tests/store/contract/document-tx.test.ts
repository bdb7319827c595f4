// The operations a life-cycle step asks of a store (store/document-tx.ts), answered alike by every backend
// where the answer is a detail of the backend: the order of a lineage's versions and of its revocations
// (bytewise, as SQLite orders text), the versions waiting for a DocumentId (JSON in a text column, read as
// SQLite's json_each reads it), what a part run alone that a constraint refused leaves (nothing of its own,
// the step going on), which collision each unique index is, and a column no step may write.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ask, attempt, DOCUMENT_COLUMNS, type NewDocumentRow, type TxScript } from "../../../src/store/document-tx.js";
import { BACKENDS, type OpenedStore } from "./backends.js";

/** A stored document's columns, NOT NULL ones filled. */
const stored = (id: string, more: Record<string, unknown> = {}) => ({
  id,
  sender: "H53.01",
  received_at: "2025-05-05T02:00:00.000Z",
  channel: "electronic",
  status: "done",
  between_admin: 1,
  period_date: "2025-05-05",
  created_at: "2025-07-01T00:00:00.000Z",
  ...more,
});
/** A document a step inserts (every column). */
const fresh = (id: string, more: Partial<NewDocumentRow> = {}): NewDocumentRow =>
  ({
    ...Object.fromEntries(DOCUMENT_COLUMNS.map((c) => [c, null])),
    ...stored(id),
    classification: "none",
    attempts: 0,
    nd30_complete: 0,
    counts: 0,
    agency: "H53.01",
    source: "upload",
    version: 1,
    paper_copy: 0,
    sealed: 0,
    ...more,
  }) as NewDocumentRow;
const event = (seq: number, more: Record<string, unknown>) => ({
  document_id: null,
  exchange_id: null,
  at: "2025-05-06T00:00:00.000Z",
  source: "edxml",
  source_key: `k${seq}`,
  details: "{}",
  created_at: "2025-07-01T00:00:00.000Z",
  ...more,
});

const answers = new Map<string, Map<string, unknown>>();
/** The same answer on every backend (the first one run gives the reference). */
function same(test: string, backend: string, answer: unknown): void {
  const seen = answers.get(test) ?? answers.set(test, new Map()).get(test)!;
  for (const [other, was] of seen) expect(answer, `${backend} against ${other}`).toEqual(was);
  seen.set(backend, answer);
}

for (const backend of BACKENDS) {
  describe.skipIf(!backend.available)(`a step's operations on ${backend.name}`, () => {
    beforeAll(() => backend.setup(), 120_000);
    afterAll(() => backend.teardown());
    let store: OpenedStore;
    const run = async <T>(script: () => TxScript<T>): Promise<T> => {
      const node = await store.lifecycle();
      try {
        return await node.run(script);
      } finally {
        await node.close();
      }
    };
    beforeAll(async () => void (store = await backend.open()));

    it("orders a lineage's versions and its revocations bytewise", async () => {
      const L = "L,order";
      // one current version (the lineage's unique index); the rest superseded
      const v = (id: string, receivedAt: string, business: string | null, orderKey: string | null) =>
        stored(id, { exchange_id: L, received_at: receivedAt, business, order_key: orderKey, superseded_by: id === "v_e" ? null : "x" });
      const at = "2025-05-05T02:00:00.000Z";
      await store.seedRows([
        ["documents", v("v_a", at, "replacement", "a")],
        ["documents", v("v_b", at, "update", "é")],
        ["documents", v("v_c", at, "update", "B")],
        ["documents", v("v_d", at, "update", null)],
        ["documents", v("v_e", "2025-05-04T02:00:00.000Z", "document", "z")],
        ["documents", v("v_f", at, null, "z")],
        ["documents", v("v_g", at, "replacement", "a")],
        ["documents", v("V_h", at, "replacement", "a")],
        ["document_events", event(1, { exchange_id: L, kind: "revocation", description: "b" })],
        ["document_events", event(2, { exchange_id: L, kind: "revocation", description: "B" })],
        ["document_events", event(3, { exchange_id: L, kind: "revocation", description: null, at: "2025-05-06T00:00:01.000Z" })],
        ["document_events", event(4, { exchange_id: L, kind: "revocation", description: "B", details: '{"second":true}' })],
      ]);
      const order = await run(function* () {
        return { versions: (yield* ask("versionsOf", L)).map((r) => r.id), revocation: yield* ask("lineageRevocation", L) };
      });
      expect(order).toEqual({
        versions: ["v_e", "v_f", "v_d", "v_c", "v_b", "V_h", "v_a", "v_g"],
        revocation: { at: "2025-05-06T00:00:00.000Z", description: "B" },
      });
      same("order", backend.name, order);
    });

    it("finds the versions waiting for a DocumentId as SQLite's json_each reads `replaces`", async () => {
      const L = "L,waiting";
      const waiting: Array<[string, string, string]> = [
        ["w1", "update", JSON.stringify({ replaces: L, found: false })],
        ["w2", "replacement", JSON.stringify({ replaces: ["X", L], found: false })],
        ["w3", "update", JSON.stringify({ replaces: [[L]], found: false })],
        ["w4", "update", JSON.stringify({ replaces: L, found: true })],
        ["w5", "update", JSON.stringify({ replaces: L })],
        ["w6", "replacement", JSON.stringify({ replaces: [L], found: 0 })],
        ["w7", "status", JSON.stringify({ replaces: L, found: false })],
        ["w8", "update", JSON.stringify({ replaces: L, found: "0" })],
        ["w9", "update", JSON.stringify({ replaces: `${L} `, found: false })],
      ];
      await store.seedRows([
        ...waiting.map(([id]): [string, Record<string, unknown>] => ["documents", stored(id)]),
        ...waiting.map(([id, kind, details], i): [string, Record<string, unknown>] => [
          "document_events",
          event(100 + i, { document_id: id, exchange_id: id, kind, details }),
        ]),
      ]);
      const found = (await run(() => ask("versionsWaitingFor", L))).sort();
      expect(found).toEqual(["w1", "w2", "w6"]);
      same("waiting", backend.name, found);
    });

    it("undoes a part a constraint refused, and only it, naming the index that refused it", async () => {
      const entry = (subject: string) => ({ actor: "test", action: "conflict" as const, subject, details: {} });
      const refused = await run(function* () {
        yield* ask("insertDocument", fresh("c1", { sha256: "s1", exchange_id: "L,c" }));
        yield* ask("insertDocument", fresh("c2", { number: "2", issued_date: "2025-01-01" }));
        const parts = [
          fresh("c3", { sha256: "s1" }),
          fresh("c4", { exchange_id: "L,c" }),
          fresh("c5", { number: "2", issued_date: "2025-01-01" }),
          fresh("c6", { sender: null as unknown as string }),
          fresh("c7", { sha256: "s1", superseded_by: "c1" }),
        ];
        const out: string[] = [];
        for (const row of parts) {
          const r = yield* attempt(
            (function* () {
              yield* ask("log", entry(`tried ${row.id}`));
              yield* ask("addDeliveries", "c1", [`to ${row.id}`], null);
              yield* ask("insertDocument", row);
            })(),
          );
          out.push(r.ok ? "ok" : r.collision);
        }
        yield* ask("log", entry("after"));
        return out;
      });
      expect(refused).toEqual(["file", "lineage", "unit", "other", "ok"]);
      const docs = (await store.select("SELECT id FROM documents WHERE id LIKE 'c%' ORDER BY id")).map((r) => r.id);
      expect(docs).toEqual(["c1", "c2", "c7"]);
      expect((await store.select("SELECT recipient FROM deliveries WHERE document_id = 'c1'")).map((r) => r.recipient)).toEqual(["to c7"]);
      const log = (await (await store.connect()).entries(0, 1000)).filter((e) => e.action !== "log-key").map((e) => e.subject);
      expect(log).toEqual(["tried c7", "after"]);
      same("refused", backend.name, { refused, docs, log });
    });

    it("refuses a column no step may write, and ignores a repeated event, delivery and conflict", async () => {
      await expect(run(() => ask("updateDocument", "c1", { nope: 1 } as never))).rejects.toThrow(/not a column a step may write: nope/);
      await expect(run(() => ask("updateDocument", "c1", { id: "c9" } as never))).rejects.toThrow(/not a column a step may write: id/);
      const conflict = { source: "edxml", kind: "document", reason: "r", at: "2025-05-05T00:00:00.000Z", exchangeId: "L,c" };
      const twice = await run(function* () {
        const e = { documentId: "c1", exchangeId: "L,c", kind: "status" as const, at: "2025-05-05T00:00:00.000Z", source: "edxml", sourceKey: "again" };
        return [yield* ask("addEvent", e), yield* ask("addEvent", e), yield* ask("recordConflict", conflict), yield* ask("recordConflict", conflict)];
      });
      expect(twice).toEqual([true, false, true, false]);
      expect(await run(() => ask("dropForwardDeliveries", "c1"))).toBe(0);
      await run(() => ask("addDeliveries", "c1", ["f2", "f1", "f2"], "forward"));
      expect(await run(() => ask("recipientsOf", "c1"))).toEqual(["f1", "f2", "to c7"]);
      expect(await run(() => ask("dropForwardDeliveries", "c1"))).toBe(2);
    });
  });
}
