import { strict as assert } from "node:assert";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { TYPE_TOKENS, UNKNOWN_VALUE } from "../../provider/activation-key/properties";
import { AnalyzerProcess, installExamplePack, type AnalyzedResource, type Analysis, type EnforcementLevel } from "../harness/analyzer-process";
import { secret, type Props } from "../../provider/testing";
import { serializedProvider } from "../../provider/testing/serialized-provider";
import { REPO_ROOT } from "../harness/test-stack";

/**
 * Issue 20: examples/policy-pack driven exactly as the engine drives a policy pack — the pack's
 * program started as `pulumi-analyzer-policy` starts it, its port read from stdout, and every
 * call a real `pulumirpc.Analyzer` request over gRPC. One pack process for the whole file.
 */
const DAY_MS = 24 * 60 * 60 * 1000;
const POLICIES: Record<string, EnforcementLevel> = {
  "qualys-key-owner-required": "advisory",
  "qualys-key-expiry-bounded": "mandatory",
  "qualys-key-modules-allowed": "mandatory",
  "qualys-key-no-unlimited-in-production": "mandatory",
  "qualys-key-title-pattern": "advisory",
  "qualys-key-required-tags": "mandatory",
  "qualys-key-count-limit": "mandatory",
  "qualys-keys-unique-titles": "mandatory",
  "qualys-keys-count-budget": "advisory",
};

/** Settings that make every rule bite (the tag rules require nothing until configured). */
const TAGS = { "qualys-key-required-tags": { properties: { requiredTagIds: [5], teamTagIds: [7, 8] } } };

/** A key that complies with every policy under TAGS, on a production stack. */
const COMPLIANT: Props = {
  title: "linux-servers",
  type: "COUNT_LIMITED",
  countPurchased: 500,
  ownerId: 364812443,
  modules: ["PC_LICENSE", "VM_LICENSE"],
  tagIds: [5, 7],
  isDisabled: false,
  suspendSelfPatch: false,
};

function isoIn(days: number): string {
  return new Date(Date.now() + days * DAY_MS).toISOString().replace(/\.\d{3}Z$/, "Z");
}

/** One broken rule: the policy that must report it, and the change to COMPLIANT that breaks it. */
const BREAKS: { policy: string; change: Props; stack?: string }[] = [
  { policy: "qualys-key-owner-required", change: { ownerId: undefined } },
  { policy: "qualys-key-expiry-bounded", change: { type: "TIME_LIMITED", countPurchased: undefined } },
  { policy: "qualys-key-expiry-bounded", change: { type: "COUNT_TIME_LIMITED", expireDate: isoIn(400) } },
  { policy: "qualys-key-modules-allowed", change: { modules: ["VM_LICENSE", "NOT_A_LICENSE"] } },
  { policy: "qualys-key-no-unlimited-in-production", change: { type: "UNLIMITED", countPurchased: undefined } },
  { policy: "qualys-key-title-pattern", change: { title: "Linux Servers" } },
  { policy: "qualys-key-required-tags", change: { tagIds: [7] } },
  { policy: "qualys-key-required-tags", change: { tagIds: [5] } },
  { policy: "qualys-key-count-limit", change: { countPurchased: 20000 } },
];

/** Keys each policy must pass: the edges of its rule. */
const PASSES: Props[] = [
  { type: "TIME_LIMITED", countPurchased: undefined, expireDate: isoIn(30) },
  { type: "UNLIMITED", countPurchased: undefined }, // on a stack that is not production (below)
  { modules: ["vm_license", " pc_license "] },
  { title: " linux-servers " },
  { tagIds: [8, 5, 99] },
  { countPurchased: 10000 },
];

