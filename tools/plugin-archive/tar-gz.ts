/**
 * A `.tar.gz` holding one executable at its root, written here rather than by a `tar` command so
 * that the archive is the same on Linux, macOS and Windows runners: one ustar entry, no `./`
 * directory entry, mode 0755, owner 0:0. That is what `pulumi plugin install` unpacks: it accepts
 * only regular files and directories, creates each file with the mode its header gives, and puts
 * them in `<plugins>/resource-qualys-v<version>/` (pulumi/pulumi sdk/go/common/util/archive,
 * ExtractTGZ). mtime is SOURCE_DATE_EPOCH (0 when unset), so the same input gives the same bytes.
 */
import { createReadStream, createWriteStream, statSync } from "node:fs";
import { Readable } from "node:stream";
import { pipeline } from "node:stream/promises";
import { createGzip } from "node:zlib";

const BLOCK = 512;

/** Writes `archive` holding `file` as the entry `name` (mode 0755). */
export async function writeSingleFileTarGz(file: string, name: string, archive: string): Promise<void> {
  const size = statSync(file).size;
  const mtime = Number(process.env.SOURCE_DATE_EPOCH ?? 0);
  const padding = Buffer.alloc((BLOCK - (size % BLOCK)) % BLOCK);
  async function* entries(): AsyncGenerator<Buffer> {
    yield ustarHeader(name, size, mtime);
    for await (const chunk of createReadStream(file)) yield chunk as Buffer;
    yield padding;
    yield Buffer.alloc(2 * BLOCK); // end of archive
  }
  await pipeline(Readable.from(entries()), createGzip(), createWriteStream(archive));
}

function ustarHeader(name: string, size: number, mtime: number): Buffer {
  if (Buffer.byteLength(name) > 100) throw new Error(`${name}: a ustar name has at most 100 bytes`);
  const header = Buffer.alloc(BLOCK);
  const field = (offset: number, length: number, value: string): void => void header.write(value, offset, length, "ascii");
  const octal = (offset: number, length: number, value: number): void => field(offset, length, `${value.toString(8).padStart(length - 1, "0")}\0`);
  field(0, 100, name);
  octal(100, 8, 0o755);
  octal(108, 8, 0); // uid
  octal(116, 8, 0); // gid
  octal(124, 12, size);
  octal(136, 12, mtime);
  field(148, 8, " ".repeat(8)); // the checksum counts its own field as spaces
  field(156, 1, "0"); // a regular file
  field(257, 8, "ustar\u000000");
  field(265, 32, "root");
  field(297, 32, "root");
  const checksum = header.reduce((sum, byte) => sum + byte, 0);
  field(148, 8, `${checksum.toString(8).padStart(6, "0")}\0 `);
  return header;
}
