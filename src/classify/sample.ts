// Which pages to examine in a long document: the first five, the last two and an even sample between,
// at most twenty (the bound), so a 300-page scan costs what a 20-page one does.
export const MAX_PAGES_EXAMINED = 20;

export function samplePages(count: number, max = MAX_PAGES_EXAMINED): number[] {
  if (count <= max) return Array.from({ length: count }, (_, i) => i);
  const picked = new Set<number>();
  for (let i = 0; i < 5; i++) picked.add(i);
  picked.add(count - 2);
  picked.add(count - 1);
  const middle = max - picked.size;
  for (let k = 1; k <= middle; k++) picked.add(5 + Math.floor((k * (count - 7)) / (middle + 1)));
  return [...picked].sort((a, b) => a - b);
}
