/**
 * COPY text collected in large off-heap buffers. Millions of small row strings kept in arrays
 * until a flush made garbage collection the main cost of bulk loading; here each row string
 * dies young and only bytes are kept.
 */
const CHUNK_BYTES = 4 << 20;

export class CopyBuffer {
  readonly chunks: Buffer[] = [];
  #current: Buffer = Buffer.allocUnsafe(CHUNK_BYTES);
  #pos = 0;
  rows = 0;

  push(line: string): void {
    // UTF-8 takes at most 3 bytes per UTF-16 unit.
    if (this.#pos + line.length * 3 > this.#current.length) this.#next(line.length * 3);
    this.#pos += this.#current.write(line, this.#pos);
    this.rows++;
  }

  #next(minBytes: number): void {
    if (this.#pos > 0) this.chunks.push(this.#current.subarray(0, this.#pos));
    this.#current = Buffer.allocUnsafe(Math.max(CHUNK_BYTES, minBytes));
    this.#pos = 0;
  }

  /** The collected bytes, in order. */
  parts(): Buffer[] {
    return this.#pos > 0 ? [...this.chunks, this.#current.subarray(0, this.#pos)] : [...this.chunks];
  }

  /** For tests and small loads: the text. */
  toString(): string {
    return Buffer.concat(this.parts()).toString('utf8');
  }
}
