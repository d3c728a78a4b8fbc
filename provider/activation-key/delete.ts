/**
 * Delete: a key that is already gone (deleted in the UI, or by an attempt whose answer was lost)
 * counts as deleted. The bulk reader learns of the delete from the write journal (write-journal.ts):
 * a later read asks the server instead of answering from data taken before it.
 */
import { QualysNotFoundError } from "../qualys/errors";
import type { LifecycleContext } from "./context";

export async function deleteKey(ctx: LifecycleContext, id: string): Promise<void> {
  try {
    await ctx.api.delete(Number(id));
  } catch (error) {
    if (!(error instanceof QualysNotFoundError)) throw error;
  }
}
