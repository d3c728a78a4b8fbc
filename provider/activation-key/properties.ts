/**
 * THE definition of an ActivationKey's properties (issue 9: "one definition of the resource's
 * properties feeds the ajv validation, the plugin's schema and the TypeScript types/TSDoc, so
 * they cannot disagree"). From this table come:
 * - the JSON Schema that `check` validates inputs with (input-schema.ts);
 * - the plugin's Pulumi package schema (provider/plugin), descriptions included;
 * - the TypeScript types of the core (below) and the generated `ActivationKeyArgs` /
 *   `ActivationKeyState` of the dynamic resource, TSDoc included (provider/dynamic, checked by a
 *   test that regenerates them).
 *
 * Types and limits follow the XSD `ca/agentactkey.xsd` (ids xs:long, flags xs:boolean, `type`
 * the ActivationKeyType enumeration) and docs/qualys-api.md ("Fields and their
 * behaviour"). Everything `read` and `delete` need is in the outputs
 * (docs/pulumi-dynamic-providers.md, rule 4), because they run with state alone.
 */
import { ACTIVATION_KEY_TYPES } from "../qualys/types";
import { XML_ILLEGAL_CHARACTERS } from "../qualys/wire/xml-text";

/** `YYYY-MM-DD` or `YYYY-MM-DDTHH:MM:SS[.sss]Z` (UTC, as the API documents expireDate). */
export const EXPIRE_DATE_PATTERN = "^\\d{4}-\\d{2}-\\d{2}(T\\d{2}:\\d{2}:\\d{2}(\\.\\d{1,3})?Z)?$";

/**
 * The largest integer an input may hold: 2^53 − 1. The XSD makes every id and count an xs:long,
 * but a JSON/JavaScript number holds integers exactly only up to here, and the client refuses to
 * parse anything larger (parse-service-response.ts `integer`): a key created with a larger value could never be
 * read back or adopted (issue 11). Infinity and 1e300 are refused by the same limit.
 */
export const MAX_EXACT_INTEGER = Number.MAX_SAFE_INTEGER;

/** Text XML can carry (xml-text.ts): what is not, no request can send. */
const XML_TEXT_PATTERN = `^[^${XML_ILLEGAL_CHARACTERS}]*$`;

/** License names such as VM_LICENSE; the list grows (MTG 2024), so the pattern is not an enum. */
export const LICENSE_NAME_PATTERN = "^\\s*[A-Za-z][A-Za-z0-9_]*\\s*$";

/** The element type of a list property. */
interface ItemSpec {
  type: "string" | "integer";
  minimum?: number;
  maximum?: number;
  pattern?: string;
}

/** One property: its JSON type and limits, and the text users read in docs and editors. */
export interface PropertySpec {
  type: "string" | "integer" | "boolean" | "array";
  /** Shown in the plugin schema (registry docs, generated SDKs) and as TSDoc. */
  description: string;
  /** `input`: declared by programs and stored as an output too; `output`: read-only. */
  role: "input" | "output";
  /** The program must declare it. */
  required?: boolean;
  /** The value `check` fills in when the program leaves it out. */
  default?: string | boolean | readonly never[];
  /** An output Qualys returns for every key (so the types and the schema promise a value). */
  alwaysPresent?: boolean;
  /** Stored and shown as a Pulumi secret. */
  secret?: boolean;
  /** Ours alone, never a Qualys field (an action flag, a provider option): absent from what the functions report. */
  providerOnly?: boolean;
  enum?: readonly string[];
  items?: ItemSpec;
  minimum?: number;
  maximum?: number;
  minLength?: number;
  maxLength?: number;
  pattern?: string;
}

