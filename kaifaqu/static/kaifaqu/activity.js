// 招商活动 form: show the fields of the chosen kind (without JS every field shows and the server
// drops what the kind does not carry), name 地区 after the kind, and on the 转为招商线索 form
// propose “<企业名称>项目” as the project name while the user has not typed one.
(function () {
  "use strict";

  function kindForm(form) {
    var kind = form.querySelector("[data-activity-kind]");
    if (!kind) { return; }
    var region = form.querySelector("[data-region-labels]");
    var regionLabel = region ? form.querySelector("label[for='" + region.id + "']") : null;
    var labels = {};
    if (region) {
      region.dataset.regionLabels.split("|").forEach(function (pair) {
        var parts = pair.split(":");
        labels[parts[0]] = parts[1];
      });
    }
    var original = regionLabel ? regionLabel.textContent : "";

    function apply() {
      var chosen = kind.value;
      form.querySelectorAll("[data-kinds]").forEach(function (field) {
        var wrap = field.closest("[data-kind-wrap]") || field.parentElement;
        var shown = !chosen || field.dataset.kinds.split(" ").indexOf(chosen) !== -1;
        wrap.hidden = !shown;
        field.disabled = !shown;  // a hidden field is not sent
        wrap.querySelectorAll("input, select, textarea").forEach(function (other) { other.disabled = !shown; });
      });
      if (regionLabel) {
        regionLabel.textContent = labels[chosen] || original;
      }
    }
    kind.addEventListener("change", apply);
    apply();
  }

  function leadForm(form) {
    var target = form.querySelector("[data-lead-target]");
    var name = form.querySelector("[data-lead-name]");
    if (!target || !name || !form.dataset.leadNames) { return; }
    var names = JSON.parse(form.dataset.leadNames);
    target.addEventListener("change", function () {
      var proposed = Object.keys(names).map(function (key) { return names[key]; });
      if (!name.value || proposed.indexOf(name.value) !== -1) {
        name.value = names[target.value] || "";
      }
    });
  }

  document.addEventListener("DOMContentLoaded", function () {
    document.querySelectorAll("[data-activity-form]").forEach(kindForm);
    document.querySelectorAll("[data-lead-form]").forEach(leadForm);
  });
})();
