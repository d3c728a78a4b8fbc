import { strict as assert } from "node:assert";
import * as pulumi from "@pulumi/pulumi";
import * as qualys from "../../provider";
import { ProgramUnderMocks } from "pulumi-qualys/testing";
import { startTestStack, type TestStack } from "../harness/test-stack";

/**
 * A misspelled stack setting (`qualys:maxWaitSecs`) used to be ignored in silence by the dynamic
 * resource: the program now warns at preview, naming the closest setting, once per name.
 */
describe("dynamic resource: an unknown qualys: stack setting is warned about at preview", function () {
  this.timeout(60_000);
  let stack: TestStack;
  const savedConfig = pulumi.runtime.allConfig();
  const savedWarn = console.warn;
  afterEach(async () => {
    console.warn = savedWarn;
    pulumi.runtime.setAllConfig(savedConfig);
    await stack?.close();
  });

  it("names the setting and the closest known one, once however many keys, and says nothing of known settings", async () => {
    stack = await startTestStack();
    pulumi.runtime.setAllConfig({ ...savedConfig, "qualys:maxWaitSecs": "10", "qualys:maxWaitSec": "10", "other:maxWaitSecs": "1" });
    const warnings: string[] = [];
    // Under the mocks there is no engine, so pulumi.log.warn writes to console.warn.
    console.warn = (...args: unknown[]) => void warnings.push(args.join(" "));
    const program = new ProgramUnderMocks(stack.newHost, () => {
      new qualys.ActivationKey("a", { title: "a" });
      new qualys.ActivationKey("b", { title: "b" });
      return {};
    });
    await program.preview();
    assert.deepEqual(
      warnings.filter((w) => w.includes("qualys")).map((w) => w.split(" (settings")[0]),
      ["warning: [runtime] qualys:maxWaitSecs (did you mean qualys:maxWaitSec?) is not a setting of the qualys provider and is ignored"],
    );
  });
});
