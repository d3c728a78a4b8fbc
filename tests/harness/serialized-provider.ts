/**
 * The `__provider` text exactly as `dynamic.Resource` produces it: it serializes
 * `() => provider` with runtime.serializeFunction and `allowSecrets: true`
 * (@pulumi/pulumi/dynamic/index.js, serializeFunctionMaybeSecret).
 */
import * as pulumi from "@pulumi/pulumi";
import { activationKeyProvider } from "../../provider/dynamic/provider-shim";

export async function serializedProvider(provider: unknown = activationKeyProvider): Promise<string> {
  const serialized = await pulumi.runtime.serializeFunction(() => provider, { allowSecrets: true });
  return serialized.text;
}
