/**
 * The ActivationKey provider implementation. The serialized shim (provider-shim.ts) loads this
 * module by package name at call time, so:
 * - refresh and destroy run the installed code, not a stale copy from state (pulumi/pulumi#16826);
 * - module-level state (the configuration, one client, scheduler and read cache per subscription)
 *   is shared by every resource of the provider process.
 *
 * Method contracts: shared/docs/pulumi-dynamic-providers.md, "Who calls what".
 */
import { QualysModulesNotLicensedError, QualysNotFoundError } from "../qualys/errors";
import { createQualysClient } from "../qualys/client";
import { preloadHttpClient } from "../qualys/transport/http-transport";
import { createOrAdopt } from "../activation-key/create-or-adopt";
import { schedulerFor } from "../scheduling/scheduler-registry";
import { SearchBackedKeyReader } from "../qualys/api/search-backed-key-reader";
import type { AgentActKey, AgentActKeyApi } from "../qualys/types";
import type { ActivationKeyInputs, ActivationKeyOutputs } from "../activation-key/properties";
import { DECLARED_FIELDS } from "../activation-key/properties";
import { checkActivationKeyInputs, type CheckFailure } from "../activation-key/check";
import { changedFields } from "../activation-key/diff";
import { engineLogger } from "./engine-logger";
import { inputsToWrite, keyToOutputs, normaliseModules } from "../activation-key/normalize";
import { resolveProviderSettings, type ConfigLookup, type ProviderSettings } from "../subscription/resolve-settings";

type Props = Record<string, unknown>;

/** Where dynamic.Resource keeps the serialized provider, in inputs and outputs alike. */
const PROVIDER_PROPERTY = "__provider";

interface Subscription {
  api: AgentActKeyApi;
  reader: SearchBackedKeyReader;
}

let stackConfig: ConfigLookup | undefined;
const subscriptions = new Map<string, Subscription>();

/**
 * Stores the stack configuration. Synchronous on purpose: the host caches the provider before it
 * awaits configure(), so a concurrent call must already see the configuration (the configure race).
 */
export function configure(request: { config: ConfigLookup }): Promise<void> {
  stackConfig = request.config;
  preloadHttpClient();
  return Promise.resolve();
}

/** The client of the configured subscription; one per API URL + user for the whole process. */
function subscription(): Subscription {
  const settings: ProviderSettings = resolveProviderSettings(stackConfig, process.env);
  const key = `${settings.authMode} ${settings.apiUrl} ${settings.username}`;
  let found = subscriptions.get(key);
  if (!found) {
    const logger = engineLogger([settings.password]);
    const api = createQualysClient({
      apiUrl: settings.apiUrl,
      gatewayUrl: settings.gatewayUrl,
      username: settings.username,
      password: settings.password,
      authMode: settings.authMode,
      allowInsecureHttp: settings.allowInsecureHttp,
      logger,
      scheduler: schedulerFor(key, { maxWaitSec: settings.maxWaitSec, retryDeadlineSec: settings.retryDeadlineSec, logger }),
    });
    found = { api, reader: new SearchBackedKeyReader(api) };
    subscriptions.set(key, found);
  }
  return found;
}

export async function check(olds: Props, news: Props): Promise<{ inputs: Props; failures: CheckFailure[] }> {
  // The provider's own configuration is checked here too (no API call), so a typo in
  // qualys:maxWaitSec, an unknown qualys:platform, an http:// URL or missing credentials fails
  // `pulumi preview` on the pull request instead of `pulumi up` after the merge.
  subscription();
  const outcome = checkActivationKeyInputs(news, Date.now(), olds);
  const log = engineLogger([]);
  for (const warning of outcome.warnings) log.warn(warning);
  return { inputs: outcome.inputs, failures: outcome.failures };
}

export async function diff(_id: string, olds: Props, news: Props): Promise<{ changes: boolean; replaces: string[]; deleteBeforeReplace: boolean }> {
  // Explicit changes and replaces: leaving them undefined makes the engine diff everything,
  // __provider included (shared/docs/pulumi-dynamic-providers.md, rule 3).
  return { changes: changedFields(news, olds).length > 0, replaces: [], deleteBeforeReplace: false };
}

