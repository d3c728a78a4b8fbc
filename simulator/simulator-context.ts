/** Everything one running simulator holds, passed to its routes and admin surface. */
import { randomUUID } from "node:crypto";
import { Authenticator } from "./authenticate";
import { FaultQueue } from "./fault-injection";
import { checkOptions } from "./input-bounds";
import { KeyStore } from "./key-store";
import { LimitTracker, type LimitSettings } from "./limits";
import { BodyBudget } from "./http-io";
import { RequestLog } from "./request-log";
import type { SimulatorOptions, SimulatorTag, SimulatorUser } from "./types";

/** Licenses documented by Qualys plus GAV, seen in Qualys' own scripts. */
export const KNOWN_LICENSES = ["VM_LICENSE", "PC_LICENSE", "SCA", "PM", "SA", "FIM", "EDR", "SWCA", "CAPS", "MTG", "GAV"];

/** Simulator-only test user; not a real credential. */
export const DEFAULT_USERS: SimulatorUser[] = [{ username: "admin", password: "admin-password", role: "manager" }];

export interface SimulatorContext {
  options: SimulatorOptions;
  users: SimulatorUser[];
  licenses: string[];
  now: () => number;
  titleSearchable: boolean;
  tags: readonly SimulatorTag[];
  authErrorsAsHttp200: boolean;
  /** `X-Powered-By` of every QPS answer, shaped like the real `Qualys:<pod>:<uuid>:<uuid>`. */
  poweredBy: string;
  /** Mutable through admin setLimits. */
  latencyMs: number;
  store: KeyStore;
  limits: LimitTracker;
  faults: FaultQueue;
  log: RequestLog;
  auth: Authenticator;
  /** Request bodies held at once, over all connections, before anyone is authenticated. */
  bodies: BodyBudget;
}

/** The limit settings `options` ask for, with defaults. */
export function limitSettingsFrom(options: SimulatorOptions): LimitSettings {
  return {
    rateLimit: options.rateLimit ?? null,
    concurrencyLimit: options.concurrencyLimit ?? null,
    blockedStatus: options.blockedStatus ?? 409,
    sendToWait: options.sendToWait ?? true,
    sendLimitHeaders: options.sendLimitHeaders ?? true,
    blockedBody: options.blockedBody ?? "qps",
  };
}

/** Throws (naming the option and its range) when an option is out of bounds (input-bounds.ts). */
export function createContext(options: SimulatorOptions): SimulatorContext {
  checkOptions(options);
  const now = options.now ?? Date.now;
  const users = options.users ?? DEFAULT_USERS;
  return {
    options,
    users,
    licenses: options.licenses ?? KNOWN_LICENSES,
    now,
    titleSearchable: options.titleSearchable ?? true,
    tags: options.tags ?? [],
    authErrorsAsHttp200: options.authErrorsAsHttp200 ?? false,
    poweredBy: `Qualys:SIMPOD01:${randomUUID()}:${randomUUID()}`,
    latencyMs: options.latencyMs ?? 0,
    store: new KeyStore(options.statePath),
    limits: new LimitTracker(limitSettingsFrom(options), now),
    faults: new FaultQueue(),
    log: new RequestLog(options.requestLogSize),
    auth: new Authenticator(users, now, options.jwtLifetimeSec ?? 14400),
    bodies: new BodyBudget(),
  };
}
