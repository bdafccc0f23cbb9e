// Takes docs/dashboard.png: node screenshot.mjs <server-url> <png> [orders] [seconds]
//
// Submits `orders` orders (default 3000) in batches of 1,000 while the dashboard is open, half at
// once and half midway, waits `seconds` (default 40) so that the charts fill, and saves a
// screenshot of the whole page while orders still flow. docs/dashboard.png was taken with
// java -jar order-server/target/order-server.jar --in-memory --workers 8 --processing-delay 200ms --failure-rate 0.4 --node-id demo-node-1
// node screenshot.mjs http://127.0.0.1:8080 ../../../../docs/dashboard.png 4000 60
import { withBrowser } from "./browser.mjs";

const [base, png, orders = "3000", seconds = "40"] = process.argv.slice(2);
if (!base || !png) {
  console.error("usage: node screenshot.mjs <server-url> <png> [orders] [seconds]");
  process.exit(2);
}
const url = base.replace(/\/+$/, "");
const run = Date.now().toString(36);

async function submit(first, count) {
  for (let start = first; start < first + count; start += 1000) {
    const batch = [];
    for (let i = start; i < Math.min(start + 1000, first + count); i++) {
      batch.push({
        order_id: `demo-${run}-${i}`,
        user_id: `user-${i % 50}`,
        item_ids: [`sku-${i % 17}`, `sku-${i % 5}`],
        total_amount: ((i % 200) + 9.99).toFixed(2) * 1,
      });
    }
    const response = await fetch(url + "/orders/batch", {
      method: "POST",
      headers: { "Content-Type": "application/json" },
      body: JSON.stringify({ orders: batch }),
    });
    if (!response.ok) {
      throw new Error(`POST /orders/batch answered ${response.status}`);
    }
  }
}

await withBrowser({ width: 1360, height: 1000 }, async (page) => {
  await page.goto(url + "/");
  await page.locator('#connection[data-state="live"]').waitFor({ timeout: 30000 });
  // Half the orders now, half midway, so the throughput chart shows a steady flow.
  const half = Math.ceil(Number(orders) / 2);
  await submit(0, half);
  await page.waitForTimeout((Number(seconds) * 1000) / 2);
  await submit(half, Number(orders) - half);
  await page.waitForTimeout((Number(seconds) * 1000) / 2);
  await page.screenshot({ path: png, fullPage: true });
  console.log(`saved ${png}`);
});
