/**
 * gRPC message size limits, as the Pulumi engine sets them, for the plugin's server and the test
 * harness's engine side (provider/testing). grpc-js refuses any message over 4 MiB by
 * default, with a bare "Received message larger than max" that names no property; the engine and
 * @pulumi/pulumi's own servers allow 400 MiB (`maxRPCMessageSize` in @pulumi/pulumi
 * runtime/settings). With the same limit, a large value reaches Check, which names the property
 * that is too large.
 */
import type { ChannelOptions } from "@grpc/grpc-js";

/** 400 MiB, as @pulumi/pulumi's `maxRPCMessageSize`. */
const MAX_RPC_MESSAGE_BYTES = 400 * 1024 * 1024;

export const ENGINE_MESSAGE_LIMITS: ChannelOptions = {
  "grpc.max_receive_message_length": MAX_RPC_MESSAGE_BYTES,
  "grpc.max_send_message_length": MAX_RPC_MESSAGE_BYTES,
};
