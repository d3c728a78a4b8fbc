/**
 * A program that reads an existing key without managing it (README, "Existing keys").
 * The key id comes from the test through QUALYS_TEST_EXISTING_KEY_ID.
 */
import * as qualys from "pulumi-qualys";

const legacy = qualys.ActivationKey.get("legacy", process.env.QUALYS_TEST_EXISTING_KEY_ID ?? "0");
export const legacyTitle = legacy.title;
