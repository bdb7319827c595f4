// The leadership dashboard (GET /dashboard): one static page with no data in it. The reader signs in once
// (the province's account, or a viewer key in its form: a session cookie, issue 25); the page then asks the
// API for the period's figure, the monthly series and the per-agency ranking with that session, so it sees
// exactly what the role allows. Vietnamese by default, English with ?lang=en. Data is written with
// textContent (agency names never become markup), and the script (src/pages/dashboard) is inlined, pinned by
// its hash (CSP).
import { MAIN_OPEN, pageHead, scriptedPage } from "./page.js";

/** The page and its policy; its script is src/pages/dashboard/main.ts, bundled. */
export const dashboardPage = scriptedPage(
  "dashboard",
  (script) => `${pageHead(`body { max-width: 70em; }
#rate { font-size: 3em; font-weight: 700; } #ratePeriod { font-size: 1.2em; color: #444; } .ok { color: #1b7a2a; fill: #5cb85c; } .lag { color: #b03020; fill: #d9534f; }
tr.lag td { background: #fbeeee; } #agencies tr { cursor: pointer; } #agencies tr.chosen td { outline: 2px solid #333; }
#error { color: #b03020; font-weight: 600; } #trustWarning { background: #fdf3d8; border-left: 0.4em solid #b26a00; padding: 0.5em 0.7em; } svg { display: block; max-width: 100%; height: auto; } line.target { stroke: #1b5e20; stroke-dasharray: 4 3; }
svg text { font-size: 12px; fill: #555; } svg text.value { fill: #222; } svg text.targetLabel { fill: #1b5e20; font-weight: 700; } line.grid { stroke: #ddd; }
rect.zero { fill: #b03020; } rect.empty { fill: none; stroke: #888; stroke-dasharray: 2 2; } svg text.count { fill: #333; }
button.reason { background: none; border: none; font: inherit; padding: 0; cursor: pointer; text-decoration: underline; color: #0645ad; }
#docFrame { display: block; width: 100%; height: 85vh; border: 1px solid #bbb; box-sizing: border-box; }
.hint { color: #555; font-size: 0.9em; }
@media (max-width: 40em) { #rate { font-size: 2.2em; }
 #agencyTable, #sealedTable { min-width: 0; width: 100%; } #sealedTable td { overflow-wrap: anywhere; } #agencyTable :is(th, td):is(:nth-child(2), :nth-child(5), :nth-child(7)) { display: none; } }`)}
<body>
${MAIN_OPEN}
<h1 id="h" tabindex="-1"></h1>
<form id="keyForm"><label for="key" id="keyLabel"></label> <input id="key" type="password" autocomplete="off" size="50"> <button id="show" type="submit"></button></form>
<p id="error" role="alert" tabindex="-1" hidden></p>
<p id="trustWarning" hidden></p>
<p><label for="kind" id="kindLabel"></label> <select id="kind"></select>
<span id="yearBox"><label for="year" id="yearLabel"></label> <input id="year" type="number" min="2000" max="2100"></span>
<span id="quarterBox" hidden><label for="quarter" id="quarterLabel"></label> <select id="quarter"></select></span>
<span id="monthBox" hidden><label for="month" id="monthLabel"></label> <select id="month"></select></span>
<span id="customBox" hidden><label for="from" id="fromLabel"></label> <input id="from" type="date"> <label for="to" id="toLabel"></label> <input id="to" type="date"></span></p>
<section id="report" hidden>
<p class="headline"><span id="rate"></span> <span id="ratePeriod"></span></p>
<p id="rateOf"></p>
<p id="periodBounds"></p>
<p id="gap"></p>
<p id="trend"></p>
<p id="nd30"></p>
<p id="sealed"></p>
<p id="change"></p>
<h2 id="nextH"></h2>
<ul id="next"></ul>
<p><button id="pdf" type="button"></button> <button id="xlsx" type="button"></button></p>
<h2 id="monthlyH"></h2>
<p><button id="all" type="button" hidden></button></p>
<svg id="chart" role="img"></svg>
<div id="reasonsSection" hidden><p id="agencyFigures" tabindex="-1"></p><h3 id="reasonsH"></h3><ul id="reasons"></ul></div>
<section id="docViewer" hidden><h3 id="docH"></h3><p><button id="docClose" type="button"></button> <a id="docEvidence" target="_blank" rel="noopener"></a></p><iframe id="docFrame" sandbox="" title="report"></iframe></section>
<h2 id="agenciesH"></h2>
<p id="gapNote" hidden></p>
<p><button id="csv" type="button"></button></p>
<p><label for="agencyFilter" id="filterLabel"></label> <input id="agencyFilter" type="search" size="20"> <label for="level" id="levelLabel"></label> <select id="level"></select> <label for="group" id="groupLabel"></label> <select id="group"></select> <input id="belowOnly" type="checkbox"> <label for="belowOnly" id="belowLabel"></label></p>
<p id="agencyHint" class="hint"></p>
<div class="scroll"><table id="agencyTable" aria-describedby="agencyHint"><thead><tr><th><button type="button" class="sort" data-col="0" id="thRank"></button></th><th><button type="button" class="sort" data-col="1" id="thCode"></button></th><th><button type="button" class="sort" data-col="2" id="thAgency"></button></th><th><button type="button" class="sort" data-col="3" id="thRate"></button></th><th><button type="button" class="sort" data-col="4" id="thSigned"></button></th><th><button type="button" class="sort" data-col="5" id="thGap"></button></th><th><button type="button" class="sort" data-col="6" id="thSealed"></button></th></tr></thead><tbody id="agencies"></tbody></table></div>
<h2 id="sealedH"></h2>
<p id="sealedNone" hidden></p>
<div class="scroll" id="sealedBox" hidden><table id="sealedTable"><thead><tr><th id="thSealNumber"></th><th id="thSealDate"></th><th id="thSealSender"></th><th id="thSealBy"></th></tr></thead><tbody id="sealedList"></tbody></table></div>
<p id="sealedMore" hidden></p>
<h2 id="categoriesH"></h2>
<ul id="categories"></ul>
<div id="heldSection" hidden>
<h2 id="heldH"></h2>
<ul id="held"></ul>
<h3 id="gapsH"></h3>
<ul id="gaps"></ul>
</div>
</section>
</main>
<script>${script}</script>
</body>
</html>
`,
);
