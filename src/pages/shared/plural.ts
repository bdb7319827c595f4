// English plurals for the pages ("1 document", "2 documents"; Vietnamese nouns do not change). One
// definition for the pages and the server's reports: it lives with the report words the server renders,
// which the pages may import, and the pages reach it here.
export { COUNTED, counted, pluralForm, type CountedWord } from "../../api/report-words.js";
