// Light progressive enhancement: every page works without this file.
"use strict";
(function () {
  // The order queue refreshes itself when an order event arrives (server-sent events from /live).
  var live = document.querySelector("[data-live]");
  var queue = document.getElementById("queue");
  if (live && queue && window.EventSource) {
    var source = new EventSource(live.getAttribute("data-live"));
    var pending = null;
    var refresh = function () {
      var checked = Array.prototype.map.call(queue.querySelectorAll("input[name=order_ids]:checked"), function (box) { return box.value; });
      var known = Array.prototype.map.call(queue.querySelectorAll("[data-order]"), function (row) { return row.getAttribute("data-order"); });
      fetch(queue.getAttribute("data-refresh"), { credentials: "same-origin" }).then(function (answer) {
        if (!answer.ok) { return null; }
        return answer.text();
      }).then(function (html) {
        if (html === null) { return; }
        queue.innerHTML = html;
        queue.querySelectorAll("[data-order]").forEach(function (row) {
          var id = row.getAttribute("data-order");
          if (known.indexOf(id) < 0) { row.classList.add("fresh"); }
          if (checked.indexOf(id) >= 0) { row.querySelector("input[name=order_ids]").checked = true; }
        });
      });
    };
    var onEvent = function () { clearTimeout(pending); pending = setTimeout(refresh, 300); };
    ["created", "accepted", "packed", "shipped", "delivered", "cancelled", "return_requested", "returned"].forEach(function (state) {
      source.addEventListener("haat.orders.order." + state + ".v1", onEvent);
    });
    // An order's goods reserved at a packaging house: the order has just reached that house's queue.
    source.addEventListener("haat.catalog.stock.changed.v1", function (message) {
      var event = JSON.parse(message.data);
      if (event.data && event.data.order_id) { onEvent(); }
    });
  }

  // Ship-by countdowns tick every minute.
  var tick = function () {
    document.querySelectorAll(".countdown[data-deadline]").forEach(function (node) {
      var left = Math.round((Date.parse(node.getAttribute("data-deadline")) - Date.now()) / 60000);
      var words = node.textContent.replace(/[-\d]+h \d+m/, "").trim();
      node.textContent = words + " " + Math.floor(Math.abs(left) / 60) + "h " + (Math.abs(left) % 60) + "m";
    });
  };
  setInterval(tick, 60000);

  // "Select all" ticks every order on the queue (the live refresh keeps what was ticked by hand).
  document.querySelectorAll("[data-select-all]").forEach(function (all) {
    all.addEventListener("change", function () {
      document.querySelectorAll('input[name="' + all.getAttribute("data-select-all") + '"]').forEach(function (box) {
        box.checked = all.checked;
      });
    });
  });

  // Bulk upload: the progress bar follows the job until it is done, then the page shows the report.
  var job = document.querySelector("[data-progress-url]");
  if (job && job.getAttribute("data-done") === "no") {
    var poll = function () {
      fetch(job.getAttribute("data-progress-url"), { credentials: "same-origin" }).then(function (answer) {
        return answer.ok ? answer.json() : null;
      }).then(function (state) {
        if (!state) { return setTimeout(poll, 3000); }
        job.querySelector("progress").value = state.progress_percent;
        ["processed_rows", "total_rows", "created_rows", "updated_rows", "failed_rows"].forEach(function (name) {
          var node = job.querySelector('[data-field="' + name + '"]');
          if (node) { node.textContent = state[name].toLocaleString("en-IN"); }
        });
        if (["done", "failed", "previewed", "discarded"].indexOf(state.status) >= 0) { window.location.reload(); }
        else { setTimeout(poll, 700); }
      });
    };
    setTimeout(poll, 500);
  }

  // A new HSN code brings its own GST rate: the rate goes back to "by the HSN code" (the catalog fills it in).
  var hsn = document.getElementById("hsn_code");
  var gst = document.getElementById("gst_rate_bp");
  if (hsn && gst) {
    hsn.addEventListener("change", function () { gst.value = ""; });
  }
})();
