/**
 * The one log sink of a process the engine started (the dynamic-provider host and the plugin): the
 * engine's `Log` service (engine-log-client.ts), and stderr when there is no engine address, when
 * gRPC cannot be loaded or when a line cannot be delivered, so no warning is ever lost. The client
 * is built on the first line, not before: a process that logs nothing never loads gRPC.
 */
import { stderrSink, type LogSink } from "../subscription/subscription-logger";
import { connectEngineLog, type EngineLogClient } from "./engine-log-client";

interface EngineLogSink {
  /** Where the subscription loggers write. */
  sink: LogSink;
  /** Sends later lines to the engine at `address` (an engine that attached to a running plugin). */
  attach(address: string): void;
}

/** @param address the engine's address, asked on the first line; undefined outside the engine. */
export function engineLogSink(address: () => string | undefined): EngineLogSink {
  let connection: EngineLogClient | null | undefined;
  const engine = (): EngineLogClient | null => {
    if (connection === undefined) {
      const found = address();
      connection = found ? connectEngineLog(found) : null;
    }
    return connection;
  };
  return {
    sink: (severity, message, urn) => {
      const target = engine();
      if (!target) return stderrSink(severity, message, urn);
      target.send(severity, message, urn).catch(() => stderrSink(severity, message, urn));
    },
    attach: (attached) => {
      connection = connectEngineLog(attached);
    },
  };
}
