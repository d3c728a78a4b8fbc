/**
 * Keys for several teams from one declarative table. `ownerId` routes the remediation tickets the
 * agents' findings raise to the team's Qualys user (Qualys' API release note "CA API: Ability to
 * Assign Owner to the Activation Key"), modules decide what the team's agents are licensed for, and
 * static tags group the assets.
 *
 * Adding a team is one row; removing a row deletes that team's key (refused by Qualys while agents
 * are still registered with it, with an error that says how to move them).
 */
import * as pulumi from "@pulumi/pulumi";
import * as qualys from "pulumi-qualys";

interface TeamKey {
  /** Pulumi resource name and Qualys title suffix. Titles are unique per subscription. */
  team: string;
  /** Qualys user id that receives the team's remediation tickets. */
  ownerId: number;
  modules: string[];
  /** Static tag ids (dynamic tags cannot be applied to keys). */
  tagIds: number[];
  /** Agent installs allowed; omitted = unlimited. */
  maxAgents?: number;
}

const teams: TeamKey[] = [
  { team: "payments", ownerId: 364812443, modules: ["VM_LICENSE", "PC_LICENSE", "FIM"], tagIds: [103180087], maxAgents: 400 },
  { team: "platform", ownerId: 381715587, modules: ["VM_LICENSE", "PM"], tagIds: [103180088] },
  { team: "data", ownerId: 381715590, modules: ["VM_LICENSE", "SCA"], tagIds: [103180089], maxAgents: 120 },
];

const keys = teams.map(
  (t) =>
    new qualys.ActivationKey(t.team, {
      title: `agents-${t.team}`,
      type: t.maxAgents === undefined ? "UNLIMITED" : "COUNT_LIMITED",
      countPurchased: t.maxAgents,
      ownerId: t.ownerId,
      modules: t.modules,
      tagIds: t.tagIds,
    }),
);

/** Key ids by team; the activation keys themselves are secrets. */
export const keyIds = pulumi.all(keys.map((k) => k.id)).apply((ids) => Object.fromEntries(teams.map((t, i) => [t.team, ids[i]])));
export const activationKeys = pulumi.secret(pulumi.all(keys.map((k) => k.activationKey)));
