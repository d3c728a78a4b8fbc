/**
 * gRPC and protobuf exactly as @pulumi/pulumi's generated stubs (`@pulumi/pulumi/proto/*_pb`) load
 * them. The stubs check identity, not shape: a service answer must be `instanceof` the stubs' own
 * `google.protobuf.Empty` ("13 INTERNAL: Error serializing response" otherwise), and an Engine
 * client takes only credentials made by the stubs' own @grpc/grpc-js ("Channel credentials must be
 * a ChannelCredentials object"). A project whose tree holds another google-protobuf or
 * @grpc/grpc-js (npm then nests second copies) must not change which copy we use, so every module
 * here is resolved from the stubs' own location, never from this package's.
 *
 * In the self-contained executable (tools/plugin-archive/bundle.ts) there is one copy of each: the
 * bundler rewrites every `fromStubs("…")` below into a plain `require("…")` resolved from the
 * stubs' folder, so keep the ids literal.
 */
import type * as Grpc from "@grpc/grpc-js";
import type * as AnyPb from "google-protobuf/google/protobuf/any_pb";
import type * as EmptyPb from "google-protobuf/google/protobuf/empty_pb";
import type * as StructPb from "google-protobuf/google/protobuf/struct_pb";
import { createRequire } from "node:module";

/** A module as @pulumi/pulumi's stubs resolve it. */
function fromStubs<T>(id: string): T {
  return createRequire(require.resolve("@pulumi/pulumi/proto/provider_grpc_pb"))(id) as T;
}

/** @grpc/grpc-js as the stubs see it: servers, credentials, status codes, metadata. */
export const grpc = fromStubs<typeof Grpc>("@grpc/grpc-js");
/** The stubs' `google.protobuf.Empty`. */
export const { Empty } = fromStubs<typeof EmptyPb>("google-protobuf/google/protobuf/empty_pb");
/** The stubs' `google.protobuf.Struct`. */
export const { Struct } = fromStubs<typeof StructPb>("google-protobuf/google/protobuf/struct_pb");
/** The stubs' `google.protobuf.Any`. */
export const { Any } = fromStubs<typeof AnyPb>("google-protobuf/google/protobuf/any_pb");

export type { Grpc, EmptyPb, StructPb };
