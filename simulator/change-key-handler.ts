/**
 * Change Activation Key: `POST /qps/rest/1.0/cak/ca/changeactkey/` moves the agents its filters
 * select onto the key whose activation key *value* is `newActivationKey`
 * (Qualys page "Change Activation Key"; docs/qualys-api.md, "Change
 * activation key"). What the simulator does, and why:
 * - the caller needs the permission "Change Activation Key" (SimulatorUser.changeActivationKey);
 *   without it the answer is INSUFFICIENT_PERMISSION, before the body is even read;
 * - at least one filter is required; the fields and operators are the documented ones: `id` (the
 *   agent's asset id), `tagName` (the agent's tags) and `activationKey` (the key it is on, EQUALS);
 * - a reader moves only agents of keys it can see, onto a key it can see;
 * - an unknown or disabled target is refused: no agent can activate with a disabled key, and the
 *   public page says nothing of moving agents onto one;
 * - moving agents to the key they are on changes nothing, so the call is safe to repeat;
 * - the answer is SUCCESS with the number of agents moved: Qualys does not document its shape, so
 *   clients verify by reading the keys (agents and countUsed), never from this answer.
 */
import type { HandlerContext, HandlerResult } from "./agentactkey-handlers";
import { canSee } from "./agentactkey-handlers";
import { parseChangeKey, type ServiceRequestRoot } from "./parse-service-request";
import { QpsError, invalidRequest } from "./qps-error";
import { matchesCriteria, validateCriteria, type FilterFields } from "./search-criteria";
import type { SimAgent, SimKey, SimulatorUser } from "./types";

/** An agent and the key it is registered with. */
interface PlacedAgent {
  agent: SimAgent;
  key: SimKey;
}

const AGENT_FILTERS: FilterFields<PlacedAgent> = {
  id: { kind: "integer", value: ({ agent }) => agent.id },
  tagName: { kind: "text", value: ({ agent }) => agent.tags ?? [] },
  activationKey: { kind: "text", operators: ["EQUALS"], value: ({ key }) => key.activationKey },
};

/** Managers hold every Cloud Agent permission; a reader only when it was granted this one. */
export function mayChangeActivationKey(user: SimulatorUser): boolean {
  return user.changeActivationKey ?? user.role !== "reader";
}

export function handleChangeActivationKey(context: HandlerContext, root: ServiceRequestRoot): HandlerResult {
  if (!mayChangeActivationKey(context.caller)) {
    throw new QpsError(
      "INSUFFICIENT_PERMISSION",
      "User does not have the permission to change the activation key of agents.",
      "Ask a manager to grant the Cloud Agent permission Change Activation Key to this user.",
    );
  }
  const request = parseChangeKey(root);
  if (request.criteria.length === 0) {
    throw invalidRequest(
      "At least one filter is required to select the agents whose activation key changes.",
      "Filter on id (agent asset id), tagName or activationKey.",
    );
  }
  validateCriteria(request.criteria, AGENT_FILTERS, "Filter on id (agent asset id), tagName or activationKey.");
  return context.store.write((state) => {
    const target = state.keys.find((key) => key.activationKey === request.newActivationKey && canSee(context.caller, key));
    if (!target) {
      throw invalidRequest("newActivationKey is not the activation key of any key visible to this user.", "Send the activation key value (not the id) of an existing key.");
    }
    if (target.isDisabled) {
      throw invalidRequest(`Activation key ${target.id} is disabled: agents cannot be moved onto it.`, "Enable the key first, or choose another one.");
    }
    let moved = 0;
    for (const key of state.keys) {
      if (key === target || !canSee(context.caller, key)) continue;
      const leaving = key.agents.filter((agent) => matchesCriteria({ agent, key }, request.criteria, AGENT_FILTERS));
      if (leaving.length === 0) continue;
      key.agents = key.agents.filter((agent) => !leaving.includes(agent));
      key.countUsed = key.agents.length;
      target.agents.push(...leaving);
      moved += leaving.length;
    }
    target.countUsed = target.agents.length;
    return { response: { kind: "agents-moved", count: moved }, keyId: target.id };
  });
}
