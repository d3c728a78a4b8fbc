/**
 * The scheduler used when the caller gives none: sends each call exactly once, no gating, no
 * retries. Retry policy lives in provider/scheduling (issue 4), never in the transport.
 */
import type { RequestScheduler } from "../types";

export const passThroughScheduler: RequestScheduler = {
  run: (call) => call.attempt(() => undefined),
};
