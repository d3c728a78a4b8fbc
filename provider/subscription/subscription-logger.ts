/**
 * The logger of one subscription: redacts the subscription's credentials from every line, gates
 * debug lines behind QUALYS_DEBUG, and hands each line with the current resource's URN to the
 * adapter's sink (the engine's Log service for the dynamic host and the plugin; stderr elsewhere).
 */
import { redactText } from "../qualys/redact";
import type { QualysLogger } from "../qualys/types";
import { currentResourceUrn } from "./resource-scope";

export type LogSeverity = "info" | "warning";

/** Where an adapter sends lines: `urn` is the resource the line is about, when known. */
export type LogSink = (severity: LogSeverity, message: string, urn: string | undefined) => void;

/**
 * Debug lines are sent only with QUALYS_DEBUG=1, and then as info: the engine hides its own debug
 * level unless `pulumi -d` is given. Without it the logger has no `debug`, so no debug text is
 * built at all. `secrets` are the literal credentials, blanked out of every line.
 */
export function subscriptionLogger(sink: LogSink, secrets: readonly string[], env: NodeJS.ProcessEnv = process.env): QualysLogger {
  const debugOn = /^(1|true|yes)$/i.test(env.QUALYS_DEBUG ?? "");
  const emit = (severity: LogSeverity, message: string) => sink(severity, redactText(message, secrets), currentResourceUrn());
  const logger: QualysLogger = { info: (message) => emit("info", message), warn: (message) => emit("warning", message) };
  if (debugOn) logger.debug = (message) => emit("info", `debug: ${message}`);
  return logger;
}

/** The sink of last resort: this process's stderr, which `pulumi up` shows as plain text. */
export const stderrSink: LogSink = (severity, message) => {
  process.stderr.write(`[pulumi-qualys] ${severity}: ${message}\n`);
};
