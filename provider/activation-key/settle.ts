/**
 * Outputs of a key we just wrote, after checking that Qualys kept every module we asked for.
 * Qualys silently drops modules the subscription does not license
 * (docs/qualys-api.md, "Confirmed answers"); rather than leave a diff
 * that never goes away, fail with QUALYS_MODULES_NOT_LICENSED, carrying the id and outputs so the
 * key is recorded in state and nothing is lost.
 */
import { QualysModulesNotLicensedError } from "../qualys/errors";
import type { AgentActKey } from "../qualys/types";
import { IncompleteWriteError } from "./incomplete-write";
import { keyToOutputs, normaliseModules } from "./normalize";
import type { ActivationKeyInputs, ActivationKeyOutputs } from "./properties";

export function settle(key: AgentActKey, desired: ActivationKeyInputs): ActivationKeyOutputs {
  const outputs = keyToOutputs(key, desired);
  const kept = new Set(outputs.modules);
  const dropped = normaliseModules(desired.modules).filter((m) => !kept.has(m));
  if (dropped.length > 0) {
    throw new IncompleteWriteError(String(key.id), outputs, new QualysModulesNotLicensedError(dropped, { keyId: key.id, title: desired.title }));
  }
  return outputs;
}
