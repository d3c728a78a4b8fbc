import { strict as assert } from "node:assert";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { parse } from "yaml";
import { qualysPolicies, type PolicySetting } from "pulumi-qualys/policy";
import { REPO_ROOT } from "../harness/test-stack";

/**
 * Issue 20: the GitOps example calls the policy pack — on the pull request's preview, on the
 * apply, and against the stack's state in the scheduled job — with a settings file the pack
 * accepts.
 */
interface Step {
  uses?: string;
  run?: string;
  with?: Record<string, unknown>;
  "working-directory"?: string;
}

describe("examples/gitops runs the policy pack", () => {
  const workflow = parse(readFileSync(join(REPO_ROOT, "examples/gitops/.github/workflows/activation-keys.yml"), "utf8")) as {
    env: Record<string, string>;
    jobs: Record<string, { steps: Step[] }>;
  };
  const pulumiStep = (job: string): Step => workflow.jobs[job]!.steps.find((step) => step.uses?.startsWith("pulumi/actions@") && step.with?.command)!;

  it("previews pull requests and applies main with --policy-pack and the team's settings", () => {
    assert.match(workflow.env.POLICY_PACK!, /\/infra\/qualys\/policy-pack$/);
    for (const job of ["preview", "apply"]) {
      assert.equal(pulumiStep(job).with!.policyPacks, "${{ env.POLICY_PACK }}", job);
      assert.equal(pulumiStep(job).with!.policyPackConfigs, "${{ env.POLICY_CONFIG }}", job);
      assert.ok(workflow.jobs[job]!.steps.some((step) => step.run?.startsWith("npm ci") && step["working-directory"] === "${{ env.POLICY_PACK }}"), `${job} installs the pack's dependencies`);
    }
  });

  it("analyzes the stack's state with the pack in the scheduled job", () => {
    const steps = workflow.jobs.drift!.steps;
    assert.ok(steps.some((step) => step.run === 'pulumi policy analyze --stack "$STACK" --policy-pack "$POLICY_PACK" --policy-pack-config "$POLICY_CONFIG"'));
  });

  it("ships a settings file the pack accepts (the format of --policy-pack-config)", () => {
    const settings = JSON.parse(readFileSync(join(REPO_ROOT, "examples/gitops/policy-config.json"), "utf8")) as Record<string, PolicySetting>;
    const levels = Object.fromEntries(qualysPolicies({ policies: settings }).map((p) => [p.name, p.enforcementLevel]));
    assert.equal(levels["qualys-key-owner-required"], "mandatory");
    assert.equal(levels["qualys-keys-count-budget"], "mandatory");
  });
});
