/**
 * Runs a real Pulumi program under `pulumi.runtime.setMocks`, forwarding every dynamic resource to
 * the real dynamic-provider host over gRPC, and keeps a JSON state between runs. It plays the
 * engine's part of `pulumi preview`, `pulumi up`, `pulumi refresh` and `pulumi destroy` closely
 * enough to prove what a user would see: check → diff → create/update, deletes of resources no
 * longer declared, refresh through `read`, and the number of provider calls.
 *
 * Mocks are process-wide (`setMocks`): run one operation at a time.
 */
import * as pulumi from "@pulumi/pulumi";
import type { FieldDrift } from "../activation-key/drift";
import type { DynamicProviderHost } from "./dynamic-provider-host";
import { HostCallError, type Props } from "./fake-engine";
import { secret } from "./wire-values";

/** One resource in the harness's state, as the engine would keep it. */
export interface StateEntry {
  urn: string;
  /** The resource type token, e.g. `pulumi-nodejs:dynamic/qualys:ActivationKey`. */
  type: string;
  /** The provider's id (for an ActivationKey, the Qualys key id). */
  id: string;
  /** The checked inputs of the last up. */
  inputs: Props;
  /** The outputs of the last up or refresh. */
  outputs: Props;
}

/** What an operation did to one resource. */
export interface Step {
  urn: string;
  op: "create" | "update" | "same" | "delete" | "read" | "refresh-changed" | "refresh-deleted";
  /** For update and refresh-changed: the fields that differ. */
  fields?: string[];
  /**
   * For refresh-changed: each changed field with its value in state (`declared`: what the last up
   * wrote) and in Qualys (`actual`). Print them with `describeFieldDrift`.
   */
  drift?: FieldDrift[];
}

/** The outcome of one operation. */
export interface RunResult {
  /** One step per resource touched, in the order the operation reached them. */
  steps: Step[];
  /** Errors the provider reported, per resource (the operation also rejects with the first). */
  errors: { urn: string; message: string }[];
}

/**
 * A program: the absolute path of its module (compiled JavaScript, or TypeScript when the test
 * runner registers a TypeScript loader such as ts-node or tsx), or a function that declares
 * resources and returns the stack outputs.
 */
export type Program = string | (() => Record<string, unknown>);

const PROJECT = "pulumi-qualys-demo";
const STACK = "test";

/** A program and its state, with the engine's operations on them. */
export class ProgramUnderMocks {
  /** The state, by URN: what `pulumi stack export` would hold. */
  state = new Map<string, StateEntry>();
  /** additionalSecretOutputs each resource was registered (or read) with, by resource name. */
  readonly secretOutputs = new Map<string, string[]>();
  /** The stack outputs (module exports) of the last run of the program. */
  exports: Record<string, unknown> = {};

  private host!: DynamicProviderHost;

  constructor(
    /**
     * Starts a configured host. Like the engine, every operation gets a fresh provider process, so
     * per-process caches live for one operation only.
     */
    private readonly startHost: () => Promise<DynamicProviderHost>,
    /** The program to run on every operation. */
    private readonly program: Program,
  ) {}

  /** `pulumi up`: runs the program, creating/updating what it declares and deleting what it dropped. */
  up(): Promise<RunResult> {
    return this.inFreshHost(() => this.runUp());
  }

  /**
   * `pulumi preview`: runs the program as a preview (check, then diff for keys in state) and
   * reports the plan — create, update, same, delete — without creating, updating or deleting
   * anything, and without changing the state.
   */
  preview(): Promise<RunResult> {
    return this.inFreshHost(() => this.runPreview());
  }

  /**
   * `pulumi refresh`: reads every resource in state and records what changed. With
   * `previewOnly` (`pulumi refresh --preview-only`, the drift job) the state is left as it was.
   */
  refresh(options: { previewOnly?: boolean } = {}): Promise<RunResult> {
    return this.inFreshHost(() => this.runRefresh(options.previewOnly === true));
  }

  /** `pulumi destroy`. */
  destroy(): Promise<RunResult> {
    return this.inFreshHost(() => this.runDestroy());
  }

  private async inFreshHost(operation: () => Promise<RunResult>): Promise<RunResult> {
    this.host = await this.startHost();
    try {
      return await operation();
    } finally {
      await this.host.close();
    }
  }

