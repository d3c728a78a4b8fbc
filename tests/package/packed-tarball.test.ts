import { strict as assert } from "node:assert";
import { execFileSync } from "node:child_process";
import { mkdtempSync, readdirSync, readFileSync, rmSync } from "node:fs";
import { builtinModules } from "node:module";
import { tmpdir } from "node:os";
import { join, posix, relative } from "node:path";
import { packedTarball } from "../harness/packed-tarball";

interface PackageJson {
  name: string;
  version: string;
  license: string;
  keywords?: string[];
  homepage?: string;
  repository?: { type: string; url: string };
  main: string;
  types: string;
  exports: Record<string, string | Record<string, string>>;
  typesVersions?: Record<string, Record<string, string[]>>;
  bin: Record<string, string>;
  scripts?: Record<string, string>;
  dependencies: Record<string, string>;
  peerDependencies: Record<string, string>;
}

/** What `npm publish` would upload, read from the extracted tarball of `npm pack`. */
describe("the packed tarball", function () {
  this.timeout(120_000);
  let dir: string;
  let root: string;
  let files: string[];
  let pkg: PackageJson;
  const read = (file: string): string => readFileSync(join(root, file), "utf8");

  before(() => {
    dir = mkdtempSync(join(tmpdir(), "pulumi-qualys-tarball-"));
    execFileSync("tar", ["-xzf", packedTarball(dir), "-C", dir]);
    root = join(dir, "package");
    files = (readdirSync(root, { recursive: true, withFileTypes: true }) as { isFile(): boolean; name: string; parentPath: string }[])
      .filter((entry) => entry.isFile())
      .map((entry) => relative(root, join(entry.parentPath, entry.name)).split("\\").join("/"))
      .sort();
    pkg = JSON.parse(read("package.json")) as PackageJson;
  });
  after(() => rmSync(dir, { recursive: true, force: true }));

  it("ships every file package.json names, the compiled provider and simulator, LICENSE and CHANGELOG, and nothing else", () => {
    const named = [pkg.main, pkg.types, ...Object.values(pkg.bin)];
    for (const target of Object.values(pkg.exports)) named.push(...(typeof target === "string" ? [target] : Object.values(target)));
    for (const mapping of Object.values(pkg.typesVersions ?? {})) named.push(...Object.values(mapping).flat());
    for (const file of named) assert.ok(files.includes(posix.normalize(file)), `${file} (named in package.json) is in the tarball`);
    for (const file of ["README.md", "LICENSE", "CHANGELOG.md"]) assert.ok(files.includes(file), `${file} is in the tarball`);
    const unexpected = files.filter((f) => !/^(package\.json|README\.md|LICENSE|CHANGELOG\.md|dist\/(provider|simulator)\/.+\.(js|d\.ts|js\.map))$/.test(f));
    assert.deepEqual(unexpected, [], "nothing from tests, examples, bench or the sources");
  });

  it("runs nothing on a consumer's install (npm 11 warns about any install-time script, prepare included) and ships no build tool", () => {
    const installTime = ["preinstall", "install", "postinstall", "preprepare", "prepare", "postprepare"];
    assert.deepEqual(Object.keys(pkg.scripts ?? {}).filter((name) => installTime.includes(name)), []);
    assert.deepEqual(files.filter((f) => /codegen/.test(f)), [], "the code generators live in tools/, outside the package");
  });

  it("says what it is and where it comes from: Apache-2.0 text, a changelog entry for this version, repository, homepage, keywords", () => {
    assert.equal(pkg.license, "Apache-2.0");
    assert.match(read("LICENSE"), /Apache License\s+Version 2\.0, January 2004/);
    assert.match(read("CHANGELOG.md"), /^## \[Unreleased\]$/m);
    assert.match(read("CHANGELOG.md"), new RegExp(`^## \\[${pkg.version.replace(/\./g, "\\.")}\\]`, "m"));
    assert.match(pkg.repository?.url ?? "", /^git\+https:\/\/github\.com\/.+\.git$/);
    assert.match(pkg.homepage ?? "", /^https:\/\/github\.com\//);
    assert.ok((pkg.keywords ?? []).includes("pulumi"));
  });

  it("ships source maps that carry their sources (the .ts files are not shipped)", () => {
    const maps = files.filter((f) => f.endsWith(".js.map"));
    assert.ok(maps.length > 0);
    const withoutSources = maps.filter((file) => {
      const map = JSON.parse(read(file)) as { sources: string[]; sourcesContent?: (string | null)[] };
      return map.sources.length === 0 || map.sources.some((_, i) => typeof map.sourcesContent?.[i] !== "string");
    });
    assert.deepEqual(withoutSources, []);
  });

  it("uses every runtime dependency it declares, and requires nothing it does not declare", () => {
    const required = new Set<string>();
    for (const file of files.filter((f) => f.endsWith(".js"))) {
      for (const match of read(file).matchAll(/\b(?:require|import)\("([^"./][^"]*)"\)/g)) {
        const specifier = match[1]!;
        if (builtinModules.includes(specifier.replace(/^node:/, ""))) continue;
        required.add(specifier.split("/").slice(0, specifier.startsWith("@") ? 2 : 1).join("/"));
      }
    }
    assert.deepEqual(Object.keys(pkg.dependencies).filter((dep) => !required.has(dep)), [], "declared but never loaded");
    const declared = new Set([pkg.name, ...Object.keys(pkg.dependencies), ...Object.keys(pkg.peerDependencies)]);
    assert.deepEqual([...required].filter((name) => !declared.has(name)), [], "loaded but not declared");
  });
});
