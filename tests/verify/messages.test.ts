// Every message key has an English and a Vietnamese text, and every placeholder is in both.
import { describe, expect, it } from "vitest";
import { MESSAGES, say, translate, type MessageKey } from "../../src/verify/messages.js";
import { findingTexts } from "../../src/api/report-html.js";

describe("messages", () => {
  it.each(Object.entries(MESSAGES))("%s has both languages with the same placeholders", (_key, m) => {
    expect(m.en.trim()).not.toBe("");
    expect(m.vi.trim()).not.toBe("");
    const ph = (s: string) => [...s.matchAll(/\{(\w+)\}/g)].map((x) => x[1]).sort();
    expect(ph(m.vi)).toEqual(ph(m.en));
  });
  it("fills placeholders", () => {
    expect(say("format.beyondEof", { end: 10, size: 5 })).toBe("/ByteRange ends at byte 10, past the end of the file (5 bytes)");
    expect(say("format.beyondEof", { end: 10, size: 5 }, "vi")).toContain("vượt quá cuối tệp");
  });
  // stored reports hold English texts; the report page renders them in Vietnamese
  it.each(Object.keys(MESSAGES) as MessageKey[])("%s rendered in English translates back to its Vietnamese text", (key) => {
    if (MESSAGES[key].en.replace(/\{\w+\}/g, "").trim() === "") return; // a bare placeholder carries a text that has no key
    const params = Object.fromEntries([...MESSAGES[key].en.matchAll(/\{(\w+)\}/g)].map((m, i) => [m[1]!, `P${i}`]));
    expect(translate(say(key, params), "vi")).toBe(say(key, params, "vi"));
  });
  // reports carry findings as keys: pages render them from the key, in either language, whatever the English says
  it.each(Object.keys(MESSAGES) as MessageKey[])("%s round-trips from its key in both languages", (key) => {
    const params = Object.fromEntries([...MESSAGES[key].en.matchAll(/\{(\w+)\}/g)].map((m, i) => [m[1]!, `P${i}`]));
    const finding = { key, params, severity: "info" as const, subIndication: null };
    for (const lang of ["en", "vi"] as const) {
      const [text] = findingTexts([finding], ["(an English text the page must not translate back)"], lang);
      expect(text).toBe(say(key, params, lang));
      expect(text).not.toMatch(/\{\w+\}/);
    }
  });
  it("renders reports stored before findings had keys from their English messages", () => {
    expect(findingTexts(undefined, [say("hash.mismatch")], "vi")).toEqual([say("hash.mismatch", {}, "vi")]);
  });

  it("translates the phrases that say how a validation time is proved, and leaves unknown texts alone", () => {
    expect(translate(say("trust.judgedAt", { time: "T", proof: "the time the document was received" }), "vi")).toBe(
      "thẩm định tại thời điểm T (thời điểm nhận văn bản)",
    );
    expect(translate("no such message", "vi")).toBe("no such message");
    expect(translate(say("hash.mismatch"), "en")).toBe(say("hash.mismatch"));
  });
});
