/** The two ways the bench drives its phases: the real provider runtime, and a naive client. */
import * as runtime from "../provider/dynamic/provider-runtime";
import { createQualysClient } from "../provider/qualys/client";
import { declared, ENGINE_PARALLELISM, USER } from "./settings";
import type { SimulatorProcess } from "./simulator-process";
import type { Driver, Props } from "./types";

/** Configures the provider runtime for `sim`, as the engine would. */
function configureRuntime(sim: SimulatorProcess): void {
  void runtime.configure({ config: { get: (key) => ({ "qualys:apiUrl": sim.url, "qualys:username": USER.username, "qualys:password": USER.password })[key] } });
}

/** The real provider code path, configured as the engine would. */
export function providerDriver(sim: SimulatorProcess): Driver {
  configureRuntime(sim);
  return {
    parallelism: ENGINE_PARALLELISM,
    create: async (i) => {
      const { inputs } = await runtime.check({}, declared(i));
      const { id, outs } = await runtime.create(inputs);
      return { id, outs: outs as unknown as Props };
    },
    noop: async (id, outs, i) => {
      const { inputs } = await runtime.check(outs, declared(i));
      const diff = await runtime.diff(id, outs, inputs);
      if (diff.changes) throw new Error(`no-op up found a change on key ${id}`);
    },
    read: async (id, outs) => void (await runtime.read(id, outs)),
    destroy: (id) => runtime.remove(id),
    adopt: async (declaration) => {
      const { inputs } = await runtime.check({}, { ...declaration, adopt: true });
      const { id, outs } = await runtime.create(inputs);
      return { id, outs: outs as unknown as Props };
    },
    update: async (id, outs, declaration) => {
      const { inputs } = await runtime.check(outs, { ...declaration, adopt: true });
      return (await runtime.update(id, outs, inputs)).outs as unknown as Props;
    },
    retire: (id, outs) => runtime.remove(id, outs),
  };
}

/** One call at a time, no limit awareness, one get per key on refresh. */
export function naiveDriver(sim: SimulatorProcess): Driver {
  const api = createQualysClient({ apiUrl: sim.url, ...USER });
  return {
    parallelism: 1,
    create: async (i) => {
      const d = declared(i);
      const key = await api.create({ title: String(d.title), type: "COUNT_LIMITED", countPurchased: Number(d.countPurchased), modules: d.modules as string[] });
      return { id: String(key.id), outs: {} };
    },
    noop: async (id) => void (await api.get(Number(id))),
    read: async (id) => void (await api.get(Number(id))),
    destroy: (id) => api.delete(Number(id)),
    adopt: async (declaration) => {
      const title = String(declaration.title);
      const [found] = await api.searchAll([{ field: "title", operator: "EQUALS", value: title }]);
      if (!found) throw new Error(`naive adopt: no key titled ${title}`);
      await api.update(found.id, { title, type: "UNLIMITED", modules: declaration.modules as string[] });
      return { id: String(found.id), outs: { ...(await api.get(found.id)) } };
    },
    update: async (id, _outs, declaration) => {
      await api.update(Number(id), { title: String(declaration.title), type: "UNLIMITED", modules: declaration.modules as string[] });
      return { ...(await api.get(Number(id))) };
    },
    retire: async (id, outs) => {
      const successor = await api.get(Number(outs.successorKeyId));
      await api.changeActivationKey({ newActivationKey: successor.activationKey ?? "", filters: [{ field: "activationKey", operator: "EQUALS", value: String(outs.activationKey) }] });
      await api.delete(Number(id));
    },
  };
}

/**
 * A rotation as `pulumi up` drives it through the provider runtime: `replace` is the check, diff
 * (a replacement) and create of the new key; the engine deletes the old keys after its creates.
 */
export function rotationDriver(sim: SimulatorProcess): { replace(id: string, olds: Props, declaration: Props): Promise<string>; deleteOld(id: string, olds: Props): Promise<void> } {
  configureRuntime(sim);
  return {
    replace: async (id, olds, declaration) => {
      const { inputs } = await runtime.check(olds, declaration);
      const diff = await runtime.diff(id, olds, inputs);
      if (diff.replaces.length === 0) throw new Error(`rotation of key ${id} planned no replacement`);
      return (await runtime.create((await runtime.check({}, declaration)).inputs)).id;
    },
    deleteOld: (id, olds) => runtime.remove(id, olds),
  };
}
