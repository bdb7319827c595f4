// Every message key has an English and a Vietnamese text, and every placeholder is in both.
import { describe, expect, it } from "vitest";
import { MESSAGES, say, type MessageKey } from "../../src/verify/messages.js";
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
  it("shows a report stored before findings had keys as its English messages, unchanged", () => {
    expect(findingTexts(undefined, [say("hash.mismatch")], "vi")).toEqual([say("hash.mismatch")]);
  });
});
