/**
 * Tags named by `<Tag><name>…</name></Tag>` without an id: Qualys' own migration script creates
 * keys this way, after recreating the source subscription's tags in the target one, where the ids
 * differ (docs/qualys-api.md, "JSON answers, as Qualys' own tooling uses them"). That only works if
 * Qualys looks the name up.
 *
 * Decision: a name alone resolves to the subscription's static tag with exactly that name. A name
 * no static tag has is INVALID_REQUEST naming it: only existing static tags apply to keys
 * (docs/qualys-api.md, "Fields and their behaviour"), and creating tags belongs to the Asset
 * Management API and its own permission, not to a side effect of a key write. A name two tags
 * share is INVALID_REQUEST too, asking for the id, rather than a guess.
 */
import type { QListChange, RequestedTag } from "./parse-service-request";
import { invalidRequest } from "./qps-error";
import type { SimKey, SimulatorTag } from "./types";

export interface ResolvedTag {
  id: number;
  name?: string;
}

/** The subscription's static tags: the configured ones and every tag already on a key. */
export function tagCatalogue(configured: readonly SimulatorTag[], keys: readonly SimKey[]): SimulatorTag[] {
  const byId = new Map<number, SimulatorTag>();
  for (const tag of configured) byId.set(tag.id, tag);
  for (const tag of keys.flatMap((key) => key.tags)) if (!byId.has(tag.id)) byId.set(tag.id, tag);
  return [...byId.values()];
}

export function resolveTagNames(change: QListChange<RequestedTag> | undefined, catalogue: readonly SimulatorTag[]): QListChange<ResolvedTag> | undefined {
  if (!change) return undefined;
  const resolve = (tag: RequestedTag): ResolvedTag => {
    if (tag.id !== undefined) return { id: tag.id, name: tag.name };
    const matches = catalogue.filter((known) => known.name === tag.name);
    const [match] = matches;
    if (!match) throw invalidRequest(`Tag with name ${tag.name} does not exist.`, "Name an existing static tag, or send its id: <Tag><id>12345</id></Tag>.");
    if (matches.length > 1) {
      throw invalidRequest(`Tag name ${tag.name} is ambiguous: tags ${matches.map((known) => known.id).join(", ")} have it.`, "Send the tag's id: <Tag><id>12345</id></Tag>.");
    }
    return { id: match.id, name: match.name };
  };
  return { replace: change.replace?.map(resolve), add: change.add.map(resolve), remove: change.remove.map(resolve) };
}
