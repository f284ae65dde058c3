/**
 * The floor of any router with fenliu's API: the bookkeeping that string ids force on every
 * cycle, and nothing else. A customer is found by id once per call (one Map holds both its open
 * consultation and its remembered contact, as one entry of fenliu's customer table does), a new
 * customer is added and the oldest remembered one dropped, an agent is found by id for
 * `setPending` — with no rule, no
 * choice (the agent is the next in turn), no validation, no decision object, and the cheapest
 * forgetting order (first remembered, first forgotten). Whatever a real router does on top of
 * this, it cannot go faster than this.
 */
export class MapFloor {
  readonly #agents = new Map<string, { pending: number }>();
  readonly #agentIds: string[] = [];
  readonly #customers = new Map<string, { agentId: string; at: number; open: boolean }>();
  /** Customers in the order they were first remembered, for dropping the oldest (a ring of ids). */
  readonly #ring: string[];
  #head = 0;
  #tail = 0;
  readonly #maxEntries: number;
  #turn = 0;

  constructor(maxEntries: number) {
    this.#maxEntries = maxEntries;
    this.#ring = new Array<string>(maxEntries + 1);
  }

  addAgent(id: string): void {
    this.#agents.set(id, { pending: 0 });
    this.#agentIds.push(id);
  }

  route(customerId: string, at: number): string {
    const known = this.#customers.get(customerId);
    if (known !== undefined) {
      if (known.open) throw new Error(`${customerId} is open`);
      known.open = true;
      known.at = at;
      return known.agentId;
    }
    const agentId = this.#agentIds[this.#turn++ % this.#agentIds.length] as string;
    this.#customers.set(customerId, { agentId, at, open: true });
    this.#ring[this.#tail] = customerId;
    this.#tail = (this.#tail + 1) % this.#ring.length;
    if (this.#customers.size > this.#maxEntries) {
      // The oldest customer's consultation ended long ago in this workload.
      this.#customers.delete(this.#ring[this.#head] as string);
      this.#head = (this.#head + 1) % this.#ring.length;
    }
    return agentId;
  }

  end(customerId: string): void {
    const known = this.#customers.get(customerId);
    if (known === undefined || !known.open) throw new Error(`${customerId} is not open`);
    known.open = false;
  }

  setPending(agentId: string, pending: number): void {
    const agent = this.#agents.get(agentId);
    if (agent === undefined) throw new Error(`${agentId} is unknown`);
    agent.pending = pending;
  }
}
