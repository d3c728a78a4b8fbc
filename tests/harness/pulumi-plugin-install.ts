/**
 * `pulumi plugin install resource qualys <version> --file <archive>`, as the Pulumi CLI does it
 * (pulumi/pulumi sdk/go/common/workspace/plugins.go, InstallWithContext, and
 * sdk/go/common/util/archive, ExtractTGZ): the archive is unpacked into
 * `<plugins>/resource-qualys-v<version>/` (made 0700); each entry must be a regular file or a
 * directory ("unexpected plugin file type" otherwise), a file is created with the mode its tar
 * header gives, a directory with 0700. The engine then runs `pulumi-resource-qualys` from that
 * folder, trying `.exe` and `.cmd` first on Windows (getCandidateExtensions).
 */
import { gunzipSync } from "node:zlib";
import { chmodSync, existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";

export interface InstalledPlugin {
  /** `<plugins>/resource-qualys-v<version>`. */
  dir: string;
  /** Every entry of the archive: its name, tar type flag and mode. */
  entries: { name: string; type: string; mode: number }[];
}

export function installPluginArchive(archive: string, pluginsDir: string, version: string): InstalledPlugin {
  const dir = join(pluginsDir, `resource-qualys-v${version}`);
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  const tar = gunzipSync(readFileSync(archive));
  const entries: InstalledPlugin["entries"] = [];
  for (let offset = 0; offset + 512 <= tar.length; ) {
    const header = tar.subarray(offset, offset + 512);
    if (header.every((byte) => byte === 0)) break;
    const text = (start: number, length: number): string => header.toString("latin1", start, start + length).replace(/\0.*$/s, "");
    const prefix = text(345, 155);
    const name = prefix ? `${prefix}/${text(0, 100)}` : text(0, 100);
    const mode = parseInt(text(100, 8).trim(), 8);
    const size = parseInt(text(124, 12).trim(), 8);
    const type = text(156, 1) || "0";
    entries.push({ name, type, mode });
    const path = join(dir, name);
    if (type === "5") mkdirSync(path, { recursive: true, mode: 0o700 });
    else if (type === "0") {
      if (!existsSync(dirname(path))) mkdirSync(dirname(path), { recursive: true, mode: 0o700 });
      writeFileSync(path, tar.subarray(offset + 512, offset + 512 + size));
      chmodSync(path, mode);
    } else throw new Error(`unexpected plugin file type ${name} (${type})`);
    offset += 512 + Math.ceil(size / 512) * 512;
  }
  return { dir, entries };
}

/** The executable the engine runs from an installed plugin folder on this platform. */
export function pluginExecutable(dir: string, platform: NodeJS.Platform = process.platform): string {
  const extensions = platform === "win32" ? [".exe", ".cmd", ""] : [""];
  const found = extensions.map((ext) => join(dir, `pulumi-resource-qualys${ext}`)).find((path) => existsSync(path));
  return found ?? join(dir, `pulumi-resource-qualys${extensions[0]}`);
}
