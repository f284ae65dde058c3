/** A node of an {@link OrderedSet}: the handle its owner keeps to delete or rank the value later. */
export interface SetNode<T> {
  readonly value: T;
  left: SetNode<T> | undefined;
  right: SetNode<T> | undefined;
  /** Nodes in this subtree, itself included: ranks in O(log n). */
  size: number;
  /** The value's measure (0 in a set without one), fixed while it is in the set. */
  readonly measure: number;
  /** The least measure in this subtree: the first value within a limit in O(log n). */
  least: number;
  /** The value's label (`undefined` in a set without them), fixed while it is in the set. */
  readonly label: string | undefined;
  /** The label of a value of the subtree with the least measure. */
  leastLabel: string | undefined;
  /** The least measure among the subtree's values labelled otherwise than `leastLabel`: with `least`, the least measure of the values of any label but one. */
  leastOther: number;
  /** The treap's heap priority: a fixed pseudo-random number, so the shape is balanced in expectation. */
  priority: number;
}

const sizeOf = <T>(node: SetNode<T> | undefined): number => (node === undefined ? 0 : node.size);
/** The least measure of the subtree's values not labelled `except`. */
const leastBut = <T>(node: SetNode<T>, except: string): number => (node.leastLabel !== except ? node.least : node.leastOther);

/**
 * A sorted set with order statistics: insert, delete by handle, first and rank, each O(log n)
 * expected. It is a treap (Seidel & Aragon 1996) whose priorities come from a fixed-seed
 * generator, so its shape — and so its cost — is the same on every run; the values' order never
 * depends on the priorities. Values must be strictly ordered by `before` (no two equal).
 *
 * A set made with a `measure` (a number per value, fixed while the value is in the set) keeps the
 * least measure of each subtree, so that the first value whose measure is within a limit is found
 * in O(log n) however many values before it are not (see {@link OrderedSet.firstWithin}). With
 * labels, each subtree also keeps the least measure of the values labelled otherwise than its least
 * one (the two least of distinct labels), so that the search may pass over one label's values.
 */
export class OrderedSet<T> {
  #root: SetNode<T> | undefined;
  readonly #before: (a: T, b: T) => boolean;
  readonly #measure: ((value: T) => number) | undefined;
  // xorshift32 state: deterministic priorities, no Math.random.
  #seed = 0x2545f491;

  constructor(before: (a: T, b: T) => boolean, measure?: (value: T) => number) {
    this.#before = before;
    this.#measure = measure;
  }

