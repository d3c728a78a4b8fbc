/**
 * Rotating a key (issue 17): a new activation key value under the same title, with every agent of
 * the old key moved to it, in one `pulumi up`. Qualys has no call that regenerates a key's value:
 * the value is assigned when a key is created (docs/qualys-api.md, "Endpoints"). So a rotation is
 * a replacement, which the engine runs create-before-delete:
 * 1. the new resource's create renames the old key (the one holding the declared title) to
 *    `rotationTitle(title, oldId)`, since titles are unique in a subscription;
 * 2. it creates the new key under the declared title with the declared settings;
 * 3. the engine's delete of the old resource moves the old key's agents to the key now holding its
 *    declared title (Change Activation Key, retire.ts), then
 * 4. deletes the old key, moving again if an agent enrolled in between.
 * The old key keeps its value and stays enabled until step 4, so a pipeline still installing with
 * it is not cut off mid-rotation.
 *
 * Every step is detectable from Qualys' state, so a run killed or failed between any two calls
 * converges on the next `up`: the engine diffs the unchanged state again and plans the same
 * replacement; create finds the old key renamed (step 1 done) or a key of another id under the
 * title (step 2 done, never recorded in state) and adopts it; delete finds the title held by
 * another key and moves the agents there (retireKey is idempotent).
 *
 * A create cannot tell a rotation from a plain create that collides with an unmanaged key (it gets
 * the new inputs only), so the diff that plans the replacement records which key it rotates out
 * (`PendingRotations`): only that key is ever renamed. The engine always diffs a resource before
 * it creates its replacement, in the same provider process.
 */
import type { LifecycleContext, PropertyBag } from "./context";
import { plannedChanges, replacedFields } from "./diff";
import { inputsToWrite, keyToOutputs, normaliseTitle, providerOnlyInputsOf } from "./normalize";
import { ACTIVATION_KEY_PROPERTIES } from "./properties";

/** The keys this process plans to rotate out, by the declared title the new key takes. */
export type PendingRotations = Map<string, { oldId: number }>;

/**
 * The title a rotated-out key carries until it is deleted: deterministic (a rerun renames to the
 * same title, and finds it), unique (it names the key's id), within Qualys' title length.
 */
export function rotationTitle(title: string, oldId: number): string {
  const suffix = ` (rotated out, key ${oldId})`;
  return `${title.slice(0, ACTIVATION_KEY_PROPERTIES.title.maxLength - suffix.length).trimEnd()}${suffix}`;
}

/** What the engine's diff of key `id` from its state `olds` to the checked `news` answers. */
export interface KeyDiff {
  changed: string[];
  replaces: string[];
}

/**
 * The engine's diff, for both adapters: the planned changes and the replacement a rotation asks
 * for. A planned rotation is recorded for the create that follows, and announced (a warning on the
 * resource: what will happen, and that the old value keeps working meanwhile).
 */
export function diffKey(ctx: LifecycleContext, id: string, olds: PropertyBag, news: PropertyBag): KeyDiff {
  const changed = plannedChanges(news, olds);
  const replaces = replacedFields(changed, olds, news);
  if (replaces.includes("rotationTrigger") && typeof olds.title === "string") {
    const title = olds.title;
    ctx.rotations.set(title, { oldId: Number(id) });
    const agents = typeof olds.countUsed === "number" ? `its ${olds.countUsed} agent(s) at the last refresh` : "its agents";
    ctx.log.warn(
      `Key "${title}" (id ${id}) will be rotated: it is renamed "${rotationTitle(title, Number(id))}", a new key with a new ` +
        `activationKey is created as "${title}", ${agents} are moved to it, then the old key is deleted. The old activation ` +
        `key keeps working until its agents have moved.`,
    );
  }
  return { changed, replaces };
}

/**
 * Step 1, in the create of the key that replaces key `oldId` under `title`: renames the old key
 * out of the title if it still holds it, keeping every other setting (an update replaces the whole
 * key: docs/qualys-api.md). Done already (renamed, or another key holds the title) is no call.
 */
export async function renameRotatedOut(ctx: LifecycleContext, title: string, oldId: number): Promise<void> {
  const holder = await ctx.reader.findByTitle(title);
  if (holder?.id !== oldId) return;
  const asIs = keyToOutputs(holder, providerOnlyInputsOf(undefined));
  await ctx.api.update(oldId, { ...inputsToWrite(asIs), title: rotationTitle(title, oldId) });
}

/** The pending rotation the create of `desired` completes, if its diff planned one. */
export function pendingRotationOf(ctx: LifecycleContext, desired: { title: string; rotationTrigger?: string }): { oldId: number } | undefined {
  return desired.rotationTrigger === undefined ? undefined : ctx.rotations.get(normaliseTitle(desired.title));
}

/**
 * Steps 3 and 4 find their target here: for a key in rotation (its state has a rotationTrigger),
 * the key that now holds its declared title, if that is another key. Such a key only exists once a
 * rotation's create has run: titles are unique, and this key held the title until renamed.
 */
export async function rotationSuccessorOf(ctx: LifecycleContext, id: number, state: PropertyBag): Promise<number | undefined> {
  if (typeof state.rotationTrigger !== "string" || typeof state.title !== "string") return undefined;
  const holder = await ctx.reader.findByTitle(state.title);
  return holder && holder.id !== id ? holder.id : undefined;
}
