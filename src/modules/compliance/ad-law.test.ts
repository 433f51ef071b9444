import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import fc from 'fast-check';
import { AhoCorasick } from './aho-corasick.ts';
import { createAdLawChecker } from './ad-law.ts';
import { BLOCK_TERMS, WARN_TERMS } from './ad-law-terms.ts';
import { loadExtraDictionary, SENSITIVE_WORDS_DIR } from './dictionary.ts';
import { normalizeForMatching } from './normalize.ts';

const ownLists = createAdLawChecker({ useDictionary: false });

describe('advertising-law check', () => {
  it('blocks statutory terms and names them with their place in the text', () => {
    const text = '本品是国家级认证的最佳选择';
    const r = ownLists.check(text);
    assert.equal(r.verdict, 'block');
    const terms = r.findings.map((f) => [f.term, f.tier, text.slice(f.start, f.end)]);
    assert.deepEqual(terms, [['国家级', 'block', '国家级'], ['最佳', 'block', '最佳']]);
  });

  it('warns on practice terms and sends nothing on clean text', () => {
    const warned = ownLists.check('独家首发，限量供应');
    assert.equal(warned.verdict, 'warn');
    assert.deepEqual(warned.findings.map((f) => f.term).sort(), ['独家', '首发'].sort());
    assert.deepEqual(ownLists.check('您好，您的订单已发货，请注意查收。'), { verdict: 'ok', findings: [] });
  });

  it('sees through spaces, punctuation, emoji, zero-width, full-width and traditional variants', () => {
    const variants = ['最 佳', '最-佳', '最*佳', '最。佳', '最\u200b佳', '最🔥佳', '最 ， 佳', '國 家 級', 'ＮＯ．１', 'No. 1', 'Top 1', '100 % 有 效', '根\t治', '絕無僅有'];
    for (const v of variants) {
      const r = ownLists.check(`这款面霜是${v}的`);
      assert.equal(r.verdict, 'block', `${v} evaded the check`);
      assert.equal(r.findings[0]!.matched.replace(/\s/g, '').length > 0, true);
      assert.equal(r.findings[0]!.matched, v.trim(), `highlight of ${v}`);
    }
  });

  it('does not flag ordinary phrases that contain a warn term, nor numbers that contain a latin term', () => {
    assert.equal(ownLists.check('第一次下单立减10元，第一时间通知您').verdict, 'ok');
    assert.equal(ownLists.check('订单 No.12345 已发货').verdict, 'ok');
    assert.equal(ownLists.check('Top 10 好物').verdict, 'ok');
    assert.equal(ownLists.check('全国第一家门店').verdict, 'block');
    assert.equal(ownLists.check('我们是第一').verdict, 'warn');
  });

  it('takes workspace terms in both tiers', () => {
    const checker = createAdLawChecker({ useDictionary: false, blockTerms: ['秒杀价'], warnTerms: ['爆款'] });
    assert.equal(checker.check('今日秒 杀 价').verdict, 'block');
    const warned = checker.check('今日爆款');
    assert.equal(warned.verdict, 'warn');
    assert.equal(warned.findings[0]!.source, 'workspace');
  });

  it('lists every term in exactly one tier', () => {
    const both = BLOCK_TERMS.filter((t) => WARN_TERMS.includes(t));
    assert.deepEqual(both, []);
  });
});

describe('extra advertising dictionary', () => {
  it('loads 广告* lists from a folder, skipping single characters, and is absent without the folder', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'siyu-words-'));
    fs.mkdirSync(path.join(dir, 'a', 'Vocabulary'), { recursive: true });
    fs.writeFileSync(path.join(dir, 'a', '广告.txt'), '代购\r\nQ\r\n\r\n微店\n');
    fs.writeFileSync(path.join(dir, 'a', 'Vocabulary', '广告类型.txt'), '代购\n刷单\n');
    fs.writeFileSync(path.join(dir, 'a', '政治类.txt'), '不读\n');
    const dict = loadExtraDictionary(dir)!;
    assert.deepEqual(dict.words.sort(), ['代购', '刷单', '微店'].sort());
    assert.equal(dict.files.length, 2);
    assert.equal(loadExtraDictionary(path.join(dir, 'missing')), null);
    fs.rmSync(dir, { recursive: true });
  });

  it('adds warn-tier findings from the shared lists when they are present', { skip: fs.existsSync(SENSITIVE_WORDS_DIR) ? false : `no word lists at ${SENSITIVE_WORDS_DIR}: skipped` }, () => {
    const checker = createAdLawChecker();
    const dict = loadExtraDictionary()!;
    const word = dict.words.find((w) => /^[\u4e00-\u9fff]{2,}$/.test(w))!;
    const r = checker.check(`欢迎${word}`);
    assert.ok(r.findings.some((f) => f.source === 'dictionary' && f.tier === 'warn'), `${word} not found`);
    assert.ok(checker.size > ownLists.size);
  });
});

describe('Aho–Corasick matcher', () => {
  const naive = (patterns: string[], text: string) => {
    const out: string[] = [];
    patterns.forEach((p, i) => {
      if (!p) return;
      for (let at = text.indexOf(p); at !== -1; at = text.indexOf(p, at + 1)) out.push(`${i}@${at}`);
    });
    return out.sort();
  };

  it('finds exactly what a naive search finds', () => {
    const alphabet = fc.constantFrom('a', 'b', 'c', '最', '佳');
    const word = fc.array(alphabet, { minLength: 1, maxLength: 4 }).map((a) => a.join(''));
    fc.assert(
      fc.property(fc.array(word, { minLength: 1, maxLength: 8 }), fc.array(alphabet, { maxLength: 40 }).map((a) => a.join('')), (patterns, text) => {
        const got = new AhoCorasick(patterns).search(text).map((m) => `${m.pattern}@${m.start}`).sort();
        assert.deepEqual(got, naive(patterns, text));
      }),
      { numRuns: 300 },
    );
  });

  it('maps normalised positions back to the original text', () => {
    const n = normalizeForMatching('Ａ b，c');
    assert.equal(n.text, 'abc');
    assert.deepEqual([...n.origin], [0, 2, 4]);
    assert.deepEqual([...n.originEnd], [1, 3, 5]);
  });
});
