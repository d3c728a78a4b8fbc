/**
 * Warns about `qualys:` stack settings the provider does not know (a typo such as
 * `qualys:maxWaitSecs` would otherwise be ignored in silence). Done in the program, which runs at
 * `pulumi preview` and reads the whole stack configuration through `pulumi.runtime.allConfig()`:
 * the dynamic provider's `configure()` gets a `Config` that answers `get(key)` only, so the
 * provider process cannot list what the stack sets.
 */
import * as pulumi from "@pulumi/pulumi";
import { CONFIG_SETTING_NAMES, unknownSettingWarning } from "../subscription/config-properties";

const NAMESPACE = "qualys:";

/** Names warned about already: once per program run, not once per key. */
const warned = new Set<string>();

export function warnUnknownStackSettings(): void {
  const known: readonly string[] = CONFIG_SETTING_NAMES;
  for (const key of Object.keys(pulumi.runtime.allConfig())) {
    const name = key.slice(NAMESPACE.length);
    if (!key.startsWith(NAMESPACE) || known.includes(name) || warned.has(name)) continue;
    warned.add(name);
    void pulumi.log.warn(unknownSettingWarning(name, NAMESPACE));
  }
}
