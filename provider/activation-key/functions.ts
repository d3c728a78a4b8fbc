/**
 * The package's functions (data sources): look a key up by id or by title, or list keys with
 * filters, without managing them. Their inputs and outputs are defined here once: the plugin's
 * schema is built from these tables and Invoke's arguments are validated with them.
 *
 * Reads go through the subscription's bulk reader or one paged search, never one `get` per key
 * (docs/qualys-api.md, "Rate and concurrency limits").
 */
import Ajv from "ajv";
import { QualysNotFoundError } from "../qualys/errors";
import { searchIncludingDisabled } from "../qualys/api/search-including-disabled";
import type { AgentActKey, SearchCriteria } from "../qualys/types";
import type { CheckFailure } from "./check";
import type { LifecycleContext, PropertyBag } from "./context";
import { searchKeyByTitle } from "./create-or-adopt";
import { KEY_ID_PATTERN, parseKeyId } from "./key-id";
import { jsonSchemaOf } from "./input-schema";
import { keyToOutputs, normaliseModules } from "./normalize";
import { ACTIVATION_KEY_PROPERTIES, LICENSE_NAME_PATTERN, type PropertySpec } from "./properties";

/** What every function reports about a key: its Qualys id, then every property Qualys holds. */
export const KEY_INFO_PROPERTIES: Readonly<Record<string, PropertySpec>> = {
  id: { type: "string", role: "output", alwaysPresent: true, description: "The Qualys key id: the id of an ActivationKey resource, and what `pulumi import` takes." },
  ...Object.fromEntries(Object.entries(ACTIVATION_KEY_PROPERTIES as Record<string, PropertySpec>).filter(([, spec]) => !spec.providerOnly)),
};

/** The schema type of one key in a list result. */
export const KEY_INFO_TYPE_TOKEN = "qualys:index:ActivationKeyInfo";

/** The functions, by the token the plugin schema gives them. */
export const FUNCTION_TOKENS = {
  getActivationKey: "qualys:index:getActivationKey",
  getActivationKeys: "qualys:index:getActivationKeys",
} as const;

export type FunctionName = keyof typeof FUNCTION_TOKENS;

/** What each function is for, in the schema. */
export const FUNCTION_DESCRIPTIONS: Readonly<Record<FunctionName, string>> = {
  getActivationKey: "Reads one activation key, by its Qualys id or by its exact title, without managing it.",
  getActivationKeys: "Lists the subscription's activation keys, disabled ones included unless filtered, without managing them.",
};

/** The arguments of each function. */
export const FUNCTION_INPUTS = {
  getActivationKey: {
    id: { type: "string", role: "input", pattern: KEY_ID_PATTERN, description: "The Qualys key id, e.g. \"3617002\". Give id or title." },
    title: { type: "string", role: "input", minLength: 1, description: "The exact title of the key. Give id or title." },
  },
  getActivationKeys: {
    disabled: { type: "boolean", role: "input", description: "Only disabled keys (true) or only enabled keys (false); every key when omitted." },
    titlePrefix: { type: "string", role: "input", description: "Only keys whose title starts with this text (case-sensitive)." },
    module: { type: "string", role: "input", pattern: LICENSE_NAME_PATTERN, description: "Only keys licensed for this module, e.g. `VM_LICENSE` (case does not matter)." },
  },
} as const satisfies Record<FunctionName, Record<string, PropertySpec>>;

/** The one output of getActivationKeys: its keys, each as KEY_INFO_PROPERTIES describes. */
export const KEY_LIST_PROPERTY = { name: "keys", description: "The matching keys, in Qualys order (enabled keys first)." } as const;

interface FunctionOutcome {
  /** The result when the arguments were valid. */
  outputs?: PropertyBag;
  failures: CheckFailure[];
}

const ajv = new Ajv({ allErrors: true, strict: false });
const validators = Object.fromEntries(
  (Object.keys(FUNCTION_INPUTS) as FunctionName[]).map((name) => {
    const specs: Record<string, PropertySpec> = FUNCTION_INPUTS[name];
    const properties = Object.fromEntries(Object.entries(specs).map(([property, spec]) => [property, jsonSchemaOf(spec)]));
    return [name, ajv.compile({ type: "object", properties, additionalProperties: false })];
  }),
) as Record<FunctionName, ReturnType<typeof ajv.compile>>;

