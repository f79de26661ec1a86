/** Strings kept once each, referred to by their place in `strings` (hit packs, order indexes). */
export class StringTable {
  readonly strings: string[] = [];
  private readonly index = new Map<string, number>();

  /** The place of `s`, added on first sight. */
  ref(s: string): number {
    let i = this.index.get(s);
    if (i === undefined) {
      i = this.strings.length;
      this.strings.push(s);
      this.index.set(s, i);
    }
    return i;
  }
}
