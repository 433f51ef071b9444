/** Money is integer fen (1 yuan = 100 fen) everywhere; these helpers convert at the edges. */

const YUAN_RE = /^(-)?(\d+)(?:\.(\d{1,2}))?$/;

/** Parses a decimal yuan string ("12.5", "-3.05") into fen without floating-point error. */
export function parseYuanToFen(text: string): number | null {
  const m = YUAN_RE.exec(text.trim().replace(/,/g, ''));
  if (!m) return null;
  const fen = Number(m[2]) * 100 + Number((m[3] ?? '').padEnd(2, '0'));
  if (!Number.isSafeInteger(fen)) return null;
  return m[1] ? -fen : fen;
}

export function formatFen(fen: number, options: { symbol?: boolean } = {}): string {
  const sign = fen < 0 ? '-' : '';
  const abs = Math.abs(fen);
  const text = `${sign}${Math.trunc(abs / 100)}.${String(abs % 100).padStart(2, '0')}`;
  return options.symbol ? `¥${text}` : text;
}
