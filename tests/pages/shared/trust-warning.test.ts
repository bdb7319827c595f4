// The trust warning a page shows from /readyz's JSON (issue 25, point 6): nothing when every stored report
// was made under the server's store, the count (with its plural) and the store otherwise, in both
// languages; an answer without trust facts (an older server, an error body) shows nothing.
import { describe, expect, it } from "vitest";
import { trustFactsOf, trustWarning } from "../../../src/pages/shared/trust-warning.js";

const readyz = (otherStores: number, anchors = ["CN=Root A", "CN=Root B"]) => ({
  status: "ready",
  trust: { store: "0123456789abcdef0123", anchors, reports: { thisStore: 4, otherStores }, others: [], warning: otherStores ? "…" : null },
});

describe("trustWarning", () => {
  it("says nothing when no stored report was made under another store", () => {
    expect(trustWarning(readyz(0), "en")).toBeNull();
    expect(trustWarning(readyz(0), "vi")).toBeNull();
  });

  it("counts the other store's reports with the right English plural, and names the server's store", () => {
    const one = trustWarning(readyz(1, ["CN=Root A"]), "en")!;
    expect(one).toMatch(/^1 stored report was made under another trust store than the one this server uses \(0123456789ab…, 1 root\)/);
    const many = trustWarning(readyz(3), "en")!;
    expect(many).toMatch(/^3 stored reports were made under another trust store .*\(0123456789ab…, 2 roots\)/);
    expect(many).toContain("another verdict");
  });

  it("says it in Vietnamese", () => {
    expect(trustWarning(readyz(2), "vi")).toMatch(/^2 báo cáo đã lưu được lập với một bộ chứng thư gốc khác .*\(0123456789ab…, 2 chứng thư gốc\)/);
  });

  it("reads /readyz's answer whatever its state, and nothing from an answer without trust facts", () => {
    expect(trustWarning({ ...readyz(1), status: "not ready" }, "en")).not.toBeNull();
    for (const body of [null, {}, { status: "ready" }, { trust: { store: "x", anchors: [], reports: {} } }, "text"]) {
      expect(trustFactsOf(body)).toBeNull();
      expect(trustWarning(body, "en")).toBeNull();
    }
  });
});
