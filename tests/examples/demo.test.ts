import { strict as assert } from "node:assert";
import { spawnSync } from "node:child_process";
import { dirname, join } from "node:path";
import { REPO_ROOT } from "../harness/test-stack";

/**
 * `npm run demo` as a user runs it (without a `pulumi` CLI on PATH, so the engine-protocol path):
 * issue 10, the drift it reports names each field with its declared and its actual value, for
 * the dynamic resource and for the YAML program served by the plugin alike; issue 20, the policy
 * pack's one advisory finding on the demo's keys.
 */
describe("npm run demo (the engine-protocol path)", function () {
  this.timeout(120_000);

  it("walks examples/basic through its life and shows each drifted field's declared and actual value", () => {
    const run = spawnSync(process.execPath, [join(REPO_ROOT, "dist/examples/demo/run-demo.js")], {
      cwd: REPO_ROOT,
      env: { ...process.env, PATH: dirname(process.execPath) },
      encoding: "utf8",
      timeout: 110_000,
    });
    assert.equal(run.status, 0, run.stderr);
    assert.match(run.stdout, /running examples\/basic through the engine's provider protocol/);
    assert.match(run.stdout, /DRIFT linux-servers ownerId: declared 364812443, actual 999\n/);
    assert.match(run.stdout, /DRIFT linux-servers modules: declared \["PC_LICENSE","VM_LICENSE"\], actual \["VM_LICENSE"\]\n/);
    assert.match(run.stdout, /Keys left in the simulator: 0/);
    // issue 20: examples/policy-pack against the deployed keys, one advisory finding, no API call.
    assert.match(
      run.stdout,
      /\n {4}pulumi policy analyze --policy-pack +advisory qualys-key-owner-required on workstations: ownerId is not set: name the Qualys user who owns this key's agents\.\n {43}API calls: none\n 3\. /,
    );
    // Issue 17: a rotation of a key with agents attached: one key under the title, every agent moved.
    assert.match(run.stdout, /replaced \(rotationTrigger\): key \d+ → \d+, a new activationKey: true\n\s+keys titled web-fleet: 1; agents on the new key: 3; old key left: false/);
    // The second half: the same life for examples/yaml through the plugin, its drift named the same way.
    const yaml = run.stdout.slice(run.stdout.indexOf("through the native plugin pulumi-resource-qualys"));
    assert.match(yaml, /refresh --preview-only \(drift\)\s+DRIFT linuxServers modules: /);
    assert.match(yaml, /DRIFT linuxServers ownerId: declared 364812443, actual 999\n/);
    assert.match(yaml, /DRIFT linuxServers modules: declared \["PC_LICENSE","VM_LICENSE"\], actual \["VM_LICENSE"\]\n/);
    assert.match(yaml, /Keys left in the simulator: 0/);
    const driftedFields = (text: string): string[] => [...text.matchAll(/DRIFT \S+ (\w+):/g)].map((m) => m[1]!);
    const basic = run.stdout.slice(0, run.stdout.indexOf("through the native plugin pulumi-resource-qualys"));
    assert.ok(driftedFields(basic).length > 1);
    assert.deepEqual(driftedFields(yaml), driftedFields(basic), "both halves name the drifted fields in the same order");
  });
});
