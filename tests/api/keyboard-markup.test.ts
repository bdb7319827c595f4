// The keyboard's markup without a browser (issue 25, point 5): the header starts with the skip link to the
// one main landmark, signing in leads to the page's main heading, and a refusal is an alert that takes focus.
import { describe, expect, it } from "vitest";
import { atHeading, MAIN_OPEN } from "../../src/api/page.js";
import { renderPageHeader } from "../../src/api/page-header.js";
import { renderSignIn } from "../../src/api/sign-in-page.js";

const header = (lang: "vi" | "en") => renderPageHeader({ page: "dashboard", lang, url: new URL("http://kyso/dashboard"), who: null, dataAsOf: null });

describe("keyboard markup", () => {
  it("opens every header with the skip link, in the page's language, to the main landmark", () => {
    expect(header("vi").startsWith('<a class="kyso-skip" href="#kyso-main">Bỏ qua, đến nội dung chính</a>')).toBe(true);
    expect(header("en").startsWith('<a class="kyso-skip" href="#kyso-main">Skip to the main content</a>')).toBe(true);
    expect(MAIN_OPEN).toBe('<main id="kyso-main" tabindex="-1">');
  });
  it("leads a sign-in to the page's main heading, keeping a fragment the address already names", () => {
    expect(atHeading("/dashboard?lang=en")).toBe("/dashboard?lang=en#h");
    expect(atHeading("/auditor#x")).toBe("/auditor#x");
    const html = renderSignIn({ lang: "vi", header: header("vi"), next: "/auditor?document=d1", message: "bad-key", who: null, oidc: true, sessionHours: 12 });
    expect(html).toContain('<input type="hidden" name="next" value="/auditor?document=d1#h">');
    expect(html).toContain(`/sign-in/oidc?next=${encodeURIComponent("/auditor?document=d1#h")}`);
    // the refusal takes focus (no script on this page), inside the one main
    expect(html).toMatch(/<p class="alert" role="alert" tabindex="-1" autofocus id="message">/);
    expect(html.match(/<main\b/g)).toHaveLength(1);
    expect(html.indexOf('class="kyso-skip"')).toBeLessThan(html.indexOf("<main"));
  });
});
