/**
 * Makes the pack's own Configure refuse a configuration its policies cannot use.
 *
 * @pulumi/policy stores whatever Configure sends; the engine validates against the schemas first,
 * but only what a schema can say, and a pack is also configured by other clients (Pulumi Cloud,
 * tests). Left alone, a bad setting would surface at the first Analyze, once per resource. So for
 * the length of PolicyPack's constructor, where @pulumi/policy registers its Analyzer service, the
 * `addService` of the very @grpc/grpc-js copy @pulumi/policy loads wraps the `configure` handler:
 * a configuration with problems is answered INVALID_ARGUMENT, each problem naming the policy and
 * the setting; any other goes on to @pulumi/policy unchanged.
 */
import type * as Grpc from "@grpc/grpc-js";
import type * as AnalyzerPb from "@pulumi/pulumi/proto/analyzer_pb";
import type * as AnalyzerRpc from "@pulumi/pulumi/proto/analyzer_grpc_pb";
import { dirname } from "node:path";

/** What Configure carries, by policy name: its settings (the level is an enum, valid by construction). */
export type ConfigureRequestConfig = Record<string, Record<string, unknown>>;

type Handler = (call: { request: AnalyzerPb.ConfigureAnalyzerRequest }, callback: (error: Partial<Grpc.ServiceError> | null) => void) => void;

/** A module as @pulumi/policy resolves it. */
function fromPolicy<T>(id: string): T {
  const policyDir = dirname(require.resolve("@pulumi/policy/package.json"));
  return require(require.resolve(id, { paths: [policyDir] })) as T;
}

/**
 * Runs `construct` (which creates the PolicyPack) with Configure refusing every configuration for
 * which `problemsOf` returns problems.
 */
export function withConfigureCheck<T>(problemsOf: (config: ConfigureRequestConfig) => string[], construct: () => T): T {
  const grpc = fromPolicy<typeof Grpc>("@grpc/grpc-js");
  const { AnalyzerService } = fromPolicy<typeof AnalyzerRpc>("@pulumi/pulumi/proto/analyzer_grpc_pb");
  const prototype = grpc.Server.prototype as unknown as { addService(service: unknown, implementation: Record<string, unknown>): void };
  const addService = prototype.addService;
  prototype.addService = function (this: unknown, service: unknown, implementation: Record<string, unknown>): void {
    const configure = implementation.configure as Handler | undefined;
    if (service !== AnalyzerService || !configure) return addService.call(this, service, implementation);
    const checked: Handler = (call, callback) => {
      const problems = problemsOf(requestConfig(call.request));
      if (problems.length === 0) return configure(call, callback);
      callback({ code: grpc.status.INVALID_ARGUMENT, details: problems.join("; ") });
    };
    return addService.call(this, service, { ...implementation, configure: checked });
  };
  try {
    return construct();
  } finally {
    prototype.addService = addService;
  }
}

function requestConfig(request: AnalyzerPb.ConfigureAnalyzerRequest): ConfigureRequestConfig {
  const config: ConfigureRequestConfig = {};
  request.getPolicyconfigMap().forEach((policy, name) => (config[name] = (policy.getProperties()?.toJavaScript() ?? {}) as Record<string, unknown>));
  return config;
}
