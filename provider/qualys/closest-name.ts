/**
 * "Did you mean …?" for a misspelled name (a module such as `VM_LICENCE`, a setting such as
 * `qualys:maxWaitSecs`): the known name fewest edits away, compared without case, counting a swap
 * of two neighbours as one edit (optimal string alignment distance).
 */

/** The known name closest to `name`, when at most 2 edits (and at most a quarter of it) away; else undefined. */
export function closestName(name: string, known: readonly string[]): string | undefined {
  const wanted = name.toLowerCase();
  const limit = Math.min(2, Math.floor(wanted.length / 4));
  let best: { name: string; distance: number } | undefined;
  for (const candidate of known) {
    const distance = editDistance(wanted, candidate.toLowerCase());
    if (distance <= limit && (best === undefined || distance < best.distance)) best = { name: candidate, distance };
  }
  return best?.name;
}

/** `name`, followed by "(did you mean X?)" when a known name is close. */
export function withSuggestion(name: string, known: readonly string[]): string {
  const near = closestName(name, known);
  return near ? `${name} (did you mean ${near}?)` : name;
}

function editDistance(a: string, b: string): number {
  // rows[i][j]: edits from a's first i characters to b's first j.
  const rows: number[][] = Array.from({ length: a.length + 1 }, (_, i) => Array.from({ length: b.length + 1 }, (_, j) => (i === 0 ? j : j === 0 ? i : 0)));
  const at = (i: number, j: number): number => rows[i]![j]!;
  for (let i = 1; i <= a.length; i++) {
    for (let j = 1; j <= b.length; j++) {
      const substitution = at(i - 1, j - 1) + (a[i - 1] === b[j - 1] ? 0 : 1);
      let distance = Math.min(at(i - 1, j) + 1, at(i, j - 1) + 1, substitution);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) distance = Math.min(distance, at(i - 2, j - 2) + 1);
      rows[i]![j] = distance;
    }
  }
  return at(a.length, b.length);
}
