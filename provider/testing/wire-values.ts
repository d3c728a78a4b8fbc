/**
 * Secrets as the engine puts them on the provider wire: an object marked with @pulumi/pulumi's
 * special signature key (`pulumi.runtime.specialSigKey`) holding the secret signature and the value.
 */
import * as pulumi from "@pulumi/pulumi";
import type { Props } from "./fake-engine";

/** A value as the engine sends a secret. */
export function secret(value: unknown): Props {
  return { [pulumi.runtime.specialSigKey]: pulumi.runtime.specialSecretSig, value };
}

/** Whether `value` is a secret on the wire. */
export function isSecret(value: unknown): boolean {
  return typeof value === "object" && value !== null && (value as Props)[pulumi.runtime.specialSigKey] === pulumi.runtime.specialSecretSig;
}

/** The bag with every secret unwrapped (deeply), as a program would see the values. */
export function plain<T>(value: T): T {
  if (Array.isArray(value)) return value.map((item) => plain(item)) as T;
  if (value === null || typeof value !== "object") return value;
  if (isSecret(value)) return plain((value as Props).value) as T;
  return Object.fromEntries(Object.entries(value as Props).map(([key, item]) => [key, plain(item)])) as T;
}
