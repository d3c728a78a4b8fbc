/**
 * The agents of the suite's keys, through the simulator's admin API (`/__admin/`, simulator/admin-routes.ts).
 * Only a run against the simulator has one (QUALYS_ACC_SIMULATOR=1): a real subscription cannot
 * enrol an agent from a test, so there the rotate and retire steps move zero agents. Admin calls
 * are no Qualys API calls: the simulator does not log them and the call budget does not count them.
 */
export class SimulatorAgents {
  private constructor(private readonly adminUrl: string) {}

  /** The admin API of the simulator at `apiUrl`, which must be on this machine (the admin API has no authentication). */
  static at(apiUrl: string | undefined): SimulatorAgents {
    const url = new URL(apiUrl ?? "");
    if (!["127.0.0.1", "localhost", "[::1]"].includes(url.hostname)) {
      throw new Error(`QUALYS_ACC_SIMULATOR=1 needs QUALYS_API_URL on this machine (the simulator's), got "${url.origin}".`);
    }
    return new SimulatorAgents(new URL("/__admin/", url).href);
  }

  private async call(method: string, path: string, body?: unknown): Promise<unknown> {
    const response = await fetch(new URL(path, this.adminUrl), {
      method,
      headers: { "Content-Type": "application/json" },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const json: unknown = await response.json();
    if (!response.ok) throw new Error(`simulator admin ${method} ${path}: ${response.status} ${JSON.stringify(json)}`);
    return json;
  }

  async attach(keyId: number, count: number): Promise<void> {
    await this.call("POST", `keys/${keyId}/agents`, { count });
  }

  /** The asset ids of the agents on the key, sorted; [] once the key is gone. */
  async agentIds(keyId: number): Promise<number[]> {
    const keys = (await this.call("GET", "keys")) as { id: number; agents: { id: number }[] }[];
    const key = keys.find((k) => k.id === keyId);
    return (key?.agents ?? []).map((agent) => agent.id).sort((a, b) => a - b);
  }

  async detach(keyId: number): Promise<void> {
    await this.call("DELETE", `keys/${keyId}/agents`);
  }
}
