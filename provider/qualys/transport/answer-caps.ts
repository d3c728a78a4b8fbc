/**
 * How much of an answer the transport accepts, and the decompression of what it accepted.
 *
 * Bodies are buffered and parsed whole, so without a cap a 200 MB answer aborts the process (V8
 * out of memory) and a 1 MB gzip bomb costs gigabytes and minutes (issue 11). The transport asks
 * for gzip itself, has got hand over the body as sent (`decompress: false`, cut at the wire cap by
 * got's `downloadProgress`), and decompresses here with zlib's `maxOutputLength`, which stops
 * inflating inside zlib as soon as the output passes the cap: a bomb costs at most the cap in
 * memory and the time to inflate it. With got's own decompression its progress events count
 * decoded bytes, so the wire cap would need a second count on node's raw response, and a corrupt
 * body would come as got's read error (a network failure) rather than as an HTTP answer that does
 * not decompress (`QualysHttpError`, with its status).
 */
import { promisify } from "node:util";
import { brotliDecompress, unzip } from "node:zlib";

/**
 * Measured with the simulator (pretty-printed XML as Qualys sends it): a search page of 1000 keys
 * with every field, 6 modules and 2 tags is 2.0 MB (47 KB gzipped) and parses in 0.2 s; each agent
 * registered with a key adds about 250 bytes (1000 keys with 10 agents each: 4.5 MB, 350 KB gzipped).
 * 32 MiB is 16 times the plain 1000-key page and leaves room for about 120,000 agents in one page.
 * Parsing a 32 MiB answer peaked at 0.3 GB of memory and took 4 s (agents) to 9 s (the densest
 * possible elements) on the 2-core development machine: bounded, on any CI runner.
 */
export const DEFAULT_MAX_ANSWER_BYTES = 32 * 1024 * 1024;

/** The answer passed a cap; `stage` says which one. */
export class AnswerCapExceeded extends Error {
  constructor(
    readonly stage: "wire" | "decoded",
    readonly limit: number,
  ) {
    super(`answer larger than ${limit} bytes ${stage === "wire" ? "on the wire" : "after decompression"}`);
    this.name = "AnswerCapExceeded";
  }
}

/** The body could not be decoded (a corrupt or unsupported encoding). */
export class AnswerDecodingError extends Error {
  constructor(reason: string) {
    super(reason);
    this.name = "AnswerDecodingError";
  }
}

const unzipAsync = promisify(unzip);
const brotliAsync = promisify(brotliDecompress);

/**
 * The body as text, decompressed per `Content-Encoding` within `maxDecodedBytes`. gzip and
 * deflate (zlib `unzip` tells them apart by their header) and br are read; we only ask for gzip.
 */
export async function decodeBody(raw: Buffer, contentEncoding: string | undefined, maxDecodedBytes: number): Promise<string> {
  const encoding = (contentEncoding ?? "").trim().toLowerCase();
  let decoded: Buffer;
  try {
    if (encoding === "" || encoding === "identity") decoded = raw;
    else if (encoding === "gzip" || encoding === "x-gzip" || encoding === "deflate") decoded = await unzipAsync(raw, { maxOutputLength: maxDecodedBytes });
    else if (encoding === "br") decoded = await brotliAsync(raw, { maxOutputLength: maxDecodedBytes });
    // The header's value is not quoted: it is server text, and could carry anything.
    else throw new AnswerDecodingError("an unsupported Content-Encoding");
  } catch (error) {
    if ((error as { code?: unknown }).code === "ERR_BUFFER_TOO_LARGE") throw new AnswerCapExceeded("decoded", maxDecodedBytes);
    if (error instanceof AnswerDecodingError) throw error;
    throw new AnswerDecodingError(`a ${encoding} body that does not decompress (${(error as Error).message})`);
  }
  if (decoded.length > maxDecodedBytes) throw new AnswerCapExceeded("decoded", maxDecodedBytes);
  return decoded.toString("utf8");
}
