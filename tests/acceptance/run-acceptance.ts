/**
 * The acceptance suite (issue 21): one key's whole lifecycle against the subscription the QUALYS_*
 * variables name, through the real dynamic-provider host and the real `pulumi-resource-qualys`
 * plugin, as terraform-provider-aws runs its acceptance tests (`TF_ACC=1`, `make testacc`).
 * `npm run test:acceptance` runs it against a real subscription; `acceptance.test.ts` runs it
 * against the simulator in every `npm test`, so it cannot rot. CONTRIBUTING.md says how to run it.
 *
 * Rules it keeps, because it may run against a production subscription:
 * - it runs only with QUALYS_ACC=1, and otherwise exits 2 saying how to enable it;
 * - it touches only the keys it creates, titled QUALYS_ACC_PREFIX + a run id (+ "-successor"), and refuses to start
 *   (exit 2) while keys with the prefix exist — an earlier run's leftovers, for `qualys-keys sweep`;
 * - it counts every call on the client side, from the QUALYS_RECORD file every process of the run
 *   appends to (the real service has no call counter), and fails once QUALYS_ACC_MAX_CALLS is
 *   passed, checked after each step;
 * - it deletes what it created, after a failure too, and prints the calls made per operation.
 */
import { strict as assert } from "node:assert";
import { existsSync, mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { ACTIVATION_KEY_TYPE, DynamicProviderHost, PLUGIN_URN_PREFIX, PluginProcess, plain, type Props } from "pulumi-qualys/testing";
import { DEFAULT_TEST_PREFIX, hasAgents, keysWithPrefix } from "../../provider/cli/sweep";
import { QualysNotFoundError } from "../../provider/qualys/errors";
import type { RecordedExchange } from "../../provider/qualys/transport/exchange-recorder";
import type { AgentActKeyApi } from "../../provider/qualys/types";
import { resolveProviderSettings } from "../../provider/subscription/resolve-settings";
import { stderrSink } from "../../provider/subscription/subscription-logger";
import { SubscriptionRegistry } from "../../provider/subscription/subscription-registry";
import { serializedProvider } from "../../provider/testing/serialized-provider";
import { SimulatorAgents } from "./simulator-agents";

/** Exit code of a run that refused to start (not enabled, leftovers, bad settings). */
export const REFUSED_EXIT_CODE = 2;
export const DEFAULT_MAX_CALLS = 80;
/** Agents the rotate and retire steps move, when the run is against the simulator. */
const SIMULATED_AGENTS = 3;

/** The repository: the Pulumi project the host loads pulumi-qualys from (node_modules holds a self link). */
const REPO_ROOT = join(__dirname, "../../..");

/** The suite's own settings, from QUALYS_ACC_* (CONTRIBUTING.md lists them). */
interface AcceptanceSettings {
  prefix: string;
  maxCalls: number;
  /** Two licensed modules: the key is created with the first and updated to both. */
  modules: [string, string];
  /** Two user ids for ownerId (create with the first, update to the second); empty = owner not exercised. */
  ownerIds: number[];
  /** Static tag ids for the key; empty = tags not exercised. */
  tagIds: number[];
  /** The QUALYS_RECORD file every process of the run appends to. */
  recordFile: string;
  /** Set only with QUALYS_ACC_SIMULATOR=1: agents are attached to the keys the run rotates and retires. */
  agents?: SimulatorAgents;
}

class Refusal extends Error {}

class BudgetExceeded extends Error {}

function acceptanceSettings(env: NodeJS.ProcessEnv): AcceptanceSettings {
  const numbers = (name: string): number[] => {
    const raw = env[name]?.trim();
    if (!raw) return [];
    const values = raw.split(",").map((v) => Number(v.trim()));
    if (values.some((v) => !Number.isSafeInteger(v) || v <= 0)) throw new Refusal(`${name} must be positive whole numbers separated by commas, got "${raw}".`);
    return values;
  };
  const maxCalls = Number(env.QUALYS_ACC_MAX_CALLS ?? DEFAULT_MAX_CALLS);
  if (!Number.isSafeInteger(maxCalls) || maxCalls < 1) throw new Refusal(`QUALYS_ACC_MAX_CALLS must be a whole number ≥ 1, got "${env.QUALYS_ACC_MAX_CALLS}".`);
  const modules = (env.QUALYS_ACC_MODULES ?? "VM_LICENSE,PC_LICENSE").split(",").map((m) => m.trim()).filter(Boolean);
  if (modules.length !== 2) throw new Refusal(`QUALYS_ACC_MODULES must name two modules the subscription licenses (e.g. VM_LICENSE,PC_LICENSE), got "${env.QUALYS_ACC_MODULES}".`);
  const ownerIds = numbers("QUALYS_ACC_OWNER_IDS");
  if (ownerIds.length !== 0 && ownerIds.length !== 2) throw new Refusal("QUALYS_ACC_OWNER_IDS must name two user ids (create with the first, update to the second), or be unset.");
  const prefix = env.QUALYS_ACC_PREFIX ?? DEFAULT_TEST_PREFIX;
  if (prefix.trim().length < 4) throw new Refusal(`QUALYS_ACC_PREFIX must have at least 4 characters, got "${prefix}": it decides which keys the suite may touch.`);
  return {
    prefix,
    maxCalls,
    modules: [modules[0]!, modules[1]!],
    ownerIds,
    tagIds: numbers("QUALYS_ACC_TAG_IDS"),
    recordFile: env.QUALYS_RECORD || join(mkdtempSync(join(tmpdir(), "qualys-acc-")), "exchanges.jsonl"),
    ...(env.QUALYS_ACC_SIMULATOR === "1" ? { agents: SimulatorAgents.at(env.QUALYS_API_URL) } : {}),
  };
}

/** Counts the run's calls from the QUALYS_RECORD file: the lines appended since the run began. */
class CallCounter {
  private readonly baseline: number;

  constructor(private readonly file: string) {
    this.baseline = this.lines().length;
  }

  private lines(): string[] {
    return existsSync(this.file) ? readFileSync(this.file, "utf8").split("\n").filter(Boolean) : [];
  }

  exchanges(): RecordedExchange[] {
    return this.lines().slice(this.baseline).map((line) => JSON.parse(line) as RecordedExchange);
  }

  total(): number {
    return this.lines().length - this.baseline;
  }

  /** `search 2, create 1, …` in the order first seen. */
  perOperation(): string {
    const counts = new Map<string, number>();
    for (const exchange of this.exchanges()) counts.set(exchange.operation, (counts.get(exchange.operation) ?? 0) + 1);
    return [...counts].map(([operation, n]) => `${operation} ${n}`).join(", ") || "none";
  }
}

/** Runs the suite with `env`; returns the exit code (0 passed, 1 failed, 2 refused). */
export async function runAcceptance(env: NodeJS.ProcessEnv, out: (text: string) => void): Promise<number> {
  if (env.QUALYS_ACC !== "1") {
    out(
      "The acceptance suite calls the Qualys subscription that QUALYS_* names, creating and deleting keys.\n" +
        "It runs only when enabled: QUALYS_ACC=1 npm run test:acceptance (see CONTRIBUTING.md for its cost and settings).\n",
    );
    return REFUSED_EXIT_CODE;
  }
  let acc: AcceptanceSettings;
  let api: AgentActKeyApi;
  try {
    acc = acceptanceSettings(env);
    const settings = resolveProviderSettings(undefined, { ...env, QUALYS_RECORD: acc.recordFile });
    api = new SubscriptionRegistry(stderrSink).contextFor(settings).api;
  } catch (error) {
    out(`refused: ${error instanceof Error ? error.message : String(error)}\n`);
    return REFUSED_EXIT_CODE;
  }
  const calls = new CallCounter(acc.recordFile);
  out(`acceptance suite: prefix "${acc.prefix}", call budget ${acc.maxCalls}, exchanges recorded in ${acc.recordFile}\n`);

  const leftovers = await keysWithPrefix(api, acc.prefix);
  if (leftovers.length > 0) {
    out(
      `refused: ${leftovers.length} key(s) with the prefix "${acc.prefix}" exist (${leftovers.map((k) => `${k.id} ${k.title}${hasAgents(k) ? " (has agents)" : ""}`).join(", ")}).\n` +
        `An earlier run left them; the suite never touches a key it did not create. Remove them with\n` +
        `  npx qualys-keys sweep --prefix ${acc.prefix} --yes\n`,
    );
    return REFUSED_EXIT_CODE;
  }

  const run = new LifecycleRun(acc, api, calls, { ...env, QUALYS_RECORD: acc.recordFile }, out);
  let failure: unknown;
  try {
    await run.steps();
  } catch (error) {
    failure = error;
  } finally {
    await run.cleanUp().catch((error: unknown) => {
      out(`cleanup failed: ${error instanceof Error ? error.message : String(error)}\n  remove what is left with: npx qualys-keys sweep --prefix ${acc.prefix} --yes\n`);
      failure ??= error;
    });
  }
  out(`calls: ${calls.total()} (budget ${acc.maxCalls}): ${calls.perOperation()}\n`);
  if (failure) {
    out(`FAILED: ${failure instanceof Error ? failure.message : String(failure)}\n`);
    return 1;
  }
  out("passed\n");
  return 0;
}

/** One run's key, its provider processes, and the steps over them. */
class LifecycleRun {
  private readonly title: string;
  /** Ids of keys this run created and has not deleted: the only keys cleanup may delete. */
  private readonly created = new Set<number>();
  /** A create was sent and its answer not seen: its key may exist, unknown to `created`. */
  private createPending = false;
  private readonly processes: { close(): Promise<unknown> }[] = [];

  constructor(
    private readonly acc: AcceptanceSettings,
    private readonly api: AgentActKeyApi,
    private readonly calls: CallCounter,
    private readonly env: NodeJS.ProcessEnv,
    private readonly out: (text: string) => void,
  ) {
    this.title = `${acc.prefix}${Date.now().toString(36)}-${process.pid}`;
  }

  /** Runs `body` as the step `name`, printing its calls, and stops the run once the budget is passed. */
  private async step<T>(name: string, body: () => Promise<T>): Promise<T> {
    const before = this.calls.total();
    const result = await body();
    const used = this.calls.total() - before;
    this.out(`ok   ${name} (${used} call${used === 1 ? "" : "s"})\n`);
    if (this.calls.total() > this.acc.maxCalls) {
      throw new BudgetExceeded(`call budget QUALYS_ACC_MAX_CALLS=${this.acc.maxCalls} exceeded: ${this.calls.total()} calls after step "${name}"; stopped`);
    }
    return result;
  }

  private skip(name: string, reason: string): void {
    this.out(`skip ${name}: ${reason}\n`);
  }

  async steps(): Promise<void> {
    const { modules, ownerIds, tagIds } = this.acc;
    const declared = (over: Props): Props => ({
      title: this.title,
      type: "UNLIMITED",
      ...(tagIds.length > 0 ? { tagIds } : {}),
      ...over,
    });
    const owner = (index: number): Props => (ownerIds.length > 0 ? { ownerId: ownerIds[index] } : {});
    const firstInputs = declared({ modules: [modules[0]], ...owner(0) });
    const secondInputs = declared({ modules: [...modules].sort(), ...owner(1) });
    if (ownerIds.length === 0) this.skip("owner", "QUALYS_ACC_OWNER_IDS is not set: the key is created and updated without an owner");

    const providerText = await serializedProvider();
    const urn = `urn:pulumi:acc::pulumi-qualys-acc::${ACTIVATION_KEY_TYPE}::acc-key`;
    // The engine starts a provider process per command; the steps that stand for a new command
    // (a refresh after someone's edit, a refresh after the delete) get a new one, with no cache.
    const newHost = (): Promise<DynamicProviderHost> => this.start(() => DynamicProviderHost.start({ projectDir: REPO_ROOT, env: this.env, config: {} }));
    const host = await newHost();
    const withProvider = (props: Props): Props => ({ ...props, __provider: providerText });

    const created = await this.step("create with owner, modules and tags (dynamic host)", async () => {
      const checked = await host.check(urn, {}, withProvider(firstInputs));
      assert.deepEqual(checked.failures, []);
      const result = await this.creating(() => host.create(urn, checked.inputs));
      assert.deepEqual(result.outputs.modules, [modules[0]], "Qualys kept the module asked for");
      if (ownerIds.length > 0) assert.equal(result.outputs.ownerId, ownerIds[0]);
      if (tagIds.length > 0) assert.deepEqual(result.outputs.tagIds, [...tagIds].sort((a, b) => a - b));
      return { id: result.id, outputs: result.outputs, inputs: checked.inputs };
    });
    const id = Number(created.id);

    await this.step("read", async () => {
      const read = await host.read(urn, created.id, created.outputs);
      assert.equal(read.id, created.id);
      assert.deepEqual(withoutProvider(read.outputs), withoutProvider(created.outputs), "a read right after create shows what create returned");
    });

    await this.step("no-op (same program again: no change, no call)", async () => {
      const before = this.calls.total();
      const again = await host.check(urn, created.inputs, withProvider(firstInputs));
      assert.equal((await host.diff(urn, created.id, created.outputs, again.inputs)).changes, "none");
      assert.equal(this.calls.total() - before, 0, "a program with nothing changed calls Qualys zero times");
    });

    const updated = await this.step("update modules and owner", async () => {
      const checked = await host.check(urn, created.inputs, withProvider(secondInputs));
      assert.equal((await host.diff(urn, created.id, created.outputs, checked.inputs)).changes, "some");
      const result = await host.update(urn, created.id, created.outputs, checked.inputs);
      assert.deepEqual(result.outputs.modules, [...modules].sort());
      if (ownerIds.length > 0) assert.equal(result.outputs.ownerId, ownerIds[1]);
      return { outputs: result.outputs, inputs: checked.inputs };
    });

    await this.step("drift made by a direct API call, then detected", async () => {
      // As if someone removed a module in the Qualys UI.
      await this.api.update(id, { title: this.title, type: "UNLIMITED", modules: [modules[0]], ...owner(1), ...(tagIds.length > 0 ? { tagIds } : {}) });
      const refresh = await newHost();
      const read = await refresh.read(urn, created.id, updated.outputs);
      assert.deepEqual(read.outputs.modules, [modules[0]], "refresh sees the module removed out of band");
      assert.equal((await refresh.diff(urn, created.id, read.outputs, updated.inputs)).changes, "some", "the next preview shows the drift");
    });

    const plugin = await this.start(() => PluginProcess.start({ env: this.env }));
    const pluginUrn = `${PLUGIN_URN_PREFIX}acc-key`;
    const adopted = await this.step("adopt the key by title (plugin)", async () => {
      await plugin.configure({});
      const checked = await plugin.check(pluginUrn, {}, { ...secondInputs, adopt: true });
      assert.deepEqual(checked.failures, []);
      const result = await plugin.create(pluginUrn, checked.inputs);
      assert.equal(result.id, created.id, "adopt takes the existing key over instead of creating another");
      assert.deepEqual(plain(result.outputs).modules, [...modules].sort(), "adopt restores the declared modules");
      assert.equal((await plugin.diff(pluginUrn, result.id, result.outputs, checked.inputs)).changes, "none");
      return { ...result, inputs: checked.inputs };
    });

    const agents = this.acc.agents;
    if (!agents) this.skip("agents", "not against the simulator (QUALYS_ACC_SIMULATOR unset): rotate and retire move zero agents, as a test cannot enrol one");
    const planRotation = async (olds: Props, trigger: string): Promise<Props> => {
      const checked = await plugin.check(pluginUrn, olds, { ...secondInputs, rotationTrigger: trigger });
      assert.deepEqual(checked.failures, []);
      return checked.inputs;
    };
    const rotated = await this.step("rotate: a new rotationTrigger replaces the key create-before-delete, agents moved (plugin)", async () => {
      // Setting the trigger the first time only records it (no call); changing it rotates.
      const recordedInputs = await planRotation(adopted.inputs, "acc-1");
      assert.deepEqual((await plugin.diff(pluginUrn, adopted.id, adopted.outputs, recordedInputs)).replaces, []);
      const recorded = await plugin.update(pluginUrn, adopted.id, adopted.outputs, recordedInputs);
      if (agents) await agents.attach(id, SIMULATED_AGENTS);
      const movedAgents = agents ? await agents.agentIds(id) : [];
      const rotatingInputs = await planRotation(recordedInputs, "acc-2");
      const diff = await plugin.diff(pluginUrn, adopted.id, recorded.outputs, rotatingInputs);
      assert.deepEqual([diff.replaces, diff.deleteBeforeReplace], [["rotationTrigger"], false], "a replacement, create before delete");
      // The engine checks a replacement again without olds, creates the new key, then deletes the old one.
      const replacementInputs = await planRotation({}, "acc-2");
      const result = await this.creating(() => plugin.create(pluginUrn, replacementInputs));
      await plugin.delete(pluginUrn, adopted.id, recorded.outputs);
      this.created.delete(id);
      const keys = await keysWithPrefix(this.api, this.title);
      assert.deepEqual(keys.map((k) => [k.id, k.title]), [[Number(result.id), this.title]], "one key under the title (and no renamed old one): the new key");
      assert.notEqual(keys[0]!.activationKey, plain(adopted.outputs).activationKey, "a new activation key value");
      if (agents) assert.deepEqual(await agents.agentIds(Number(result.id)), movedAgents, "every agent of the old key is on the new one");
      return { ...result, inputs: rotatingInputs, agents: movedAgents };
    });

    const successorUrn = `${PLUGIN_URN_PREFIX}acc-successor`;
    const successor = await this.step("retire: a successor key, then delete with successorKeyId moves the agents (plugin)", async () => {
      const checked = await plugin.check(successorUrn, {}, { title: `${this.title}-successor`, type: "UNLIMITED", modules: [modules[0]] });
      assert.deepEqual(checked.failures, []);
      const next = await this.creating(() => plugin.create(successorUrn, checked.inputs));
      // Naming the successor is a change the engine records, without a call; the delete moves the agents.
      const named = await plugin.check(pluginUrn, rotated.inputs, { ...secondInputs, rotationTrigger: "acc-2", successorKeyId: Number(next.id) });
      assert.deepEqual(named.failures, []);
      const state = await plugin.update(pluginUrn, rotated.id, rotated.outputs, named.inputs);
      await plugin.delete(pluginUrn, rotated.id, state.outputs);
      this.created.delete(Number(rotated.id));
      const keys = await keysWithPrefix(this.api, this.title);
      assert.deepEqual(keys.map((k) => k.id), [Number(next.id)], "the retired key is gone, its successor left");
      if (agents) {
        assert.deepEqual(await agents.agentIds(Number(next.id)), rotated.agents, "its agents are on the successor");
        // The agents leave (uninstalled), so the successor can be deleted as a key nobody uses.
        await agents.detach(Number(next.id));
      }
      return next;
    });

    await this.step("delete (plugin), then refresh drops it (dynamic host)", async () => {
      await plugin.delete(successorUrn, successor.id, successor.outputs);
      this.created.delete(Number(successor.id));
      const gone = await (await newHost()).read(urn, successor.id, updated.outputs);
      assert.equal(gone.id, "", "a refresh of the deleted key drops it from state");
    });
  }

  /** Sends a create whose key cleanup must delete, even if its answer is lost. */
  private async creating<T extends { id: string }>(create: () => Promise<T>): Promise<T> {
    this.createPending = true;
    const result = await create();
    this.created.add(Number(result.id));
    this.createPending = false;
    return result;
  }

  private async start<T extends { close(): Promise<unknown> }>(start: () => Promise<T>): Promise<T> {
    const process = await start();
    this.processes.push(process);
    return process;
  }

  /**
   * Deletes every key this run created and did not delete — only those — and closes the processes.
   * A create whose answer never came may still have made its key: then the keys whose title starts
   * with the run's own title (unique to the run) are looked up (two searches). Against the simulator
   * their agents leave first, since a key in use cannot be deleted.
   */
  async cleanUp(): Promise<void> {
    for (const process of this.processes.splice(0)) await process.close().catch(() => undefined);
    if (this.createPending) {
      for (const key of await keysWithPrefix(this.api, this.title)) if (key.title?.startsWith(this.title)) this.created.add(key.id);
    }
    for (const id of [...this.created]) {
      try {
        await this.acc.agents?.detach(id).catch(() => undefined);
        await this.api.delete(id);
      } catch (error) {
        if (!(error instanceof QualysNotFoundError)) throw error;
      }
      this.created.delete(id);
      this.out(`cleanup: deleted key ${id}\n`);
    }
  }
}

function withoutProvider(outputs: Props): Props {
  const { __provider: _provider, ...rest } = outputs;
  return rest;
}

if (require.main === module) {
  runAcceptance(process.env, (text) => process.stdout.write(text)).then(
    (code) => (process.exitCode = code),
    (error: unknown) => {
      process.stderr.write(`${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
      process.exitCode = 1;
    },
  );
}
