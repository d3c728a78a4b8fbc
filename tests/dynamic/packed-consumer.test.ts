import { strict as assert } from "node:assert";
import { execFileSync, spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { basename, join, posix } from "node:path";
import * as ts from "typescript";
import { startSimulator } from "../../simulator";
import type { RunningSimulator } from "../../simulator/types";
import { ACTIVATION_KEY_TYPE, DynamicProviderHost } from "pulumi-qualys/testing";
import { packedTarball } from "../harness/packed-tarball";
import { serializedProvider } from "../../provider/testing/serialized-provider";
import { SIM_USER } from "../harness/test-stack";
import { typeCheckProject } from "../harness/type-check-project";

interface PackageJson {
  exports: Record<string, string | { types?: string; default: string }>;
  devDependencies: Record<string, string>;
}

/**
 * The package as users get it: `npm pack`, installed into a separate project, driven through that
 * project's own dynamic-provider host. Proves the shim resolves `pulumi-qualys/provider-runtime` by
 * package name from the user's project, that `files`/`exports` ship everything needed (the
 * `pulumi-qualys/testing` harness included, with nothing installed but the package and
 * @pulumi/pulumi, as a user's project has, plus @pulumi/policy, the optional peer dependency that
 * the `pulumi-qualys/policy` subpath alone loads), and that every subpath of `exports` imports
 * with its types under the module settings users have.
 */
describe("npm pack → separate consumer project (slow: packs, then npm install)", function () {
  this.timeout(240_000);
  let dir: string;
  let sim: RunningSimulator | undefined;
  let host: DynamicProviderHost | undefined;
  let installed: PackageJson;
  /** Every import specifier `exports` offers ("pulumi-qualys", "pulumi-qualys/simulator", …), with its declared types file. */
  let subpaths: { specifier: string; types: string }[];

  before(() => {
    dir = mkdtempSync(join(tmpdir(), "pulumi-qualys-consumer-"));
    const tarball = basename(packedTarball(dir));
    const pulumiVersion = (require("@pulumi/pulumi/package.json") as { version: string }).version;
    const policyVersion = (require("@pulumi/policy/package.json") as { version: string }).version;
    const ours = require("pulumi-qualys/package.json") as PackageJson;
    writeFileSync(
      join(dir, "package.json"),
      JSON.stringify({
        name: "consumer",
        private: true,
        dependencies: { "pulumi-qualys": `file:./${tarball}`, "@pulumi/pulumi": pulumiVersion, "@pulumi/policy": policyVersion, "@types/node": ours.devDependencies["@types/node"] },
      }),
    );
    // --engine-strict: the install fails when this Node is outside `engines` of the package or of
    // its @pulumi/pulumi, so each leg of CI proves its Node/Pulumi pair is one the package accepts
    // (and a peer range that excludes this @pulumi/pulumi fails the install too, ERESOLVE).
    execFileSync("npm", ["install", "--engine-strict", "--prefer-offline", "--no-audit", "--no-fund", "--loglevel=error"], { cwd: dir, stdio: "pipe" });
    installed = JSON.parse(readFileSync(join(dir, "node_modules/pulumi-qualys/package.json"), "utf8")) as PackageJson;
    subpaths = Object.entries(installed.exports)
      .filter(([subpath]) => subpath !== "./package.json")
      .map(([subpath, target]) => {
        assert.ok(typeof target === "object" && target.types, `exports["${subpath}"] declares its types`);
        return { specifier: posix.join("pulumi-qualys", subpath), types: join(dir, "node_modules/pulumi-qualys", target.types) };
      });
  });
  after(async () => {
    await host?.close();
    await sim?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it("creates and deletes a key through the consumer's host, loading the installed package by name", async () => {
    sim = await startSimulator();
    host = await DynamicProviderHost.start({ projectDir: dir, hostScript: require.resolve("@pulumi/pulumi/cmd/dynamic-provider", { paths: [dir] }) });
    await host.configure({ "qualys:apiUrl": sim.url, "qualys:username": SIM_USER.username, "qualys:password": SIM_USER.password });
    const installedShim = require(join(dir, "node_modules/pulumi-qualys/dist/provider/dynamic/provider-shim.js")) as { activationKeyProvider: unknown };
    const __provider = await serializedProvider(installedShim.activationKeyProvider);
    assert.equal(__provider, await serializedProvider(), "the installed package serializes the same text as the repository");
    const urn = `urn:pulumi:dev::consumer::${ACTIVATION_KEY_TYPE}::packed`;
    const { inputs } = await host.check(urn, {}, { __provider, title: "packed", modules: ["VM_LICENSE"] });
    const created = await host.create(urn, inputs);
    assert.equal(sim.admin.getKey(Number(created.id))?.title, "packed");
    await host.delete(urn, created.id, created.outputs);
    assert.equal(sim.admin.listKeys().length, 0);
  });

  it("pulumi-qualys/testing runs the consumer's own program: preview, up, drift, destroy", () => {
    writeFileSync(
      join(dir, "index.js"),
      `const qualys = require("pulumi-qualys");\n` +
        `new qualys.ActivationKey("web", { title: "web", type: "COUNT_LIMITED", countPurchased: 5, modules: ["VM_LICENSE"] });\n`,
    );
    // The user's unit test, in plain Node so the consumer needs no test runner: it prints what it saw.
    writeFileSync(
      join(dir, "program.test.js"),
      `const { startSimulatedStack, describeFieldDrift } = require("pulumi-qualys/testing");\n` +
        `(async () => {\n` +
        `  const stack = await startSimulatedStack({ program: require.resolve("./index.js") });\n` +
        `  try {\n` +
        `    const seen = { preview: (await stack.preview()).steps.map((s) => s.op), up: (await stack.up()).steps.map((s) => s.op) };\n` +
        `    const key = stack.simulator.admin.listKeys()[0];\n` +
        `    stack.simulator.admin.patchKey(key.id, { countPurchased: 9 });\n` +
        `    seen.drift = (await stack.refresh({ previewOnly: true })).steps.flatMap((s) => (s.drift ?? []).map(describeFieldDrift));\n` +
        `    seen.destroy = (await stack.destroy()).steps.map((s) => s.op);\n` +
        `    seen.left = stack.simulator.admin.listKeys().length;\n` +
        `    console.log(JSON.stringify(seen));\n` +
        `  } finally {\n` +
        `    await stack.close();\n` +
        `  }\n` +
        `})().catch((e) => { console.error(e); process.exitCode = 1; });\n`,
    );
    const run = spawnSync(process.execPath, ["program.test.js"], { cwd: dir, encoding: "utf8", timeout: 120_000 });
    assert.equal(run.status, 0, run.stderr);
    assert.deepEqual(JSON.parse(run.stdout.trim().split("\n").pop()!), {
      preview: ["create"],
      up: ["create"],
      drift: ["countPurchased: declared 5, actual 9"],
      destroy: ["delete"],
      left: 0,
    });
  });

  // Pulumi's TypeScript template compiles with `"moduleResolution": "node"` (node10), which ignores
  // `exports`: without `typesVersions` a subpath import is "Cannot find module" there. Its
  // template also leaves skipLibCheck off, so the shipped .d.ts files are checked too.
  const settings = [
    { name: 'moduleResolution "node" (Pulumi\'s template)', module: "commonjs", moduleResolution: "node", files: { "index.ts": ts.ModuleKind.CommonJS } },
    { name: 'moduleResolution "node16", CommonJS and ESM', module: "node16", moduleResolution: "node16", files: { "index.ts": ts.ModuleKind.CommonJS, "index.mts": ts.ModuleKind.ESNext } },
  ];
  for (const setting of settings) {
    it(`imports every subpath of exports with its types under ${setting.name}`, () => {
      const project = mkdtempSync(join(dir, "ts-"));
      const source = subpaths.map((s, i) => `import * as m${i} from "${s.specifier}";`).join("\n") + `\nexport const modules = [${subpaths.map((_, i) => `m${i}`).join(", ")}];\n`;
      for (const file of Object.keys(setting.files)) writeFileSync(join(project, file), source);
      const compilerOptions = { strict: true, target: "es2020", module: setting.module, moduleResolution: setting.moduleResolution, skipLibCheck: false };
      const { errors, program } = typeCheckProject(project, { compilerOptions, files: Object.keys(setting.files) });
      // @pulumi/policy's own index.d.ts (1.21.0) re-exports two names its proxy.d.ts leaves out
      // (they are @internal and stripped): every project that imports @pulumi/policy with
      // skipLibCheck off gets those two errors, ours or not. Every other error still fails.
      const ours = errors.split("\n").filter((line) => line !== "" && !/^(\.\.\/)*node_modules\/@pulumi\/policy\/index\.d\.ts\(2,\d+\): error TS2305: Module '"\.\/proxy"' has no exported member '(unknownCheckingProxy|UnknownValueError)'\.$/.test(line));
      assert.deepEqual(ours, [], "the consumer compiles");
      for (const [file, mode] of Object.entries(setting.files)) {
        for (const { specifier, types } of subpaths) {
          const resolved = ts.resolveModuleName(specifier, join(project, file), program.getCompilerOptions(), ts.sys, undefined, undefined, mode as ts.ResolutionMode);
          assert.equal(resolved.resolvedModule?.resolvedFileName, types, `${file}: "${specifier}" resolves to the types exports declares`);
        }
      }
    });
  }

  it("loads every subpath at run time with require() and with import(), with the same named exports", () => {
    const script = join(dir, "load-every-subpath.mjs");
    writeFileSync(
      script,
      [
        `import { createRequire } from "node:module";`,
        `const require = createRequire(import.meta.url);`,
        `const result = {};`,
        `for (const specifier of JSON.parse(process.argv[2])) {`,
        `  const cjs = Object.keys(require(specifier));`,
        `  const esm = Object.keys(await import(specifier));`,
        `  result[specifier] = { cjs, missingFromEsm: cjs.filter((name) => !esm.includes(name)) };`,
        `}`,
        `console.log(JSON.stringify(result));`,
      ].join("\n"),
    );
    const specifiers = subpaths.map((s) => s.specifier);
    const output = execFileSync(process.execPath, [script, JSON.stringify(specifiers)], { cwd: dir, encoding: "utf8", timeout: 60_000 });
    const result = JSON.parse(output) as Record<string, { cjs: string[]; missingFromEsm: string[] }>;
    assert.deepEqual(Object.keys(result), specifiers);
    for (const [specifier, { cjs, missingFromEsm }] of Object.entries(result)) {
      assert.ok(cjs.length > 0, `${specifier} exports something`);
      assert.deepEqual(missingFromEsm, [], `${specifier}: an ESM import sees every name require() does`);
    }
  });
});