export const ACTIVATION_KEY_PROPERTIES = {
  title: {
    type: "string",
    role: "input",
    required: true,
    // Lengths count the trimmed title: check trims it, as Qualys does (normalize.ts).
    minLength: 1,
    maxLength: 256,
    pattern: XML_TEXT_PATTERN,
    description:
      "Unique title of the key in the subscription (Qualys refuses a duplicate). Updated in place. Leading and trailing " +
      "whitespace is dropped, as Qualys drops it; control characters XML cannot carry are refused.",
  },
  type: {
    type: "string",
    role: "input",
    enum: ACTIVATION_KEY_TYPES,
    default: "UNLIMITED",
    description: "`UNLIMITED` (default), `COUNT_LIMITED`, `TIME_LIMITED` or `COUNT_TIME_LIMITED`, in any case (stored upper case).",
  },
  countPurchased: {
    type: "integer",
    role: "input",
    minimum: 1,
    maximum: MAX_EXACT_INTEGER,
    description: "Agents the key may activate; required by `COUNT_*` types (at least 1), refused by the others.",
  },
  expireDate: {
    type: "string",
    role: "input",
    pattern: EXPIRE_DATE_PATTERN,
    description:
      "UTC expiry, `YYYY-MM-DD` or `YYYY-MM-DDTHH:MM:SSZ`, in the future when set or changed; required by `TIME_*` types, " +
      "refused by the others. Once the deployed date passes, the key only earns a warning.",
  },
  ownerId: {
    type: "integer",
    role: "input",
    minimum: 1,
    maximum: MAX_EXACT_INTEGER,
    description: "Qualys user id that receives the remediation tickets of this key's agents. Unmanaged when omitted.",
  },
  modules: {
    type: "array",
    role: "input",
    items: { type: "string", pattern: LICENSE_NAME_PATTERN },
    default: [],
    description:
      "Licensed modules, e.g. `VM_LICENSE`, `PC_LICENSE`; order and case do not matter. Unknown names are sent with a warning; " +
      "modules the subscription does not license fail the write (`QUALYS_MODULES_NOT_LICENSED`).",
  },
  tagIds: {
    type: "array",
    role: "input",
    items: { type: "integer", minimum: 1, maximum: MAX_EXACT_INTEGER },
    default: [],
    description: "Ids of static tags to apply to the key's agents; order does not matter.",
  },
  networkId: {
    type: "integer",
    role: "input",
    minimum: 0,
    maximum: MAX_EXACT_INTEGER,
    description: "Network id (0 = the default network). Unmanaged when omitted.",
  },
  isDisabled: {
    type: "boolean",
    role: "input",
    default: false,
    description: "Disable the key: no new agent can activate with it. Default false.",
  },
  applyOnAgents: {
    type: "boolean",
    role: "input",
    providerOnly: true,
    default: false,
    description: "Action flag: also push this key's tags, licenses and limits to agents already installed with it. Default false.",
  },
  suspendSelfPatch: {
    type: "boolean",
    role: "input",
    default: false,
    description: "Suspend self-patching of agents activated with this key. Default false.",
  },
  adopt: {
    type: "boolean",
    role: "input",
    providerOnly: true,
    default: false,
    description:
      "Take over an existing key with the same title on create, then update it to this declaration, instead of failing on " +
      "the duplicate title. Default false.",
  },
  successorKeyId: {
    type: "integer",
    role: "input",
    providerOnly: true,
    minimum: 1,
    maximum: MAX_EXACT_INTEGER,
    description:
      "Id of the key that takes over this key's agents when this key is deleted (removed from the program, or `pulumi destroy`): " +
      "the agents are moved there (Qualys' Change Activation Key), then this key is deleted. Another key's `id` output (which also " +
      "makes the engine delete this key first) or a literal id, from this stack or another. Changing it alone calls no Qualys API. " +
      "Without it, deleting a key that agents still use fails with QUALYS_KEY_IN_USE.",
  },
  rotationTrigger: {
    type: "string",
    role: "input",
    providerOnly: true,
    minLength: 1,
    maxLength: 100,
    pattern: XML_TEXT_PATTERN,
    description:
      "Any text; changing it rotates the key: a new key with a new `activationKey` is created under the same title (the old one " +
      "is renamed `<title> (rotated out, key <id>)` first, and keeps working meanwhile), the old key's agents are moved to it, " +
      "then the old key is deleted, in one `pulumi up`. Setting it for the first time, or removing it, rotates nothing. Change " +
      "it in a run that keeps the title.",
  },
  activationKey: {
    alwaysPresent: true,
    type: "string",
    role: "output",
    secret: true,
    description: "The enrolment secret agents install with. A Pulumi secret.",
  },
  status: {
    alwaysPresent: true,
    type: "string",
    role: "output",
    description: "`ACTIVE` or `INACTIVE`, as Qualys reports it.",
  },
  countUsed: {
    alwaysPresent: true,
    type: "integer",
    role: "output",
    description: "Agents activated with the key so far.",
  },
  datePurchased: {
    alwaysPresent: true,
    type: "string",
    role: "output",
    description: "When the key was created (ISO 8601, UTC).",
  },
  dateLastUsed: {
    type: "string",
    role: "output",
    description: "When an agent last activated with the key (ISO 8601, UTC); absent if never.",
  },
  expired: {
    type: "boolean",
    role: "output",
    description: "Whether the key's expireDate has passed (no new agent can activate with it), as of its last read; set for `TIME_*` types.",
  },
} as const satisfies Record<string, PropertySpec>;

