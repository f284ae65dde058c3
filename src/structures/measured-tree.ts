/**
 * An element of a {@link MeasuredTree}: ordered by `key`, then `seq`, then the tree's tie-break,
 * with a `measure` of its own. Its owner sets those three and calls `insert`, or `refile` after a
 * change; the tree copies them, and keeps `treeSlot` equal to the element's slot (-1 when outside).
 * An element belongs to at most one tree.
 */
export interface TreeItem {
  key: number;
  seq: number;
  measure: number;
  treeSlot: number;
}

/**
 * The limit of a search: the measures at most `virtualTime` (WF2Q+'s due members). An object, not a
 * number: a number passed to a call V8 does not inline is boxed, 16 bytes on every route.
 */
export interface Limit {
  virtualTime: number;
}

/** The limit that takes every element. */
const EVERY: Limit = { virtualTime: Number.POSITIVE_INFINITY };

const NONE = -1;
// A slot's numbers: key, seq, measure, the least measure of its subtree, its treap priority.
const KEY = 0;
const SEQ = 1;
const MEASURE = 2;
const LEAST = 3;
const PRIORITY = 4;
const NUMS = 5;
// A slot's links: children, parent and in-order neighbours (a free slot's NEXT chains the free list).
const LEFT = 0;
const RIGHT = 1;
const PARENT = 2;
const PREV = 3;
const NEXT = 4;
const LINKS = 5;

type Inside = { num: Float64Array; link: Int32Array; items: readonly (TreeItem | undefined)[]; root: number; size: number; before: (a: number, b: number) => boolean };
/** The tree's inside, for `verifyTree`: set by the class's static block. */
let inspect: <T extends TreeItem>(tree: MeasuredTree<T>) => Inside;

/**
 * A sorted set whose subtrees keep their least measure: insert, remove, re-file and "the first
 * element whose measure is within a limit" each cost O(log n) expected, however many elements
 * before the answer measure more. It is what WF2Q+ needs (the due member with the least virtual
 * finish: order by finish, measure the start), and it allocates nothing once its slots have grown.
 *
 * A treap (Seidel & Aragon 1996) kept by rotations, stored as slots in typed arrays (a walk reads
 * numbers side by side, not the elements: at 10,000 members those reads are cache misses), with
 * parent links (a removal needs no search) and in-order neighbours (a re-file that keeps an element
 * between them moves nothing). Priorities come from a fixed-seed xorshift, so its shape — and its
 * cost — is the same on every run. The order never depends on the priorities: it is a total order
 * (key, seq, tie), so every query has the same answer whatever the shape, and a tree rebuilt from
 * the same elements answers as the original.
 */
export class MeasuredTree<T extends TreeItem> {
  #items: (T | undefined)[] = [];
  #num = new Float64Array(0);
  #link = new Int32Array(0);
  #root = NONE;
  #free = NONE;
  #size = 0;
  readonly #tie: (a: T, b: T) => boolean;
  #seed = 0x2545f491;

