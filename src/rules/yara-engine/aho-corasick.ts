/**
 * Aho-Corasick automaton over case-folded (ASCII) byte atoms, built as a full transition table
 * so that one pass over a file costs one table lookup per byte. The scan reports which atom
 * groups (here: YARA strings) have at least one atom in the data.
 */

export interface AtomAutomaton {
  /**
   * Marks `hit[group] = epoch` for every group with an atom in `data`, and appends
   * (group, start offset) for each atom occurrence to `found` while it holds fewer than `cap`
   * numbers. Returns false when some occurrences were left out (cap reached).
   */
  scan(data: Uint8Array, hit: Uint32Array, epoch: number, found: number[], cap: number): boolean;
  readonly states: number;
}

const lower = (b: number): number => (b >= 65 && b <= 90 ? b | 32 : b);

/** `atoms[i]` is a case-folded latin1 literal of group `groups[i]`. */
export function buildAutomaton(atoms: readonly string[], groups: readonly number[]): AtomAutomaton {
  // Trie, in a growable table (-1: no edge).
  let cap = 1024;
  let trie = new Int32Array(cap * 256).fill(-1);
  // Per state: (group, atom length) pairs, encoded as group * 65536 + length.
  const outs: Set<number>[] = [new Set()];
  let n = 1;
  atoms.forEach((a, i) => {
    let s = 0;
    for (let k = 0; k < a.length; k++) {
      const b = lower(a.charCodeAt(k));
      let t = trie[s * 256 + b] as number;
      if (t < 0) {
        t = n++;
        if (n > cap) {
          const bigger = new Int32Array(cap * 2 * 256).fill(-1);
          bigger.set(trie);
          trie = bigger;
          cap *= 2;
        }
        outs.push(new Set());
        trie[s * 256 + b] = t;
      }
      s = t;
    }
    outs[s]?.add((groups[i] as number) * 65536 + a.length);
  });
  const Table = n < 65536 ? Uint16Array : Uint32Array;
  const delta = new Table(n * 256);
  const fail = new Uint32Array(n);
  // Breadth-first: failure links and the full transition function.
  const queue: number[] = [];
  for (let b = 0; b < 256; b++) {
    const t = trie[b] as number;
    if (t >= 0) {
      delta[b] = t;
      queue.push(t);
    }
  }
  for (let qi = 0; qi < queue.length; qi++) {
    const s = queue[qi] as number;
    const f = fail[s] as number;
    for (const g of outs[f] ?? []) outs[s]?.add(g);
    const row = s * 256;
    const frow = f * 256;
    for (let b = 0; b < 256; b++) {
      const t = trie[row + b] as number;
      if (t >= 0) {
        delta[row + b] = t;
        fail[t] = delta[frow + b] as number;
        queue.push(t);
      } else delta[row + b] = delta[frow + b] as number;
    }
  }
  // Fold: an upper-case input byte moves like its lower-case form.
  for (let s = 0; s < n; s++) for (let b = 65; b <= 90; b++) delta[s * 256 + b] = delta[s * 256 + (b | 32)] as number;
  const hasOut = new Uint8Array(n);
  const outList: Uint32Array[] = outs.map((o, s) => {
    if (o.size) hasOut[s] = 1;
    return Uint32Array.from(o);
  });
  const outGroup = outList.map((l) => Uint32Array.from(l, (v) => Math.floor(v / 65536)));
  const outLen = outList.map((l) => Uint32Array.from(l, (v) => v % 65536));

  return {
    states: n,
    scan(data, hit, epoch, found, cap) {
      let s = 0;
      let complete = true;
      const len = data.length;
      for (let i = 0; i < len; i++) {
        s = delta[(s << 8) | (data[i] as number)] as number;
        if (hasOut[s] !== 0) {
          const gs = outGroup[s] as Uint32Array;
          const ls = outLen[s] as Uint32Array;
          for (let k = 0; k < gs.length; k++) {
            const g = gs[k] as number;
            hit[g] = epoch;
            if (found.length < cap) found.push(g, i + 1 - (ls[k] as number));
            else complete = false;
          }
        }
      }
      return complete;
    },
  };
}
