/**
 * The program the GitOps workflow (.github/workflows/activation-keys.yml) previews on pull
 * requests, applies on main and checks for drift on a schedule. Copy it to `infra/qualys/` of the
 * repository that holds your keys, next to a package.json that depends on pulumi-qualys.
 *
 * Credentials come from the workflow's QUALYS_USERNAME / QUALYS_PASSWORD secrets (or
 * `pulumi config set --secret qualys:password`), never from this file.
 */
import * as qualys from "pulumi-qualys";

const linux = new qualys.ActivationKey("linux-servers", {
  title: "linux-servers",
  type: "COUNT_LIMITED",
  countPurchased: 500,
  modules: ["VM_LICENSE", "PC_LICENSE"],
});

const workstations = new qualys.ActivationKey("workstations", {
  title: "workstations",
  type: "UNLIMITED",
  modules: ["VM_LICENSE", "EDR"],
});

export const linuxKeyId = linux.id;
export const workstationsKeyId = workstations.id;