  static {
    // For `verifyTree` below, which tests use and bundles leave out.
    inspect = (tree) => ({ num: tree.#num, link: tree.#link, items: tree.#items, root: tree.#root, size: tree.#size, before: (a, b) => tree.#before(a, b) });
  }

  /** @param tie - the order of two elements of equal key and seq. */
  constructor(tie: (a: T, b: T) => boolean) {
    this.#tie = tie;
  }

  get size(): number {
    return this.#size;
  }

  /**
   * WF2Q+'s jump: when every element's measure is above `clock.virtualTime`, raises it to the least
   * of them and says so. Written into the clock, not returned: a number returned by a call V8 does
   * not inline is boxed.
   */
  raise(clock: Limit): boolean {
    if (this.#root === NONE) return false;
    const least = this.#num[this.#root * NUMS + LEAST] as number;
    if (least <= clock.virtualTime) return false;
    clock.virtualTime = least;
    return true;
  }

  insert(item: T): void {
    let s = this.#free;
    if (s === NONE) {
      s = this.#items.length;
      this.#items.push(item);
      if (this.#link.length < (s + 1) * LINKS) this.#grow();
    } else {
      this.#free = this.#link[s * LINKS + NEXT] as number;
      this.#items[s] = item;
    }
    item.treeSlot = s;
    let x = this.#seed;
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    this.#seed = x >>> 0;
    this.#num[s * NUMS + PRIORITY] = this.#seed;
    this.#place(s, item);
    this.#size++;
  }

  remove(item: T): void {
    const s = item.treeSlot;
    this.#unlink(s, false);
    const link = this.#link;
    link[s * LINKS + NEXT] = this.#free;
    this.#free = s;
    this.#items[s] = undefined;
    item.treeSlot = NONE;
    this.#size--;
  }

  /** Restores the order after the element's key, seq or measure changed (it stays in the tree). */
  refile(item: T): void {
    const s = item.treeSlot;
    const num = this.#num;
    const link = this.#link;
    const o = s * NUMS;
    const oldMeasure = num[o + MEASURE] as number;
    num[o + KEY] = item.key;
    num[o + SEQ] = item.seq;
    num[o + MEASURE] = item.measure;
    const prev = link[s * LINKS + PREV] as number;
    const next = link[s * LINKS + NEXT] as number;
    if ((prev === NONE || this.#before(prev, s)) && (next === NONE || this.#before(s, next))) {
      if (item.measure !== oldMeasure) this.#pullUp(s, false);
      return;
    }
    // Its ancestors' least measures still count its old measure: recomputed up to the root.
    this.#unlink(s, true);
    this.#place(s, item);
  }

  /**
   * The first element in order whose measure is within `limit` (every element when none is given)
   * and that `accept` takes, or `undefined`. A subtree is entered only when its least measure is
   * within the limit, so each element passed over costs O(log n).
   */
  firstWhere(accept: (item: T) => boolean, limit: Limit = EVERY): T | undefined {
    const s = this.#firstWhere(this.#root, limit, accept);
    return s === NONE ? undefined : this.#items[s];
  }

  /** The first element in order whose measure is within `limit`: one walk down the tree. */
  firstWithin(within: Limit): T | undefined {
    const limit = within.virtualTime;
    const num = this.#num;
    const link = this.#link;
    let t = this.#root;
    while (t !== NONE) {
      const l = link[t * LINKS + LEFT] as number;
      if (l !== NONE && (num[l * NUMS + LEAST] as number) <= limit) t = l;
      else if ((num[t * NUMS + MEASURE] as number) <= limit) return this.#items[t];
      else {
        const r = link[t * LINKS + RIGHT] as number;
        t = r !== NONE && (num[r * NUMS + LEAST] as number) <= limit ? r : NONE;
      }
    }
    return undefined;
  }

  /** Every element in order. */
  values(): T[] {
    const link = this.#link;
    const out: T[] = [];
    let t = this.#root;
    if (t === NONE) return out;
    while (link[t * LINKS + LEFT] !== NONE) t = link[t * LINKS + LEFT] as number;
    for (; t !== NONE; t = link[t * LINKS + NEXT] as number) out.push(this.#items[t] as T);
    return out;
  }

  /** Files slot `s` (out of the tree, its priority set) by the element's key, seq and measure. */
  #place(s: number, item: T): void {
    const num = this.#num;
    const link = this.#link;
    const o = s * NUMS;
    num[o + KEY] = item.key;
    num[o + SEQ] = item.seq;
    num[o + MEASURE] = item.measure;
    num[o + LEAST] = item.measure;
    let parent = NONE;
    let prev = NONE;
    let next = NONE;
    for (let t = this.#root; t !== NONE;) {
      parent = t;
      if (this.#before(s, t)) {
        next = t;
        t = link[t * LINKS + LEFT] as number;
      } else {
        prev = t;
        t = link[t * LINKS + RIGHT] as number;
      }
    }
    const l = s * LINKS;
    link[l + LEFT] = NONE;
    link[l + RIGHT] = NONE;
    link[l + PARENT] = parent;
    link[l + PREV] = prev;
    link[l + NEXT] = next;
    if (parent === NONE) this.#root = s;
    else link[parent * LINKS + (parent === next ? LEFT : RIGHT)] = s;
    if (prev !== NONE) link[prev * LINKS + NEXT] = s;
    if (next !== NONE) link[next * LINKS + PREV] = s;
    const priority = num[o + PRIORITY] as number;
    for (let p = parent; p !== NONE && (num[p * NUMS + PRIORITY] as number) < priority; p = link[l + PARENT] as number) this.#rotateUp(s);
    this.#pullUp(link[l + PARENT] as number, false);
  }

  /** Takes slot `s` out of the tree (its slot stays); `changed`: its measure changed while in it. */
  #unlink(s: number, changed: boolean): void {
    const num = this.#num;
    const link = this.#link;
    const l = s * LINKS;
    // Down to at most one child, by the children's priorities; then spliced out.
    for (;;) {
      const left = link[l + LEFT] as number;
      const right = link[l + RIGHT] as number;
      if (left === NONE || right === NONE) break;
      this.#rotateUp((num[left * NUMS + PRIORITY] as number) > (num[right * NUMS + PRIORITY] as number) ? left : right);
    }
    const child = link[l + LEFT] !== NONE ? (link[l + LEFT] as number) : (link[l + RIGHT] as number);
    const parent = link[l + PARENT] as number;
    if (child !== NONE) link[child * LINKS + PARENT] = parent;
    this.#replace(parent, s, child);
    this.#pullUp(parent, changed);
    const prev = link[l + PREV] as number;
    const next = link[l + NEXT] as number;
    if (prev !== NONE) link[prev * LINKS + NEXT] = next;
    if (next !== NONE) link[next * LINKS + PREV] = prev;
  }

  #before(a: number, b: number): boolean {
    const num = this.#num;
    const ka = num[a * NUMS + KEY] as number;
    const kb = num[b * NUMS + KEY] as number;
    if (ka !== kb) return ka < kb;
    const sa = num[a * NUMS + SEQ] as number;
    const sb = num[b * NUMS + SEQ] as number;
    if (sa !== sb) return sa < sb;
    return this.#tie(this.#items[a] as T, this.#items[b] as T);
  }

  #firstWhere(t: number, limit: Limit, accept: (item: T) => boolean): number {
    if (t === NONE || (this.#num[t * NUMS + LEAST] as number) > limit.virtualTime) return NONE;
    const left = this.#firstWhere(this.#link[t * LINKS + LEFT] as number, limit, accept);
    if (left !== NONE) return left;
    if ((this.#num[t * NUMS + MEASURE] as number) <= limit.virtualTime && accept(this.#items[t] as T)) return t;
    return this.#firstWhere(this.#link[t * LINKS + RIGHT] as number, limit, accept);
  }

  /** Makes slot `x` take its parent's place, the parent becoming its child (the order is kept). */
  #rotateUp(x: number): void {
    const link = this.#link;
    const p = link[x * LINKS + PARENT] as number;
    const near = link[p * LINKS + LEFT] === x ? LEFT : RIGHT;
    const far = LEFT + RIGHT - near;
    const moved = link[x * LINKS + far] as number;
    link[p * LINKS + near] = moved;
    if (moved !== NONE) link[moved * LINKS + PARENT] = p;
    link[x * LINKS + far] = p;
    const grand = link[p * LINKS + PARENT] as number;
    link[x * LINKS + PARENT] = grand;
    this.#replace(grand, p, x);
    link[p * LINKS + PARENT] = x;
    this.#pull(p);
    this.#pull(x);
  }

  /** Puts slot `to` where `from` was under `parent` (or at the root). */
  #replace(parent: number, from: number, to: number): void {
    if (parent === NONE) this.#root = to;
    else this.#link[parent * LINKS + (this.#link[parent * LINKS + LEFT] === from ? LEFT : RIGHT)] = to;
  }

  /** Recomputes the least measures from slot `t` up, as far as they change (to the root when `all`). */
  #pullUp(t: number, all: boolean): void {
    const num = this.#num;
    for (; t !== NONE; t = this.#link[t * LINKS + PARENT] as number) {
      const least = num[t * NUMS + LEAST];
      this.#pull(t);
      if (num[t * NUMS + LEAST] === least && !all) return;
    }
  }

  /** Recomputes a slot's least measure from its own and its children's. */
  #pull(t: number): void {
    const num = this.#num;
    const link = this.#link;
    let least = num[t * NUMS + MEASURE] as number;
    const left = link[t * LINKS + LEFT] as number;
    const right = link[t * LINKS + RIGHT] as number;
    if (left !== NONE && (num[left * NUMS + LEAST] as number) < least) least = num[left * NUMS + LEAST] as number;
    if (right !== NONE && (num[right * NUMS + LEAST] as number) < least) least = num[right * NUMS + LEAST] as number;
    num[t * NUMS + LEAST] = least;
  }

  /** Doubles the slots' stores. */
  #grow(): void {
    const slots = Math.max(16, 2 * (this.#link.length / LINKS));
    const num = new Float64Array(slots * NUMS);
    num.set(this.#num);
    const link = new Int32Array(slots * LINKS);
    link.set(this.#link);
    this.#num = num;
    this.#link = link;
  }
}

/**
 * Checks every slot's links, least measure and priority against its children's and its
 * neighbours' (throws on the first that is wrong); returns the tree's depth. For tests.
 */
export function verifyTree<T extends TreeItem>(tree: MeasuredTree<T>): number {
  const { num, link, items, root, size, before } = inspect(tree);
  let depth = 0;
  let count = 0;
  const stack: [number, number, number][] = root === NONE ? [] : [[root, NONE, 1]];
  for (let top = stack.pop(); top !== undefined; top = stack.pop()) {
    const [t, parent, d] = top;
    const fail = (what: string): never => {
      throw new Error(`slot ${t}: ${what}`);
    };
    count++;
    depth = Math.max(depth, d);
    if (link[t * LINKS + PARENT] !== parent || items[t]?.treeSlot !== t) fail('links');
    let least = num[t * NUMS + MEASURE] as number;
    for (const side of [LEFT, RIGHT]) {
      const c = link[t * LINKS + side] as number;
      if (c === NONE) continue;
      least = Math.min(least, num[c * NUMS + LEAST] as number);
      if ((num[c * NUMS + PRIORITY] as number) > (num[t * NUMS + PRIORITY] as number)) fail('priority');
      stack.push([c, t, d + 1]);
    }
    if (num[t * NUMS + LEAST] !== least) fail('least measure');
    const next = link[t * LINKS + NEXT] as number;
    if (next !== NONE && (link[next * LINKS + PREV] !== t || !before(t, next))) fail('order');
  }
  if (count !== size) throw new Error(`${count} slots in the tree, size ${size}`);
  return depth;
}