export async function create(inputs: Props): Promise<{ id: string; outs: ActivationKeyOutputs }> {
  const desired = inputs as unknown as ActivationKeyInputs;
  const { api, reader } = subscription();
  const write = inputsToWrite(desired);
  // The create response carries the whole key (qualys-agentactkey-api.md, "Endpoints"): no read-back.
  const { key, adopted } = await createOrAdopt(api, write, { adopt: desired.adopt });
  if (!adopted) return { id: String(key.id), outs: settle(key, desired, reader) };
  // An existing key (adopted, or committed by an attempt whose answer was lost) becomes the
  // declared key: full update, then read back.
  await api.update(key.id, write);
  return { id: String(key.id), outs: settle(await api.get(key.id), desired, reader) };
}

export async function read(id: string, props: Props): Promise<{ id: string; props: Props; inputs?: Props }> {
  const { reader } = subscription();
  const key = await reader.read(Number(id));
  // An empty id tells the engine the key is gone, so refresh drops it from state.
  if (!key) return { id: "", props: {} };
  const outs = keyToOutputs(key, { applyOnAgents: props.applyOnAgents === true, adopt: props.adopt === true });
  return { id, props: { ...outs }, inputs: declaredInputsOf(outs) };
}

export async function update(id: string, _olds: Props, news: Props): Promise<{ outs: ActivationKeyOutputs }> {
  const desired = news as unknown as ActivationKeyInputs;
  const { api, reader } = subscription();
  await api.update(Number(id), inputsToWrite(desired));
  // The update response omits modules (seed sample): read the key back for the real state.
  const key = await api.get(Number(id));
  return { outs: settle(key, desired, reader) };
}

export async function remove(id: string): Promise<void> {
  const { api, reader } = subscription();
  try {
    await api.delete(Number(id));
  } catch (error) {
    // Already gone (deleted in the UI, or by an earlier attempt whose answer was lost): done.
    if (!(error instanceof QualysNotFoundError)) throw error;
  }
  reader.forget(Number(id));
}

/**
 * Outputs of a key we just wrote, after checking that Qualys kept every module we asked for.
 * Qualys silently drops modules the subscription does not license; rather than leave a diff that
 * never goes away, fail with a clear error — carrying the id and outputs so the host records the
 * key in state (ErrorResourceInitFailed) and nothing is lost.
 *
 * `desired` is the inputs bag the host passed to create/update, `__provider` included.
 */
function settle(key: AgentActKey, desired: ActivationKeyInputs, reader: SearchBackedKeyReader): ActivationKeyOutputs {
  reader.remember(key);
  const outs = keyToOutputs(key, desired);
  const kept = new Set(outs.modules);
  const dropped = normaliseModules(desired.modules).filter((m) => !kept.has(m));
  if (dropped.length > 0) {
    const error = new QualysModulesNotLicensedError(dropped, { keyId: key.id, title: desired.title });
    // The host hands `properties` to the engine verbatim as the key's outputs: unlike a successful
    // create/update it does not add `__provider` (grpcResponseFromError in
    // @pulumi/pulumi/cmd/dynamic-provider). Without it, refresh and destroy of this key could never
    // load the provider again ("code must be a string"), so copy it from the inputs.
    const properties = { ...outs, [PROVIDER_PROPERTY]: (desired as unknown as Props)[PROVIDER_PROPERTY] };
    throw Object.assign(error, { id: String(key.id), properties, reasons: [error.message] });
  }
  return outs;
}

function declaredInputsOf(outs: ActivationKeyOutputs): Props {
  const inputs: Props = { applyOnAgents: outs.applyOnAgents, adopt: outs.adopt };
  for (const field of DECLARED_FIELDS) if (outs[field] !== undefined) inputs[field] = outs[field];
  return inputs;
}
