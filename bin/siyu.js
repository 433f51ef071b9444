#!/usr/bin/env node
// Launcher for `npx siyu`: the sources are TypeScript run directly by Node >= 22.18
// (type stripping). Inside the project, npm puts the pinned Node 24 first on PATH.
const [major, minor] = process.versions.node.split('.').map(Number);
if (major < 22 || (major === 22 && minor < 18)) {
  process.stderr.write(
    `Siyu needs Node.js 22.18 or newer (found ${process.versions.node}). Run it through npm ` +
      '(`npm start`, `npx siyu`), which uses the Node 24 installed with the project.\n',
  );
  process.exit(1);
}
await import('../src/entrypoints/cli.ts');
