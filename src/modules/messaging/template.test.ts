import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { customerVariables, parseCached, parseTemplate, renderPreview, renderTemplate, TemplateSyntaxError } from './template.ts';

const render = (source: string, vars: Record<string, string | number | null | undefined>) => renderTemplate(parseTemplate(source), vars);

describe('template parsing', () => {
  it('splits text and variables and lists each variable once, in order of first use', () => {
    const t = parseTemplate('Hi {nickname}, your {coupon} expires; {nickname|friend}!');
    assert.deepEqual(t.variables, ['nickname', 'coupon']);
    assert.deepEqual(t.parts, [
      { text: 'Hi ' }, { variable: 'nickname', fallback: null }, { text: ', your ' }, { variable: 'coupon', fallback: null },
      { text: ' expires; ' }, { variable: 'nickname', fallback: 'friend' }, { text: '!' },
    ]);
  });

  it('reads {{ and }} as literal braces', () => {
    const t = parseTemplate('{{not a var}} {name}');
    assert.deepEqual(t.variables, ['name']);
    assert.deepEqual(render('{{not a var}} {name}', { name: 'A' }), { ok: true, text: '{not a var} A' });
    assert.deepEqual(render('{{{name}}}', { name: 'B' }), { ok: true, text: '{B}' });
  });

  it('accepts attr.<key> names and trims spaces around a name', () => {
    assert.deepEqual(parseTemplate('{ attr.vip_level }').variables, ['attr.vip_level']);
  });

  it('reports syntax errors with their position', () => {
    const cases: [string, number, RegExp][] = [
      ['Hi {name', 3, /not closed/],
      ['Hi name}', 7, /closing brace/],
      ['Hi {} there', 3, /Not a variable name/],
      ['Hi {1abc}', 3, /Not a variable name/],
      ['Hi {first name}', 3, /Not a variable name/],
    ];
    for (const [source, position, message] of cases) {
      assert.throws(() => parseTemplate(source), (err: unknown) => err instanceof TemplateSyntaxError && err.position === position && message.test(err.message), source);
    }
  });

  it('caches parses of the same source', () => {
    assert.equal(parseCached('Hello {x}'), parseCached('Hello {x}'));
  });
});

describe('template rendering', () => {
  it('fills variables, numbers included', () => {
    assert.deepEqual(render('Hi {nickname}, {points} points', { nickname: '小林', points: 120 }), { ok: true, text: 'Hi 小林, 120 points' });
  });

  it('uses the fallback when a variable is absent, null or blank', () => {
    for (const value of [undefined, null, '', '   ']) assert.deepEqual(render('Hi {nickname|朋友}', { nickname: value }), { ok: true, text: 'Hi 朋友' });
    assert.deepEqual(render('Hi {nickname|}!', {}), { ok: true, text: 'Hi !' }, 'an empty fallback is allowed');
  });

  it('fails with the names of missing variables instead of sending "Hi {name}"', () => {
    assert.deepEqual(render('Hi {name}, {coupon} for {name}', { coupon: '' }), { ok: false, missing: ['name', 'coupon'] });
  });

  it('previews with missing variables left in place and named', () => {
    assert.deepEqual(renderPreview(parseTemplate('Hi {name}, {city|Shanghai}'), {}), { text: 'Hi {name}, Shanghai', missing: ['name'] });
  });

  it('gives customers their fields and scalar custom attributes as attr.<key>', () => {
    const vars = customerVariables({ name: '林', nickname: null, city: '杭州', province: '浙江', attributes: { vip: 'gold', points: 3, nested: { a: 1 } } });
    assert.deepEqual(vars, { nickname: null, name: '林', city: '杭州', province: '浙江', 'attr.vip': 'gold', 'attr.points': 3 });
  });
});
