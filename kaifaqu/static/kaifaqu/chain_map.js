/* 一图: a chain's map (ECharts tree, served locally). Links are coloured by status and sized by
   their enterprises; a click opens the link's 五清单; the map exports as a PNG and prints on A3. */
(function () {
  "use strict";

  function leaves(node) {
    if (!node.children || !node.children.length) { return 1; }
    return node.children.reduce(function (sum, child) { return sum + leaves(child); }, 0);
  }

  function tooltip(params) {
    var d = params.data;
    if (!d.id) { return d.name; }
    return d.name + "\n" + d.status + " · " + d.task + "\n企业 " + d.enterprises + " 家 · 项目 " +
      d.projects + " 个 · 招商目标 " + d.targets + " 家";
  }

  function draw() {
    var holder = document.getElementById("chain-map");
    var source = document.getElementById("chain-map-data");
    if (!holder || !source || typeof echarts === "undefined") { return; }
    var data = JSON.parse(source.textContent);
    var narrow = holder.clientWidth < 600;
    // Room for every leaf's label (set through the CSSOM, which the Content Security Policy allows).
    holder.style.height = Math.max(260, leaves(data) * 30 + 40) + "px";
    // Twice the screen's pixels: sharp when printed on A3 or pasted into a report.
    var chart = echarts.init(holder, null, { devicePixelRatio: Math.max(2, window.devicePixelRatio || 1) });
    chart.setOption({
      animation: false,
      tooltip: { trigger: "item", renderMode: "richText", formatter: tooltip },
      series: [{
        type: "tree",
        data: [data],
        orient: "LR",
        // A phone keeps less room for the labels either side of the tree.
        top: 12, bottom: 12, left: narrow ? 70 : 110, right: narrow ? 128 : 170,
        expandAndCollapse: false,
        initialTreeDepth: -1,
        roam: false,
        symbol: "circle",
        lineStyle: { color: "#adb5bd", width: 1.2 },
        // Labels on a white ground: a branch's label sits where its parent's line comes in.
        label: { position: "left", verticalAlign: "middle", align: "right", fontSize: narrow ? 11 : 13,
          color: "#212529", backgroundColor: "#ffffff", padding: [1, 2] },
        leaves: { label: { position: "right", verticalAlign: "middle", align: "left" } },
        emphasis: { focus: "ancestor" }
      }]
    });
    chart.on("click", function (params) {
      if (params.data && params.data.id) { window.location.href = "?link=" + params.data.id + "#five-lists"; }
    });
    window.addEventListener("resize", function () { chart.resize(); });
    window.addEventListener("beforeprint", function () { chart.resize(); });
    window.addEventListener("afterprint", function () { chart.resize(); });

    var imageButton = document.querySelector("[data-map-image]");
    if (imageButton) {
      imageButton.addEventListener("click", function () {
        var link = document.createElement("a");
        link.href = chart.getDataURL({ type: "png", pixelRatio: 2, backgroundColor: "#ffffff" });
        link.download = (holder.dataset.chainName || "产业链图谱") + ".png";
        document.body.appendChild(link);
        link.click();
        link.remove();
      });
    }
    var printButton = document.querySelector("[data-map-print]");
    if (printButton) { printButton.addEventListener("click", function () { window.print(); }); }
  }

  document.addEventListener("DOMContentLoaded", draw);
})();
