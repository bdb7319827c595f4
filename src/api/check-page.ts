// The page for checking one document (GET /check): an IT officer or an auditor picks a PDF and reads its
// report, with nothing stored, logged or counted (POST /api/v1/check). Like the other pages it holds no
// data: the key is entered once (kept in the tab only), the report is shown in a sandboxed frame.
import { PAGE_PRELUDE, pageCsp, pageHead } from "./page.js";

const SCRIPT = PAGE_PRELUDE + String.raw`
const T = en
  ? { title: "Check one document", note: "The document is verified here and shown; it is not stored, logged or counted in any figure.", key: "API key (ingest or auditor role)", file: "PDF file", check: "Check", forget: "Forget the key", busy: "Checking…", e401: "The key is not valid (unknown or revoked).", e403: "This key's role cannot check documents (it needs ingest, auditor or admin).", e413: "The file is larger than the server accepts.", eNet: "The server did not answer." }
  : { title: "Kiểm tra một văn bản", note: "Văn bản được kiểm tra và hiển thị tại đây; không được lưu, không ghi nhật ký, không tính vào số liệu.", key: "Khóa API (vai trò ingest hoặc auditor)", file: "Tệp PDF", check: "Kiểm tra", forget: "Quên khóa", busy: "Đang kiểm tra…", e401: "Khóa không hợp lệ (không tồn tại hoặc đã bị thu hồi).", e403: "Khóa này không có quyền kiểm tra văn bản (cần vai trò ingest, auditor hoặc admin).", e413: "Tệp lớn hơn mức máy chủ nhận.", eNet: "Máy chủ không trả lời." };
document.documentElement.lang = en ? "en" : "vi";
document.title = T.title;
for (const [id, k] of [["h", "title"], ["note", "note"], ["keyLabel", "key"], ["fileLabel", "file"], ["check", "check"], ["forget", "forget"]]) $(id).textContent = T[k];
$("key").value = sessionStorage.getItem("kysoCheckKey") ?? "";
$("forget").addEventListener("click", () => { sessionStorage.removeItem("kysoCheckKey"); $("key").value = ""; });
$("form").addEventListener("submit", async (ev) => {
  ev.preventDefault();
  const file = $("file").files[0];
  if (!file) return;
  sessionStorage.setItem("kysoCheckKey", $("key").value.trim());
  $("status").textContent = T.busy;
  const body = new FormData();
  body.set("file", file, file.name);
  let r;
  try { r = await fetch("/api/v1/check?format=html&lang=" + (en ? "en" : "vi"), { method: "POST", body, headers: { authorization: "Bearer " + $("key").value.trim() } }); }
  catch { $("status").textContent = T.eNet; return; }
  if (r.status === 401 || r.status === 403 || r.status === 413) { $("status").textContent = T["e" + r.status]; return; }
  if (!r.ok) { $("status").textContent = (await r.json().catch(() => null))?.error?.message ?? "HTTP " + r.status; return; }
  $("status").textContent = "";
  $("view").srcdoc = await r.text();
  $("view").hidden = false;
});
`;

export const CHECK_CSP = pageCsp(SCRIPT);

export const CHECK_HTML = `${pageHead(`body { max-width: 70em; } label { display: block; margin: 0.6em 0 0.2em; } input[type=password] { width: 30em; max-width: 100%; }
iframe { width: 100%; height: 45em; border: 1px solid #bbb; margin-top: 1em; } #note { background: #eef4fb; padding: 0.5em; }`)}
<body>
<h1 id="h"></h1>
<p id="note"></p>
<form id="form">
<label id="keyLabel" for="key"></label><input id="key" type="password" autocomplete="off" required>
<label id="fileLabel" for="file"></label><input id="file" type="file" accept="application/pdf,.pdf" required>
<p><button id="check" type="submit"></button> <button id="forget" type="button"></button></p>
</form>
<p id="status" role="status" aria-live="polite"></p>
<iframe id="view" sandbox="" title="report" hidden></iframe>
<script>${SCRIPT}</script>
</body>
</html>
`;
