/**
 * Retiring a key that Cloud Agents still use (issue 17): Qualys refuses to delete a key while any
 * agent is registered with it (ca/api/keys/delete_key.htm), and every production key has agents.
 * The way out Qualys documents is Change Activation Key (ca/api/keys/change_activation_key.htm):
 * move the agents onto another key by its activation key value, then delete.
 *
 * - The successor is read and checked (it exists, is not this key, is enabled) before anything
 *   moves: a move onto the wrong key would re-enrol the fleet somewhere nobody meant. The read goes
 *   through the bulk reader, so a fleet retired onto one successor shares one listing.
 * - The move selects the agents by `activationKey EQUALS` this key's value (saved in state as the
 *   secret output `activationKey`), so exactly this key's agents move, whoever enrolled them.
 * - The answer of a move is not documented, so it is never trusted: the delete is the check. Qualys
 *   refuses it while any agent is left, atomically on its side, which a read followed by a delete
 *   could not be. An agent that enrolled in between is moved by the next round, at most
 *   MAX_MOVE_ROUNDS rounds.
 * - Every step is idempotent, so a process killed between any two calls converges: the next run's
 *   delete moves again (nothing, or the stragglers) and deletes.
 * Reusable beyond delete: `readSuccessor` and `moveAllAgents` serve any move onto a named key.
 */
import { QualysError, QualysKeyInUseError, QualysNotFoundError, type QualysApiErrorDetails } from "../qualys/errors";
import type { AgentActKey } from "../qualys/types";
import type { LifecycleContext } from "./context";

/** Move-then-delete rounds before giving up on a key whose agents keep arriving. */
export const MAX_MOVE_ROUNDS = 3;

/** A key about to be deleted, as its saved state knows it. */
export interface RetiringKey {
  id: number;
  /** Its activation key value, from state; read from Qualys when the state lacks it. */
  activationKey?: string;
}

/** A key agents can be moved onto: it exists, and its activation key value is known. */
export type MoveTarget = AgentActKey & { activationKey: string };

/**
 * The key `targetId` names, checked to take agents over from key `fromId`: it exists (for this
 * user), is another key and is enabled. Throws QUALYS_INVALID_INPUT naming `input` otherwise,
 * before anything has moved.
 */
export async function readSuccessor(ctx: LifecycleContext, targetId: number, fromId: number, input = "successorKeyId"): Promise<MoveTarget> {
  const refuse = (why: string): QualysError =>
    new QualysError("QUALYS_INVALID_INPUT", `${input} ${targetId} ${why} Nothing was moved: key ${fromId} and its agents are as they were.`, {
      operation: "changeactkey",
      keyId: fromId,
    });
  if (targetId === fromId) throw refuse(`is key ${fromId} itself: name the key that should take over its agents.`);
  const target = await ctx.reader.read(targetId);
  if (!target) {
    throw refuse(
      "names no key Qualys knows: it was deleted, or it is outside this API user's scope. Set it to the id of an existing, enabled key.",
    );
  }
  if (target.isDisabled) throw refuse(`names a disabled key ("${target.title ?? ""}"): no agent could activate with it. Enable that key, or name another one.`);
  if (!target.activationKey) throw refuse("was read without its activation key value, which the move needs; run again.");
  return target as MoveTarget;
}

/**
 * Moves every agent registered with the key whose activation key is `fromActivationKey` onto
 * `target`: one Change Activation Key call, idempotent.
 */
export async function moveAllAgents(ctx: LifecycleContext, from: { id: number; activationKey: string }, target: MoveTarget): Promise<void> {
  await ctx.api.changeActivationKey({
    newActivationKey: target.activationKey,
    filters: [{ field: "activationKey", operator: "EQUALS", value: from.activationKey }],
    fromKeyId: from.id,
  });
}

/**
 * Moves the agents of `key` onto key `successorId`, then deletes `key`; again while Qualys still
 * refuses the delete, at most MAX_MOVE_ROUNDS times. A key already gone counts as deleted. A
 * successor that cannot take the agents over fails before anything moves, unless the key has no
 * agent left to move.
 */
export async function retireKey(ctx: LifecycleContext, key: RetiringKey, successorId: number): Promise<void> {
  let successor: MoveTarget;
  try {
    successor = await readSuccessor(ctx, successorId, key.id);
  } catch (refusal) {
    // A key without agents needs no successor (on `pulumi destroy` the successor may already be
    // gone): it is simply deleted. With agents, Qualys refuses, and the refusal stands: nothing moved.
    if (!(refusal instanceof QualysError) || refusal.code !== "QUALYS_INVALID_INPUT") throw refusal;
    await deleteIfPresent(ctx, key.id).catch((error: unknown) => {
      throw error instanceof QualysKeyInUseError ? refusal : error;
    });
    return;
  }
  const activationKey = key.activationKey ?? (await ctx.reader.read(key.id))?.activationKey;
  if (activationKey === undefined) return deleteIfPresent(ctx, key.id);
  for (let round = 1; ; round += 1) {
    await moveAllAgents(ctx, { id: key.id, activationKey }, successor);
    try {
      return await deleteIfPresent(ctx, key.id);
    } catch (error) {
      if (!(error instanceof QualysKeyInUseError) || round >= MAX_MOVE_ROUNDS) throw stillInUse(error, successorId, round);
    }
  }
}

/** Deletes key `id`; a key that is already gone counts as deleted. */
export async function deleteIfPresent(ctx: LifecycleContext, id: number): Promise<void> {
  try {
    await ctx.api.delete(id);
  } catch (error) {
    if (!(error instanceof QualysNotFoundError)) throw error;
  }
}

/** The last refusal, saying that agents kept arriving while they were being moved. */
function stillInUse(error: unknown, successorId: number, rounds: number): unknown {
  if (!(error instanceof QualysKeyInUseError)) return error;
  return new QualysKeyInUseError(
    detailsOf(error),
    `Agents were moved to key ${successorId} ${rounds} times and Qualys still refuses the delete: agents keep enrolling with ` +
      `this key. Stop the deployments that install agents with it (use the successor's activation key), then run again.`,
  );
}

/**
 * QUALYS_KEY_IN_USE for a key without a successor, naming the input that would retire it.
 * `countUsed` is what the state knows of its agents.
 */
export function needsSuccessor(error: QualysKeyInUseError, countUsed: number): QualysKeyInUseError {
  const agents = countUsed > 0 ? `its ${countUsed} agent(s)` : "its agents";
  return new QualysKeyInUseError(
    detailsOf(error),
    `Agents are still registered with this key: set successorKeyId to the id of the key that should take over ${agents} ` +
      `(they are moved there, then this key is deleted), or move or uninstall them (Cloud Agent UI), then run again.`,
  );
}

/** What Qualys answered in `error`, to build the same refusal with other advice. */
function detailsOf(error: QualysKeyInUseError): QualysApiErrorDetails {
  const { responseCode, errorMessage, errorResolution, operation, keyId, title, request, statusCode } = error;
  return { responseCode, errorMessage, errorResolution, operation, keyId, title, request, statusCode };
}
