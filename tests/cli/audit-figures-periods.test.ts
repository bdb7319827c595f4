// kyso audit figures bounds its default year as the log's recorded policy does (issue 25, point 8): under
// Nghị định 09's periods the year holding today starts on 15 December, under the calendar on 1 January.
import { describe, expect, it } from "vitest";
import { DEFAULT_POLICY, periodOf } from "../../src/compliance/index.js";
import type { AuditEntry } from "../../src/log/entry.js";
import { policyOfEntries } from "../../src/store/export-figures.js";

const entry = (seq: number, policy: Record<string, unknown>): AuditEntry => ({
  seq,
  at: "2024-01-01T00:00:00Z",
  actor: "system",
  action: "policy-change",
  subject: "compliance policy",
  documentId: null,
  agency: null,
  engine: null,
  trustStore: null,
  details: { policy },
  prev: "",
  hash: "",
});

describe("the policy an export recorded", () => {
  it("is the last policy-change entry's, over the defaults", () => {
    expect(policyOfEntries([])).toEqual(DEFAULT_POLICY);
    const p = policyOfEntries([entry(1, { target: 0.8 }), entry(2, { target: 0.9, periods: "nd09" })]);
    expect(p).toMatchObject({ target: 0.9, periods: "nd09" });
    // its year, as kyso audit figures takes it by default
    expect(periodOf("2024-12-20", "year", "nd09")).toMatchObject({ from: "2024-12-15", to: "2025-12-14" });
    expect(periodOf("2024-12-20", "year", "calendar")).toMatchObject({ from: "2024-01-01", to: "2024-12-31" });
  });
});
