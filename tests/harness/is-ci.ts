/** Whether this runs in CI: services set CI=true (GitHub Actions, GitLab, …), some CI=1. */
export function isCi(): boolean {
  return ["true", "1"].includes((process.env.CI ?? "").toLowerCase());
}
