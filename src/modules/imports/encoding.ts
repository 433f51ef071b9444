/**
 * Text encodings met in Chinese platform exports: UTF-8 with or without a BOM, GBK/GB18030
 * (Excel on a Chinese Windows saves CSV as GBK), and UTF-16 from Excel's "Unicode text".
 */
import iconv from 'iconv-lite';

export type EncodingChoice = 'auto' | 'utf8' | 'gbk' | 'gb18030';
export type DetectedEncoding = 'utf8' | 'utf8-bom' | 'gbk' | 'gb18030' | 'utf16le' | 'utf16be';

export const ENCODING_CHOICES: readonly EncodingChoice[] = ['auto', 'utf8', 'gbk', 'gb18030'];

const utf8Strict = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });

function hasPrefix(bytes: Uint8Array, prefix: readonly number[]): boolean {
  return prefix.every((b, i) => bytes[i] === b);
}

/**
 * Decides the encoding: a BOM says it; otherwise valid UTF-8 is UTF-8; otherwise GB18030
 * (a superset of GBK, so GBK files decode the same).
 */
export function detectEncoding(bytes: Uint8Array): DetectedEncoding {
  if (hasPrefix(bytes, [0xef, 0xbb, 0xbf])) return 'utf8-bom';
  if (hasPrefix(bytes, [0xff, 0xfe])) return 'utf16le';
  if (hasPrefix(bytes, [0xfe, 0xff])) return 'utf16be';
  try {
    utf8Strict.decode(bytes);
    return 'utf8';
  } catch {
    return 'gb18030';
  }
}

/** Decodes a whole file to text without its BOM, returning the encoding used. */
export function decodeText(bytes: Uint8Array, choice: EncodingChoice): { text: string; encoding: DetectedEncoding } {
  let encoding: DetectedEncoding;
  if (choice === 'auto') encoding = detectEncoding(bytes);
  else if (choice === 'utf8') encoding = hasPrefix(bytes, [0xef, 0xbb, 0xbf]) ? 'utf8-bom' : 'utf8';
  else encoding = choice;
  const buffer = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  switch (encoding) {
    case 'utf8':
      return { text: buffer.toString('utf8'), encoding };
    case 'utf8-bom':
      return { text: buffer.subarray(3).toString('utf8'), encoding };
    case 'utf16le':
    case 'utf16be':
      return { text: stripBom(iconv.decode(buffer, encoding === 'utf16le' ? 'utf-16le' : 'utf-16be')), encoding };
    default:
      return { text: stripBom(iconv.decode(buffer, encoding)), encoding };
  }
}

function stripBom(text: string): string {
  return text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
}
