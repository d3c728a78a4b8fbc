/**
 * The plugin as one CommonJS file, for a Node single executable application (which runs one
 * script and can `require` only Node's built-in modules). esbuild does it: a well-kept bundler
 * that reads the compiled CommonJS as is, follows the static `require`s of @grpc/grpc-js,
 * google-protobuf and @pulumi/pulumi's generated stubs (plain CommonJS), and takes only the files
 * the plugin loads — the stubs, not the rest of @pulumi/pulumi.
 *
 * One copy of gRPC and protobuf: every `google-protobuf` and `@grpc/grpc-js` is resolved from the
 * stubs' folder, and provider/engine/stub-modules.ts, which finds them through the stubs at run
 * time in an npm install, has its `fromStubs("…")` calls turned into plain `require("…")` (in its
 * compiled .js), so the bundle holds exactly the instances the stubs check against.
 */
import { build, type Plugin } from "esbuild";
import { readFileSync, statSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";

export interface Bundle {
  /** The bundled script. */
  file: string;
  bytes: number;
  /** The package folders inside it (`@grpc/grpc-js`, `@pulumi/pulumi/proto`, ...), for the report. */
  packages: string[];
}

/** Bundles `<packageDir>/dist/provider/plugin/main.js` (built by tsc) into `outFile`. */
export async function bundlePlugin(packageDir: string, outFile: string): Promise<Bundle> {
  const stubsDir = dirname(require.resolve("@pulumi/pulumi/proto/provider_grpc_pb", { paths: [packageDir] }));
  const result = await build({
    entryPoints: [join(packageDir, "dist", "provider", "plugin", "main.js")],
    outfile: outFile,
    bundle: true,
    platform: "node",
    format: "cjs",
    target: "node22",
    // License notices of the bundled packages stay in the script the executable carries.
    legalComments: "eof",
    metafile: true,
    logLevel: "error",
    plugins: [oneCopyOfTheStubsRuntime(stubsDir)],
  });
  const inputs = Object.keys(result.metafile.inputs);
  const pulumiFiles = inputs.filter((file) => file.includes("node_modules/@pulumi/pulumi/"));
  const beyondStubs = pulumiFiles.filter((file) => !file.includes("node_modules/@pulumi/pulumi/proto/"));
  if (beyondStubs.length > 0) throw new Error(`The plugin bundle pulls in @pulumi/pulumi beyond its proto stubs (${beyondStubs.slice(0, 3).join(", ")}): only the stubs belong in it.`);
  // A SEA main script is compiled as a function body, where a hashbang line is a syntax error.
  const script = readFileSync(outFile, "utf8");
  if (script.startsWith("#!")) writeFileSync(outFile, script.slice(script.indexOf("\n") + 1));
  return { file: outFile, bytes: statSync(outFile).size, packages: packagesIn(inputs) };
}

function oneCopyOfTheStubsRuntime(stubsDir: string): Plugin {
  return {
    name: "one-copy-of-the-stubs-runtime",
    setup(builder) {
      builder.onResolve({ filter: /^(google-protobuf|@grpc\/grpc-js)(\/|$)/ }, (args) =>
        args.resolveDir === stubsDir ? undefined : builder.resolve(args.path, { kind: args.kind, resolveDir: stubsDir }),
      );
      builder.onLoad({ filter: /[\\/]provider[\\/]engine[\\/]stub-modules\.js$/ }, (args) => {
        const source = readFileSync(args.path, "utf8");
        const contents = source.replace(/\bfromStubs\("/g, 'require("');
        if (contents === source) throw new Error(`${args.path} has no fromStubs("…") call to bundle: keep its module ids literal.`);
        return { contents, loader: "js", resolveDir: dirname(args.path) };
      });
    },
  };
}

/** `node_modules/@grpc/grpc-js/build/src/x.js` → `@grpc/grpc-js`; the package's own files → `pulumi-qualys`. */
function packagesIn(inputs: readonly string[]): string[] {
  const names = new Set<string>();
  for (const input of inputs) {
    const parts = input.split(/[\\/]/);
    const at = parts.lastIndexOf("node_modules");
    if (at < 0) names.add("pulumi-qualys");
    else names.add(parts[at + 1]!.startsWith("@") ? `${parts[at + 1]}/${parts[at + 2]}` : parts[at + 1]!);
  }
  return [...names].sort();
}