  get size(): number {
    return sizeOf(this.#root);
  }

  /** Adds `value` (not already in the set), with its label if any, and returns its node. */
  insert(value: T, label?: string): SetNode<T> {
    let x = this.#seed;
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    this.#seed = x >>> 0;
    const measure = this.#measure === undefined ? 0 : this.#measure(value);
    const node: SetNode<T> = {
      value, left: undefined, right: undefined, size: 1, measure, least: measure, label, leastLabel: label, leastOther: Number.POSITIVE_INFINITY, priority: this.#seed,
    };
    const [lo, hi] = this.#split(this.#root, value);
    this.#root = this.#merge(this.#merge(lo, node), hi);
    return node;
  }

  /** Removes a node this set returned from {@link OrderedSet.insert}. */
  delete(node: SetNode<T>): void {
    this.#root = this.#delete(this.#root, node);
  }

  /** The least value, or `undefined` when empty. */
  first(): T | undefined {
    let node = this.#root;
    if (node === undefined) return undefined;
    while (node.left !== undefined) node = node.left;
    return node.value;
  }

  /**
   * The first value whose measure `within` accepts (and, when given, not labelled `except`), or
   * `undefined`. `within` must be monotone (if it accepts a measure, it accepts every smaller one),
   * as "fits the room left" is: a subtree is entered only when its least measure (of the values
   * not labelled `except`) is accepted, so the walk is one path from the root.
   */
  firstWithin(within: (measure: number) => boolean, except?: string): T | undefined {
    // Measures are finite: an infinite least is an empty subtree, or one with no value of another label.
    const holds = (node: SetNode<T> | undefined): boolean => {
      const least = node === undefined ? Number.POSITIVE_INFINITY : except === undefined ? node.least : leastBut(node, except);
      return least !== Number.POSITIVE_INFINITY && within(least);
    };
    let t = this.#root;
    while (t !== undefined) {
      if (holds(t.left)) t = t.left;
      else if ((except === undefined || t.label !== except) && within(t.measure)) return t.value;
      else if (holds(t.right)) t = t.right;
      else return undefined;
    }
    return undefined;
  }

  /** How many values come before the node's value (0-based position). */
  rank(node: SetNode<T>): number {
    let rank = 0;
    let t = this.#root;
    while (t !== undefined && t !== node) {
      if (this.#before(node.value, t.value)) {
        t = t.left;
      } else {
        rank += sizeOf(t.left) + 1;
        t = t.right;
      }
    }
    return rank + sizeOf(node.left);
  }

  /** Every value in order; iterative, so a long set cannot overflow the stack. */
  *values(): IterableIterator<T> {
    const stack: SetNode<T>[] = [];
    let t = this.#root;
    while (t !== undefined || stack.length > 0) {
      while (t !== undefined) {
        stack.push(t);
        t = t.left;
      }
      const node = stack.pop() as SetNode<T>;
      yield node.value;
      t = node.right;
    }
  }

  // Splits into the values before `value` and the rest.
  #split(t: SetNode<T> | undefined, value: T): [SetNode<T> | undefined, SetNode<T> | undefined] {
    if (t === undefined) return [undefined, undefined];
    if (this.#before(t.value, value)) {
      const [lo, hi] = this.#split(t.right, value);
      t.right = lo;
      pull(t);
      return [t, hi];
    }
    const [lo, hi] = this.#split(t.left, value);
    t.left = hi;
    pull(t);
    return [lo, t];
  }

  // Joins two treaps whose every value of `a` comes before every value of `b`.
  #merge(a: SetNode<T> | undefined, b: SetNode<T> | undefined): SetNode<T> | undefined {
    if (a === undefined) return b;
    if (b === undefined) return a;
    if (a.priority > b.priority) {
      a.right = this.#merge(a.right, b);
      pull(a);
      return a;
    }
    b.left = this.#merge(a, b.left);
    pull(b);
    return b;
  }

  #delete(t: SetNode<T> | undefined, node: SetNode<T>): SetNode<T> | undefined {
    if (t === undefined) return undefined;
    if (t === node) {
      const rest = this.#merge(node.left, node.right);
      node.left = undefined;
      node.right = undefined;
      node.size = 1;
      node.least = node.measure;
      node.leastLabel = node.label;
      node.leastOther = Number.POSITIVE_INFINITY;
      return rest;
    }
    if (this.#before(node.value, t.value)) t.left = this.#delete(t.left, node);
    else t.right = this.#delete(t.right, node);
    pull(t);
    return t;
  }
}

/** Recomputes a node's subtree figures from its children's. */
function pull<T>(t: SetNode<T>): void {
  const { left, right } = t;
  t.size = 1 + sizeOf(left) + sizeOf(right);
  let least = t.measure;
  let label = t.label;
  if (left !== undefined && left.least < least) {
    least = left.least;
    label = left.leastLabel;
  }
  if (right !== undefined && right.least < least) {
    least = right.least;
    label = right.leastLabel;
  }
  // A part whose least is of another label offers that least; else its own least of other labels.
  let other = t.label !== label ? t.measure : Number.POSITIVE_INFINITY;
  if (left !== undefined) other = Math.min(other, left.leastLabel !== label ? left.least : left.leastOther);
  if (right !== undefined) other = Math.min(other, right.leastLabel !== label ? right.least : right.leastOther);
  t.least = least;
  t.leastLabel = label;
  t.leastOther = other;
}
