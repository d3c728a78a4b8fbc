/**
 * The classic API server's 409 body (docs/qualys-api.md, "Blocked answers: 409 and 429"): a
 * `<SIMPLE_RETURN>` with code 1965 (rate) and the wait as ITEM SECONDS_TO_WAIT, or code 1960
 * (concurrency) with CALLS_TO_FINISH. The wait may be in this body and in no header, so a client
 * has to read it here. Always XML: the classic API has no JSON form.
 */
import { Builder } from "xml2js";
import { isoSeconds } from "./new-key";
import type { Block } from "./limits";

const builder = new Builder({ xmldec: { version: "1.0", encoding: "UTF-8" }, renderOpts: { pretty: true, indent: "  ", newline: "\n" } });

/** "23 hours, 57 minutes and 54 seconds", as the sample words a wait. */
function duration(totalSec: number): string {
  const hours = Math.floor(totalSec / 3600);
  const minutes = Math.floor((totalSec % 3600) / 60);
  return `${hours} hours, ${minutes} minutes and ${totalSec % 60} seconds`;
}

export function classicBlockBody(block: Pick<Block, "reason" | "toWaitSec" | "callsToFinish">, nowMs: number): string {
  const rate = block.reason === "rate";
  const toWaitSec = block.toWaitSec ?? 0;
  const callsToFinish = block.callsToFinish ?? 1;
  const text = rate
    ? ` This API cannot be run again for another ${duration(toWaitSec)}.`
    : `This API cannot be run again until ${callsToFinish} currently running API instance${callsToFinish === 1 ? " has" : "s have"} finished.`;
  return builder.buildObject({
    SIMPLE_RETURN: {
      RESPONSE: {
        DATETIME: isoSeconds(nowMs),
        CODE: rate ? 1965 : 1960,
        TEXT: text,
        ITEM_LIST: { ITEM: { KEY: rate ? "SECONDS_TO_WAIT" : "CALLS_TO_FINISH", VALUE: rate ? toWaitSec : callsToFinish } },
      },
    },
  });
}
