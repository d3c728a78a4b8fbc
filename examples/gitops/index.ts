/**
 * The program the GitOps workflow (examples/gitops/.github/workflows/activation-keys.yml) previews
 * on pull requests, applies on main and checks for drift on a schedule. Copy it to `infra/qualys/`
 * of the repository that holds your keys, next to a package.json that depends on pulumi-qualys. The
 * keys comply with the team's policy settings (policy-config.json): an owner and a team tag each,
 * and no UNLIMITED key on the prod stack.
 *
 * Credentials come from the workflow's QUALYS_USERNAME / QUALYS_PASSWORD secrets (or
 * `pulumi config set --secret qualys:password`), never from this file.
 */
import * as qualys from "pulumi-qualys";

const linux = new qualys.ActivationKey("linux-servers", {
  title: "linux-servers",
  type: "COUNT_LIMITED",
  countPurchased: 500,
  ownerId: 364812443,
  modules: ["VM_LICENSE", "PC_LICENSE"],
  tagIds: [103180087],
});

const workstations = new qualys.ActivationKey("workstations", {
  title: "workstations",
  type: "COUNT_LIMITED",
  countPurchased: 2000,
  ownerId: 364812443,
  modules: ["VM_LICENSE", "EDR"],
  tagIds: [103180088],
});

export const linuxKeyId = linux.id;
export const workstationsKeyId = workstations.id;
