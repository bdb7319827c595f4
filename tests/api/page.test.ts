// The pages' scripts as the server serves them: the bundle esbuild built (dist/pages, which npm test
// builds first) inlined whole, its hash the one the CSP pins; a missing bundle says how to make it.
import { createHash } from "node:crypto";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { dashboardPage } from "../../src/api/dashboard.js";
import { auditorPage } from "../../src/api/auditor-page.js";
import { checkPage } from "../../src/api/check-page.js";
import { pageScript, scriptedPage } from "../../src/api/page.js";
import { ROOT } from "../helpers/paths.js";

describe("scripted pages", () => {
  it.each([
    ["dashboard", dashboardPage],
    ["auditor", auditorPage],
    ["check", checkPage],
  ] as const)("%s inlines its built bundle, pinned by the bundle's hash", (name, page) => {
    const bundle = readFileSync(join(ROOT, "dist", "pages", `${name}.js`), "utf8");
    const p = page();
    expect(p.html).toContain(`<script>${bundle}</script>`);
    expect(p.html.match(/<script>/g)).toHaveLength(1);
    expect(p.headers["content-security-policy"]).toContain(`script-src 'sha256-${createHash("sha256").update(bundle).digest("base64")}'`);
    expect(page()).toBe(p); // read once
  });
  it("names the missing bundle and the command that builds it", () => {
    expect(() => pageScript("no-such-page")).toThrow(/dist\/pages\/no-such-page\.js is missing: run `npm run build`/);
    const page = scriptedPage("no-such-page", (s) => s);
    expect(() => page()).toThrow(/npm run build/);
  });
});