/** The function a schema token names, or undefined for a token this package does not have. */
export function functionNamed(token: string): FunctionName | undefined {
  return (Object.keys(FUNCTION_TOKENS) as FunctionName[]).find((name) => FUNCTION_TOKENS[name] === token);
}

/** Validates `args` and runs the function. Qualys errors (a key that does not exist) are thrown. */
export async function invokeFunction(ctx: LifecycleContext, name: FunctionName, args: PropertyBag): Promise<FunctionOutcome> {
  const given = Object.fromEntries(Object.entries(args).filter(([, value]) => value !== undefined && value !== null));
  const failures = argumentFailures(name, given);
  if (failures.length > 0) return { failures };
  const outputs = name === "getActivationKey" ? await getActivationKey(ctx, given) : await getActivationKeys(ctx, given);
  return { outputs, failures: [] };
}

async function getActivationKey(ctx: LifecycleContext, args: PropertyBag): Promise<PropertyBag> {
  if (typeof args.id === "string") {
    const keyId = parseKeyId(args.id, "get");
    const key = await ctx.reader.read(keyId);
    if (!key) throw notFound({ operation: "get", keyId }, "no activation key has this id");
    return keyInfo(key);
  }
  const title = String(args.title);
  const key = await searchKeyByTitle(ctx.api, title);
  if (!key) throw notFound({ operation: "search", title }, "no activation key has this exact title");
  return keyInfo(key);
}

async function getActivationKeys(ctx: LifecycleContext, args: PropertyBag): Promise<PropertyBag> {
  // isDisabled is one of the documented search fields; search hides disabled keys unless asked.
  const keys =
    typeof args.disabled === "boolean"
      ? await ctx.api.searchAll([{ field: "isDisabled", operator: "EQUALS", value: String(args.disabled) } satisfies SearchCriteria])
      : await searchIncludingDisabled(ctx.api);
  const prefix = typeof args.titlePrefix === "string" ? args.titlePrefix : "";
  const module = typeof args.module === "string" ? normaliseModules([args.module])[0] : undefined;
  const matching = keys.filter((key) => (key.title ?? "").startsWith(prefix) && (module === undefined || normaliseModules(key.modules ?? []).includes(module)));
  return { [KEY_LIST_PROPERTY.name]: matching.map(keyInfo) };
}

/** A key as the functions report it: the stored form (normalize.ts), without our own flags. */
function keyInfo(key: AgentActKey): PropertyBag {
  const outputs: PropertyBag = { ...keyToOutputs(key, { applyOnAgents: false, adopt: false }) };
  for (const [name, spec] of Object.entries(ACTIVATION_KEY_PROPERTIES as Record<string, PropertySpec>)) if (spec.providerOnly) delete outputs[name];
  return { id: String(key.id), ...outputs };
}

function notFound(context: { operation: "get" | "search"; keyId?: number; title?: string }, what: string): QualysNotFoundError {
  return new QualysNotFoundError({
    ...context,
    responseCode: "OBJECT_NOT_FOUND",
    errorMessage: `${what} in the subscription, or it is outside the API user's scope`,
    errorResolution: "check the id or title (`qualys-keys list` shows every key), and that the API user's scope covers the key",
  });
}

/** Invalid arguments, one failure per argument, named and with the fix. */
function argumentFailures(name: FunctionName, args: PropertyBag): CheckFailure[] {
  const validate = validators[name];
  const failures: CheckFailure[] = [];
  if (!validate(args)) {
    for (const error of validate.errors ?? []) {
      const property = error.keyword === "additionalProperties" ? String(error.params.additionalProperty) : error.instancePath.split("/")[1] ?? "";
      if (failures.some((f) => f.property === property)) continue;
      const known = Object.keys(FUNCTION_INPUTS[name]).join(", ");
      const reason =
        error.keyword === "additionalProperties"
          ? `${property} is not an argument of ${name}: check the spelling (arguments: ${known}).`
          : `${property} ${error.message ?? "is invalid"}; got ${JSON.stringify(args[property])}.`;
      failures.push({ property, reason });
    }
  }
  if (name === "getActivationKey" && failures.length === 0 && (args.id === undefined) === (args.title === undefined)) {
    failures.push({ property: args.id === undefined ? "id" : "title", reason: "getActivationKey takes exactly one of id or title: give the key's Qualys id, or its exact title." });
  }
  return failures;
}
