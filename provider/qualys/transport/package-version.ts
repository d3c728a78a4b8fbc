/** This package's version, for the User-Agent header. */

/**
 * Read through the package's own name (Node resolves a package's self-reference via its
 * `exports`, which maps ./package.json), so it works from the sources, dist/ and an install.
 */
export function packageVersion(): string {
  try {
    const pkg = require("pulumi-qualys/package.json") as { version?: unknown };
    return typeof pkg.version === "string" ? pkg.version : "unknown";
  } catch {
    // Bundled or copied without its package.json (e.g. a serialized closure): still send a UA.
    return "unknown";
  }
}
