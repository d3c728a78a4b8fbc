/**
 * The `__provider` text exactly as `dynamic.Resource` produces it: it serializes
 * `() => provider` with runtime.serializeFunction and `allowSecrets: true`
 * (@pulumi/pulumi/dynamic/index.js, serializeFunctionMaybeSecret). The provider is captured as a
 * value, as the resource captures it: a lambda reading it off this module's import would capture
 * the whole module instead, which the serializer writes as a `require()` of its file — a path
 * the package's `exports` refuses once the package is installed (docs/pulumi-dynamic-providers.md,
 * "Serialization: the trap").
 */
import * as pulumi from "@pulumi/pulumi";
import { activationKeyProvider } from "../dynamic/provider-shim";

export async function serializedProvider(provider: unknown = activationKeyProvider): Promise<string> {
  const serialized = await pulumi.runtime.serializeFunction(() => provider, { allowSecrets: true });
  return serialized.text;
}
