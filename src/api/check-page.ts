// The page for checking one document (GET /check): an IT officer or an auditor picks a PDF and reads its
// report, with nothing stored, logged or counted (POST /api/v1/check). Like the other pages it holds no
// data: the reader signs in once (a session cookie; the key form signs in), the report is shown in a
// sandboxed frame.
import { pageHead, scriptedPage } from "./page.js";

/** The page and its policy; its script is src/pages/check/main.ts, bundled. */
export const checkPage = scriptedPage("check", (script) => `${pageHead(`body { max-width: 70em; } label { display: block; margin: 0.6em 0 0.2em; } input[type=password] { width: 30em; max-width: 100%; }
iframe { width: 100%; height: 45em; border: 1px solid #bbb; margin-top: 1em; } #note { background: #eef4fb; padding: 0.5em; }`)}
<body>
<h1 id="h"></h1>
<p id="note"></p>
<form id="keyForm" hidden><label id="keyLabel" for="key"></label><input id="key" type="password" autocomplete="off" required> <button id="show" type="submit"></button></form>
<form id="form">
<label id="fileLabel" for="file"></label><input id="file" type="file" accept="application/pdf,.pdf" required>
<p><button id="check" type="submit"></button></p>
</form>
<p id="status" role="status" aria-live="polite"></p>
<iframe id="view" sandbox="" title="report" hidden></iframe>
<script>${script}</script>
</body>
</html>
`);