describe("the policy pack (examples/policy-pack) over the analyzer protocol", function () {
  this.timeout(60_000);
  let pack: { dir: string; dispose(): void };
  let analyzer: AnalyzerProcess;
  let provider: string;

  before(async () => {
    pack = installExamplePack();
    analyzer = await AnalyzerProcess.start({ packDir: pack.dir, stack: "prod" });
    provider = await serializedProvider();
  });
  after(async () => {
    await analyzer?.close();
    pack?.dispose();
  });

  /** A key as the engine sends it for each front door: the dynamic resource's inputs carry `__provider`. */
  function resources(props: Props, name = "key", stack = "prod"): AnalyzedResource[] {
    const bag = Object.fromEntries(Object.entries(props).filter(([, value]) => value !== undefined));
    return [
      { urn: urnOf(stack, TYPE_TOKENS.dynamic, name), type: TYPE_TOKENS.dynamic, properties: { ...bag, __provider: provider } },
      { urn: urnOf(stack, TYPE_TOKENS.plugin, name), type: TYPE_TOKENS.plugin, properties: bag },
    ];
  }

  function urnOf(stack: string, type: string, name: string): string {
    return `urn:pulumi:${stack}::pulumi-qualys-tests::${type}::${name}`;
  }

  /** Analyze for both type tokens; the two answers must agree. */
  async function analyzeBoth(props: Props, stack?: string): Promise<Analysis> {
    const [dynamic, plugin] = await Promise.all(resources(props, "key", stack).map((r) => analyzer.analyze(r)));
    const summary = (a: Analysis): string[] => a.diagnostics.map((d) => `${d.policyName} ${d.enforcementLevel} ${d.message}`);
    assert.deepEqual(summary(dynamic!), summary(plugin!), "both front doors get the same verdicts");
    return dynamic!;
  }

  const verdicts = (analysis: Analysis): string[] => analysis.diagnostics.map((d) => `${d.policyName} ${d.enforcementLevel}`);

  it("GetAnalyzerInfo lists every policy with its description, enforcement level and config schema", async () => {
    const info = await analyzer.getAnalyzerInfo();
    assert.equal(info.name, "qualys-activation-keys");
    assert.equal(info.version, "0.1.0", "the version of the pack's package.json");
    assert.equal(info.supportsConfig, true);
    assert.deepEqual(Object.fromEntries(info.policies.map((p) => [p.name, p.enforcementLevel])), POLICIES);
    for (const policy of info.policies) {
      assert.ok(policy.description.length > 20, `${policy.name} has a description`);
      assert.ok(policy.configSchema, `${policy.name} has a config schema`);
    }
    const schemaOf = (name: string): Props => info.policies.find((p) => p.name === name)!.configSchema!.properties;
    assert.deepEqual(schemaOf("qualys-key-expiry-bounded").maxDays, {
      type: "integer",
      minimum: 1,
      maximum: 36500,
      default: 365,
      description: "The furthest a time-limited key may expire, in days from the analysis.",
    });
    assert.deepEqual((schemaOf("qualys-key-modules-allowed").allowedModules as Props).default, ["VM_LICENSE", "PC_LICENSE", "SCA", "PM", "SA", "FIM", "EDR", "SWCA", "CAPS", "MTG", "GAV"]);
    assert.equal((schemaOf("qualys-key-title-pattern").pattern as Props).type, "string");
    assert.equal((schemaOf("qualys-keys-count-budget").maxTotalCountPurchased as Props).default, 100000);
  });

  it("Configure refuses an invalid configuration, naming the policy and the setting, and accepts a valid one", async () => {
    const refused = async (config: Parameters<AnalyzerProcess["configure"]>[0]): Promise<string> => {
      const error = await analyzer.configure(config).then(
        () => undefined,
        (e: unknown) => e as { details: string; code: number },
      );
      assert.ok(error, `refused: ${JSON.stringify(config)}`);
      assert.equal(error.code, 3, "INVALID_ARGUMENT");
      return error.details;
    };
    assert.equal(await refused({ "qualys-key-expiry-bounded": { properties: { maxDays: 0 } } }), "qualys-key-expiry-bounded: maxDays must be >= 1 (got 0)");
    assert.equal(
      await refused({ "qualys-key-expiry-bounded": { properties: { maxDay: 30 } } }),
      'qualys-key-expiry-bounded: "maxDay" is not one of its settings (maxDays, enforcementLevel)',
    );
    assert.equal(await refused({ "qualys-key-title-pattern": { properties: { pattern: "([a-z" } } }), 'qualys-key-title-pattern: pattern is not a JavaScript regular expression (got "([a-z")');
    assert.equal(await refused({ "qualys-key-required-tags": { properties: { teamTagIds: ["platform"] } } }), 'qualys-key-required-tags: teamTagIds[0] must be integer (got "platform")');
    assert.match(await refused({ "qualys-key-ownr-required": { enforcementLevel: "mandatory" } }), /^"qualys-key-ownr-required" is not a policy of this pack \(policies: qualys-key-owner-required, /);
    await analyzer.configure({ ...TAGS, "qualys-key-expiry-bounded": { enforcementLevel: "mandatory", properties: { maxDays: 90 } } });
    // The GitOps example's --policy-pack-config file, as the engine passes it on.
    const file = JSON.parse(readFileSync(join(REPO_ROOT, "examples/gitops/policy-config.json"), "utf8")) as Record<string, string | Props>;
    await analyzer.configure(
      Object.fromEntries(
        Object.entries(file).map(([name, setting]) => {
          if (typeof setting === "string") return [name, { enforcementLevel: setting as EnforcementLevel }];
          const { enforcementLevel, ...properties } = setting;
          return [name, { enforcementLevel: enforcementLevel as EnforcementLevel | undefined, properties }];
        }),
      ),
    );
  });

  describe("Analyze, for keys of both type tokens", () => {
    beforeEach(() => analyzer.configure(TAGS));

    it("passes a compliant key, and the edges of every rule", async () => {
      assert.deepEqual(verdicts(await analyzeBoth(COMPLIANT)), []);
      for (const change of PASSES) {
        const stack = change.type === "UNLIMITED" ? "dev" : "prod";
        assert.deepEqual(verdicts(await analyzeBoth({ ...COMPLIANT, ...change }, stack)), [], JSON.stringify(change));
      }
    });

    it("reports each broken rule once, from its policy, at its default level", async () => {
      for (const { policy, change } of BREAKS) {
        const analysis = await analyzeBoth({ ...COMPLIANT, ...change });
        assert.deepEqual(verdicts(analysis), [`${policy} ${POLICIES[policy]}`], JSON.stringify(change));
        assert.equal(analysis.diagnostics[0]!.policyPackName, "qualys-activation-keys");
      }
    });

    it("says what is wrong and how to comply, bounds included", async () => {
      const message = async (change: Props): Promise<string> => (await analyzeBoth({ ...COMPLIANT, ...change })).diagnostics[0]!.message;
      assert.match(await message({ ownerId: undefined }), /ownerId is not set: name the Qualys user who owns this key's agents\.$/);
      assert.match(await message({ type: "TIME_LIMITED", expireDate: isoIn(400) }), /expireDate is more than 365 days ahead: a time-limited key must expire within 365 days\.$/);
      assert.match(await message({ type: "UNLIMITED" }), /type UNLIMITED is not allowed on the production stack prod \(productionStacks: .*\): use a COUNT_\* or TIME_\* type\.$/);
      assert.match(await message({ tagIds: [5] }), /tagIds has no team tag: add one of 7, 8 \(teamTagIds\)\.$/);
      assert.match(await message({ countPurchased: 20000 }), /countPurchased is above 10000 agents \(maxCountPurchased\)\.$/);
    });

    it("applies the levels and settings Configure sets", async () => {
      await analyzer.configure({
        ...TAGS,
        "qualys-key-owner-required": { enforcementLevel: "mandatory", properties: { allowedOwnerIds: [1, 2] } },
        "qualys-key-count-limit": { enforcementLevel: "advisory", properties: { maxCountPurchased: 100 } },
        "qualys-key-title-pattern": { enforcementLevel: "disabled" },
      });
      const analysis = await analyzeBoth({ ...COMPLIANT, title: "Not Kebab" });
      assert.deepEqual(verdicts(analysis), ["qualys-key-owner-required mandatory", "qualys-key-count-limit advisory"]);
      assert.match(analysis.diagnostics[0]!.message, /ownerId is not one of the allowed owners \(allowedOwnerIds: 1, 2\)\.$/);
      assert.match(analysis.diagnostics[1]!.message, /countPurchased is above 100 agents/);
    });

    it("does not count a value unknown during preview as a violation", async () => {
      // Each rule's own property unknown: @pulumi/policy stops the policy and says so, advisory.
      for (const { policy, change } of BREAKS) {
        const unknown = Object.fromEntries(Object.entries(change).map(([key, value]) => [key, Array.isArray(value) ? [UNKNOWN_VALUE] : UNKNOWN_VALUE]));
        const analysis = await analyzeBoth({ ...COMPLIANT, ...unknown });
        for (const d of analysis.diagnostics) {
          assert.equal(d.enforcementLevel, "advisory", `${policy}: ${d.message}`);
          assert.match(d.message, /^can't run policy '[a-z-]+' from policy pack 'qualys-activation-keys@v0\.1\.0' during preview: .* can't be known during preview$/);
        }
      }
      // Unknown properties no rule reads stop nothing.
      assert.deepEqual(verdicts(await analyzeBoth({ ...COMPLIANT, networkId: UNKNOWN_VALUE, isDisabled: UNKNOWN_VALUE, activationKey: UNKNOWN_VALUE })), []);
    });

    it("judges secret values but never shows one in a diagnostic", async () => {
      await analyzer.configure({ ...TAGS, "qualys-key-owner-required": { properties: { allowedOwnerIds: [1] } } });
      const answersBefore = analyzer.answers.length;
      const secrets = { title: "Secret Title Q7", ownerId: 918273, modules: ["VM_LICENSE", "SECRETMODULEQ7"], countPurchased: 98765432, tagIds: [5, 7] };
      const analysis = await analyzeBoth({ ...COMPLIANT, ...Object.fromEntries(Object.entries(secrets).map(([k, v]) => [k, secret(v)])), activationKey: secret("ak-0f9e8d7c") });
      assert.deepEqual(verdicts(analysis).sort(), [
        "qualys-key-count-limit mandatory",
        "qualys-key-modules-allowed mandatory",
        "qualys-key-owner-required advisory",
        "qualys-key-title-pattern advisory",
      ]);
      const said = analyzer.answers.slice(answersBefore).join("\n");
      for (const text of ["Secret Title Q7", "918273", "SECRETMODULEQ7", "98765432", "ak-0f9e8d7c"]) assert.ok(!said.includes(text), `${text} is in an answer`);
    });

    it("leaves every resource that is not an activation key alone", async () => {
      const analysis = await analyzer.analyze({ urn: urnOf("prod", "pulumi:providers:qualys", "default"), type: "pulumi:providers:qualys", properties: { title: "Anything At All" } });
      assert.deepEqual(analysis.diagnostics, []);
      assert.deepEqual(analysis.notApplicable.sort(), Object.keys(POLICIES).filter((name) => name.startsWith("qualys-key-")).sort());
    });
  });

  describe("AnalyzeStack", () => {
    beforeEach(() => analyzer.configure({ ...TAGS, "qualys-keys-count-budget": { enforcementLevel: "advisory", properties: { maxTotalCountPurchased: 1000 } } }));

    const stackOf = (keys: [string, Props][]): AnalyzedResource[] =>
      keys.flatMap(([name, props], i) => resources({ ...COMPLIANT, ...props }, name)[i % 2]!).concat([{ urn: urnOf("prod", "pulumi:pulumi:Stack", "s"), type: "pulumi:pulumi:Stack", properties: { title: "linux" } }]);

    it("reports two keys with the same title, compared trimmed and without regard to case, across both type tokens", async () => {
      const resourcesInStack = stackOf([
        ["linux", { title: "linux-servers", countPurchased: 100 }],
        ["linux-again", { title: " LINUX-servers ", countPurchased: 100 }],
        ["windows", { title: "windows-servers", countPurchased: 100 }],
      ]);
      const analysis = await analyzer.analyzeStack(resourcesInStack);
      assert.deepEqual(
        analysis.diagnostics.map((d) => [d.policyName, d.enforcementLevel, d.urn, d.message.split("\n")[1]]),
        [
          ["qualys-keys-unique-titles", "mandatory", resourcesInStack[0]!.urn, "title is the same as the title of linux-again (compared trimmed and without regard to case, as Qualys does)."],
          ["qualys-keys-unique-titles", "mandatory", resourcesInStack[1]!.urn, "title is the same as the title of linux (compared trimmed and without regard to case, as Qualys does)."],
        ],
      );
      assert.ok(resourcesInStack[0]!.type !== resourcesInStack[1]!.type, "the two keys came through different front doors");
    });

    it("reports the stack's total countPurchased over the budget, and nothing within it", async () => {
      const over = await analyzer.analyzeStack(stackOf([["a", { title: "a", countPurchased: 600 }], ["b", { title: "b", countPurchased: 500 }], ["c", { title: "c", type: "UNLIMITED", countPurchased: undefined }]]));
      assert.deepEqual(verdicts(over), ["qualys-keys-count-budget advisory"]);
      assert.match(over.diagnostics[0]!.message, /countPurchased of the stack's 2 count-limited keys adds up to more than 1000 agents \(maxTotalCountPurchased\)\.$/);
      const within = await analyzer.analyzeStack(stackOf([["a", { title: "a", countPurchased: 600 }], ["b", { title: "b", countPurchased: 400 }]]));
      assert.deepEqual(verdicts(within), []);
    });
  });
});
