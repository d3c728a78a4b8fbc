/**
 * The provider object that `dynamic.Resource` serializes into every key's `__provider` property.
 *
 * It is a thin shim on purpose (docs/pulumi-dynamic-providers.md, "Serialization: the
 * trap"): each method loads the implementation BY PACKAGE NAME at call time and forwards. So the
 * serialized text captures no object, credential, path or version; it is the same for every key
 * and every release (no `~__provider` churn, pulumi/pulumi#12401), and refresh/destroy run the
 * installed implementation instead of code frozen in state (pulumi/pulumi#16826).
 *
 * Keep this file free of imports and module-level values: anything a method referenced would be
 * serialized with it. tests/dynamic/provider-serialization.test.ts guards the text.
 */
import type * as dynamic from "@pulumi/pulumi/dynamic";

export const activationKeyProvider: dynamic.ResourceProvider = {
  async configure(req) {
    return require("pulumi-qualys/provider-runtime").configure(req);
  },
  async check(olds, news) {
    return require("pulumi-qualys/provider-runtime").check(olds, news);
  },
  async diff(id, olds, news) {
    return require("pulumi-qualys/provider-runtime").diff(id, olds, news);
  },
  async create(inputs) {
    return require("pulumi-qualys/provider-runtime").create(inputs);
  },
  async read(id, props) {
    return require("pulumi-qualys/provider-runtime").read(id, props);
  },
  async update(id, olds, news) {
    return require("pulumi-qualys/provider-runtime").update(id, olds, news);
  },
  async delete(id, props) {
    return require("pulumi-qualys/provider-runtime").remove(id, props);
  },
};
