/**
 * The two heap baselines of the route + end table.
 *
 * `BareHeap` is the practical limit: an indexed binary min-heap over typed arrays that only picks
 * the least loaded agent and re-keys it — no ids, no rules, no validation, no fair share, no
 * memory. Agents are dense integers; a key is load / weight (ties: lower index). A reference row,
 * not a target.
 *
 * `IdFloor` is the string-id floor: the same heap joined to the id lookups fenliu's API implies and
 * nothing else — on `route` the customer's agent is recorded by customer id, on `end` it is found
 * (and dropped) by customer id, on `setPending` and `setStatus` the agent's index is found by agent
 * id. Any router with this API does at least this much per cycle.
 */
export class BareHeap {
  /** heap[i]: the agent in slot i; key(heap[i]) >= key(heap[(i - 1) >> 1]) for every i > 0. */
  readonly #heap: Int32Array;
  /** pos[a]: agent a's slot, or -1 when it is off line (outside the heap). */
  readonly #pos: Int32Array;
  readonly #key: Float64Array;
  readonly #invWeight: Float64Array;
  readonly #pending: Float64Array;
  #size = 0;
  constructor(agents: number) {
    this.#heap = new Int32Array(agents);
    this.#pos = new Int32Array(agents).fill(-1);
    this.#key = new Float64Array(agents);
    this.#invWeight = new Float64Array(agents);
    this.#pending = new Float64Array(agents);
  }
  addAgent(agent: number, weight: number): void {
    this.#invWeight[agent] = 1 / weight;
    this.#insert(agent);
  }
  /** Picks the least loaded agent and charges it one consultation; -1 when nobody is on line. */
  take(): number {
    if (this.#size === 0) return -1;
    const agent = this.#heap[0] as number;
    this.#pending[agent] = (this.#pending[agent] as number) + 1;
    this.#key[agent] = (this.#pending[agent] as number) * (this.#invWeight[agent] as number);
    this.#down(0);
    return agent;
  }
  /** One consultation fewer for `agent` (nothing for -1). */
  release(agent: number): void {
    if (agent >= 0) this.setPending(agent, Math.max(0, (this.#pending[agent] as number) - 1));
  }
  setPending(agent: number, pending: number): void {
    this.#pending[agent] = pending;
    this.#key[agent] = pending * (this.#invWeight[agent] as number);
    const i = this.#pos[agent] as number;
    if (i >= 0 && !this.#up(i)) this.#down(i);
  }
  setOnline(agent: number, online: boolean): void {
    const i = this.#pos[agent] as number;
    if (online && i < 0) this.#insert(agent);
    else if (!online && i >= 0) this.#removeAt(i);
  }
  #less(a: number, b: number): boolean {
    const ka = this.#key[a] as number;
    const kb = this.#key[b] as number;
    return ka < kb || (ka === kb && a < b);
  }
  #insert(agent: number): void {
    const i = this.#size++;
    this.#heap[i] = agent;
    this.#pos[agent] = i;
    this.#up(i);
  }
  #removeAt(i: number): void {
    const agent = this.#heap[i] as number;
    const last = this.#heap[--this.#size] as number;
    this.#pos[agent] = -1;
    if (last === agent) return;
    this.#heap[i] = last;
    this.#pos[last] = i;
    if (!this.#up(i)) this.#down(i);
  }
  #up(i: number): boolean {
    const heap = this.#heap;
    const agent = heap[i] as number;
    const start = i;
    while (i > 0) {
      const p = (i - 1) >> 1;
      const parent = heap[p] as number;
      if (!this.#less(agent, parent)) break;
      heap[i] = parent;
      this.#pos[parent] = i;
      i = p;
    }
    heap[i] = agent;
    this.#pos[agent] = i;
    return i !== start;
  }
  #down(i: number): void {
    const heap = this.#heap;
    const n = this.#size;
    const agent = heap[i] as number;
    for (;;) {
      const l = 2 * i + 1;
      if (l >= n) break;
      const c = l + 1 < n && this.#less(heap[l + 1] as number, heap[l] as number) ? l + 1 : l;
      const child = heap[c] as number;
      if (!this.#less(child, agent)) break;
      heap[i] = child;
      this.#pos[child] = i;
      i = c;
    }
    heap[i] = agent;
    this.#pos[agent] = i;
  }
}

export class IdFloor {
  /** Agent id → the agent's index in the heap's arrays. */
  readonly #agents = new Map<string, number>();
  /** Customer id → the agent of its open consultation. */
  readonly #open = new Map<string, number>();
  readonly #heap: BareHeap;
  constructor(agents: number) {
    this.#heap = new BareHeap(agents);
  }
  addAgent(id: string, weight: number): void {
    this.#heap.addAgent(this.#agents.size, weight);
    this.#agents.set(id, this.#agents.size);
  }
  route(customerId: string): number {
    const agent = this.#heap.take();
    this.#open.set(customerId, agent);
    return agent;
  }
  end(customerId: string): void {
    this.#heap.release(this.#open.get(customerId) as number);
    this.#open.delete(customerId);
  }
  setPending(agentId: string, pending: number): void {
    this.#heap.setPending(this.#agents.get(agentId) as number, pending);
  }
  setOnline(agentId: string, online: boolean): void {
    this.#heap.setOnline(this.#agents.get(agentId) as number, online);
  }
}
