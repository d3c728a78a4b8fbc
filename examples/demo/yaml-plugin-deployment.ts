/**
 * Runs a Pulumi YAML program of qualys resources (examples/yaml/Pulumi.yaml) through
 * pulumi-resource-qualys the way the engine would, for machines without the Pulumi CLI: for each
 * operation a fresh plugin process per provider (the engine starts one per provider instance),
 * CheckConfig and Configure with the provider's properties, then Check/Diff/Create/Update per key,
 * Read for refresh, Delete for keys no longer declared, with the state kept in memory between
 * operations. It understands what the example uses: `config` with defaults and secrets, explicit
 * `pulumi:providers:qualys` resources, `options.provider`, and `${name}` references to config.
 */
import { readFileSync } from "node:fs";
import { parse } from "yaml";
import { TYPE_TOKENS } from "../../provider/activation-key/properties";
import { plain, PluginProcess, secret, type Props, type RunResult } from "../../provider/testing";

const PROVIDER_TYPE = "pulumi:providers:qualys";
const PROJECT = "qualys-keys-yaml";

interface Declared {
  name: string;
  properties: Props;
  provider: string;
}

interface Deployed {
  id: string;
  inputs: Props;
  outputs: Props;
  provider: string;
}

export class YamlPluginDeployment {
  private readonly state = new Map<string, Deployed>();
  private readonly yaml: {
    config?: Record<string, { default?: unknown; secret?: boolean }>;
    resources?: Record<string, { type: string; properties?: Props; options?: { provider?: string } }>;
    outputs?: Record<string, string>;
  };

  /** @param values the stack's config values for the program's `config` section. */
  constructor(programFile: string, private readonly values: Record<string, string>) {
    this.yaml = parse(readFileSync(programFile, "utf8")) as typeof this.yaml;
  }

  urn(name: string): string {
    return `urn:pulumi:demo::${PROJECT}::${TYPE_TOKENS.plugin}::${name}`;
  }

  /** `pulumi up`: creates, updates and deletes until the subscription matches the program. */
  async up(): Promise<RunResult> {
    const result: RunResult = { steps: [], errors: [] };
    await this.withProviders(async (plugins) => {
      const declared = this.keys();
      for (const key of declared) {
        const plugin = plugins.get(key.provider)!;
        const urn = this.urn(key.name);
        const old = this.state.get(key.name);
        try {
          const checked = await plugin.check(urn, old?.inputs ?? {}, key.properties);
          if (checked.failures.length > 0) throw new Error(checked.failures.map((f) => `${f.property}: ${f.reason}`).join("; "));
          if (!old) {
            const created = await plugin.create(urn, checked.inputs);
            this.state.set(key.name, { id: created.id, inputs: checked.inputs, outputs: created.outputs, provider: key.provider });
            result.steps.push({ urn, op: "create" });
            continue;
          }
          const diff = await plugin.diff(urn, old.id, old.outputs, checked.inputs);
          if (diff.changes === "none") {
            result.steps.push({ urn, op: "same" });
            continue;
          }
          const updated = await plugin.update(urn, old.id, old.outputs, checked.inputs);
          this.state.set(key.name, { ...old, inputs: checked.inputs, outputs: updated.outputs });
          result.steps.push({ urn, op: "update", fields: diff.diffs });
        } catch (error) {
          result.errors.push({ urn, message: error instanceof Error ? error.message : String(error) });
        }
      }
      const names = new Set(declared.map((k) => k.name));
      for (const [name, deployed] of [...this.state]) {
        if (names.has(name)) continue;
        await plugins.get(deployed.provider)!.delete(this.urn(name), deployed.id, deployed.outputs);
        this.state.delete(name);
        result.steps.push({ urn: this.urn(name), op: "delete" });
      }
    });
    return result;
  }

