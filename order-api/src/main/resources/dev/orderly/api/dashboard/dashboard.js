// Orderly's dashboard. It reads only the public JSON API: each poll is one GET /metrics and one
// GET /orders?limit=20 (plus GET /orders?status=Failed when the Failed count changed, at most every
// 10 s), and it stops polling while the tab is hidden, so that watching a busy server costs it
// next to nothing. No libraries: the machine may be offline.
"use strict";

(function () {
  const POLL_MS = 1500;
  const HISTORY_MS = 5 * 60 * 1000;
  const FAILED_REFRESH_MS = 10000;
  const STATUSES = ["Pending", "Processing", "Completed", "Failed", "Cancelled"];

  const $ = (id) => document.getElementById(id);
  const samples = []; // {t, completed, p50, p95, p99}
  let timer = null;
  let polling = false;
  let lastFailedCount = -1;
  let lastFailedFetch = 0;

  // With --api-token, every API call needs the token. After a 401 the page stops polling and asks
  // once; a token the server accepts is kept for this tab (sessionStorage) and never asked for
  // again. A refused token is dropped and the page says so, asking again only when the user clicks
  // "Enter the API token": one prompt per answer the user gives, however many requests got a 401
  // (a poll sends two at once).
  const TOKEN_KEY = "orderly-api-token";
  let askedOnLoad = false; // the one prompt the page opens by itself
  let locked = false; // a 401 stopped polling until the user gives a token

  class TokenNeeded extends Error {}

  function storedToken() {
    return sessionStorage.getItem(TOKEN_KEY);
  }

  // Sends one request with the stored token; after a 401, sends it again only when a token other
  // than the refused one is now stored (another request's prompt got it, or this one's did).
  async function call(path, init) {
    for (let attempt = 1; ; attempt++) {
      const token = storedToken();
      const headers = Object.assign({ Accept: "application/json" }, init.headers);
      if (token) {
        headers.Authorization = "Bearer " + token;
      }
      const response = await fetch(path, Object.assign({}, init, { headers }));
      if (response.status !== 401) {
        return response;
      }
      if (!unauthorized(token) || attempt === 3) {
        throw new TokenNeeded(path + " needs the API token");
      }
    }
  }

  // Handles a 401 of a request sent with token `used` (null for none); true when a new token is
  // stored and the request should be sent again.
  function unauthorized(used) {
    const current = storedToken();
    if (current && current !== used) {
      return true;
    }
    if (current) {
      sessionStorage.removeItem(TOKEN_KEY);
    }
    lock(
      used
        ? "The server refused this API token. Enter the right one to go on."
        : "This server requires its API token (the --api-token it was started with)."
    );
    if (used || askedOnLoad) {
      return false;
    }
    askedOnLoad = true;
    return askForToken();
  }

  function askForToken() {
    const answer = window.prompt("This server requires its API token:");
    const token = answer ? answer.trim() : "";
    if (!token) {
      return false;
    }
    sessionStorage.setItem(TOKEN_KEY, token);
    unlock();
    return true;
  }

  function lock(message) {
    locked = true;
    clearInterval(timer);
    timer = null;
    $("auth-message").textContent = message;
    $("auth").hidden = false;
    setConnection("locked", "API token needed");
  }

  function unlock() {
    locked = false;
    $("auth").hidden = true;
    schedule();
  }

  async function getJson(path) {
    const response = await call(path, { cache: "no-store" });
    if (!response.ok) {
      throw new Error(path + " answered " + response.status);
    }
    return response.json();
  }

  async function post(path, body) {
    const init = { method: "POST", headers: {} };
    if (body !== undefined) {
      init.headers["Content-Type"] = "application/json";
      init.body = JSON.stringify(body);
    }
    let response;
    try {
      response = await call(path, init);
    } catch (error) {
      if (error instanceof TokenNeeded) {
        throw new Error("This server requires its API token.");
      }
      throw error;
    }
    const answer = await response.json().catch(() => ({}));
    if (!response.ok) {
      throw new Error(answer.detail || path + " answered " + response.status);
    }
    return answer;
  }

  function seconds(value) {
    if (value === null || value === undefined) {
      return "–";
    }
    const number = Number(value);
    if (number >= 120) {
      return (number / 60).toFixed(1) + " min";
    }
    return number >= 10 ? number.toFixed(1) + " s" : number.toFixed(3) + " s";
  }

  function percentiles(summary) {
    if (!summary || summary.count === 0) {
      return "–";
    }
    return [summary.p50, summary.p95, summary.p99].map(seconds).join(" / ");
  }

  function setConnection(state, text) {
    const badge = $("connection");
    badge.dataset.state = state;
    badge.textContent = text;
  }

  function showMetrics(metrics) {
    for (const status of STATUSES) {
      $("count-" + status).textContent = (metrics.status_counts[status] ?? 0).toLocaleString("en");
    }
    $("total").textContent = metrics.total_orders.toLocaleString("en");
    $("orders-per-second").textContent = metrics.orders_per_second ?? "–";
    $("in-flight").textContent = metrics.in_flight ?? "–";
    $("due-pending").textContent =
      metrics.due_pending.toLocaleString("en") + (metrics.due_pending_capped ? "+" : "");
    $("oldest-pending").textContent = seconds(metrics.oldest_pending_age);
    $("processing-percentiles").textContent = percentiles(metrics.processing_percentiles);
    $("queue-percentiles").textContent = percentiles(metrics.queue_wait_percentiles);
    $("retries-failures").textContent =
      metrics.retries === null || metrics.retries === undefined
        ? "–"
        : metrics.retries + " / " + metrics.failures;
    if (metrics.node) {
      $("node").textContent = "node " + metrics.node.id;
    }

    const now = Date.now();
    const summary = metrics.processing_percentiles;
    samples.push({
      t: now,
      completed: metrics.status_counts.Completed,
      p50: summary ? Number(summary.p50) : 0,
      p95: summary ? Number(summary.p95) : 0,
      p99: summary ? Number(summary.p99) : 0,
    });
    while (samples.length > 0 && samples[0].t < now - HISTORY_MS) {
      samples.shift();
    }
    const previous = samples.length > 1 ? samples[samples.length - 2] : null;
    if (previous) {
      const rate = ((metrics.status_counts.Completed - previous.completed) * 1000) / (now - previous.t);
      $("rate").textContent = Math.max(rate, 0).toFixed(1);
    }
    drawCharts();
  }

  function cell(row, text, className) {
    const td = document.createElement("td");
    td.textContent = text;
    if (className) {
      td.className = className;
    }
    row.appendChild(td);
    return td;
  }

  function actionButton(label, order, action) {
    const button = document.createElement("button");
    button.type = "button";
    button.className = "small" + (action === "cancel" ? " secondary" : "");
    button.textContent = label;
    button.dataset.action = action;
    button.dataset.orderId = order.order_id;
    return button;
  }

  // Ids compared as people read them: numeric runs as numbers, so e9 < e10 < e89 < e99.
  const NATURAL = new Intl.Collator("en", { numeric: true });

  function byIdNaturally(a, b) {
    const natural = NATURAL.compare(a.order_id, b.order_id);
    if (natural !== 0) {
      return natural;
    }
    return a.order_id < b.order_id ? -1 : a.order_id > b.order_id ? 1 : 0;
  }

  // The API lists newest first, orders created at the same instant (a batch) by id compared as
  // text, both descending: a total order that paging by cursor needs and an index serves. For
  // reading, each run of orders with the same creation time is shown by id in natural order,
  // still descending (e99, e89, e10, e9), so that a batch of numbered ids reads like the rest.
  function newestFirstNaturally(orders) {
    const sorted = [];
    for (let start = 0; start < orders.length; ) {
      let end = start + 1;
      while (end < orders.length && orders[end].created_at === orders[start].created_at) {
        end++;
      }
      sorted.push(...orders.slice(start, end).sort((a, b) => byIdNaturally(b, a)));
      start = end;
    }
    return sorted;
  }

  function showOrders(page) {
    const body = $("orders");
    const rows = document.createDocumentFragment();
    for (const order of newestFirstNaturally(page.orders)) {
      const row = document.createElement("tr");
      row.dataset.orderId = order.order_id;
      cell(row, order.order_id);
      cell(row, order.user_id);
      cell(row, Number(order.total_amount).toFixed(2));
      cell(row, order.status, "status " + order.status);
      cell(row, String(order.attempts));
      cell(row, order.created_at.substring(11, 19));
      const actions = cell(row, "");
      if (order.status === "Pending") {
        actions.appendChild(actionButton("Cancel", order, "cancel"));
      } else if (order.status === "Failed") {
        actions.appendChild(actionButton("Retry", order, "retry"));
      }
      rows.appendChild(row);
    }
    body.replaceChildren(rows);
  }

  function showFailed(page) {
    const body = $("failed");
    const rows = document.createDocumentFragment();
    for (const order of newestFirstNaturally(page.orders)) {
      const row = document.createElement("tr");
      row.dataset.orderId = order.order_id;
      cell(row, order.order_id);
      cell(row, order.last_error || "", "error");
      cell(row, "").appendChild(actionButton("Retry", order, "retry"));
      rows.appendChild(row);
    }
    if (page.orders.length === 0) {
      const row = document.createElement("tr");
      cell(row, "none", "muted").colSpan = 3;
      rows.appendChild(row);
    }
    body.replaceChildren(rows);
  }

  function ordersPath() {
    const status = $("status-filter").value;
    return "/orders?limit=20" + (status ? "&status=" + encodeURIComponent(status) : "");
  }

  async function poll() {
    if (polling) {
      return;
    }
    polling = true;
    try {
      const [metrics, page] = await Promise.all([getJson("/metrics"), getJson(ordersPath())]);
      showMetrics(metrics);
      showOrders(page);
      const failedCount = metrics.status_counts.Failed;
      const now = Date.now();
      if (failedCount !== lastFailedCount && now - lastFailedFetch >= FAILED_REFRESH_MS) {
        lastFailedFetch = now;
        lastFailedCount = failedCount;
        showFailed(await getJson("/orders?status=Failed&limit=10"));
      }
      setConnection("live", "live");
    } catch (error) {
      if (!(error instanceof TokenNeeded)) {
        setConnection("error", "cannot reach the server");
      }
    } finally {
      polling = false;
    }
  }

  function schedule() {
    clearInterval(timer);
    timer = null;
    if (locked) {
      return; // until the user gives a token
    }
    if (document.hidden) {
      setConnection("paused", "paused");
      return;
    }
    poll();
    timer = setInterval(poll, POLL_MS);
  }

  // --- charts: small hand-drawn canvas line charts ---

  function prepare(canvas) {
    const ratio = window.devicePixelRatio || 1;
    const width = canvas.clientWidth || canvas.width;
    const height = canvas.clientHeight || canvas.height;
    if (canvas.width !== Math.round(width * ratio) || canvas.height !== Math.round(height * ratio)) {
      canvas.width = Math.round(width * ratio);
      canvas.height = Math.round(height * ratio);
    }
    const context = canvas.getContext("2d");
    context.setTransform(ratio, 0, 0, ratio, 0, 0);
    context.clearRect(0, 0, width, height);
    return { context, width, height };
  }

  function niceMax(value) {
    if (value <= 0) {
      return 1;
    }
    const power = Math.pow(10, Math.floor(Math.log10(value)));
    for (const step of [1, 2, 4, 8, 10]) {
      if (step * power >= value) {
        return step * power;
      }
    }
    return 10 * power;
  }

  function drawChart(canvas, series, format) {
    const { context, width, height } = prepare(canvas);
    const left = 48;
    const bottom = 18;
    const top = 8;
    const plotWidth = width - left - 8;
    const plotHeight = height - top - bottom;
    const now = Date.now();
    const start = now - HISTORY_MS;
    let max = 0;
    for (const line of series) {
      for (const point of line.points) {
        max = Math.max(max, point.v);
      }
    }
    max = niceMax(max);

    context.font = "11px system-ui, sans-serif";
    context.fillStyle = "#6b7280";
    context.strokeStyle = "#e5e7eb";
    context.lineWidth = 1;
    for (let i = 0; i <= 4; i++) {
      const y = top + plotHeight - (plotHeight * i) / 4;
      context.beginPath();
      context.moveTo(left, y);
      context.lineTo(left + plotWidth, y);
      context.stroke();
      context.fillText(format((max * i) / 4), 4, y + 4);
    }
    for (let minute = 0; minute <= 5; minute++) {
      const x = left + (plotWidth * minute) / 5;
      context.fillText(minute === 5 ? "now" : "-" + (5 - minute) + "m", x - 10, height - 4);
    }
    for (const line of series) {
      context.strokeStyle = line.color;
      context.lineWidth = 2;
      context.beginPath();
      let first = true;
      for (const point of line.points) {
        const x = left + ((point.t - start) / HISTORY_MS) * plotWidth;
        const y = top + plotHeight - (point.v / max) * plotHeight;
        if (first) {
          context.moveTo(x, y);
          first = false;
        } else {
          context.lineTo(x, y);
        }
      }
      context.stroke();
    }
  }

  function drawCharts() {
    const rates = [];
    for (let i = 1; i < samples.length; i++) {
      const elapsed = samples[i].t - samples[i - 1].t;
      const done = samples[i].completed - samples[i - 1].completed;
      rates.push({ t: samples[i].t, v: elapsed > 0 ? Math.max((done * 1000) / elapsed, 0) : 0 });
    }
    drawChart($("throughput-chart"), [{ color: "#2563eb", points: rates }], (v) => v.toFixed(v < 10 ? 1 : 0));
    drawChart(
      $("latency-chart"),
      [
        { color: "#059669", points: samples.map((s) => ({ t: s.t, v: s.p50 })) },
        { color: "#d97706", points: samples.map((s) => ({ t: s.t, v: s.p95 })) },
        { color: "#dc2626", points: samples.map((s) => ({ t: s.t, v: s.p99 })) },
      ],
      (v) => (v < 10 ? v.toFixed(2) : v.toFixed(0))
    );
  }

  // --- actions ---

  async function onAction(event) {
    const button = event.target.closest("button[data-action]");
    if (!button) {
      return;
    }
    button.disabled = true;
    const id = encodeURIComponent(button.dataset.orderId);
    try {
      await post("/orders/" + id + "/" + button.dataset.action);
      lastFailedCount = -1;
      lastFailedFetch = 0;
    } catch (error) {
      $("create-result").textContent = error.message;
      $("create-result").className = "error";
    }
    poll();
  }

  async function onCreate(event) {
    event.preventDefault();
    const form = event.target;
    const result = $("create-result");
    const data = new FormData(form);
    const order = {
      user_id: data.get("user_id").trim(),
      item_ids: data
        .get("item_ids")
        .split(",")
        .map((item) => item.trim())
        .filter((item) => item.length > 0),
      total_amount: Number(data.get("total_amount")),
    };
    const orderId = data.get("order_id").trim();
    if (orderId) {
      order.order_id = orderId;
    }
    try {
      const created = await post("/orders", order);
      result.className = "muted";
      result.textContent = "Created order " + created.order_id + " (" + created.status + ")";
      result.dataset.orderId = created.order_id;
      form.elements.order_id.value = "";
    } catch (error) {
      result.className = "error";
      result.textContent = error.message;
    }
    poll();
  }

  document.addEventListener("DOMContentLoaded", () => {
    $("orders").addEventListener("click", onAction);
    $("failed").addEventListener("click", onAction);
    $("create-form").addEventListener("submit", onCreate);
    $("auth-button").addEventListener("click", askForToken);
    $("status-filter").addEventListener("change", poll);
    document.addEventListener("visibilitychange", schedule);
    window.addEventListener("resize", drawCharts);
    schedule();
  });
})();
