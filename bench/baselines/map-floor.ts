/**
 * The floor of any router with fenliu's API: the bookkeeping that string ids force on every
 * cycle, and nothing else. A consultation is looked up and stored by customer id, the contact
 * memory is read and written by customer id (and its oldest entries dropped), an agent is found by
 * id for `setPending` — with no rule, no choice (the agent is the next in turn), no validation, no
 * decision object. Whatever a real router does on top of this, it cannot go faster than this.
 */
export class MapFloor {
  readonly #agents = new Map<string, { pending: number }>();
  readonly #agentIds: string[] = [];
  readonly #open = new Map<string, { customerId: string; agentId: string }>();
  readonly #memory = new Map<string, { agentId: string; at: number }>();
  /** Insertion order of the memory, for dropping its oldest entries (a ring of customer ids). */
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
    if (this.#open.has(customerId)) throw new Error(`${customerId} is open`);
    const remembered = this.#memory.get(customerId);
    const agentId = remembered?.agentId ?? (this.#agentIds[this.#turn++ % this.#agentIds.length] as string);
    this.#open.set(customerId, { customerId, agentId });
    if (remembered !== undefined) {
      remembered.agentId = agentId;
      remembered.at = at;
    } else {
      this.#memory.set(customerId, { agentId, at });
      this.#ring[this.#tail] = customerId;
      this.#tail = (this.#tail + 1) % this.#ring.length;
      if (this.#memory.size > this.#maxEntries) {
        this.#memory.delete(this.#ring[this.#head] as string);
        this.#head = (this.#head + 1) % this.#ring.length;
      }
    }
    return agentId;
  }

  end(customerId: string): void {
    if (!this.#open.delete(customerId)) throw new Error(`${customerId} is not open`);
  }

  setPending(agentId: string, pending: number): void {
    const agent = this.#agents.get(agentId);
    if (agent === undefined) throw new Error(`${agentId} is unknown`);
    agent.pending = pending;
  }
}
