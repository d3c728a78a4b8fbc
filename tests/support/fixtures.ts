/** Reads files of tests/fixtures and examples/curl (the sources, not dist: they are not compiled). */
import { readFileSync } from "node:fs";
import { join } from "node:path";

// dist/tests/support -> repository root
const ROOT = join(__dirname, "..", "..", "..");
const FIXTURES = join(ROOT, "tests", "fixtures");

export function fixture(name: string): string {
  return readFileSync(join(FIXTURES, name), "utf8");
}

/**
 * A request body of examples/curl: the Cloud Agent API guide's samples, as the README's curl lines
 * send them.
 */
export function curlExample(name: string): string {
  return readFileSync(join(ROOT, "examples", "curl", name), "utf8");
}
