/**
 * An element of a {@link MeasuredTree}: ordered by `key`, then `seq`, then the tree's tie-break,
 * with a `measure` of its own. The tree writes the other fields; an element belongs to at most one
 * tree at a time, and its `key`, `seq` and `measure` stay as they were filed while it is in one.
 */
export interface TreeItem<T> {
  key: number;
  seq: number;
  measure: number;
  /** The least measure in the element's subtree (written by the tree). */
  least: number;
  left: T | undefined;
  right: T | undefined;
  /** Its heap priority in the treap (written by the tree). */
  priority: number;
}

/**
 * The limit of a search: the measures at most `virtualTime` (WF2Q+'s due members). An object, not a
 * number: a number passed to a call V8 does not inline is boxed, 16 bytes on every route.
 */
export interface Limit {
  readonly virtualTime: number;
}

/** The limit that takes every element. */
const EVERY: Limit = { virtualTime: Number.POSITIVE_INFINITY };

/**
 * A sorted set whose elements are its own nodes, each subtree keeping its least measure: insert,
 * remove and "the first element whose measure is at most x" each cost O(log n) expected, however
 * many elements before the answer measure more. It is what WF2Q+ needs (the due member with the
 * least virtual finish: order by finish, measure the start), and it allocates nothing: no node
 * objects, no tuples, so a re-file on the route path costs no garbage.
 *
 * A treap (Seidel & Aragon 1996) kept by rotations, with priorities from a fixed-seed xorshift, so
 * its shape — and its cost — is the same on every run. The elements' order never depends on the
 * priorities: it is a total order (key, seq, tie), so the answer to every query is the same
 * whatever the shape, and a tree rebuilt from the same elements answers as the original.
 */
export class MeasuredTree<T extends TreeItem<T>> {
  #root: T | undefined;
  #size = 0;
  readonly #tie: (a: T, b: T) => boolean;
  #seed = 0x2545f491;

  /** @param tie - the order of two elements of equal key and seq. */
  constructor(tie: (a: T, b: T) => boolean) {
    this.#tie = tie;
  }

  get size(): number {
    return this.#size;
  }

  /** The root, whose `least` is the least measure of all (`undefined` when empty). */
  get root(): T | undefined {
    return this.#root;
  }

  insert(item: T): void {
    let x = this.#seed;
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    this.#seed = x >>> 0;
    item.priority = this.#seed;
    item.left = undefined;
    item.right = undefined;
    item.least = item.measure;
    this.#root = this.#insert(this.#root, item);
    this.#size++;
  }

  /** Removes an element of this tree; its `key`, `seq` and `measure` must be as when inserted. */
  remove(item: T): void {
    this.#root = this.#remove(this.#root as T, item);
    item.left = undefined;
    item.right = undefined;
    this.#size--;
  }

  /**
   * The first element in order whose measure is within `limit` (every element when none is given)
   * and that `accept` takes, or `undefined`. A subtree is entered only when its least measure is
   * within the limit, so each element passed over costs O(log n).
   */
  firstWhere(accept: (item: T) => boolean, limit: Limit = EVERY): T | undefined {
    return this.#firstWhere(this.#root, limit, accept);
  }

  /** The first element in order whose measure is within `limit`: one walk down the tree. */
  firstWithin(within: Limit): T | undefined {
    const limit = within.virtualTime;
    let t = this.#root;
    while (t !== undefined) {
      const l = t.left;
      if (l !== undefined && l.least <= limit) t = l;
      else if (t.measure <= limit) return t;
      else {
        const r = t.right;
        t = r !== undefined && r.least <= limit ? r : undefined;
      }
    }
    return undefined;
  }

  /** Every element in order; iterative, so a deep tree cannot overflow the stack. */
  values(): T[] {
    const out: T[] = [];
    const stack: T[] = [];
    let t = this.#root;
    while (t !== undefined || stack.length > 0) {
      while (t !== undefined) {
        stack.push(t);
        t = t.left;
      }
      const node = stack.pop() as T;
      out.push(node);
      t = node.right;
    }
    return out;
  }

  #before(a: T, b: T): boolean {
    if (a.key !== b.key) return a.key < b.key;
    if (a.seq !== b.seq) return a.seq < b.seq;
    return this.#tie(a, b);
  }

  #firstWhere(t: T | undefined, limit: Limit, accept: (item: T) => boolean): T | undefined {
    if (t === undefined || t.least > limit.virtualTime) return undefined;
    return this.#firstWhere(t.left, limit, accept) ?? (t.measure <= limit.virtualTime && accept(t) ? t : this.#firstWhere(t.right, limit, accept));
  }

  #insert(t: T | undefined, item: T): T {
    if (t === undefined) return item;
    if (this.#before(item, t)) {
      const l = this.#insert(t.left, item);
      t.left = l;
      if (l.priority > t.priority) return rotateRight(t);
    } else {
      const r = this.#insert(t.right, item);
      t.right = r;
      if (r.priority > t.priority) return rotateLeft(t);
    }
    pull(t);
    return t;
  }

  #remove(t: T, item: T): T | undefined {
    if (t === item) return join(item.left, item.right);
    if (this.#before(item, t)) t.left = this.#remove(t.left as T, item);
    else t.right = this.#remove(t.right as T, item);
    pull(t);
    return t;
  }
}

/** Recomputes a node's least measure from its children's. */
function pull<T extends TreeItem<T>>(t: T): void {
  let least = t.measure;
  const { left, right } = t;
  if (left !== undefined && left.least < least) least = left.least;
  if (right !== undefined && right.least < least) least = right.least;
  t.least = least;
}

function rotateRight<T extends TreeItem<T>>(t: T): T {
  const l = t.left as T;
  t.left = l.right;
  pull(t);
  l.right = t;
  pull(l);
  return l;
}

function rotateLeft<T extends TreeItem<T>>(t: T): T {
  const r = t.right as T;
  t.right = r.left;
  pull(t);
  r.left = t;
  pull(r);
  return r;
}

/** Joins two treaps whose every element of `a` comes before every element of `b`. */
function join<T extends TreeItem<T>>(a: T | undefined, b: T | undefined): T | undefined {
  if (a === undefined) return b;
  if (b === undefined) return a;
  if (a.priority > b.priority) {
    a.right = join(a.right, b);
    pull(a);
    return a;
  }
  b.left = join(a, b.left);
  pull(b);
  return b;
}
