/**
 * The root program (Pulumi.yaml runs its compiled form): the keys of issue 3's "user's view".
 * Credentials and the endpoint come from the stack config or QUALYS_* variables, never from here.
 */
import * as qualys from "pulumi-qualys";

const linuxServers = new qualys.ActivationKey("linux-servers", {
  title: "linux-servers",
  type: "COUNT_LIMITED",
  countPurchased: 500,
  ownerId: 364812443,
  modules: ["VM_LICENSE", "PC_LICENSE"],
  tagIds: [103180087],
});

const workstations = new qualys.ActivationKey("workstations", {
  title: "workstations",
  modules: ["vm_license"], // case and order do not matter
  suspendSelfPatch: true,
});

export const linuxServersKeyId = linuxServers.id;
export const workstationsKeyId = workstations.id;
/** The enrolment secret agents install with: a Pulumi secret. */
export const activationKey = linuxServers.activationKey;
