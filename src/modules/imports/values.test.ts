import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import iconv from 'iconv-lite';
import fc from 'fast-check';
import { cleanCell, readCsvRecords } from './csv-reader.ts';
import { decodeText, detectEncoding } from './encoding.ts';
import { lineAmountFen, LocalTimeParser, parseAmount, parseQuantity } from './values.ts';

async function records(text: string) {
  const out: [number, string[]][] = [];
  for await (const r of readCsvRecords(Buffer.from(text))) out.push([r.line, r.values]);
  return out;
}

describe('amounts', () => {
  it('parses yuan exactly to fen, with the noise exports put around numbers', () => {
    assert.deepEqual(parseAmount('12.5', 'yuan'), { ok: true, value: 1250 });
    assert.deepEqual(parseAmount(' ¥1,234.05 ', 'yuan'), { ok: true, value: 123405 });
    assert.deepEqual(parseAmount('-3', 'yuan'), { ok: true, value: -300 });
    assert.deepEqual(parseAmount('1999', 'fen'), { ok: true, value: 1999 });
    assert.equal(parseAmount('12.345', 'yuan').ok, false);
    assert.equal(parseAmount('abc', 'yuan').ok, false);
    assert.equal(parseAmount('12.5', 'fen').ok, false);
  });

  it('rounds sub-fen values half away from zero only when asked', () => {
    assert.deepEqual(parseAmount('0.005', 'yuan', 'half_up'), { ok: true, value: 1 });
    assert.deepEqual(parseAmount('0.001', 'yuan', 'half_up'), { ok: true, value: 0 });
    assert.deepEqual(lineAmountFen(3, '0.125', 'yuan', 'half_up'), { ok: true, value: 38 });
    assert.equal(lineAmountFen(3, '0.125', 'yuan', 'exact').ok, false);
    assert.deepEqual(lineAmountFen(6, '2.55', 'yuan', 'exact'), { ok: true, value: 1530 });
  });

  it('computes line amounts exactly for any quantity and two-decimal price', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 100_000 }), fc.integer({ min: 0, max: 10_000_000 }), (qty, fen) => {
        const text = `${Math.trunc(fen / 100)}.${String(fen % 100).padStart(2, '0')}`;
        const r = lineAmountFen(qty, text, 'yuan', 'exact');
        return r.ok && r.value === qty * fen;
      }),
    );
  });

  it('reads quantities, including spreadsheet floats like 6.0', () => {
    assert.deepEqual(parseQuantity('6.0'), { ok: true, value: 6 });
    assert.deepEqual(parseQuantity('-12'), { ok: true, value: -12 });
    assert.equal(parseQuantity('1.5').ok, false);
  });
});

describe('local times', () => {
  it('reads local times in the export time zone, trying each format', () => {
    const shanghai = new LocalTimeParser('Asia/Shanghai');
    assert.equal((shanghai.parse('2024-03-01 10:15:30') as { value: Date }).value.toISOString(), '2024-03-01T02:15:30.000Z');
    assert.equal((shanghai.parse('2024/3/7 14:05') as { value: Date }).value.toISOString(), '2024-03-07T06:05:00.000Z');
    const london = new LocalTimeParser('Europe/London');
    assert.equal((london.parse('2011-06-01 10:00:00') as { value: Date }).value.toISOString(), '2011-06-01T09:00:00.000Z');
    assert.deepEqual(shanghai.parse('2024-13-45 08:00:00').ok, false);
  });
});

describe('encodings', () => {
  it('detects a BOM, UTF-8 and otherwise GB18030', () => {
    const text = '订单编号,买家会员名\n1,张三\n';
    assert.equal(detectEncoding(Buffer.from(text)), 'utf8');
    assert.equal(detectEncoding(Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(text)])), 'utf8-bom');
    const gbk = iconv.encode(text, 'gbk');
    assert.equal(detectEncoding(gbk), 'gb18030');
    assert.equal(decodeText(gbk, 'auto').text, text);
    assert.equal(decodeText(iconv.encode(text, 'gb18030'), 'gb18030').text, text);
    assert.equal(decodeText(Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(text)]), 'utf8').text, text);
    assert.equal(decodeText(iconv.encode(`\ufeff${text}`, 'utf-16le'), 'auto').text, text);
  });
});

describe('csv reading', () => {
  it('gives each record the line it starts on, across CRLF, embedded newlines and empty lines', async () => {
    assert.deepEqual(await records('a,b\r\n1,"x\r\ny"\r\n\r\n2,z\r\n3,"q"'), [
      [1, ['a', 'b']],
      [2, ['1', 'x\r\ny']],
      [5, ['2', 'z']],
      [6, ['3', 'q']],
    ]);
  });

  it('reads tab-separated text and keeps stray quotes and Excel formulas readable', async () => {
    assert.deepEqual(await records('a\tb\n1\t ="0012" \n'), [
      [1, ['a', 'b']],
      [2, ['1', ' ="0012" ']],
    ]);
    assert.equal(cleanCell(' ="0012" '), '0012');
    assert.equal(cleanCell('=123'), '123');
    assert.equal(cleanCell('\t13812345678'), '13812345678');
  });
});
