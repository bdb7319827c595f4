// The sign-in page (GET /sign-in) and the small pages around it (sign-out, the end of an identity
// provider's sign-in): server-rendered, no script at all. An API key is entered once in a form posted to
// this origin; with an identity provider configured, a link starts its sign-in instead.
import { atHeading, KEYBOARD_STYLE, MAIN_OPEN } from "./page.js";
import { escapeHtml, PAGE_HEADER_STYLE, type Lang } from "./page-header.js";

export const SIGN_IN_CSP = "default-src 'none'; style-src 'unsafe-inline'; form-action 'self'; base-uri 'none'; frame-ancestors 'none'";

const WORDS = {
  vi: {
    title: "Đăng nhập",
    oidc: "Đăng nhập bằng tài khoản của tỉnh",
    orKey: "Hoặc đăng nhập bằng khóa API:",
    key: "Khóa API",
    hint: (h: number) =>
      `Chỉ nhập khóa một lần: trình duyệt giữ phiên đăng nhập ${h} giờ cho mọi trang của kyso, trong một cookie mà chỉ máy chủ đọc được. Đăng xuất sẽ kết thúc phiên ngay trên máy chủ.`,
    submit: "Đăng nhập",
    already: "Đang đăng nhập",
    open: "Mở trang",
    signOutTitle: "Đăng xuất",
    signOut: "Đăng xuất",
    continue: "Tiếp tục",
  },
  en: {
    title: "Sign in",
    oidc: "Sign in with the province's account",
    orKey: "Or sign in with an API key:",
    key: "API key",
    hint: (h: number) =>
      `Enter the key once: the browser keeps the session for ${h} hours for every kyso page, in a cookie only the server reads. Signing out ends the session on the server at once.`,
    submit: "Sign in",
    already: "Signed in",
    open: "Open the page",
    signOutTitle: "Sign out",
    signOut: "Sign out",
    continue: "Continue",
  },
} as const;

/** What the sign-in page says after an attempt, by code (?error= or a refused form). */
export const SIGN_IN_MESSAGES = {
  "bad-key": { vi: "Khóa API không hợp lệ (không có, hoặc đã bị thu hồi).", en: "The API key is not valid (unknown, or revoked)." },
  "cross-site": {
    vi: "Yêu cầu này không đến từ trang của kyso: hãy đăng nhập lại từ trang này.",
    en: "This request did not come from kyso's own page: sign in again from this page.",
  },
  "oidc-failed": {
    vi: "Đăng nhập bằng tài khoản của tỉnh không thành công. Hãy thử lại.",
    en: "Signing in with the province's account did not succeed. Try again.",
  },
  "no-role": {
    vi: "Tài khoản này chưa được cấp vai trò nào trong kyso: hãy đề nghị quản trị viên cấp quyền.",
    en: "This account has no role in kyso yet: ask the administrator to give it one.",
  },
  "no-oidc": { vi: "Máy chủ này chưa cấu hình đăng nhập bằng tài khoản của tỉnh.", en: "This server has no identity provider configured." },
  "signed-out": { vi: "Đã đăng xuất.", en: "Signed out." },
} as const;
export type SignInMessage = keyof typeof SIGN_IN_MESSAGES;

export const isSignInMessage = (v: string | undefined): v is SignInMessage => !!v && Object.hasOwn(SIGN_IN_MESSAGES, v);

function page(lang: Lang, title: string, header: string, body: string, head = ""): string {
  return `<!doctype html>
<html lang="${lang}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
${head}<title>${escapeHtml(title)} — kyso</title>
<style>
body { font-family: "DejaVu Sans", "Noto Sans", Arial, sans-serif; margin: 2em; color: #222; }
main { max-width: 36em; } label { display: block; margin: 0.8em 0 0.2em; }
input[type=password] { width: 100%; box-sizing: border-box; padding: 0.3em; }
.oidc { display: inline-block; padding: 0.5em 1em; background: #0b5cad; color: #fff; border-radius: 4px; text-decoration: none; }
.alert { background: #fdecea; padding: 0.5em; } .notice { background: #eef4fb; padding: 0.5em; }
${PAGE_HEADER_STYLE}
${KEYBOARD_STYLE}
</style>
</head>
<body>
${header}
${MAIN_OPEN}
${body}
</main>
</body>
</html>
`;
}

export interface SignInView {
  lang: Lang;
  header: string;
  /** the page to open after signing in (a path of this origin) */
  next: string;
  message: SignInMessage | null;
  /** signed in already: who */
  who: { label: string; role: string } | null;
  oidc: boolean;
  sessionHours: number;
}

export function renderSignIn(v: SignInView): string {
  const w = WORDS[v.lang];
  const lang = v.lang === "en" ? "en" : null;
  // a refusal takes focus (no script here: autofocus), so the reader hears it before the form again
  const msg = v.message
    ? `<p class="${v.message === "signed-out" ? "notice" : "alert"}" ${v.message === "signed-out" ? 'role="status"' : 'role="alert" tabindex="-1" autofocus'} id="message">${SIGN_IN_MESSAGES[v.message][v.lang]}</p>`
    : "";
  // where signing in leads: the page, opened at its main heading (focus goes there, not to the page's top)
  const next = atHeading(v.next);
  const already = v.who
    ? `<p id="already">${w.already}: <strong>${escapeHtml(v.who.label)}</strong> (${escapeHtml(v.who.role)}). <a href="${escapeHtml(v.next)}">${w.open}</a></p>`
    : "";
  const oidc = v.oidc
    ? `<p><a class="oidc" id="oidc" href="/sign-in/oidc?${escapeHtml(String(new URLSearchParams({ next })))}">${w.oidc}</a></p>\n<p>${w.orKey}</p>`
    : "";
  return page(
    v.lang,
    w.title,
    v.header,
    `<h1>${w.title}</h1>
${msg}${already}${oidc}
<form method="post" action="/sign-in${lang ? "?lang=en" : ""}" id="sign-in-form">
<input type="hidden" name="next" value="${escapeHtml(next)}">
<label for="key">${w.key}</label><input id="key" name="key" type="password" autocomplete="off" required>
<p>${escapeHtml(w.hint(v.sessionHours))}</p>
<button id="sign-in" type="submit">${w.submit}</button>
</form>`,
  );
}

/** GET /sign-out: the button that ends the session (a link alone must not change anything). */
export function renderSignOut(lang: Lang, header: string): string {
  const w = WORDS[lang];
  return page(
    lang,
    w.signOutTitle,
    header,
    `<h1>${w.signOutTitle}</h1>\n<form method="post" action="/sign-out${lang === "en" ? "?lang=en" : ""}"><button id="sign-out" type="submit">${w.signOut}</button></form>`,
  );
}

/**
 * The end of an identity provider's sign-in: a page of this origin that opens `next`. A redirect would do
 * in the same site, but the provider's redirect to kyso began elsewhere, and a browser keeps a SameSite=Strict
 * cookie from the whole of such a chain; the page's own navigation is of this site, so the cookie goes with it.
 */
export function renderContinue(lang: Lang, next: string): string {
  const w = WORDS[lang];
  return page(
    lang,
    w.title,
    "",
    `<p><a href="${escapeHtml(next)}" id="continue">${w.continue}</a></p>`,
    `<meta http-equiv="refresh" content="0;url=${escapeHtml(next)}">\n`,
  );
}
