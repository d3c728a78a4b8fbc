/**
 * Failures as the engine reads them. A plain failure is a gRPC status whose message the engine
 * shows under the resource. A write that reached Qualys but did not end in the declared state
 * (IncompleteWriteError) must still be recorded in state, or the key would be lost: the engine
 * does that when the status carries an ErrorResourceInitFailed detail with the id and properties
 * (pulumi/pulumi provider_plugin.go, parseError → StatusPartialFailure).
 *
 * Only messages cross the wire, never stacks or request details: core messages are built from
 * redacted parts (provider/qualys/errors.ts), so no credential can leak from here. Each is led by
 * its stable code (`engineText`), the only part of an error users can match on.
 */
import type * as Grpc from "@grpc/grpc-js";
import * as providerPb from "@pulumi/pulumi/proto/provider_pb";
import * as statusPb from "@pulumi/pulumi/proto/status_pb";
import type { PropertyBag } from "../activation-key/context";
import { IncompleteWriteError } from "../activation-key/incomplete-write";
import { Any, grpc } from "../engine/stub-modules";
import { engineText } from "../qualys/errors";
import { encodeStruct } from "./property-codec";

/** What a handler answers with when it fails. */
export type ProviderError = Partial<Grpc.StatusObject> & { code: Grpc.status; details: string };

/** An engine-readable failure for `error`; `written` supplies the inputs and secret names of a half-done write. */
export function toProviderError(error: unknown, written?: { inputs: PropertyBag; secretNames: Iterable<string> }): ProviderError {
  if (error instanceof IncompleteWriteError) {
    const detail = new providerPb.ErrorResourceInitFailed();
    detail.setId(error.id);
    detail.setProperties(encodeStruct({ ...error.outputs }, written?.secretNames));
    if (written) detail.setInputs(encodeStruct(written.inputs, written.secretNames));
    const reason = engineText(error.reason);
    detail.setReasonsList([reason]);
    const any = new Any();
    any.pack(detail.serializeBinary(), "pulumirpc.ErrorResourceInitFailed");
    const status = new statusPb.Status();
    status.setCode(grpc.status.UNKNOWN);
    status.setMessage(reason);
    status.addDetails(any);
    const metadata = new grpc.Metadata();
    metadata.add("grpc-status-details-bin", Buffer.from(status.serializeBinary()));
    return { code: grpc.status.UNKNOWN, details: reason, metadata };
  }
  return { code: grpc.status.UNKNOWN, details: engineText(error) };
}

/** The answer to a method this provider does not offer. */
export function unimplemented(method: string): ProviderError {
  return { code: grpc.status.UNIMPLEMENTED, details: `pulumi-resource-qualys does not implement ${method}` };
}
