/**
 * The five agentactkey operations (create, get, update, delete, search) with the real API's
 * semantics from docs/qualys-api.md: unique titles, delete refused while agents
 * are registered, unlicensed modules silently dropped, OBJECT_NOT_FOUND for unknown and
 * out-of-scope keys, paged search that hides disabled keys unless asked.
 * Each handler returns the ServiceResponse to send (rendered as XML or JSON by the pipeline);
 * QPS errors are thrown as QpsError.
 */
import { findKey, type KeyStore, type StoreState } from "./key-store";
import { applyTypeRules, normaliseExpireDate, parseKeyType } from "./key-type-rules";
import { allocateKey, keyDefaults, type WritableKeyFields } from "./new-key";
import { parseKeyWrite, parseSearch, type KeyWriteRequest, type ServiceRequestRoot } from "./parse-service-request";
import { applyQListChange } from "./qlist-change";
import { QpsError, invalidRequest, objectNotFound } from "./qps-error";
import { KEY_SEARCH_FIELDS, matchesCriteria, validateCriteria, type FilterFields } from "./search-criteria";
import type { ServiceResponseModel } from "./service-response";
import { resolveTagNames, tagCatalogue, type ResolvedTag } from "./tag-names";
import type { SimKey, SimulatorTag, SimulatorUser } from "./types";

/** What a handler needs to know about the simulator and the caller. */
export interface HandlerContext {
  store: KeyStore;
  /** Licenses of the simulated subscription. */
  licenses: readonly string[];
  now: () => number;
  titleSearchable: boolean;
  /** Static tags a write may name by name alone (tag-names.ts). */
  tags: readonly SimulatorTag[];
  caller: SimulatorUser;
}

export interface HandlerResult {
  response: ServiceResponseModel;
  /** The key the call touched, for the request log. */
  keyId?: number;
}

const DEFAULT_PAGE = 100;
const MAX_PAGE = 1000;

/**
 * A reader sees only keys in its scope or created by it (Qualys' "Get Started with VMDR OT APIs",
 * "User Scoping for APIs").
 */
export function canSee(caller: SimulatorUser, key: SimKey): boolean {
  if (caller.role !== "reader") return true;
  return (caller.scopeKeyIds ?? []).includes(key.id) || key.createdBy === caller.username;
}

function visibleKey(context: HandlerContext, state: Readonly<StoreState>, id: number): SimKey {
  const key = findKey(state, id);
  if (!key || !canSee(context.caller, key)) throw objectNotFound(id);
  return key;
}

function rejectDuplicateTitle(state: Readonly<StoreState>, title: string, exceptId?: number): void {
  if (title && state.keys.some((key) => key.title === title && key.id !== exceptId)) {
    // Both texts as the real API sends them (docs/qualys-api.md, "Confirmed answers").
    throw new QpsError("CA_1001_DUPLICATE_KEY", `Activation key already exists with title ${title}`, "Activation key already exists. Try another activation key.");
  }
}

function licensed(context: HandlerContext, modules: string[]): string[] {
  return modules.filter((module) => context.licenses.includes(module));
}

function tagsFrom(context: HandlerContext, state: Readonly<StoreState>, current: SimKey["tags"], request: KeyWriteRequest): SimKey["tags"] {
  const requested = resolveTagNames(request.tags, tagCatalogue(context.tags, state.keys));
  const named = (tag: ResolvedTag): SimKey["tags"][number] => ({
    id: tag.id,
    name: tag.name ?? current.find((known) => known.id === tag.id)?.name ?? `Tag${tag.id}`,
  });
  const change = requested && {
    replace: requested.replace?.map(named),
    add: requested.add.map(named),
    remove: requested.remove.map(named),
  };
  return applyQListChange(current, change, (tag) => tag.id);
}

/** `base` with the fields the request carries applied, type rules checked. */
function applyRequest(context: HandlerContext, state: Readonly<StoreState>, base: WritableKeyFields, request: KeyWriteRequest): WritableKeyFields {
  const next: WritableKeyFields = {
    ...base,
    type: parseKeyType(request.type),
    title: request.title ?? base.title,
    countPurchased: request.countPurchased ?? base.countPurchased,
    expireDate: request.expireDate ? normaliseExpireDate(request.expireDate) : base.expireDate,
    ownerId: request.ownerId ?? base.ownerId,
    networkId: request.networkId ?? base.networkId,
    isDisabled: request.isDisabled ?? base.isDisabled,
    suspendSelfPatch: request.suspendSelfPatch ?? base.suspendSelfPatch,
    // `status` is not taken from the request (the Cloud Agent API guide's update sample sends it;
    // Qualys computes it). applyOnAgents is stored false whatever is sent: it is an action flag,
    // not state.
    applyOnAgents: false,
    modules: licensed(context, applyQListChange(base.modules, request.modules, (module) => module)),
    tags: tagsFrom(context, state, base.tags, request),
  };
  applyTypeRules(next);
  return next;
}

