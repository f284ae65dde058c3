import { IdTable } from '../../src/structures/id-table.js';
import { BareHeap } from './bare-heap.js';

/** A remembered customer: its agent's index, when it last came, whether it is open now. */
interface Customer {
  id: string;
  idHash: number;
  agent: number;
  at: number;
  open: boolean;
}

/**
 * The least a router with fenliu's API and its agents in a heap does per call: the bookkeeping
 * that string ids force (as `map-floor.ts` does it, but on fenliu's own id table, which is the
 * cheaper of the two) joined to the bare heap's operation (`bare-heap.ts`), without duplication.
 * The customer's entry holds its agent's index (no separate holder array), an agent id maps to its
 * index in the heap's arrays, every route picks from the heap, entries are reused, and the oldest
 * customer is forgotten first in, first out. No rule, no validation, no decision object.
 */
export class IdHeap {
  readonly #agents = new Map<string, number>();
  readonly #customers = new IdTable<Customer>();
  /** Customers in the order they were first remembered, for dropping the oldest. */
  readonly #ring: (Customer | undefined)[];
  #head = 0;
  #tail = 0;
  readonly #maxEntries: number;
  readonly #spare: Customer[] = [];
  readonly #heap: BareHeap;

  constructor(agents: number, maxEntries: number) {
    this.#heap = new BareHeap(agents, 0);
    this.#maxEntries = maxEntries;
    this.#ring = new Array<Customer | undefined>(maxEntries + 1).fill(undefined);
  }

  addAgent(id: string, weight: number): void {
    const agent = this.#agents.size;
    this.#agents.set(id, agent);
    this.#heap.addAgent(agent, weight);
  }

  route(customerId: string, at: number): number {
    const known = this.#customers.get(customerId);
    const agent = this.#heap.take();
    if (known !== undefined) {
      if (known.open) throw new Error(`${customerId} is open`);
      known.open = true;
      known.at = at;
      known.agent = agent;
      return agent;
    }
    const entry = this.#spare.pop() ?? { id: '', idHash: 0, agent: -1, at: 0, open: false };
    entry.id = customerId;
    entry.agent = agent;
    entry.at = at;
    entry.open = true;
    this.#customers.add(entry);
    this.#ring[this.#tail] = entry;
    this.#tail = (this.#tail + 1) % this.#ring.length;
    if (this.#customers.size > this.#maxEntries) {
      // The oldest customer's consultation ended long ago in this workload.
      const oldest = this.#ring[this.#head] as Customer;
      this.#ring[this.#head] = undefined;
      this.#head = (this.#head + 1) % this.#ring.length;
      this.#customers.delete(oldest);
      this.#spare.push(oldest);
    }
    return agent;
  }

  end(customerId: string): void {
    const known = this.#customers.get(customerId);
    if (known === undefined || !known.open) throw new Error(`${customerId} is not open`);
    known.open = false;
    this.#heap.release(known.agent);
  }

  /**
   * `end` told the customer's agent by the caller, as the bare heap keeps it in its holder array:
   * the customer is still looked up and checked, but the heap's work does not wait for that lookup
   * (the check is a predicted branch, not an input of the heap's work). A router cannot do this;
   * it is for measuring what the wait costs (`bench/budget.ts --fed`). So are the two below.
   */
  endFed(customerId: string, agent: number): void {
    const known = this.#customers.get(customerId);
    if (known === undefined || !known.open || known.agent !== agent) throw new Error(`${customerId} is not open with agent ${agent}`);
    known.open = false;
    this.#heap.release(agent);
  }

  setPendingFed(agentId: string, agent: number, pending: number): void {
    this.#checkIndex(agentId, agent);
    this.#heap.setPending(agent, pending);
  }

  setOnlineFed(agentId: string, agent: number, online: boolean): void {
    this.#checkIndex(agentId, agent);
    this.#heap.setOnline(agent, online);
  }

  setPending(agentId: string, pending: number): void {
    this.#heap.setPending(this.#index(agentId), pending);
  }

  setOnline(agentId: string, online: boolean): void {
    this.#heap.setOnline(this.#index(agentId), online);
  }

  #checkIndex(agentId: string, agent: number): void {
    if (this.#agents.get(agentId) !== agent) throw new Error(`${agentId} is not agent ${agent}`);
  }

  #index(agentId: string): number {
    const agent = this.#agents.get(agentId);
    if (agent === undefined) throw new Error(`${agentId} is unknown`);
    return agent;
  }
}
