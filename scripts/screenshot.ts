/**
 * Takes the console screenshot used in the docs: signed in, zh-CN, on a throwaway
 * embedded database with a demo workspace. Uses the browser test harness (Debian's Chromium).
 *
 *   node scripts/screenshot.ts [output.png]    default docs/images/console.png
 *
 * Build the console first (`npm run build:web`; `npm install` does it). Chinese text needs a
 * CJK font on the machine (Debian: fonts-noto-cjk or fonts-wqy-microhei).
 */
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { systemContext } from '../src/platform/http/context.ts';
import { launchBrowser, newPage, signInThroughUi, startConsoleServer, TEST_PASSWORD } from '../test/browser/harness.ts';

const output = path.resolve(process.argv[2] ?? path.join(import.meta.dirname, '..', 'docs', 'images', 'console.png'));

const cjkFonts = spawnSync('fc-list', [':lang=zh', 'family'], { encoding: 'utf8' });
if (cjkFonts.status === 0 && !cjkFonts.stdout.trim()) {
  process.stderr.write('screenshot: warning, no CJK font installed; Chinese text will show as boxes (apt-get install fonts-noto-cjk)\n');
}

const server = await startConsoleServer();
const browser = await launchBrowser();
try {
  const { access } = server.siyu;
  const owner = await access.users.createUser({ email: 'demo@siyu.local', name: '林晓', password: TEST_PASSWORD, locale: 'zh-CN' });
  const demo = await access.workspaces.createWorkspace(
    { name: '演示品牌', timeZone: 'Asia/Shanghai', locale: 'zh-CN', isDemo: true },
    { userId: owner.id, label: owner.email },
  );
  const ctx = { ...systemContext(demo.id, 'screenshot'), role: 'owner' };
  await access.members.add(ctx, { email: 'ops@siyu.local', name: '周运营', role: 'operator' });
  await access.members.add(ctx, { email: 'data@siyu.local', name: '陈分析', role: 'analyst' });

  const { context, page } = await newPage(browser, server.baseUrl);
  await signInThroughUi(page, owner.email);
  await page.getByTestId('overview').waitFor();
  await page.getByTestId('overview-area-connectors').waitFor();
  // No hover effects in the picture; let the transitions settle.
  await page.mouse.move(1430, 890);
  await page.waitForTimeout(500);
  fs.mkdirSync(path.dirname(output), { recursive: true });
  await page.screenshot({ path: output, fullPage: false });
  await context.close();
  process.stdout.write(`screenshot: ${path.relative(process.cwd(), output)}\n`);
} finally {
  await browser.close();
  await server.close();
}
