/** Reads a file of tests/fixtures (the sources, not dist: fixtures are not compiled). */
import { readFileSync } from "node:fs";
import { join } from "node:path";

// dist/tests/support -> repository root
const FIXTURES = join(__dirname, "..", "..", "..", "tests", "fixtures");

export function fixture(name: string): string {
  return readFileSync(join(FIXTURES, name), "utf8");
}
