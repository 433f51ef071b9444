/**
 * Static checks of the console's translations (no browser needed): both languages have the
 * same keys and placeholders, every key the code names exists, and every role, permission
 * and area the server knows has a label.
 */
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { describe, it } from 'node:test';
import { projectRoot } from '../../src/platform/config.ts';
import { ALL_PERMISSIONS } from '../../src/platform/http/context.ts';
import { ROLES } from '../../src/modules/access/permissions.ts';
import { en } from '../../web/src/i18n/en.ts';
import { zhCN } from '../../web/src/i18n/zh-CN.ts';

type Tree = { [key: string]: string | Tree };

function flatten(tree: Tree, prefix = '', out = new Map<string, string>()): Map<string, string> {
  for (const [key, value] of Object.entries(tree)) {
    const full = prefix ? `${prefix}.${key}` : key;
    if (typeof value === 'string') out.set(full, value);
    else flatten(value, full, out);
  }
  return out;
}

const zh = flatten(zhCN);
const english = flatten(en);
const srcDir = path.join(projectRoot, 'web', 'src');

function sourceFiles(dir: string, acc: string[] = []): string[] {
  for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) sourceFiles(full, acc);
    else if (/\.tsx?$/.test(entry.name)) acc.push(full);
  }
  return acc;
}

const placeholders = (text: string) => [...text.matchAll(/\{\{(\w+)\}\}/g)].map((m) => m[1]).sort();

describe('console i18n resources', () => {
  it('has the same keys in zh-CN and en, none of them empty', () => {
    assert.deepEqual([...english.keys()].sort(), [...zh.keys()].sort());
    for (const [key, value] of [...zh, ...english]) assert.ok(value.trim().length > 0, `empty translation: ${key}`);
  });

  it('uses the same placeholders in both languages', () => {
    for (const [key, value] of zh) assert.deepEqual(placeholders(english.get(key) ?? ''), placeholders(value), `placeholders of ${key}`);
  });

  it('defines every key the console code names literally', () => {
    const missing: string[] = [];
    let named = 0;
    for (const file of sourceFiles(srcDir)) {
      const text = fs.readFileSync(file, 'utf8');
      for (const m of text.matchAll(/\bt\(\s*'([^']+)'|labelKey:\s*'([^']+)'/g)) {
        const key = m[1] ?? m[2]!;
        named++;
        if (!zh.has(key)) missing.push(`${path.relative(projectRoot, file)}: ${key}`);
      }
    }
    assert.ok(named > 100, `only ${named} literal keys found: is the pattern still right?`);
    assert.deepEqual(missing, []);
  });

  it('labels every role, permission and navigation area', () => {
    for (const role of ROLES) assert.ok(zh.has(`roles.${role}`), `roles.${role}`);
    for (const permission of ALL_PERMISSIONS) assert.ok(zh.has(`permissions.${permission}`), `permissions.${permission}`);
    const nav = fs.readFileSync(path.join(srcDir, 'app', 'nav.tsx'), 'utf8');
    const areas = [...nav.matchAll(/\{ key: '([^']+)'/g)].map((m) => m[1]!);
    assert.ok(areas.length >= 15, `expected the 15 areas in nav.tsx, found ${areas.length}`);
    for (const area of areas) {
      assert.ok(zh.has(`nav.${area}`), `nav.${area}`);
      if (area !== 'settings') assert.ok(zh.has(`areas.${area}`), `areas.${area}`);
    }
  });

  it('keeps Chinese text out of the code: it lives in the translations', () => {
    const offenders: string[] = [];
    for (const file of sourceFiles(srcDir)) {
      const rel = path.relative(srcDir, file);
      if (rel.startsWith(`i18n${path.sep}`)) continue;
      const lines = fs.readFileSync(file, 'utf8').split('\n');
      lines.forEach((line, i) => {
        // The demo workspace's stored name and CJK font names are data, not UI text.
        if (/[\u4e00-\u9fff]/.test(line) && !/DEMO_NAME = |fontFamily|'PingFang SC'/.test(line)) offenders.push(`${rel}:${i + 1}`);
      });
    }
    assert.deepEqual(offenders, []);
  });
});
