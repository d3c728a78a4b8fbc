/**
 * The programmatic admin surface: out-of-band changes to keys (as if someone used the Qualys UI),
 * agents attached to keys, faults, limits and the request log. Tests call it directly; the same
 * operations are served over HTTP by admin-routes.ts.
 */
import { randomUUID } from "node:crypto";
import { findKey, type StoreState } from "./key-store";
import { checkAgentCount, checkAgentTags, checkFaultSpecs, checkLimitChanges } from "./input-bounds";
import { allocateKey, isoSeconds } from "./new-key";
import { limitSettingsFrom, type SimulatorContext } from "./simulator-context";
import type { SimKey, SimulatorAdmin } from "./types";

/** An admin call named a key that does not exist (HTTP 404 on the admin routes). */
export class AdminKeyNotFoundError extends Error {
  constructor(id: number) {
    super(`No key with id ${id} in the simulator.`);
    this.name = "AdminKeyNotFoundError";
  }
}

function requireKey(state: Readonly<StoreState>, id: number): SimKey {
  const key = findKey(state, id);
  if (!key) throw new AdminKeyNotFoundError(id);
  return key;
}

export function createAdmin(context: SimulatorContext): SimulatorAdmin {
  const { store, limits, faults, log } = context;
  return {
    listKeys: () => store.read((state) => structuredClone(state.keys)),
    getKey: (id) => store.read((state) => structuredClone(findKey(state, id))),
    patchKey: (id, patch) =>
      store.write((state) => {
        const key = requireKey(state, id);
        Object.assign(key, patch, { id });
        return structuredClone(key);
      }),
    insertKey: (fields) =>
      store.write((state) => {
        if (fields.id !== undefined && findKey(state, fields.id)) throw new Error(`A key with id ${fields.id} already exists.`);
        return structuredClone(allocateKey(state, context.now(), fields));
      }),
    deleteKey: (id) =>
      store.write((state) => {
        state.keys.splice(state.keys.indexOf(requireKey(state, id)), 1);
      }),
    attachAgents: (id, count, options = {}) =>
      store.write((state) => {
        const key = requireKey(state, id);
        const adding = checkAgentCount(count, key.agents.length);
        const tags = checkAgentTags(options.tags);
        for (let index = 0; index < adding; index += 1) {
          const agentId = state.nextAgentId++;
          key.agents.push({ id: agentId, uuid: randomUUID(), name: `sim_agent_${agentId}`, ...(tags.length > 0 ? { tags: [...tags] } : {}) });
        }
        key.countUsed = key.agents.length;
        key.dateLastUsed = isoSeconds(context.now());
        return structuredClone(key);
      }),
    detachAgents: (id) =>
      store.write((state) => {
        const key = requireKey(state, id);
        key.agents = [];
        key.countUsed = 0;
        return structuredClone(key);
      }),
    injectFaults: (specs) => {
      checkFaultSpecs(specs, faults.size);
      faults.add(specs);
    },
    clearFaults: () => faults.clear(),
    requestLog: () => log.list(),
    callCounts: () => log.counts(),
    resetLog: () => log.clear(),
    setLimits: (changes) => {
      checkLimitChanges(changes);
      // Only the fields present change; `rateLimit: null` turns the rate limit off.
      const settings = limits.settings;
      if ("rateLimit" in changes) settings.rateLimit = changes.rateLimit ?? null;
      if ("concurrencyLimit" in changes) settings.concurrencyLimit = changes.concurrencyLimit ?? null;
      if (changes.blockedStatus !== undefined) settings.blockedStatus = changes.blockedStatus;
      if (changes.sendToWait !== undefined) settings.sendToWait = changes.sendToWait;
      if (changes.sendLimitHeaders !== undefined) settings.sendLimitHeaders = changes.sendLimitHeaders;
      if (changes.blockedBody !== undefined) settings.blockedBody = changes.blockedBody;
      if (changes.latencyMs !== undefined) context.latencyMs = changes.latencyMs;
    },
    maxInFlight: () => limits.maxInFlight,
    reset: () => {
      // Back to the start-up state: no keys, no faults, empty log, the limits of the options.
      store.clear();
      faults.clear();
      log.clear();
      limits.settings = limitSettingsFrom(context.options);
      limits.resetCounters();
      context.latencyMs = context.options.latencyMs ?? 0;
    },
  };
}
