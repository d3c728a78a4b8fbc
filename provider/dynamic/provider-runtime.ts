/**
 * Adapter 1: the dynamic resource's provider methods. The serialized shim (provider-shim.ts)
 * loads this module by package name at call time, so:
 * - refresh and destroy run the installed code, not a stale copy from state (pulumi/pulumi#16826);
 * - module-level state (the stack configuration, the subscription registry) is shared by every
 *   resource of the provider process.
 *
 * Only translation lives here: the host's method shapes to the lifecycle core
 * (provider/activation-key) and back. Method contracts: docs/pulumi-dynamic-providers.md,
 * "Who calls what".
 */
import { checkActivationKeyInputs, type CheckFailure } from "../activation-key/check";
import type { LifecycleContext, PropertyBag } from "../activation-key/context";
import { createKey } from "../activation-key/create";
import { deleteKey } from "../activation-key/delete";
import { IncompleteWriteError } from "../activation-key/incomplete-write";
import type { ActivationKeyInputs, ActivationKeyOutputs } from "../activation-key/properties";
import { readKey } from "../activation-key/read";
import { diffKey } from "../activation-key/rotate";
import { engineText } from "../qualys/errors";
import { updateKey } from "../activation-key/update";
import { resolveProviderSettings, type ConfigLookup, type ProviderSettings } from "../subscription/resolve-settings";
import { SubscriptionRegistry } from "../subscription/subscription-registry";
import { dynamicHostSink } from "./engine-logger";

/** Where dynamic.Resource keeps the serialized provider, in inputs and outputs alike. */
const PROVIDER_PROPERTY = "__provider";

let stackConfig: ConfigLookup | undefined;
/** The subscription of the current configuration, resolved on first use after configure(). */
let configured: { settings: ProviderSettings; context: LifecycleContext } | undefined;
const subscriptions = new SubscriptionRegistry(dynamicHostSink);

/**
 * Stores the stack configuration. Synchronous on purpose: the host caches the provider before it
 * awaits configure(), so a concurrent call must already see the configuration (the configure race).
 */
export function configure(request: { config: ConfigLookup }): Promise<void> {
  stackConfig = request.config;
  configured = undefined;
  return Promise.resolve();
}

/**
 * The configured subscription: stack config first, then the QUALYS_* environment. Resolved once
 * per configure(): neither changes under a running provider, and resolving on every call (URL
 * checks, the password digest that keys the registry) cost 0.13 ms a key (issue 12). A refusal is
 * not kept, so every call reports it.
 */
function context(): LifecycleContext {
  return configuration().context;
}

function configuration(): { settings: ProviderSettings; context: LifecycleContext } {
  if (!configured) {
    const settings = resolveProviderSettings(stackConfig, process.env);
    configured = { settings, context: subscriptions.contextFor(settings) };
  }
  return configured;
}

export async function check(olds: PropertyBag, news: PropertyBag): Promise<{ inputs: PropertyBag; failures: CheckFailure[] }> {
  // The provider's own configuration is checked here too (no API call), so a typo in
  // qualys:maxWaitSec, an unknown qualys:platform, an http:// URL or missing credentials fails
  // `pulumi preview` on the pull request instead of `pulumi up` after the merge.
  return withCode(async () => {
    const { settings, context: ctx } = configuration();
    const outcome = checkActivationKeyInputs(news, Date.now(), olds, { expiryWarningDays: settings.expiryWarningDays });
    const { log } = ctx;
    for (const warning of outcome.warnings) log.warn(warning);
    return { inputs: outcome.inputs, failures: outcome.failures };
  });
}

export async function diff(id: string, olds: PropertyBag, news: PropertyBag): Promise<{ changes: boolean; replaces: string[]; deleteBeforeReplace: boolean }> {
  // Explicit changes and replaces: leaving them undefined makes the engine diff everything,
  // __provider included (docs/pulumi-dynamic-providers.md, rule 3). A rotation is the one
  // replacement, create before delete (rotate.ts).
  const { changed, replaces } = diffKey(context(), id, olds, news);
  return { changes: changed.length > 0, replaces, deleteBeforeReplace: false };
}

export async function create(inputs: PropertyBag): Promise<{ id: string; outs: ActivationKeyOutputs }> {
  const { id, outputs } = await forHost(inputs, () => createKey(context(), inputs as unknown as ActivationKeyInputs));
  return { id, outs: outputs };
}

export async function read(id: string, props: PropertyBag): Promise<{ id: string; props: PropertyBag; inputs?: PropertyBag }> {
  const found = await withCode(() => readKey(context(), id, props));
  // An empty id tells the engine the key is gone, so refresh drops it from state.
  if (!found) return { id: "", props: {} };
  return { id: found.id, props: { ...found.outputs }, inputs: found.inputs };
}

export async function update(id: string, olds: PropertyBag, news: PropertyBag): Promise<{ outs: ActivationKeyOutputs }> {
  return { outs: await forHost(news, () => updateKey(context(), id, news as unknown as ActivationKeyInputs, olds)) };
}

export async function remove(id: string, props: PropertyBag = {}): Promise<void> {
  await withCode(() => deleteKey(context(), id, props));
}

/**
 * Reports a write that reached Qualys but did not end in the declared state the way the host
 * records it: `id`, `properties` and `reasons` on the thrown error become ErrorResourceInitFailed
 * (grpcResponseFromError in @pulumi/pulumi/cmd/dynamic-provider). The host hands `properties` to
 * the engine verbatim as the key's outputs: unlike a successful create/update it does not add
 * `__provider`. Without it, refresh and destroy of this key could never load the provider again
 * ("code must be a string"), so copy it from the inputs.
 */
async function forHost<T>(inputs: PropertyBag, write: () => Promise<T>): Promise<T> {
  try {
    return await withCode(write);
  } catch (error) {
    if (!(error instanceof IncompleteWriteError)) throw error;
    const properties = { ...error.outputs, [PROVIDER_PROPERTY]: inputs[PROVIDER_PROPERTY] };
    const reason = withCodeInMessage(error.reason);
    throw Object.assign(reason, { id: error.id, properties, reasons: [reason.message] });
  }
}

/**
 * Runs `operation`, leading the message of a QualysError it throws with the error's code: the host
 * turns a thrown error into gRPC text (grpcResponseFromError in @pulumi/pulumi/cmd/dynamic-provider),
 * and that text is all users see.
 */
async function withCode<T>(operation: () => Promise<T>): Promise<T> {
  try {
    return await operation();
  } catch (error) {
    throw withCodeInMessage(error);
  }
}

function withCodeInMessage<E>(error: E): E {
  if (error instanceof Error) error.message = engineText(error);
  return error;
}
