// Launches Debian's Chromium (never a downloaded one) headless, with a fresh profile that is
// deleted afterwards. Shared by test.mjs and screenshot.mjs.
import { chromium } from "playwright-core";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

export const EXECUTABLE = process.env.ORDERLY_CHROMIUM || "/usr/bin/chromium";

// --headless comes from headless: true, and --user-data-dir from launchPersistentContext, which
// refuses it among the args.
const ARGS = [
  "--no-sandbox",
  "--disable-gpu",
  "--disable-quic",
  "--no-first-run",
  "--disable-background-networking",
  "--disable-component-update",
  "--disable-sync",
];

export async function withBrowser(viewport, use) {
  const profile = mkdtempSync(join(tmpdir(), "ops-orderly-chromium-"));
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: EXECUTABLE,
    headless: true,
    args: ARGS,
    viewport,
  });
  try {
    const page = context.pages()[0] || (await context.newPage());
    return await use(page);
  } finally {
    await context.close();
    rmSync(profile, { recursive: true, force: true });
  }
}
