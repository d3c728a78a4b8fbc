/**
 * Moving agents from one named key to another outside a program (`qualys-keys move-agents`), as a
 * plan first (what a dry run prints) and then the move, verified by reading both keys back: the
 * answer of Change Activation Key is not documented (ca/api/keys/change_activation_key.htm), so it
 * is never taken as proof. The same checks as a retiring key's successor apply (retire.ts).
 */
import { QualysError } from "../qualys/errors";
import type { AgentActKey, AgentAsset, AgentFilter } from "../qualys/types";
import type { LifecycleContext } from "./context";
import { isKeyId } from "./key-id";
import { readSuccessor, type MoveTarget } from "./retire";

export interface AgentMovePlan {
  from: AgentActKey & { activationKey: string };
  to: MoveTarget;
  /** The agents that move: every agent of `from`, or the named ones it holds. */
  agents: AgentAsset[];
  /** Agent ids named that `from` does not hold (nothing is done about them). */
  notOnFrom: number[];
  /** The agent ids named, if any: then only those move. */
  named?: number[];
}

export interface AgentMoveResult {
  /** Both keys as Qualys holds them after the move. */
  from: AgentActKey;
  to: AgentActKey;
  /** Planned agents that are not on `to` afterwards (empty when the move did what it said). */
  notMoved: number[];
}

/** The key `reference` names: a key id (by the one id rule, key-id.ts), else an exact title. */
export async function findKeyByReference(ctx: LifecycleContext, reference: string, option: string): Promise<AgentActKey> {
  const key = isKeyId(reference) ? await ctx.reader.read(Number(reference)) : await ctx.reader.findByTitle(reference);
  if (!key) {
    throw new QualysError("QUALYS_NOT_FOUND", `${option} ${JSON.stringify(reference)} names no key this API user can see: give a key id or an exact title (\`qualys-keys list\` shows both).`);
  }
  return key;
}

/** What moving the agents of `fromReference` (or the `agentIds` among them) to `toReference` would do. Reads only. */
export async function planAgentMove(ctx: LifecycleContext, fromReference: string, toReference: string, agentIds?: number[]): Promise<AgentMovePlan> {
  const from = await findKeyByReference(ctx, fromReference, "--from");
  const to = await findKeyByReference(ctx, toReference, "--to");
  const target = await readSuccessor(ctx, to.id, from.id, "--to");
  if (!from.activationKey) throw new QualysError("QUALYS_HTTP_ERROR", `Key ${from.id} was read without its activation key value, which the move needs; run again.`, { keyId: from.id });
  const held = from.agents ?? [];
  const agents = agentIds ? held.filter((agent) => agentIds.includes(agent.id)) : held;
  const notOnFrom = agentIds ? agentIds.filter((id) => !held.some((agent) => agent.id === id)) : [];
  const plan: AgentMovePlan = { from: { ...from, activationKey: from.activationKey }, to: target, agents, notOnFrom };
  if (agentIds) plan.named = agentIds;
  return plan;
}

/** Moves the planned agents (one Change Activation Key call), then reads both keys back. */
export async function applyAgentMove(ctx: LifecycleContext, plan: AgentMovePlan): Promise<AgentMoveResult> {
  const filters: AgentFilter[] = [{ field: "activationKey", operator: "EQUALS", value: plan.from.activationKey }];
  if (plan.named) filters.push({ field: "id", operator: "IN", value: plan.agents.map((agent) => agent.id).join(",") });
  // Nothing planned, nothing sent: an empty `id IN` would select nothing, or be refused.
  if (plan.agents.length > 0) await ctx.api.changeActivationKey({ newActivationKey: plan.to.activationKey, filters, fromKeyId: plan.from.id });
  const [from, to] = await Promise.all([ctx.api.get(plan.from.id), ctx.api.get(plan.to.id)]);
  const arrived = new Set((to.agents ?? []).map((agent) => agent.id));
  return { from, to, notMoved: plan.agents.map((agent) => agent.id).filter((id) => !arrived.has(id)) };
}