export function handleCreate(context: HandlerContext, root: ServiceRequestRoot): HandlerResult {
  const request = parseKeyWrite(root);
  return context.store.write((state) => {
    const fields = applyRequest(context, state, keyDefaults(), request);
    rejectDuplicateTitle(state, fields.title);
    const key = allocateKey(state, context.now(), { ...fields, createdBy: context.caller.username });
    return { response: { kind: "keys", keys: [{ key }] }, keyId: key.id };
  });
}

export function handleGet(context: HandlerContext, id: number): HandlerResult {
  return context.store.read((state) => {
    const key = visibleKey(context, state, id);
    return { response: { kind: "keys", keys: [{ key }] }, keyId: id };
  });
}

/**
 * The id may come in the path (reference page) or the body (the Cloud Agent API guide's sample);
 * both are accepted.
 */
function updateTarget(pathId: number | undefined, bodyId: number | undefined): number {
  if (pathId !== undefined && bodyId !== undefined && pathId !== bodyId) {
    throw invalidRequest(`The id in the path (${pathId}) differs from the id in the body (${bodyId}).`, "Send the same id in both places.");
  }
  const id = pathId ?? bodyId;
  if (id === undefined) throw invalidRequest("Update needs the key id, in the path or in data/AgentActKey/id.");
  return id;
}

export function handleUpdate(context: HandlerContext, pathId: number | undefined, root: ServiceRequestRoot): HandlerResult {
  const request = parseKeyWrite(root);
  const id = updateTarget(pathId, request.id);
  return context.store.write((state) => {
    const current = visibleKey(context, state, id);
    const fields = applyRequest(context, state, current, request);
    rejectDuplicateTitle(state, fields.title, id);
    const key: SimKey = { ...current, ...fields };
    state.keys[state.keys.indexOf(current)] = key;
    // The Cloud Agent API guide's update answer omits modules and tags: clients must read back with
    // get.
    return { response: { kind: "keys", keys: [{ key, omitCollections: true }] }, keyId: id };
  });
}

export function handleDelete(context: HandlerContext, id: number): HandlerResult {
  return context.store.write((state) => {
    const key = visibleKey(context, state, id);
    if (key.agents.length > 0) {
      throw invalidRequest(
        `Activation key ${id} cannot be deleted: ${key.agents.length} agent(s) are registered with it.`,
        "Move the agents to another activation key (cak/ca/changeactkey) or uninstall them, then delete the key.",
      );
    }
    state.keys.splice(state.keys.indexOf(key), 1);
    return { response: { kind: "deleted", id }, keyId: id };
  });
}

export function handleSearch(context: HandlerContext, root: ServiceRequestRoot): HandlerResult {
  const request = parseSearch(root);
  const limit = request.limitResults ?? DEFAULT_PAGE;
  if (limit < 1 || limit > MAX_PAGE) {
    throw invalidRequest(`limitResults must be between 1 and ${MAX_PAGE}, got ${limit}.`);
  }
  // startFromOffset is 1-based; clients page by adding the page size to it (public record, "Paging").
  const offset = request.startFromOffset ?? 1;
  if (offset < 1) throw invalidRequest(`startFromOffset must be 1 or more (it is 1-based), got ${offset}.`);
  const fields = context.titleSearchable ? KEY_SEARCH_FIELDS : withoutTitle(KEY_SEARCH_FIELDS);
  validateCriteria(request.criteria, fields, "Filter on id, activationKey, countPurchased or isDisabled.");
  // isDisabled defaults to false: disabled keys only show when a criterion names the field.
  const asksForDisabled = request.criteria.some((criterion) => criterion.field === "isDisabled");
  return context.store.read((state) => {
    const matching = state.keys
      .filter((key) => canSee(context.caller, key))
      .filter((key) => asksForDisabled || !key.isDisabled)
      .filter((key) => matchesCriteria(key, request.criteria, fields))
      .sort((a, b) => a.id - b.id);
    const page = matching.slice(offset - 1, offset - 1 + limit);
    const hasMoreRecords = matching.length > offset - 1 + limit;
    // Like the Cloud Agent API guide's "get all" sample, lastId is only sent when there is a next
    // page to ask for.
    const lastId = hasMoreRecords ? page[page.length - 1]?.id : undefined;
    return { response: { kind: "keys", keys: page.map((key) => ({ key })), search: { hasMoreRecords, lastId } } };
  });
}

/** The search fields without `title`, for a simulator told that title is not searchable. */
function withoutTitle(fields: FilterFields<SimKey>): FilterFields<SimKey> {
  const { title: _title, ...rest } = fields;
  return rest;
}
