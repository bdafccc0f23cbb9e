// End-to-end test of Orderly's dashboard in headless Chromium: node test.mjs <server-url>
//
// The server should run with one worker and a processing delay of about a second, so that an
// order created behind a backlog of 100 stays Pending long enough to be cancelled. Checks that the page
// loads without console errors, shows live counts, that an order created through its form appears
// and reaches Completed, and that Cancel on a Pending order cancels it. Exits 0 when all pass.
import { withBrowser } from "./browser.mjs";

const base = (process.argv[2] || "").replace(/\/+$/, "");
if (!base.startsWith("http")) {
  console.error("usage: node test.mjs <server-url>, such as http://127.0.0.1:8080");
  process.exit(2);
}
const TIMEOUT = 30_000;
const run = Date.now().toString(36);

function step(text) {
  console.log(`[dashboard-test] ${text}`);
}

async function api(method, path, body) {
  const response = await fetch(base + path, {
    method,
    headers: body ? { "Content-Type": "application/json" } : {},
    body: body ? JSON.stringify(body) : undefined,
  });
  if (!response.ok) {
    throw new Error(`${method} ${path} answered ${response.status}: ${await response.text()}`);
  }
  return response.json();
}

async function waitForRow(page, orderId, status) {
  const row = page.locator(`#orders tr[data-order-id="${orderId}"] td.status`);
  await row.filter({ hasText: new RegExp(`^${status}$`) }).waitFor({ timeout: TIMEOUT });
}

const problems = [];

try {
await withBrowser({ width: 1280, height: 900 }, async (page) => {
  page.on("console", (message) => {
    if (message.type() === "error" || message.type() === "warning") {
      problems.push(`console ${message.type()}: ${message.text()}`);
    }
  });
  page.on("pageerror", (error) => problems.push(`page error: ${error.message}`));
  page.on("requestfailed", (request) =>
    problems.push(`request failed: ${request.method()} ${request.url()} ${request.failure()?.errorText}`)
  );
  page.on("response", (response) => {
    if (response.status() >= 400) {
      problems.push(`HTTP ${response.status()} for ${response.request().method()} ${response.url()}`);
    }
  });

  step(`open ${base}/`);
  await page.goto(base + "/", { waitUntil: "load" });
  await page.locator('#connection[data-state="live"]').waitFor({ timeout: TIMEOUT });
  const total = await page.locator("#total").textContent();
  if (!/^[0-9,]+$/.test(total)) {
    throw new Error(`the total shows '${total}', not a count`);
  }
  if (!(await page.locator("#node").textContent()).startsWith("node ")) {
    throw new Error("the node id is not shown");
  }

  step("create an order through the form; it must appear and reach Completed");
  const created = `browser-${run}-created`;
  await page.fill('input[name="order_id"]', created);
  await page.fill('input[name="user_id"]', "browser-user");
  await page.fill('input[name="item_ids"]', "sku-1, sku-2");
  await page.fill('input[name="total_amount"]', "42.50");
  await page.click('#create-form button[type="submit"]');
  await page.locator("#create-result").filter({ hasText: `Created order ${created}` }).waitFor({ timeout: TIMEOUT });
  await page.locator(`#orders tr[data-order-id="${created}"]`).waitFor({ timeout: TIMEOUT });
  await waitForRow(page, created, "Completed");
  const stored = await api("GET", `/orders/${created}`);
  if (stored.status !== "Completed" || stored.total_amount !== 42.5 || stored.item_ids.join() !== "sku-1,sku-2") {
    throw new Error(`the stored order is not what the form sent: ${JSON.stringify(stored)}`);
  }

  // The engine claims up to workers + claim batch size (1 + 32) orders ahead; 100 more keep the
  // last order Pending for a minute at one order per second.
  step("build a backlog, then cancel a Pending order from the list");
  const backlog = [];
  for (let i = 0; i < 100; i++) {
    backlog.push({ order_id: `browser-${run}-backlog-${i}`, user_id: "browser-user", item_ids: ["sku-1"], total_amount: 1 });
  }
  await api("POST", "/orders/batch", { orders: backlog });
  const target = `browser-${run}-cancel`;
  await api("POST", "/orders", { order_id: target, user_id: "browser-user", item_ids: ["sku-9"], total_amount: 5 });
  await page.selectOption("#status-filter", "Pending");
  const cancel = page.locator(`#orders tr[data-order-id="${target}"] button[data-action="cancel"]`);
  await cancel.waitFor({ timeout: TIMEOUT });
  await cancel.click();
  await page.selectOption("#status-filter", "Cancelled");
  await waitForRow(page, target, "Cancelled");
  const cancelled = await api("GET", `/orders/${target}`);
  if (cancelled.status !== "Cancelled") {
    throw new Error(`order ${target} is ${cancelled.status}, not Cancelled`);
  }

  step("the counts follow: Cancelled counts the order");
  await page.waitForFunction(() => Number(document.getElementById("count-Cancelled").textContent.replace(/,/g, "")) >= 1, null, { timeout: TIMEOUT });

  step("polling pauses while the tab is hidden");
  const polls = [];
  page.on("request", (request) => {
    if (request.url().endsWith("/metrics")) {
      polls.push(Date.now());
    }
  });
  await page.evaluate(() => {
    Object.defineProperty(document, "hidden", { configurable: true, get: () => true });
    document.dispatchEvent(new Event("visibilitychange"));
  });
  await page.locator('#connection[data-state="paused"]').waitFor({ timeout: TIMEOUT });
  const hiddenSince = Date.now();
  await page.waitForTimeout(3500);
  const whileHidden = polls.filter((t) => t > hiddenSince + 500).length;
  if (whileHidden > 0) {
    throw new Error(`the page polled ${whileHidden} times while hidden`);
  }
});
} catch (error) {
  console.error(`[dashboard-test] FAILED: ${error.message}`);
  if (problems.length > 0) {
    console.error("[dashboard-test] the page also reported:\n  " + problems.join("\n  "));
  }
  process.exit(1);
}

if (problems.length > 0) {
  console.error("[dashboard-test] FAILED: the page reported problems:\n  " + problems.join("\n  "));
  process.exit(1);
}
step("all checks passed");
