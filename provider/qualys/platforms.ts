/**
 * Qualys platforms and their two base URLs: the API server (`/qps/rest`, Basic auth) and the
 * gateway (`/auth` for JWTs). Source: docs/qualys-api.md, "Authentication and
 * platforms" (Qualys "Identify your platform" page). Private clouds pass explicit URLs instead.
 */
import { QualysConfigError } from "./errors";

/** Base URLs of one Qualys platform. */
interface PlatformEndpoints {
  apiUrl: string;
  gatewayUrl: string;
}

function platform(apiHost: string, gatewayHost: string): PlatformEndpoints {
  return { apiUrl: `https://${apiHost}`, gatewayUrl: `https://${gatewayHost}` };
}

/** Every public Qualys platform, by the short name Qualys uses (US1, EU2, ...). */
export const PLATFORMS: Readonly<Record<string, PlatformEndpoints>> = Object.freeze({
  US1: platform("qualysapi.qualys.com", "gateway.qg1.apps.qualys.com"),
  US2: platform("qualysapi.qg2.apps.qualys.com", "gateway.qg2.apps.qualys.com"),
  US3: platform("qualysapi.qg3.apps.qualys.com", "gateway.qg3.apps.qualys.com"),
  US4: platform("qualysapi.qg4.apps.qualys.com", "gateway.qg4.apps.qualys.com"),
  EU1: platform("qualysapi.qualys.eu", "gateway.qg1.apps.qualys.eu"),
  EU2: platform("qualysapi.qg2.apps.qualys.eu", "gateway.qg2.apps.qualys.eu"),
  EU3: platform("qualysapi.qg3.apps.qualys.it", "gateway.qg3.apps.qualys.it"),
  IN1: platform("qualysapi.qg1.apps.qualys.in", "gateway.qg1.apps.qualys.in"),
  CA1: platform("qualysapi.qg1.apps.qualys.ca", "gateway.qg1.apps.qualys.ca"),
  AE1: platform("qualysapi.qg1.apps.qualys.ae", "gateway.qg1.apps.qualys.ae"),
  UK1: platform("qualysapi.qg1.apps.qualys.co.uk", "gateway.qg1.apps.qualys.co.uk"),
  AU1: platform("qualysapi.qg1.apps.qualys.com.au", "gateway.qg1.apps.qualys.com.au"),
  KSA1: platform("qualysapi.qg1.apps.qualysksa.com", "gateway.qg1.apps.qualysksa.com"),
});

/** What the configuration says about where Qualys lives. */
interface EndpointSelection {
  /** Platform name such as `US1` (case-insensitive). */
  platform?: string;
  /** Explicit API server URL; wins over `platform`. */
  apiUrl?: string;
  /** Explicit gateway URL; wins over `platform`. */
  gatewayUrl?: string;
}

/**
 * Resolves the base URLs to call. Explicit URLs win over the platform's (private clouds, the
 * simulator); trailing slashes are removed so paths can be appended. Throws `QualysConfigError`
 * for an unknown platform or when neither a platform nor an `apiUrl` is given.
 */
export function resolveEndpoints(selection: EndpointSelection): { apiUrl: string; gatewayUrl?: string } {
  let fromPlatform: PlatformEndpoints | undefined;
  const name = selection.platform?.trim();
  if (name) {
    fromPlatform = PLATFORMS[name.toUpperCase()];
    if (!fromPlatform) {
      throw new QualysConfigError(
        `Unknown Qualys platform "${name}" (qualys:platform / QUALYS_PLATFORM). Valid platforms: ` +
          `${Object.keys(PLATFORMS).join(", ")}. For a private cloud set qualys:apiUrl (and qualys:gatewayUrl) instead.`,
      );
    }
  }
  const apiUrl = normaliseBaseUrl(selection.apiUrl) ?? fromPlatform?.apiUrl;
  const gatewayUrl = normaliseBaseUrl(selection.gatewayUrl) ?? fromPlatform?.gatewayUrl;
  if (!apiUrl) {
    throw new QualysConfigError(
      `No Qualys endpoint configured: set qualys:platform (QUALYS_PLATFORM, one of ${Object.keys(PLATFORMS).join(", ")}) ` +
        `or qualys:apiUrl (QUALYS_API_URL).`,
    );
  }
  return gatewayUrl === undefined ? { apiUrl } : { apiUrl, gatewayUrl };
}

/** Trims a base URL and removes trailing slashes so paths can be appended; blank gives undefined. */
export function normaliseBaseUrl(url: string | undefined): string | undefined {
  const trimmed = url?.trim().replace(/\/+$/, "");
  return trimmed ? trimmed : undefined;
}
