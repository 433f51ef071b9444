import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { BinaryCopyParser } from './copy-binary.ts';

/** A binary COPY stream of rows of (int8, int4 or null, int2, bool). */
function encode(rows: [number, number | null, number, boolean][]): Buffer {
  const parts: Buffer[] = [Buffer.from('PGCOPY\n\xff\r\n\0', 'latin1'), Buffer.from([0, 0, 0, 0, 0, 0, 0, 0])];
  for (const [a, b, c, d] of rows) {
    const t = Buffer.alloc(2 + 12 + 4 + (b === null ? 0 : 4) + 6 + 5);
    let p = t.writeInt16BE(4, 0);
    p = t.writeInt32BE(8, p);
    p = t.writeBigInt64BE(BigInt(a), p);
    if (b === null) p = t.writeInt32BE(-1, p);
    else p = t.writeInt32BE(b, t.writeInt32BE(4, p));
    p = t.writeInt16BE(c, t.writeInt32BE(2, p));
    p = t.writeUInt8(d ? 1 : 0, t.writeInt32BE(1, p));
    parts.push(t.subarray(0, p));
  }
  parts.push(Buffer.from([0xff, 0xff]));
  return Buffer.concat(parts);
}

describe('binary COPY parser', () => {
  const rows: [number, number | null, number, boolean][] = [
    [1, 5, 3, true],
    [2 ** 40 + 7, null, -2, false],
    [-(2 ** 33) - 1, -123456, 0, true],
    [Number.MAX_SAFE_INTEGER, 2147483647, 32767, false],
  ];
  const expected = rows.map(([a, b, c, d]) => [a, b, c, d ? 1 : 0]);

  it('reads integers of every width and nulls, whatever the chunk boundaries', () => {
    const bytes = encode(rows);
    for (let cut = 1; cut < bytes.length; cut++) {
      const got: (number | null)[][] = [];
      const parser = new BinaryCopyParser(4, () => got.push([...parser.values].map((v, i) => (parser.isNull[i] ? null : v))));
      parser.push(bytes.subarray(0, cut));
      parser.push(bytes.subarray(cut));
      parser.end();
      assert.deepEqual(got, expected, `split at ${cut}`);
    }
  });

  it('fails on a stream that stops before its trailer, or has the wrong number of columns', () => {
    const bytes = encode(rows);
    const parser = new BinaryCopyParser(4, () => {});
    parser.push(bytes.subarray(0, bytes.length - 2));
    assert.throws(() => parser.end(), /ended early/);
    assert.throws(() => new BinaryCopyParser(3, () => {}).push(bytes), /expected 3 fields/);
  });
});