type Specs = typeof ACTIVATION_KEY_PROPERTIES;
export type PropertyName = keyof Specs;

/** The TypeScript type of one property's value. */
export type ValueOf<S> = S extends { enum: readonly (infer E)[] }
  ? E
  : S extends { type: "string" }
    ? string
    : S extends { type: "integer" }
      ? number
      : S extends { type: "boolean" }
        ? boolean
        : S extends { type: "array"; items: { type: "string" } }
          ? string[]
          : S extends { type: "array"; items: { type: "integer" } }
            ? number[]
            : never;

type InputName = { [K in PropertyName]: Specs[K]["role"] extends "input" ? K : never }[PropertyName];
type OutputOnlyName = Exclude<PropertyName, InputName>;
/** Inputs that always have a value after `check`: required, or filled with a default. */
type SettledName = { [K in InputName]: Specs[K] extends { required: true } | { default: unknown } ? K : never }[InputName];

/** Checked inputs, as `check` returns them (defaults filled in, modules sorted, dates full ISO). */
export type ActivationKeyInputs = { [K in SettledName]: ValueOf<Specs[K]> } & { [K in Exclude<InputName, SettledName>]?: ValueOf<Specs[K]> };

/** What the server holds: the comparable subset of the inputs plus the read-only fields. */
export type ActivationKeyOutputs = ActivationKeyInputs & { [K in OutputOnlyName]?: ValueOf<Specs[K]> };

/** Names of the input properties, in table order. */
export const INPUT_NAMES = (Object.keys(ACTIVATION_KEY_PROPERTIES) as PropertyName[]).filter(
  (name) => ACTIVATION_KEY_PROPERTIES[name].role === "input",
) as InputName[];

/** Whether a property always has a value once checked or read: required, defaulted or always reported. */
export function isAlwaysSet(spec: PropertySpec): boolean {
  return spec.required === true || spec.default !== undefined || spec.alwaysPresent === true;
}

/** Names of the properties that always have a value in state: settled inputs and always-present outputs. */
export const ALWAYS_SET_NAMES = (Object.keys(ACTIVATION_KEY_PROPERTIES) as PropertyName[]).filter((name) => isAlwaysSet(ACTIVATION_KEY_PROPERTIES[name]));

/** Fields a user declares and Qualys stores, in the order they are compared and reported. */
export const DECLARED_FIELDS = [
  "title",
  "type",
  "countPurchased",
  "expireDate",
  "ownerId",
  "modules",
  "tagIds",
  "networkId",
  "isDisabled",
  "suspendSelfPatch",
] as const satisfies readonly InputName[];

export type DeclaredField = (typeof DECLARED_FIELDS)[number];

/**
 * Outputs stored and shown as Pulumi secrets (the enrolment secret): every adapter marks these,
 * the dynamic resource through additionalSecretOutputs, the plugin on the wire and in its schema.
 */
export const SECRET_OUTPUTS: readonly string[] = (Object.keys(ACTIVATION_KEY_PROPERTIES) as PropertyName[]).filter(
  (name) => (ACTIVATION_KEY_PROPERTIES[name] as PropertySpec).secret === true,
);

/**
 * The resource's type token at each front door: the dynamic resource (dynamic.Resource with module
 * "qualys" and type "ActivationKey") and the plugin's schema.
 */
export const TYPE_TOKENS = {
  dynamic: "pulumi-nodejs:dynamic/qualys:ActivationKey",
  plugin: "qualys:index:ActivationKey",
} as const;

/** The string the engine sends for a value not known during preview. */
export const UNKNOWN_VALUE = "04da6b54-80e4-46f7-96ec-b56ff0331ba9";
