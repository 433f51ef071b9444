/**
 * Reads CSV records with the line number each starts on in the file, as a person opening
 * the file sees it: quoted fields with embedded newlines, CRLF, stray spaces, and Excel's
 * ="0012345" trick for keeping digits as text.
 */
import { parse } from 'csv-parse';

export interface CsvRecord {
  /** 1-based line of the file where the record starts. */
  line: number;
  values: string[];
  /** Byte offset (in the UTF-8 text) just past the record. */
  end: number;
}

export class CsvSyntaxError extends Error {
  readonly line: number;
  constructor(message: string, line: number) {
    super(message);
    this.name = 'CsvSyntaxError';
    this.line = line;
  }
}

/** Removes what spreadsheets wrap around values: spaces, tabs, ="..." and stray quotes. */
export function cleanCell(raw: string): string {
  let v = raw.trim();
  if (v.startsWith('="') && v.endsWith('"') && v.length >= 3) v = v.slice(2, -1).replace(/""/g, '"');
  else if (v.startsWith('=') && /^=\d/.test(v)) v = v.slice(1);
  return v.trim();
}

export function detectDelimiter(firstLine: string): ',' | '\t' | ';' {
  const count = (c: string) => firstLine.split(c).length - 1;
  const tabs = count('\t');
  const commas = count(',');
  if (tabs > commas) return '\t';
  if (count(';') > commas) return ';';
  return ',';
}

const CHUNK = 1 << 20;

/**
 * Yields records of UTF-8 text. Parsing is streamed in chunks so a large file does not hold
 * the event loop (the worker shares its process with the API in `siyu start`).
 */
export async function* readCsvRecords(utf8: Buffer, options: { delimiter?: string } = {}): AsyncGenerator<CsvRecord> {
  const firstNewline = utf8.indexOf(10);
  const delimiter = options.delimiter ?? detectDelimiter(utf8.subarray(0, firstNewline < 0 ? utf8.length : firstNewline).toString('utf8'));
  const parser = parse({
    delimiter,
    info: true,
    relax_column_count: true,
    relax_quotes: true,
    skip_empty_lines: true,
    bom: true,
  });
  const feed = (async () => {
    for (let i = 0; i < utf8.length; i += CHUNK) {
      if (!parser.write(utf8.subarray(i, i + CHUNK))) await new Promise((r) => parser.once('drain', r));
    }
    parser.end();
  })();
  feed.catch(() => {});

  let offset = 0;
  let line = 1;
  const advance = (to: number) => {
    for (let i = utf8.indexOf(10, offset); i >= 0 && i < to; i = utf8.indexOf(10, i + 1)) line++;
    offset = to;
  };
  try {
    for await (const item of parser as AsyncIterable<{ record: string[]; info: { bytes: number } }>) {
      // Skip the line breaks of empty lines before the record, so `line` is where it starts.
      let start = offset;
      while (start < utf8.length && (utf8[start] === 10 || utf8[start] === 13)) start++;
      advance(start);
      const startLine = line;
      advance(item.info.bytes);
      yield { line: startLine, values: item.record, end: item.info.bytes };
    }
  } catch (err) {
    const e = err as Error & { lines?: number; code?: string };
    if (e.code?.startsWith('CSV_') || e.code === 'INVALID_OPENING_QUOTE') {
      throw new CsvSyntaxError(e.message, e.lines ?? line);
    }
    throw err;
  }
  await feed;
}
