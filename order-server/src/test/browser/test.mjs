// End-to-end test of Orderly's dashboard in headless Chromium:
//   node test.mjs <server-url>                   a server without --api-token
//   node test.mjs <server-url> --token <token>   a server started with --api-token <token>
//
// Without a token, the server should run with one worker and a processing delay of about a second,
// so that an order created behind a backlog of 100 stays Pending long enough to be cancelled.
// Checks that the page loads without console errors, shows live counts and says what its latency
// figure measures, that an order created through its form appears and reaches Completed, that
// orders created in one batch list by id in natural order, and that Cancel on a Pending order
// cancels it. With a token, checks that the page asks for the token exactly once per answer the
// user gives: once for a right token, which the tab then keeps; and after a wrong one, not again
// until the user clicks "Enter the API token". Exits 0 when all pass.
import { withBrowser } from "./browser.mjs";

const args = process.argv.slice(2);
const tokenFlag = args.indexOf("--token");
const token = tokenFlag >= 0 ? args[tokenFlag + 1] : null;
const base = (args.find((arg) => arg.startsWith("http")) || "").replace(/\/+$/, "");
if (!base.startsWith("http") || (tokenFlag >= 0 && !token)) {
  console.error("usage: node test.mjs <server-url> [--token <token>], such as http://127.0.0.1:8080");
  process.exit(2);
}
const TIMEOUT = 30_000;
const POLL_MS = 1500; // the dashboard's polling period
const PROCESSING_LABEL = "Creation to completion p50 / p95 / p99 (queue wait and retries included)";
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

// Records what the page reports that a user would call a problem. With a token, the 401s that
// make the page ask for it are expected (Chromium also logs each one to the console).
function watch(page) {
  const expected401 = (text) => token !== null && / 401 /.test(` ${text} `);
  page.on("console", (message) => {
    if ((message.type() === "error" || message.type() === "warning") && !expected401(message.text())) {
      problems.push(`console ${message.type()}: ${message.text()}`);
    }
  });
  page.on("pageerror", (error) => problems.push(`page error: ${error.message}`));
  page.on("requestfailed", (request) =>
    problems.push(`request failed: ${request.method()} ${request.url()} ${request.failure()?.errorText}`)
  );
  page.on("response", (response) => {
    if (response.status() >= 400 && !expected401(`${response.status()}`)) {
      problems.push(`HTTP ${response.status()} for ${response.request().method()} ${response.url()}`);
    }
  });
}

// Answers the page's prompts with `answers` in turn (dismissing any beyond them) and returns the
// list of prompts seen, which grows as the page asks.
function answerPrompts(page, answers) {
  const asked = [];
  page.on("dialog", async (dialog) => {
    asked.push(`${dialog.type()}: ${dialog.message()}`);
    const answer = answers[asked.length - 1];
    if (dialog.type() === "prompt" && answer !== undefined) {
      await dialog.accept(answer);
    } else {
      await dialog.dismiss();
    }
  });
  return asked;
}

// Waits until the page has completed `count` more polls (answered GET /metrics).
async function polls(page, count) {
  for (let i = 0; i < count; i++) {
    await page.waitForResponse((response) => response.url() === `${base}/metrics` && response.ok(), {
      timeout: TIMEOUT,
    });
  }
}

function expectPrompts(asked, count, when) {
  if (asked.length !== count) {
    throw new Error(`${when}: the page asked for the token ${asked.length} times, not ${count}: ${JSON.stringify(asked)}`);
  }
}

