/**
 * The Pulumi package schema that GetSchema answers: what `pulumi package add` generates the Python,
 * Go and .NET SDKs from, what Pulumi YAML type-checks programs with, and what registry-style docs
 * come from. Every property is built from the one definition of its kind, so the schema cannot
 * disagree with what the provider validates (tests/plugin/schema.test.ts compares them):
 * the resource from activation-key/properties.ts, the functions from activation-key/functions.ts,
 * the provider configuration from subscription/config-properties.ts.
 * Schema format: https://www.pulumi.com/docs/iac/using-pulumi/extending-pulumi/schema/ (facts in
 * docs/pulumi-native-provider.md, "Schema").
 */
import {
  FUNCTION_DESCRIPTIONS,
  FUNCTION_INPUTS,
  FUNCTION_TOKENS,
  KEY_INFO_PROPERTIES,
  KEY_INFO_TYPE_TOKEN,
  KEY_LIST_PROPERTY,
  type FunctionName,
} from "../activation-key/functions";
import { ACTIVATION_KEY_PROPERTIES, INPUT_NAMES, TYPE_TOKENS, isAlwaysSet, type PropertySpec } from "../activation-key/properties";
import { PROVIDER_CONFIG, type ConfigPropertySpec } from "../subscription/config-properties";

/** The package name: the `qualys` of `qualys:index:ActivationKey` and of `pulumi-resource-qualys`. */
const PACKAGE_NAME = "qualys";

/** The GitHub organisation that publishes the package, and its repository (also package.json's). */
const GITHUB_OWNER = "pulumi-qualys";
const REPOSITORY = `https://github.com/${GITHUB_OWNER}/pulumi-qualys`;

/** The schema type of an enumerated property, e.g. `qualys:index:ActivationKeyType` for `type`. */
function enumTypeToken(property: string): string {
  return `${PACKAGE_NAME}:index:ActivationKey${property[0]!.toUpperCase()}${property.slice(1)}`;
}

type SchemaProperty = Record<string, unknown>;

/** One resource or function property in schema form. */
function schemaProperty(name: string, spec: PropertySpec): SchemaProperty {
  const property: SchemaProperty = spec.enum
    ? { $ref: `#/types/${enumTypeToken(name)}` }
    : spec.type === "array"
      ? { type: "array", items: { type: spec.items?.type ?? "string" } }
      : { type: spec.type };
  property.description = spec.description;
  if (typeof spec.default === "string" || typeof spec.default === "boolean") property.default = spec.default;
  if (spec.secret) property.secret = true;
  return property;
}

/** One provider setting in schema form: its environment variable is the fallback SDKs read too. */
function schemaSetting(spec: ConfigPropertySpec): SchemaProperty {
  const property: SchemaProperty = { type: spec.type, description: spec.description, defaultInfo: { environment: [spec.env] } };
  if ("secret" in spec && spec.secret) property.secret = true;
  return property;
}

function properties(specs: Readonly<Record<string, PropertySpec>>, names: readonly string[] = Object.keys(specs)): Record<string, SchemaProperty> {
  return Object.fromEntries(names.map((name) => [name, schemaProperty(name, specs[name]!)]));
}

function alwaysSet(specs: Readonly<Record<string, PropertySpec>>): string[] {
  return Object.keys(specs).filter((name) => isAlwaysSet(specs[name]!));
}

/** The whole schema, for the plugin of `version`. */
export function packageSchema(version: string): Record<string, unknown> {
  const keySpecs: Record<string, PropertySpec> = ACTIVATION_KEY_PROPERTIES;
  const settings: Record<string, ConfigPropertySpec> = PROVIDER_CONFIG;
  const types: Record<string, unknown> = {
    [KEY_INFO_TYPE_TOKEN]: {
      type: "object",
      description: "One activation key as the functions report it.",
      properties: properties(KEY_INFO_PROPERTIES),
      required: alwaysSet(KEY_INFO_PROPERTIES),
    },
  };
  for (const [name, spec] of Object.entries(keySpecs)) {
    if (spec.enum) types[enumTypeToken(name)] = { type: "string", description: spec.description, enum: spec.enum.map((value) => ({ value })) };
  }
  const functions = Object.fromEntries(
    (Object.keys(FUNCTION_TOKENS) as FunctionName[]).map((name) => {
      const outputs =
        name === "getActivationKeys"
          ? { properties: { [KEY_LIST_PROPERTY.name]: { type: "array", items: { $ref: `#/types/${KEY_INFO_TYPE_TOKEN}` }, description: KEY_LIST_PROPERTY.description } }, required: [KEY_LIST_PROPERTY.name] }
          : { properties: properties(KEY_INFO_PROPERTIES), required: alwaysSet(KEY_INFO_PROPERTIES) };
      return [FUNCTION_TOKENS[name], { description: FUNCTION_DESCRIPTIONS[name], inputs: { properties: properties(FUNCTION_INPUTS[name]) }, outputs }];
    }),
  );
  const settingProperties = Object.fromEntries(Object.entries(settings).map(([name, spec]) => [name, schemaSetting(spec)]));
  return {
    name: PACKAGE_NAME,
    displayName: "Qualys",
    version,
    description: "Qualys Cloud Agent activation keys as code: create, adopt, import and drift-check keys of one or several subscriptions.",
    keywords: ["pulumi", "qualys", "category/security", "kind/native"],
    publisher: GITHUB_OWNER,
    homepage: REPOSITORY,
    repository: REPOSITORY,
    license: "Apache-2.0",
    // Where `pulumi plugin install` and `pulumi package add` fetch the archives: the GitHub release
    // of tag v<version>, pulumi-resource-qualys-v<version>-<os>-<arch>.tar.gz (npm run plugin:tarball).
    pluginDownloadURL: `github://api.github.com/${GITHUB_OWNER}`,
    meta: { moduleFormat: "(.*)" },
    config: { variables: settingProperties },
    provider: {
      description: "A Qualys subscription: every key of a provider instance is managed with its API user, limits and caches.",
      inputProperties: settingProperties,
      properties: Object.fromEntries(Object.entries(settingProperties).filter(([name]) => settings[name]!.type === "string")),
    },
    resources: {
      [TYPE_TOKENS.plugin]: {
        description:
          "A Qualys Cloud Agent activation key. Every property updates the key in place; only a change of rotationTrigger replaces it (a rotation: a new activation key, the agents moved to it). " +
          "The id is the Qualys key id, so `pulumi import qualys:index:ActivationKey <name> <id>` takes an existing key over.",
        properties: properties(keySpecs),
        required: alwaysSet(keySpecs),
        inputProperties: properties(keySpecs, INPUT_NAMES),
        requiredInputs: INPUT_NAMES.filter((name) => (keySpecs[name] as PropertySpec).required),
      },
    },
    types,
    functions,
    language: {
      nodejs: { packageName: "@pulumi-qualys/qualys", packageDescription: "Qualys Cloud Agent activation keys (generated from the pulumi-resource-qualys schema).", dependencies: { "@pulumi/pulumi": "^3.0.0" } },
      python: { packageName: "pulumi_qualys", requires: { pulumi: ">=3.0.0,<4.0.0" } },
      go: { importBasePath: "github.com/pulumi-qualys/pulumi-qualys/sdk/go/qualys", generateResourceContainerTypes: true },
      csharp: { rootNamespace: "PulumiQualys", packageReferences: { Pulumi: "3.*" } },
    },
  };
}
