/**
 * Aho–Corasick multi-pattern matcher: every occurrence of every pattern in one pass over
 * the text, whatever the number of patterns (a naive `includes` loop costs patterns × text).
 */

export interface Match {
  /** Index of the pattern in the list given to the constructor. */
  pattern: number;
  /** [start, end) in the searched text (UTF-16 units). */
  start: number;
  end: number;
}

interface Node {
  next: Map<string, number>;
  fail: number;
  /** Patterns ending here, including those reached through failure links. */
  out: number[];
  depth: number;
}

export class AhoCorasick {
  readonly #nodes: Node[] = [{ next: new Map(), fail: 0, out: [], depth: 0 }];
  readonly #lengths: number[] = [];

  constructor(patterns: readonly string[]) {
    patterns.forEach((p, i) => this.#insert(p, i));
    this.#link();
  }

  #insert(pattern: string, index: number): void {
    this.#lengths[index] = pattern.length;
    if (!pattern) return;
    let state = 0;
    for (const ch of pattern) {
      let next = this.#nodes[state]!.next.get(ch);
      if (next === undefined) {
        next = this.#nodes.length;
        this.#nodes.push({ next: new Map(), fail: 0, out: [], depth: this.#nodes[state]!.depth + 1 });
        this.#nodes[state]!.next.set(ch, next);
      }
      state = next;
    }
    this.#nodes[state]!.out.push(index);
  }

  /** Breadth-first failure links; outputs are merged along them once, at build time. */
  #link(): void {
    const queue: number[] = [];
    for (const child of this.#nodes[0]!.next.values()) queue.push(child);
    for (let head = 0; head < queue.length; head++) {
      const state = queue[head]!;
      const node = this.#nodes[state]!;
      for (const [ch, child] of node.next) {
        let f = node.fail;
        while (f !== 0 && !this.#nodes[f]!.next.has(ch)) f = this.#nodes[f]!.fail;
        const target = this.#nodes[f]!.next.get(ch);
        const childNode = this.#nodes[child]!;
        childNode.fail = target !== undefined && target !== child ? target : 0;
        childNode.out.push(...this.#nodes[childNode.fail]!.out);
        queue.push(child);
      }
    }
  }

  /** Every occurrence, in order of end position. */
  search(text: string): Match[] {
    const matches: Match[] = [];
    let state = 0;
    let pos = 0;
    for (const ch of text) {
      pos += ch.length;
      while (state !== 0 && !this.#nodes[state]!.next.has(ch)) state = this.#nodes[state]!.fail;
      state = this.#nodes[state]!.next.get(ch) ?? 0;
      for (const pattern of this.#nodes[state]!.out) {
        matches.push({ pattern, start: pos - this.#lengths[pattern]!, end: pos });
      }
    }
    return matches;
  }
}
