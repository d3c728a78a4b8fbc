/**
 * The ready policy pack for activation keys. Run it as it is, or copy this folder and set the
 * levels and settings your teams agree on below (every policy, its settings and their defaults:
 * README, "Policy as code"):
 *
 *   pulumi preview --policy-pack path/to/policy-pack
 *   pulumi policy analyze --policy-pack path/to/policy-pack --stack prod
 *   pulumi policy publish <org>          # run from this folder: enforce it organisation-wide
 *
 * Settings here are the pack's defaults; `--policy-pack-config <file.json>` and Pulumi Cloud
 * override them per stack or organisation.
 */
import { startQualysPolicyPack } from "pulumi-qualys/policy";

startQualysPolicyPack({
  policies: {
    // For example (the defaults are shown in the README):
    // "qualys-key-title-pattern": { pattern: "^(linux|windows|mac)-[a-z0-9-]+$" },
    // "qualys-key-required-tags": { teamTagIds: [103180087, 103180088] },
    // "qualys-key-owner-required": "mandatory",
  },
});