  private async runUp(): Promise<RunResult> {
    const result: RunResult = { steps: [], errors: [] };
    const seen = new Set<string>();
    await this.runProgram(async (args) => {
      const answer = await this.upOne(args, seen, result);
      return isDynamic(args.inputs) ? { id: answer.id, state: this.markSecrets(args.name, answer.state) } : answer;
    });
    for (const [urn, entry] of [...this.state]) {
      if (seen.has(urn)) continue;
      await this.host.delete(urn, entry.id, entry.outputs);
      this.state.delete(urn);
      result.steps.push({ urn, op: "delete" });
    }
    return result;
  }

  /** One registration during `up`: check → diff → create/update, or read for `Resource.get`. */
  private async upOne(args: pulumi.runtime.MockResourceArgs, seen: Set<string>, result: RunResult): Promise<{ id: string; state: Props }> {
    const urn = urnOf(args.type, args.name);
    seen.add(urn);
    if (!isDynamic(args.inputs)) return { id: `${args.name}-id`, state: args.inputs };
    try {
      if (args.id) {
        const read = await this.host.read(urn, args.id, args.inputs);
        result.steps.push({ urn, op: "read" });
        return { id: read.id, state: read.outputs };
      }
      const old = this.state.get(urn);
      const checked = await this.host.check(urn, old?.inputs ?? {}, args.inputs);
      if (checked.failures.length > 0) throw new Error(checked.failures.map((f) => `${f.property}: ${f.reason}`).join("; "));
      if (!old) {
        const created = await this.host.create(urn, checked.inputs);
        this.state.set(urn, { urn, type: args.type, id: created.id, inputs: checked.inputs, outputs: created.outputs });
        result.steps.push({ urn, op: "create" });
        return { id: created.id, state: created.outputs };
      }
      const diff = await this.host.diff(urn, old.id, old.outputs, checked.inputs);
      if (diff.changes === "none") {
        old.inputs = checked.inputs;
        result.steps.push({ urn, op: "same" });
        return { id: old.id, state: old.outputs };
      }
      const updated = await this.host.update(urn, old.id, old.outputs, checked.inputs);
      result.steps.push({ urn, op: "update", fields: changedOutputFields(old.outputs, updated.outputs) });
      Object.assign(old, { inputs: checked.inputs, outputs: updated.outputs });
      return { id: old.id, state: updated.outputs };
    } catch (error) {
      if (error instanceof HostCallError && error.initFailedId) {
        // ErrorResourceInitFailed: the engine keeps the resource, storing the error's properties
        // verbatim as its outputs (a failed create is recorded, a failed update overwritten).
        const entry = this.state.get(urn) ?? { urn, type: args.type, id: error.initFailedId, inputs: args.inputs, outputs: {} };
        entry.outputs = error.initFailedProperties ?? {};
        this.state.set(urn, entry);
      }
      result.errors.push({ urn, message: error instanceof Error ? error.message : String(error) });
      throw error;
    }
  }

  /**
   * The engine marks a resource's additionalSecretOutputs secret in what it returns to the program
   * (the dynamic-provider host itself answers acceptSecrets=false): same here, in the wire form.
   */
  private markSecrets(name: string, state: Props): Props {
    const marked = { ...state };
    for (const field of this.secretOutputs.get(name) ?? []) {
      if (marked[field] !== undefined) marked[field] = secret(marked[field]);
    }
    return marked;
  }

  private async runPreview(): Promise<RunResult> {
    const result: RunResult = { steps: [], errors: [] };
    const seen = new Set<string>();
    await this.runProgram(async (args) => {
      const urn = urnOf(args.type, args.name);
      seen.add(urn);
      if (!isDynamic(args.inputs)) return { id: `${args.name}-id`, state: args.inputs };
      if (args.id) {
        // The engine reads a Resource.get key during preview too.
        const read = await this.host.read(urn, args.id, args.inputs);
        result.steps.push({ urn, op: "read" });
        return { id: read.id, state: this.markSecrets(args.name, read.outputs) };
      }
      const old = this.state.get(urn);
      const checked = await this.host.check(urn, old?.inputs ?? {}, args.inputs);
      if (checked.failures.length > 0) throw new Error(checked.failures.map((f) => `${f.property}: ${f.reason}`).join("; "));
      if (!old) {
        // A planned create: the engine previews it with the checked inputs and no id.
        result.steps.push({ urn, op: "create" });
        return { id: undefined, state: checked.inputs };
      }
      const diff = await this.host.diff(urn, old.id, old.outputs, checked.inputs);
      result.steps.push({ urn, op: diff.changes === "none" ? "same" : "update" });
      return { id: old.id, state: this.markSecrets(args.name, old.outputs) };
    }, true);
    for (const urn of this.state.keys()) if (!seen.has(urn)) result.steps.push({ urn, op: "delete" });
    return result;
  }

