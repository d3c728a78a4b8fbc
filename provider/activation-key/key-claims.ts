/**
 * Which resource manages which key, for one subscription's provider process. Titles are unique
 * per subscription, so two resources declaring one title with `adopt: true` both found the same
 * key and both "succeeded" with its id: 50 resources ended up managing one key, each overwriting
 * the others' declaration on every `up`. The first claim of a key wins; a second one fails naming
 * the first resource, before any write.
 */
import { QualysError } from "../qualys/errors";

export class KeyClaims {
  /** Key id → who claimed it: the resource's URN, or a description when the adapter has none. */
  private readonly claims = new Map<number, string>();

  /**
   * Records that `claimant` manages key `id` (titled `title`); throws QUALYS_DUPLICATE_TITLE when
   * another resource claimed it already in this process. Claiming again as the same claimant is fine.
   * @param claimant the resource's URN; undefined when the adapter does not know it (the dynamic
   *   host is not told URNs), then the error can only name the title.
   */
  claim(id: number, title: string, claimant: string | undefined): void {
    const first = this.claims.get(id);
    if (first === undefined) {
      this.claims.set(id, claimant ?? `the resource titled ${JSON.stringify(title)}`);
      return;
    }
    if (claimant !== undefined && first === claimant) return;
    throw new QualysError(
      "QUALYS_DUPLICATE_TITLE",
      `${claimant ?? "This resource"} declares the title ${JSON.stringify(title)} with adopt: true, but Qualys key ${id} with that ` +
        `title is already managed by ${first} in this run: two resources would overwrite each other's declaration of one key. ` +
        `Give each resource its own title, or declare the key once.`,
      { operation: "create", keyId: id, title },
    );
  }
}
