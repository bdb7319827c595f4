// Claims grouped by the node that holds them, in the order the backend read them (node, then document).

export function byNode(rows: ReadonlyArray<{ node: string; document_id: string }>): Array<{ node: string; ids: string[] }> {
  const out: Array<{ node: string; ids: string[] }> = [];
  for (const r of rows) {
    const last = out.at(-1);
    if (last?.node === r.node) last.ids.push(r.document_id);
    else out.push({ node: r.node, ids: [r.document_id] });
  }
  return out;
}