  /** `pulumi refresh` (or `--preview-only`): reads every key and reports each drifted property. */
  async refresh(options: { previewOnly?: boolean } = {}): Promise<RunResult> {
    const result: RunResult = { steps: [], errors: [] };
    await this.withProviders(async (plugins) => {
      for (const [name, deployed] of [...this.state]) {
        const plugin = plugins.get(deployed.provider)!;
        const read = await plugin.read(this.urn(name), deployed.id, deployed.outputs, deployed.inputs);
        if (!read.id) {
          result.steps.push({ urn: this.urn(name), op: "refresh-deleted" });
          if (!options.previewOnly) this.state.delete(name);
          continue;
        }
        // What `pulumi preview --diff` then shows: the declared inputs against the refreshed key.
        const drift = await plugin.diff(this.urn(name), deployed.id, read.outputs, deployed.inputs);
        if (drift.changes === "some") {
          const values = drift.diffs.map((field) => ({ field, declared: plain(deployed.inputs[field]), actual: plain(read.outputs[field]) }));
          result.steps.push({ urn: this.urn(name), op: "refresh-changed", fields: drift.diffs, drift: values });
        }
        if (!options.previewOnly) this.state.set(name, { ...deployed, outputs: read.outputs });
      }
    });
    return result;
  }

  /** `pulumi destroy`. */
  async destroy(): Promise<RunResult> {
    const result: RunResult = { steps: [], errors: [] };
    await this.withProviders(async (plugins) => {
      for (const [name, deployed] of [...this.state]) {
        await plugins.get(deployed.provider)!.delete(this.urn(name), deployed.id, deployed.outputs);
        this.state.delete(name);
        result.steps.push({ urn: this.urn(name), op: "delete" });
      }
    });
    return result;
  }

  /** The program's stack outputs that name a key's property (`${key.property}`), secrets shown as such. */
  outputs(): Record<string, unknown> {
    return Object.fromEntries(
      Object.entries(this.yaml.outputs ?? {}).map(([name, expression]) => {
        const [, key, property] = /^\$\{(\w+)\.(\w+)\}$/.exec(expression) ?? [];
        const deployed = key ? this.state.get(key) : undefined;
        const value = property === "id" ? deployed?.id : deployed?.outputs[property ?? ""];
        return [name, value !== null && typeof value === "object" ? "[secret]" : value];
      }),
    );
  }

  /** Starts one plugin per declared provider, checks and configures it, runs `body`, stops them. */
  private async withProviders(body: (plugins: Map<string, PluginProcess>) => Promise<void>): Promise<void> {
    const plugins = new Map<string, PluginProcess>();
    try {
      for (const [name, resource] of Object.entries(this.yaml.resources ?? {})) {
        if (resource.type !== PROVIDER_TYPE) continue;
        const plugin = await PluginProcess.start();
        plugins.set(name, plugin);
        const checked = await plugin.checkConfig(this.resolve(resource.properties ?? {}));
        if (checked.failures.length > 0) throw new Error(`provider ${name}: ${checked.failures.map((f) => `${f.property}: ${f.reason}`).join("; ")}`);
        await plugin.configure(checked.inputs);
      }
      await body(plugins);
    } finally {
      for (const plugin of plugins.values()) await plugin.close();
    }
  }

  private keys(): Declared[] {
    return Object.entries(this.yaml.resources ?? {})
      .filter(([, resource]) => resource.type === TYPE_TOKENS.plugin)
      .map(([name, resource]) => ({ name, properties: plain(this.resolve(resource.properties ?? {})), provider: /^\$\{(\w+)\}$/.exec(resource.options?.provider ?? "")?.[1] ?? "" }));
  }

  /** Properties with `${config}` references replaced by the config value (a secret stays a secret). */
  private resolve(properties: Props): Props {
    return Object.fromEntries(
      Object.entries(properties).map(([name, value]) => {
        const reference = typeof value === "string" ? /^\$\{(\w+)\}$/.exec(value)?.[1] : undefined;
        if (!reference) return [name, value];
        const declaration = this.yaml.config?.[reference] ?? {};
        const resolved = this.values[reference] ?? declaration.default;
        return [name, declaration.secret ? secret(resolved) : resolved];
      }),
    );
  }
}
