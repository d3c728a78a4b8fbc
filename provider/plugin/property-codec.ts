/**
 * Property bags on the engine's wire (google.protobuf.Struct) and back, for a provider that accepts
 * secrets (Configure/Handshake answer acceptSecrets). Facts (docs/pulumi-native-provider.md, "The
 * protocol"; pulumi/pulumi sdk/go/common/resource/plugin/rpc.go):
 * - a secret arrives as an object `{ [SIG]: SECRET_SIG, value }`; the core works on plain values,
 *   so secrets are unwrapped, and the names of the top-level properties that held one are kept so
 *   that the answer marks the same properties secret again (the engine copies no secret bit for a
 *   provider that accepts secrets: provider_plugin.go, annotateSecrets only runs otherwise);
 * - an unknown value (preview) is the string UNKNOWN_VALUE whatever the property's type, which the
 *   core already understands, so it passes through untouched.
 */
import type { PropertyBag } from "../activation-key/context";
import { Struct, type StructPb } from "../engine/stub-modules";

/** The key that marks a special value (secret, resource reference, asset) in a Struct. */
const SIG = "4dabf18193072939515e22adb298388d";
/** The value of SIG on a secret. */
const SECRET_SIG = "1b47061264138c4ac30d75fd1eb44270";

/** A bag with its secrets unwrapped, and the top-level properties that held one. */
export interface DecodedBag {
  bag: PropertyBag;
  secretNames: Set<string>;
}

/** Plain values from a request's Struct (an absent Struct is an empty bag). */
export function decodeStruct(struct: StructPb.Struct | undefined): DecodedBag {
  const secretNames = new Set<string>();
  const bag: PropertyBag = {};
  for (const [name, value] of Object.entries(struct?.toJavaScript() ?? {})) {
    bag[name] = unwrap(value, () => secretNames.add(name));
  }
  return { bag, secretNames };
}

/** A Struct for an answer: `secretNames` are wrapped as secrets, undefined values left out. */
export function encodeStruct(bag: PropertyBag, secretNames: Iterable<string> = []): StructPb.Struct {
  const secrets = new Set(secretNames);
  const plain = JSON.parse(JSON.stringify(bag)) as Record<string, unknown>;
  for (const name of secrets) if (plain[name] !== undefined) plain[name] = secretValue(plain[name]);
  return Struct.fromJavaScript(plain as Record<string, never>);
}

/** `value` as a secret on the wire. */
export function secretValue(value: unknown): Record<string, unknown> {
  return { [SIG]: SECRET_SIG, value };
}

function unwrap(value: unknown, sawSecret: () => void): unknown {
  if (Array.isArray(value)) return value.map((item) => unwrap(item, sawSecret));
  if (value === null || typeof value !== "object") return value;
  const object = value as Record<string, unknown>;
  if (object[SIG] === SECRET_SIG) {
    sawSecret();
    return unwrap(object.value, sawSecret);
  }
  return Object.fromEntries(Object.entries(object).map(([key, item]) => [key, unwrap(item, sawSecret)]));
}
