/**
 * Normalisation against the usual evasions of word filters, keeping a map back to the
 * original text so findings can be highlighted where the reader sees them:
 * - full-width and other compatibility forms (ＮＯ．１, ①) fold to plain ones (NFKC);
 * - letters compare case-insensitively;
 * - traditional characters of the listed terms fold to simplified;
 * - spaces, punctuation, symbols, emoji and invisible characters inserted between the
 *   characters of a term are skipped ("最 佳", "最-佳", "最*佳", "最\u200b佳").
 */

// Traditional -> simplified for the characters the word lists use (and common neighbours).
const TRADITIONAL = '國級極獨絕對頂優強無僅萬銷網業藥證癒療復發產專權領導馳標檢殺熱選價驗貨實賣買質創號純億試寶體為個們來時會還點歡長華廣傳說後與處給讓經過當從開關問題將應學見間門東車軍頭狀態際機構薦擊搶瘋險認護膚斷確輕鬆獎劑壽預顏遠電話費歷';
const SIMPLIFIED  = '国级极独绝对顶优强无仅万销网业药证愈疗复发产专权领导驰标检杀热选价验货实卖买质创号纯亿试宝体为个们来时会还点欢长华广传说后与处给让经过当从开关问题将应学见间门东车军头状态际机构荐击抢疯险认护肤断确轻松奖剂寿预颜远电话费历';

const T2S = new Map<string, string>();
for (let i = 0; i < TRADITIONAL.length; i++) T2S.set(TRADITIONAL[i]!, SIMPLIFIED[i]!);

// Separators an evader inserts: whitespace, punctuation, symbols (incl. emoji), format chars.
const SKIP = /[\s\p{P}\p{S}\p{Cf}\p{M}]/u;

export interface Normalized {
  /** The normalised text. */
  text: string;
  /** For each UTF-16 unit of `text`: [start, end) of the original code point it came from. */
  origin: Int32Array;
  originEnd: Int32Array;
}

/** Folds one code point: NFKC, lower case, traditional to simplified. */
export function foldChar(ch: string): string {
  let out = '';
  for (const c of ch.normalize('NFKC').toLowerCase()) out += T2S.get(c) ?? c;
  return out;
}

/** Normalises text for matching, with the map back to original positions. */
export function normalizeForMatching(input: string): Normalized {
  let text = '';
  const starts: number[] = [];
  const ends: number[] = [];
  let pos = 0;
  for (const ch of input) {
    const end = pos + ch.length;
    for (const f of foldChar(ch)) {
      if (SKIP.test(f)) continue;
      for (let k = 0; k < f.length; k++) {
        starts.push(pos);
        ends.push(end);
      }
      text += f;
    }
    pos = end;
  }
  return { text, origin: Int32Array.from(starts), originEnd: Int32Array.from(ends) };
}

/** The normalised form of a list term (what the matcher stores). */
export function normalizeTerm(term: string): string {
  return normalizeForMatching(term).text;
}