  private async runRefresh(previewOnly: boolean): Promise<RunResult> {
    const result: RunResult = { steps: [], errors: [] };
    await Promise.all(
      [...this.state.values()].map(async (entry) => {
        const read = await this.host.read(entry.urn, entry.id, entry.outputs);
        if (read.id === "") {
          if (!previewOnly) this.state.delete(entry.urn);
          result.steps.push({ urn: entry.urn, op: "refresh-deleted" });
          return;
        }
        const fields = changedOutputFields(entry.outputs, read.outputs);
        const drift = fields.map((field) => ({ field, declared: entry.outputs[field], actual: read.outputs[field] }));
        result.steps.push(fields.length > 0 ? { urn: entry.urn, op: "refresh-changed", fields, drift } : { urn: entry.urn, op: "same" });
        if (previewOnly) return;
        entry.outputs = read.outputs;
        if (read.inputs) entry.inputs = read.inputs;
      }),
    );
    return result;
  }

  private async runDestroy(): Promise<RunResult> {
    const result: RunResult = { steps: [], errors: [] };
    for (const entry of [...this.state.values()].reverse()) {
      await this.host.delete(entry.urn, entry.id, entry.outputs);
      this.state.delete(entry.urn);
      result.steps.push({ urn: entry.urn, op: "delete" });
    }
    return result;
  }

  /**
   * Runs the program once under fresh mocks (as a preview or not) and resolves when every
   * registration has been answered. Only documented @pulumi/pulumi mechanisms (the "Unit testing"
   * guide and the API reference): `setMocks` with a `Mocks` whose `newResource` does the work, the
   * program inside `runInPulumiStack` as the language host runs it (its exports become the stack's
   * outputs, which settle when the resources they come from do), and `disconnect`, which waits for
   * the SDK's queue of pending resource RPCs to drain: the registrations no export depends on.
   */
  private async runProgram(newResource: (args: pulumi.runtime.MockResourceArgs) => Promise<pulumi.runtime.MockResourceResult>, preview = false): Promise<void> {
    const failures: unknown[] = [];
    const mocks: pulumi.runtime.Mocks = {
      newResource: (args) =>
        newResource(args).catch((error: unknown) => {
          failures.push(error);
          throw error;
        }),
      call: (args) => args.inputs as Record<string, unknown>,
    };
    await pulumi.runtime.setMocks(mocks, PROJECT, STACK, preview);
    const program = await pulumi.runtime.runInPulumiStack(async () => {
      pulumi.runtime.registerStackTransformation((args) => this.recordSecretOutputs(args));
      this.exports = this.loadProgram();
      return this.exports;
    }).then(
      () => ({ failed: false, error: undefined as unknown }),
      (error: unknown) => ({ failed: true, error }),
    );
    await pulumi.runtime.disconnect();
    if (failures.length > 0) throw failures[0];
    if (program.failed) throw program.error;
  }

  /** The program's module exports (its stack outputs), from a fresh load of its module. */
  private loadProgram(): Record<string, unknown> {
    if (typeof this.program !== "string") return this.program();
    delete require.cache[this.program];
    return require(this.program) as Record<string, unknown>;
  }

  /**
   * A stack transformation sees every resource with the options the program gave it: records its
   * additionalSecretOutputs, which the engine marks secret (see markSecrets). Changes nothing.
   */
  private recordSecretOutputs(args: pulumi.ResourceTransformationArgs): undefined {
    // A custom resource's options are CustomResourceOptions, where additionalSecretOutputs lives.
    this.secretOutputs.set(args.name, (args.opts as pulumi.CustomResourceOptions).additionalSecretOutputs ?? []);
    return undefined;
  }
}

function urnOf(type: string, name: string): string {
  return `urn:pulumi:${STACK}::${PROJECT}::${type}::${name}`;
}

function isDynamic(inputs: Props): boolean {
  return typeof inputs.__provider === "string";
}

/** Output fields whose values differ, ignoring __provider. */
export function changedOutputFields(before: Props, after: Props): string[] {
  const names = new Set([...Object.keys(before), ...Object.keys(after)]);
  return [...names].filter((n) => n !== "__provider" && JSON.stringify(before[n]) !== JSON.stringify(after[n])).sort();
}
