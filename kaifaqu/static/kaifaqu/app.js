/* Glue between HTMX, Bootstrap and the ledger forms. No framework; served locally. */
(function () {
  "use strict";

  // Show only the date inputs a stage choice needs: from the step after the current
  // stage up to the chosen one (or just 终止日期 when terminating). Nothing is hidden
  // for a move back, which takes a reason and no dates.
  function syncStageDates(select) {
    var form = select.closest("form");
    var current = parseInt(form.dataset.currentRank || "-1", 10);
    var options = Array.prototype.map.call(select.options, function (o) { return o.value; });
    var order = ["planning", "contact", "intent", "ready", "signed", "filed", "started", "producing", "at_capacity"];
    var target = order.indexOf(select.value);
    var terminating = select.value === "terminated";
    form.querySelectorAll("[data-stage-rank]").forEach(function (input) {
      var rank = parseInt(input.dataset.stageRank, 10);
      var show = terminating ? rank === -1 : (rank > current && rank <= target);
      var wrapper = input.closest(".stage-date");
      if (wrapper) { wrapper.hidden = !show && !input.value && !input.classList.contains("is-invalid"); }
    });
    var code = form.querySelector("[data-needs-code]");
    if (code) { code.hidden = !(current < 5 && target >= 5) && !code.querySelector(".is-invalid"); }
    return options;
  }

  // Export links carry the list's current filters, which HTMX may have changed since the
  // page was drawn: rebuild the link from the address bar when it is clicked.
  document.addEventListener("click", function (event) {
    var link = event.target.closest ? event.target.closest("a[data-export]") : null;
    if (!link) { return; }
    var params = new URLSearchParams(window.location.search);
    params.delete("page");
    new URLSearchParams(link.dataset.export).forEach(function (value, key) { params.set(key, value); });
    link.href = link.pathname + "?" + params.toString();
  });

  // A cell holding only a date, a time or a number (with its unit) never wraps (``2025-09-/30``):
  // every table on every page, including those not drawn by the shared list template.
  var NUMERIC_CELL = /^(?=.*\d)[\d\s.,:%+\-\/年月日天个万亿元]+$/;
  function keepNumbersWhole(root) {
    root.querySelectorAll("table td").forEach(function (cell) {
      if (cell.childElementCount <= 1 && NUMERIC_CELL.test(cell.textContent.trim())) { cell.classList.add("nowrap"); }
    });
  }

  // A table wider than the screen scrolls inside its own box, never the whole page (390 px
  // phones): every table, including those a page draws without the shared list template.
  function scrollWideTables(root) {
    var tables = Array.prototype.slice.call(root.querySelectorAll("table.table"));
    if (root.matches && root.matches("table.table")) { tables.push(root); }
    tables.forEach(function (table) {
      if (table.closest(".table-responsive")) { return; }
      var box = document.createElement("div");
      box.className = "table-responsive";
      table.parentNode.insertBefore(box, table);
      box.appendChild(table);
    });
  }

  function init(root) {
    keepNumbersWhole(root);
    scrollWideTables(root);
    root.querySelectorAll("[data-move-select], [data-stage-select]").forEach(function (select) {
      if (select.dataset.bound) { return; }
      select.dataset.bound = "1";
      if (select.hasAttribute("data-stage-select")) { select.closest("form").dataset.currentRank = "0"; }
      select.addEventListener("change", function () { syncStageDates(select); });
      syncStageDates(select);
    });
  }

  // Amounts on chart axes and in tooltips, in the axis' unit (亿元): grouped digits
  // (1,234.56), never ECharts' own 1e8 for a large figure.
  function amountLabel(value) {
    if (value === null || value === undefined || value === "" || isNaN(Number(value))) { return "-"; }
    return Number(value).toLocaleString("zh-CN", { maximumFractionDigits: 2 });
  }

  function amountAxis(name) {
    return { type: "value", name: name, axisLabel: { formatter: amountLabel } };
  }

  // The zone overview's chart: project count and investment (亿元) by stage.
  function drawStageChart() {
    var holder = document.getElementById("stage-chart");
    var source = document.getElementById("stage-chart-data");
    if (!holder || !source || typeof echarts === "undefined") { return; }
    var data = JSON.parse(source.textContent);
    var chart = echarts.init(holder);
    chart.setOption({
      tooltip: { trigger: "axis", renderMode: "richText", valueFormatter: amountLabel },
      legend: { top: 0, data: ["项目数", "总投资（亿元）"] },
      grid: { left: 40, right: 50, top: 50, bottom: 80 },
      xAxis: { type: "category", data: data.stages, axisLabel: { interval: 0, rotate: 30 } },
      yAxis: [{ type: "value", name: "个" }, amountAxis("亿元")],
      series: [
        { name: "项目数", type: "bar", data: data.counts },
        { name: "总投资（亿元）", type: "line", yAxisIndex: 1, data: data.investment_yi }
      ]
    });
    window.addEventListener("resize", function () { chart.resize(); });
  }

  // The dashboard's charts: each holder names its chart (data-chart), the page carries
  // their data (#dashboard-charts), and a click on a bar or slice opens the projects behind it.
  // Tooltips use renderMode "richText" (drawn on the canvas): ECharts' HTML tooltips carry
  // style attributes, which the Content Security Policy refuses.
  var CHARTS = {
    funnel: function (d) {
      return {
        tooltip: { trigger: "item", renderMode: "richText", formatter: "{b}：{c} 个" },
        // Labels sit beside the funnel, not inside: a stage with a few projects is a sliver
        // too narrow for its name, and inside labels of neighbouring slivers overlapped.
        series: [{ type: "funnel", sort: "none", left: "2%", width: "45%", minSize: "4%", gap: 2,
          label: { show: true, position: "right", formatter: "{b}  {c} 个", color: "#212529" },
          labelLine: { show: true, length: 12 }, labelLayout: { hideOverlap: true },
          data: d.labels.map(function (label, i) { return { name: label, value: d.values[i] }; }) }]
      };
    },
    industry: function (d) {
      return {
        tooltip: { trigger: "axis", renderMode: "richText", valueFormatter: amountLabel, axisPointer: { type: "shadow" } },
        grid: { left: 110, right: 30, top: 10, bottom: 30 },
        xAxis: amountAxis("亿元"),
        yAxis: { type: "category", inverse: true, data: d.labels },
        series: [{ name: "总投资（亿元）", type: "bar", data: d.values }]
      };
    },
    months: function (d) {
      return {
        tooltip: { trigger: "axis", renderMode: "richText", valueFormatter: amountLabel },
        grid: { left: 50, right: 20, top: 30, bottom: 30 },
        xAxis: { type: "category", data: d.labels },
        yAxis: amountAxis("亿元"),
        // 未分月 (investment no progress report dates) is greyed: it is not a month.
        series: [{ name: "完成投资（亿元）", type: "bar", data: d.values.map(function (value, i) {
          return d.labels[i] === "未分月" ? { value: value, itemStyle: { color: "#adb5bd" } } : value;
        }) }]
      };
    },
    zones: function (d) {
      return {
        tooltip: { trigger: "axis", renderMode: "richText", valueFormatter: amountLabel, axisPointer: { type: "shadow" } },
        legend: { top: 0, data: ["年度完成", "年度计划"] },
        grid: { left: 110, right: 30, top: 30, bottom: 30 },
        xAxis: amountAxis("亿元"),
        yAxis: { type: "category", inverse: true, data: d.labels },
        series: [{ name: "年度完成", type: "bar", data: d.values }, { name: "年度计划", type: "bar", data: d.planned }]
      };
    },
    // 月调度: one zone's indicator, this year's months beside last year's.
    history: function (d) {
      return {
        tooltip: { trigger: "axis", renderMode: "richText", valueFormatter: amountLabel },
        legend: { top: 0 },
        grid: { left: 60, right: 20, top: 30, bottom: 30 },
        xAxis: { type: "category", data: d.labels },
        yAxis: amountAxis(d.unit),
        series: d.series.map(function (s) { return { name: s.name, type: "line", connectNulls: false, data: s.values }; })
      };
    }
  };

  function drawDashboard() {
    var source = document.getElementById("dashboard-charts");
    if (!source || typeof echarts === "undefined") { return; }
    var all = JSON.parse(source.textContent);
    document.querySelectorAll("[data-chart]").forEach(function (holder) {
      var data = all[holder.dataset.chart];
      if (!data || !CHARTS[holder.dataset.chart]) { return; }
      var chart = echarts.init(holder);
      var option = CHARTS[holder.dataset.chart](data);
      option.animation = false;  // drawn at once: ready to click, and to print
      chart.setOption(option);
      chart.on("click", function (params) {
        var url = data.urls && data.urls[params.dataIndex];
        if (url) { window.location.href = url; }
      });
      holder.dataset.drawn = "1";
      window.addEventListener("resize", function () { chart.resize(); });
    });
  }

  // The folded filter bar (narrow screens) counts the filters in use; HTMX swaps only the
  // results, so the count is kept current here as the filters change.
  function countFilters(form) {
    return Array.prototype.filter.call(form.elements, function (el) {
      if (!el.name || el.disabled || el.type === "submit" || el.type === "button") { return false; }
      if (el.type === "checkbox" || el.type === "radio") { return el.checked; }
      return el.value !== "" && el.value !== "unknown";
    }).length;
  }
  ["change", "input"].forEach(function (type) {
    document.addEventListener(type, function (event) {
      var bar = event.target.closest ? event.target.closest("[data-filter-bar]") : null;
      var badge = bar && bar.querySelector("[data-filter-count]");
      if (!badge) { return; }
      var count = countFilters(bar.querySelector("form"));
      badge.textContent = count;
      badge.hidden = count === 0;
    });
  });

  // A select marked data-autosubmit submits its form when changed (no inline handlers:
  // the Content Security Policy allows only scripts served as files).
  document.addEventListener("change", function (event) {
    if (event.target.matches("[data-autosubmit]")) { event.target.form.requestSubmit(); }
  });

  // A button marked data-confirm asks before its form is sent.
  document.addEventListener("click", function (event) {
    var button = event.target.closest ? event.target.closest("[data-confirm]") : null;
    if (button && !window.confirm(button.dataset.confirm)) { event.preventDefault(); }
  });

  // A button marked data-print prints the page (the wall chart is laid out for A3).
  document.addEventListener("click", function (event) {
    if (event.target.closest && event.target.closest("[data-print]")) { window.print(); }
  });

  // A button marked data-copy puts the text of its target (a standard sentence) on the clipboard.
  document.addEventListener("click", function (event) {
    var button = event.target.closest ? event.target.closest("[data-copy]") : null;
    if (!button || !navigator.clipboard) { return; }
    var source = document.querySelector(button.dataset.copy);
    navigator.clipboard.writeText(source.textContent.trim()).then(function () {
      button.textContent = "已复制";
    });
  });

  document.addEventListener("DOMContentLoaded", function () { init(document); drawStageChart(); drawDashboard(); });
  document.addEventListener("htmx:load", function (event) { init(event.detail.elt); });

  // A link marked data-open-modal loads its content into #modal-content, then shows it.
  document.addEventListener("htmx:afterSwap", function (event) {
    if (event.detail.target.id === "modal-content") {
      var modal = bootstrap.Modal.getOrCreateInstance(document.getElementById("modal"));
      modal.show();
      var first = event.detail.target.querySelector("[autofocus], select, input:not([type=hidden])");
      if (first) { setTimeout(function () { first.focus(); }, 150); }
    }
  });
  // HTMX swaps 4xx responses too: a form with errors comes back as 400.
  document.addEventListener("htmx:beforeSwap", function (event) {
    if (event.detail.xhr.status === 400) { event.detail.shouldSwap = true; event.detail.isError = false; }
  });
})();
