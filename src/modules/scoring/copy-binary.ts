/**
 * A streaming parser of PostgreSQL's binary COPY format for rows of integer columns
 * (bool, int2, int4, int8). Binary output spares the server from formatting a million rows
 * as text and this side from parsing it; each row lands in one reused array, no object per row.
 */
const SIGNATURE = Buffer.from('PGCOPY\n\xff\r\n\0', 'latin1');
const TWO_32 = 4294967296;

export class BinaryCopyParser {
  readonly values: Float64Array;
  /** 1 where the field of the current row is null. */
  readonly isNull: Uint8Array;
  rows = 0;
  #pending: Buffer = Buffer.alloc(0);
  #headerDone = false;
  #done = false;
  readonly #columns: number;
  readonly #onRow: () => void;

  constructor(columns: number, onRow: () => void) {
    this.#columns = columns;
    this.values = new Float64Array(columns);
    this.isNull = new Uint8Array(columns);
    this.#onRow = onRow;
  }

  push(chunk: Buffer): void {
    let buf = this.#pending.length ? Buffer.concat([this.#pending, chunk]) : chunk;
    let pos = 0;
    if (!this.#headerDone) {
      if (buf.length < 19) {
        this.#pending = buf;
        return;
      }
      if (!buf.subarray(0, 11).equals(SIGNATURE)) throw new Error('not a binary COPY stream');
      pos = 19 + buf.readInt32BE(15);
      this.#headerDone = true;
    }
    for (;;) {
      const next = this.#tuple(buf, pos);
      if (next < 0) break;
      pos = next;
      if (this.#done) break;
    }
    buf = buf.subarray(pos);
    // Keep only the incomplete tail (copied, so the big chunk can be freed).
    this.#pending = buf.length ? Buffer.from(buf) : Buffer.alloc(0);
  }

  /** Checks that the stream ended with its trailer. */
  end(): void {
    if (!this.#done) throw new Error('binary COPY stream ended early');
  }

  /** Parses one tuple at `pos`; returns the position after it, or -1 if more bytes are needed. */
  #tuple(buf: Buffer, pos: number): number {
    if (pos + 2 > buf.length) return -1;
    const fields = buf.readInt16BE(pos);
    if (fields === -1) {
      this.#done = true;
      return pos + 2;
    }
    if (fields !== this.#columns) throw new Error(`binary COPY: expected ${this.#columns} fields, got ${fields}`);
    let p = pos + 2;
    const { values, isNull } = this;
    for (let i = 0; i < fields; i++) {
      if (p + 4 > buf.length) return -1;
      const len = buf.readInt32BE(p);
      p += 4;
      if (len === -1) {
        isNull[i] = 1;
        values[i] = 0;
        continue;
      }
      if (p + len > buf.length) return -1;
      isNull[i] = 0;
      if (len === 8) values[i] = buf.readInt32BE(p) * TWO_32 + buf.readUInt32BE(p + 4);
      else if (len === 4) values[i] = buf.readInt32BE(p);
      else if (len === 2) values[i] = buf.readInt16BE(p);
      else if (len === 1) values[i] = buf[p]!;
      else throw new Error(`binary COPY: unsupported field of ${len} bytes`);
      p += len;
    }
    this.rows++;
    this.#onRow();
    return p;
  }
}
