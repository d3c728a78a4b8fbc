/**
 * The credentials of the redaction sweeps (issues 11 and 16): built at run time, never a real
 * credential, with a space and characters that URL, form and XML encodings each spell differently,
 * so a sweep catches every spelling a careless server may echo back.
 */
import { randomBytes } from "node:crypto";
import type { ServerResponse } from "node:http";
import { sendXml } from "./hostile-server";

export const USER = "sim-user";
export const PASSWORD = `Sim ${randomBytes(4).toString("hex")}@!&<pw`;
/** `user:password`, whose base64 is the Basic header's value. */
export const PAIR = `${USER}:${PASSWORD}`;
export const BASIC_VALUE = Buffer.from(PAIR, "utf8").toString("base64");

/** Text as an XML or HTML page would carry it. */
export const xmlEscape = (text: string): string => text.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;");

/** Answers that are no Qualys answer, each echoing `echo`: a proxy's error page, a redirect, a cut XML body. */
export const NOT_QUALYS_ECHOES: Record<"http-error" | "redirect" | "malformed", (res: ServerResponse, echo: string) => void> = {
  "http-error": (res, echo) => void res.writeHead(502, { "content-type": "text/html" }).end(`<html><body>Bad gateway. ${echo}</body></html>`),
  redirect: (res, echo) => void res.writeHead(302, { location: `http://elsewhere.example/login?echo=${encodeURIComponent(echo)}` }).end(),
  malformed: (res, echo) => sendXml(res, `<ServiceResponse><responseCode>SUCCESS</responseCode><data><AgentActKey><title>${xmlEscape(echo)}`),
};
