import { strict as assert } from "node:assert";
import { spawnSync } from "node:child_process";
import { dirname, join } from "node:path";

const PACKAGE_JSON = require.resolve("pulumi-qualys/package.json");
const { bin } = require(PACKAGE_JSON) as { bin: Record<string, string> };

/**
 * Each bin of package.json started the way `npx NAME` and node_modules/.bin start it: the file
 * itself (its shebang picks node), so a missing exec bit fails here as "Permission denied" does
 * for users.
 */
describe("--help and -h on every bin", () => {
  for (const [name, file] of Object.entries(bin)) {
    for (const flag of ["--help", "-h"]) {
      it(`${name} ${flag} prints its usage on stdout and exits 0`, () => {
        const result = spawnSync(join(dirname(PACKAGE_JSON), file), [flag], { encoding: "utf8", timeout: 30_000 });
        assert.equal(result.error, undefined, `${name} starts`);
        assert.equal(result.stderr, "");
        assert.match(result.stdout, new RegExp(`^usage: ${name} `, "i"));
        assert.equal(result.status, 0);
      });
    }
  }
});

describe("pulumi-resource-qualys run by hand", () => {
  const plugin = (...args: string[]) => spawnSync(join(dirname(PACKAGE_JSON), bin["pulumi-resource-qualys"]!), args, { encoding: "utf8", timeout: 30_000 });

  it("--version prints the package's version and exits, serving nothing", () => {
    const result = plugin("--version");
    assert.equal(result.signal, null, "exits by itself");
    assert.equal(result.stdout, `${(require(PACKAGE_JSON) as { version: string }).version}\n`);
    assert.equal(result.status, 0);
  });

  it("with no argument at all prints the usage on stderr and exits 2, instead of a port", () => {
    const result = plugin();
    assert.equal(result.signal, null, "exits by itself");
    assert.equal(result.stdout, "");
    assert.match(result.stderr, /^usage: pulumi-resource-qualys /);
    assert.equal(result.status, 2);
  });
});
