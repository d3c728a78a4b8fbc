import { strict as assert } from "node:assert";
import { activationKeySchema } from "../../provider/activation-key/input-schema";
import { FUNCTION_INPUTS, FUNCTION_TOKENS, KEY_INFO_PROPERTIES, KEY_INFO_TYPE_TOKEN, type FunctionName } from "../../provider/activation-key/functions";
import { ACTIVATION_KEY_PROPERTIES, ALWAYS_SET_NAMES, INPUT_NAMES, TYPE_TOKENS, type PropertySpec } from "../../provider/activation-key/properties";
import { PROVIDER_CONFIG, type ConfigPropertySpec } from "../../provider/subscription/config-properties";
import { PluginProcess } from "pulumi-qualys/testing";

type Json = Record<string, any>;

/**
 * The schema as the engine gets it (GetSchema over gRPC), compared property by property with the
 * definitions the provider validates with, both ways: nothing missing, nothing extra, nothing
 * described differently.
 */
describe("pulumi-resource-qualys schema: exactly the validation definitions", function () {
  this.timeout(30_000);
  let schema: Json;
  before(async () => {
    const plugin = await PluginProcess.start();
    try {
      schema = JSON.parse(await plugin.getSchema()) as Json;
    } finally {
      await plugin.close();
    }
  });

  /** The schema property's value type, following an enum `$ref` to its type. */
  function typeOf(property: Json): { type: string; enum?: string[]; items?: string } {
    if (property.$ref) {
      const type = schema.types[String(property.$ref).replace("#/types/", "")] as Json;
      return { type: type.type, enum: (type.enum as Json[]).map((e) => e.value as string) };
    }
    return property.items ? { type: property.type, items: property.items.type ?? property.items.$ref } : { type: property.type };
  }

  function assertSameProperties(actual: Json, specs: Readonly<Record<string, PropertySpec>>, where: string): void {
    assert.deepEqual(Object.keys(actual).sort(), Object.keys(specs).sort(), `${where}: the same property names`);
    for (const [name, spec] of Object.entries(specs)) {
      const property = actual[name] as Json;
      const expected: { type: string; enum?: string[]; items?: string } = { type: spec.type };
      if (spec.enum) expected.enum = [...spec.enum];
      if (spec.items) expected.items = spec.items.type;
      assert.deepEqual(typeOf(property), expected, `${where}.${name}: type`);
      assert.equal(property.description, spec.description, `${where}.${name}: description`);
      assert.ok(String(property.description).length > 10, `${where}.${name}: described`);
      assert.equal(property.secret === true, spec.secret === true, `${where}.${name}: secret`);
      const primitiveDefault = typeof spec.default === "string" || typeof spec.default === "boolean" ? spec.default : undefined;
      assert.equal(property.default, primitiveDefault, `${where}.${name}: default`);
    }
  }

  it("is a package named qualys with language sections for nodejs, python, go and csharp", () => {
    assert.equal(schema.name, "qualys");
    assert.equal(schema.version, (require("pulumi-qualys/package.json") as { version: string }).version);
    assert.deepEqual(Object.keys(schema.language).sort(), ["csharp", "go", "nodejs", "python"]);
    assert.equal(schema.language.python.packageName, "pulumi_qualys");
    assert.equal(schema.language.nodejs.packageName, "@pulumi-qualys/qualys");
    assert.equal(schema.language.go.importBasePath, "github.com/pulumi-qualys/pulumi-qualys/sdk/go/qualys");
    assert.equal(schema.language.csharp.rootNamespace, "PulumiQualys");
  });

  it("carries what the Pulumi Registry lists and where the CLI downloads the plugin from", () => {
    const pkg = require("pulumi-qualys/package.json") as { license: string; homepage: string; repository: { url: string } };
    const repository = pkg.repository.url.replace(/^git\+/, "").replace(/\.git$/, "");
    assert.deepEqual(
      { displayName: schema.displayName, publisher: schema.publisher, license: schema.license, repository: schema.repository, homepage: schema.homepage },
      { displayName: "Qualys", publisher: "pulumi-qualys", license: pkg.license, repository, homepage: repository },
    );
    assert.match(schema.description, /^Qualys Cloud Agent activation keys/);
    assert.ok(schema.keywords.includes("kind/native"), "kind/native: a provider of its own, not a bridged one");
    assert.ok(schema.keywords.some((k: string) => k.startsWith("category/")), "a registry category");
    // GitHub releases of the publisher: github://api.github.com/<owner> (the release's tag is v<version>).
    assert.equal(schema.pluginDownloadURL, `github://api.github.com/${new URL(repository).pathname.split("/")[1]}`);
  });

  it("the resource: every property of properties.ts, inputs exactly those ajv validates, activationKey secret", () => {
    const resource = schema.resources[TYPE_TOKENS.plugin] as Json;
    assertSameProperties(resource.properties, ACTIVATION_KEY_PROPERTIES, "properties");
    assert.deepEqual([...resource.required].sort(), [...ALWAYS_SET_NAMES].sort());
    const inputs = Object.fromEntries(INPUT_NAMES.map((name) => [name, ACTIVATION_KEY_PROPERTIES[name]]));
    assertSameProperties(resource.inputProperties, inputs, "inputProperties");
    assert.deepEqual(Object.keys(resource.inputProperties).sort(), Object.keys(activationKeySchema.properties).sort(), "the inputs check() accepts");
    for (const [name, rule] of Object.entries(activationKeySchema.properties as Record<string, Json>)) {
      assert.equal(typeOf(resource.inputProperties[name]).type, rule.type, `${name}: the type check() validates`);
    }
    assert.deepEqual(resource.requiredInputs, activationKeySchema.required);
    assert.equal(resource.properties.activationKey.secret, true);
  });

  it("the functions: arguments and results as functions.ts defines them", () => {
    assert.deepEqual(Object.keys(schema.functions).sort(), Object.values(FUNCTION_TOKENS).sort());
    for (const name of Object.keys(FUNCTION_TOKENS) as FunctionName[]) {
      const fn = schema.functions[FUNCTION_TOKENS[name]] as Json;
      assertSameProperties(fn.inputs.properties, FUNCTION_INPUTS[name], `${name}.inputs`);
      assert.ok(String(fn.description).length > 10);
    }
    assertSameProperties(schema.functions[FUNCTION_TOKENS.getActivationKey].outputs.properties, KEY_INFO_PROPERTIES, "getActivationKey.outputs");
    const list = schema.functions[FUNCTION_TOKENS.getActivationKeys].outputs.properties.keys as Json;
    assert.deepEqual(typeOf(list), { type: "array", items: `#/types/${KEY_INFO_TYPE_TOKEN}` });
    assertSameProperties(schema.types[KEY_INFO_TYPE_TOKEN].properties, KEY_INFO_PROPERTIES, "ActivationKeyInfo");
    assert.equal(KEY_INFO_PROPERTIES.adopt, undefined, "our own flags are not key information");
  });

  it("the provider configuration: every setting of config-properties.ts, its QUALYS_* fallback, the password secret", () => {
    for (const [where, variables] of [["config.variables", schema.config.variables], ["provider.inputProperties", schema.provider.inputProperties]] as const) {
      assert.deepEqual(Object.keys(variables).sort(), Object.keys(PROVIDER_CONFIG).sort(), where);
      for (const [name, spec] of Object.entries(PROVIDER_CONFIG as Record<string, ConfigPropertySpec>)) {
        const variable = variables[name] as Json;
        assert.deepEqual(
          { type: variable.type, description: variable.description, env: variable.defaultInfo.environment, secret: variable.secret === true },
          { type: spec.type, description: spec.description, env: [spec.env], secret: spec.secret === true },
          `${where}.${name}`,
        );
      }
    }
    assert.equal(schema.config.variables.password.secret, true);
  });
});