async function tokenChecks(page) {
  watch(page);
  step("a right token is asked for once, and kept for the tab");
  const right = answerPrompts(page, [token]);
  await page.goto(base + "/", { waitUntil: "load" });
  await page.locator('#connection[data-state="live"]').waitFor({ timeout: TIMEOUT });
  await polls(page, 3);
  expectPrompts(right, 1, "after the right token and three polls");
  await page.reload({ waitUntil: "load" });
  await page.locator('#connection[data-state="live"]').waitFor({ timeout: TIMEOUT });
  await polls(page, 2);
  expectPrompts(right, 1, "after a reload of the tab");

  step("a wrong token: the page says so and waits for the user, without polling or asking again");
  // A new tab starts with empty session storage, so with no token.
  const tab = await page.context().newPage();
  watch(tab);
  const answers = ["wrong-" + token, token];
  const asked = answerPrompts(tab, answers);
  const metrics = [];
  tab.on("request", (request) => {
    if (request.url() === `${base}/metrics`) {
      metrics.push(Date.now());
    }
  });
  await tab.goto(base + "/", { waitUntil: "load" });
  try {
    await tab.locator("#auth").filter({ hasText: "refused" }).waitFor({ state: "visible", timeout: TIMEOUT });
  } catch (error) {
    throw new Error(`no message says the token was refused (prompts: ${JSON.stringify(asked)}): ${error.message}`);
  }
  expectPrompts(asked, 1, "after the wrong token");
  const refusedAt = Date.now();
  // No condition can show that nothing happens: watch for three polling periods.
  await tab.waitForTimeout(3 * POLL_MS + 500);
  expectPrompts(asked, 1, `${3 * POLL_MS + 500} ms after the wrong token`);
  const pollsWhileLocked = metrics.filter((t) => t > refusedAt + 200).length;
  if (pollsWhileLocked > 0) {
    throw new Error(`the page polled ${pollsWhileLocked} times while waiting for a token`);
  }
  if ((await tab.locator("#connection").getAttribute("data-state")) !== "locked") {
    throw new Error("the connection badge does not say that a token is needed");
  }

  step("the user asks to enter the token again: the right one unlocks the page for good");
  await tab.click("#auth-button");
  await tab.locator('#connection[data-state="live"]').waitFor({ timeout: TIMEOUT });
  await polls(tab, 3);
  expectPrompts(asked, 2, "after the wrong token, the button and the right token");
  if (await tab.locator("#auth").isVisible()) {
    throw new Error("the token message is still shown after the right token");
  }
  if (!/^[0-9,]+$/.test(await tab.locator("#total").textContent())) {
    throw new Error("the counts are not shown after the right token");
  }
}

try {
await withBrowser({ width: 1280, height: 900 }, async (page) => {
  if (token !== null) {
    await tokenChecks(page);
    return;
  }
  watch(page);

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

  step("the latency figure says what it measures");
  const labels = (await page.locator(".figures dt").allTextContents()).map((text) => text.trim());
  if (!labels.includes(PROCESSING_LABEL) || labels.some((text) => text.startsWith("Processing p50"))) {
    throw new Error(`the figures are labelled ${JSON.stringify(labels)}, not '${PROCESSING_LABEL}'`);
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

  step("orders created in one batch: newest first, then by id in natural order");
  const batch = ["e9", "e10", "e89", "e99"].map((suffix) => `browser-${run}-${suffix}`);
  await api("POST", "/orders/batch", {
    orders: batch.map((id) => ({ order_id: id, user_id: "browser-user", item_ids: ["sku-1"], total_amount: 1 })),
  });
  const listed = (await api("GET", "/orders?limit=4")).orders;
  if (listed.length !== 4 || listed.some((order) => order.created_at !== listed[0].created_at)) {
    throw new Error(`the batch's orders do not share one creation time: ${JSON.stringify(listed)}`);
  }
  await page.waitForFunction(
    (ids) => ids.every((id) => document.querySelector(`#orders tr[data-order-id="${id}"]`)),
    batch,
    { timeout: TIMEOUT }
  );
  const shown = (await page.$$eval("#orders tr", (rows) => rows.map((row) => row.dataset.orderId))).filter((id) =>
    batch.includes(id)
  );
  const expected = [batch[3], batch[2], batch[1], batch[0]];
  if (shown.join() !== expected.join()) {
    throw new Error(`the batch is listed as ${shown.join(", ")}, not ${expected.join(", ")}`);
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
