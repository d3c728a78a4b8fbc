import { strict as assert } from "node:assert";
import { QualysConfigError } from "../../provider/qualys/errors";
import { PROVIDER_CONFIG } from "../../provider/subscription/config-properties";
import { resolveProviderSettings, type ConfigLookup } from "../../provider/subscription/resolve-settings";

/** A fake password built at run time: never a real-looking credential in the source. */
const PASSWORD = ["not", "a", "real", "password"].join("-");

function stack(values: Record<string, string>): ConfigLookup {
  return { get: (key) => values[key] };
}

const BASE = { "qualys:username": "api-user", "qualys:password": PASSWORD, "qualys:apiUrl": "https://qualysapi.example.com" };

/** The setting a refused configuration names, and its message. */
function refusal(values: Record<string, string>, env: NodeJS.ProcessEnv = {}): { setting?: string; message: string } {
  try {
    resolveProviderSettings(stack(values), env);
  } catch (error) {
    assert.ok(error instanceof QualysConfigError, `a QualysConfigError, got ${String(error)}`);
    assert.equal(error.code, "QUALYS_CONFIG_ERROR");
    return { setting: error.setting, message: error.message };
  }
  assert.fail("the configuration was accepted");
}

describe("provider settings: one table, resolution, refusals named by setting", () => {
  it("reads every setting from the stack first and from its table's environment variable second", () => {
    const env = Object.fromEntries(Object.values(PROVIDER_CONFIG).map((spec) => [spec.env, ""]));
    env.QUALYS_USERNAME = "env-user";
    env.QUALYS_PASSWORD = PASSWORD;
    env.QUALYS_PLATFORM = "EU2";
    env.QUALYS_MAX_WAIT_SEC = "12";
    env.QUALYS_RETRY_DEADLINE_SEC = "34";
    env.QUALYS_AUTH_MODE = "jwt";
    const fromEnv = resolveProviderSettings(undefined, env);
    assert.deepEqual(fromEnv, {
      apiUrl: "https://qualysapi.qg2.apps.qualys.eu",
      gatewayUrl: "https://gateway.qg2.apps.qualys.eu",
      username: "env-user",
      password: PASSWORD,
      authMode: "jwt",
      allowInsecureHttp: false,
      maxWaitSec: 12,
      retryDeadlineSec: 34,
    });
    const fromStack = resolveProviderSettings(stack({ ...BASE, "qualys:maxWaitSec": "5" }), env);
    assert.equal(fromStack.username, "api-user");
    assert.equal(fromStack.apiUrl, "https://qualysapi.example.com");
    assert.equal(fromStack.maxWaitSec, 5);
  });

  it("names the setting of each refusal, with the message users already know", () => {
    assert.deepEqual(refusal({ "qualys:apiUrl": "https://q.example.com" }).setting, "username");
    assert.deepEqual(refusal({ "qualys:username": "u", "qualys:apiUrl": "https://q.example.com" }).setting, "password");
    assert.deepEqual(refusal({ "qualys:username": "u", "qualys:password": PASSWORD }).setting, "platform");
    const platform = refusal({ ...BASE, "qualys:apiUrl": "", "qualys:platform": "US9" });
    assert.equal(platform.setting, "platform");
    assert.match(platform.message, /Unknown Qualys platform "US9"/);
    const http = refusal({ ...BASE, "qualys:apiUrl": "http://qualys.example.com" });
    assert.equal(http.setting, "apiUrl");
    assert.match(http.message, /qualys:apiUrl "http:\/\/qualys.example.com" uses plain http/);
    assert.equal(refusal({ ...BASE, "qualys:gatewayUrl": "http://gw.example.com" }).setting, "gatewayUrl");
    assert.equal(refusal({ ...BASE, "qualys:authMode": "digest" }).setting, "authMode");
    assert.equal(refusal({ ...BASE, "qualys:allowInsecureHttp": "maybe" }).setting, "allowInsecureHttp");
    const wait = refusal({ ...BASE, "qualys:maxWaitSec": "-1" });
    assert.deepEqual(wait, { setting: "maxWaitSec", message: 'qualys:maxWaitSec must be a positive number of seconds, got "-1".' });
    assert.equal(refusal({ ...BASE, "qualys:retryDeadlineSec": "soon" }).setting, "retryDeadlineSec");
  });

  it("never puts the password in a refusal", () => {
    for (const values of [{ ...BASE, "qualys:authMode": "x" }, { ...BASE, "qualys:apiUrl": "http://q.example.com" }, { ...BASE, "qualys:maxWaitSec": "0" }]) {
      assert.doesNotMatch(refusal(values).message, new RegExp(PASSWORD));
    }
  });

  it("never quotes a refused value that holds a credential or came as a secret; says what was expected instead", () => {
    const settings = ["maxWaitSec", "retryDeadlineSec", "timeoutMs", "allowInsecureHttp", "authMode", "platform"];
    for (const setting of settings) {
      for (const value of [PASSWORD, `x${PASSWORD}x`, `${BASE["qualys:username"]}-9`]) {
        const values: Record<string, string> = { ...BASE, [`qualys:${setting}`]: value };
        if (setting === "platform") delete values["qualys:apiUrl"];
        const { setting: named, message } = refusal(values);
        assert.equal(named, setting);
        assert.ok(!message.includes(value), `${setting}: ${message}`);
        assert.match(message, new RegExp(`^qualys:${setting} is not valid; its value is not shown because it holds a credential\\. Expected: `));
      }
    }
    // A value the engine marked secret is not quoted, whatever it is.
    const secretStack: ConfigLookup = { get: (key) => ({ ...BASE, "qualys:maxWaitSec": "soon" })[key], isSecret: (key) => key === "qualys:maxWaitSec" };
    const error = (() => {
      try {
        resolveProviderSettings(secretStack, {});
      } catch (caught) {
        return caught as QualysConfigError;
      }
      return assert.fail("accepted");
    })();
    assert.equal(error.setting, "maxWaitSec");
    assert.doesNotMatch(error.message, /soon/);
    assert.match(error.message, /came as a secret/);
    // Anything else is quoted as before, so a typo is easy to spot.
    assert.equal(refusal({ ...BASE, "qualys:maxWaitSec": "soon" }).message, 'qualys:maxWaitSec must be a positive number of seconds, got "soon".');
  });
});
