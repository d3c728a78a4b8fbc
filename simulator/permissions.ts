/**
 * The Cloud Agent activation-key permissions: each operation needs its own (docs/qualys-api.md,
 * "Responses and errors": CA Activation Key View, Create, Edit, Delete). A user without the one an
 * operation needs is answered INSUFFICIENT_PERMISSION with HTTP 200 — the code public client code
 * reports; the message, naming the permission, is the simulator's own wording.
 */
import type { QpsOperation } from "./fault-injection";
import { errorResponse, type ServiceResponseModel } from "./service-response";
import type { KeyPermission, SimulatorUser } from "./types";

export const KEY_PERMISSIONS: readonly KeyPermission[] = ["view", "create", "edit", "delete"];

/** changeactkey needs "Change Activation Key" instead, which `SimulatorUser.changeActivationKey` decides. */
const NEEDED: Partial<Record<QpsOperation, KeyPermission>> = { get: "view", search: "view", create: "create", update: "edit", delete: "delete" };

const PERMISSION_NAMES: Record<KeyPermission, string> = {
  view: "CA Activation Key View",
  create: "CA Activation Key Create",
  edit: "CA Activation Key Edit",
  delete: "CA Activation Key Delete",
};

/** The refusal `user` gets for `operation`, or undefined when the user holds its permission (every user does by default). */
export function permissionRefusal(user: SimulatorUser, operation: QpsOperation): ServiceResponseModel | undefined {
  const needed = NEEDED[operation];
  if (!needed || !user.permissions || user.permissions.includes(needed)) return undefined;
  return errorResponse(
    "INSUFFICIENT_PERMISSION",
    `The user does not have the permission "${PERMISSION_NAMES[needed]}".`,
    "Ask a Manager to grant the permission in the user's Cloud Agent role.",
  );
}
