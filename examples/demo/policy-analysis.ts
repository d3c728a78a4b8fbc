/**
 * `pulumi policy analyze --policy-pack examples/policy-pack` without the CLI: the example pack,
 * installed and started as the engine starts a policy pack, analyses the keys in a stack's state
 * over gRPC — Analyze for each key's inputs, then AnalyzeStack over the outputs. No Qualys call.
 */
import type { StateEntry } from "../../provider/testing";
import { AnalyzerProcess, installExamplePack, type Diagnostic } from "../../tests/harness/analyzer-process";

/** The findings, one per line: level, policy, the key's name, and what is wrong. */
export async function analyzeWithExamplePack(state: readonly StateEntry[]): Promise<string[]> {
  // urn:pulumi:<stack>::<project>::<type>::<name>: the stack the engine would name in PULUMI_STACK.
  const [stack = "", project = ""] = (state[0]?.urn ?? "").replace(/^urn:pulumi:/, "").split("::");
  const pack = installExamplePack();
  const analyzer = await AnalyzerProcess.start({ packDir: pack.dir, stack, project });
  try {
    const found: Diagnostic[] = [];
    for (const entry of state) found.push(...(await analyzer.analyze({ urn: entry.urn, type: entry.type, properties: entry.inputs })).diagnostics.map((d) => ({ ...d, urn: d.urn || entry.urn })));
    found.push(...(await analyzer.analyzeStack(state.map((entry) => ({ urn: entry.urn, type: entry.type, properties: entry.outputs })))).diagnostics);
    // @pulumi/policy puts the policy's description first; the finding itself is the last line.
    return found.map((d) => `${d.enforcementLevel} ${d.policyName} on ${d.urn.slice(d.urn.lastIndexOf("::") + 2) || "the stack"}: ${d.message.split("\n").pop()}`);
  } finally {
    await analyzer.close();
    pack.dispose();
  }
}
