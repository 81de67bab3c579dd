// Round Trip charts: the static SVG is the first paint; the Vega runtime and the chart's
// compiled spec load only when a reader points at, focuses or touches a chart. Dark mode needs
// no redraw: chart-colours.css restyles static and interactive SVGs alike.
(function () {
  "use strict";

  var script = document.currentScript;
  var runtimeUrl = script ? script.src.replace(/charts\.js(\?.*)?$/, "vega-runtime.js") : "";
  var runtime = null;
  var NARROW = 600;

  function loadRuntime() {
    if (!runtime) {
      runtime = new Promise(function (resolve, reject) {
        var tag = document.createElement("script");
        tag.src = runtimeUrl;
        tag.onload = function () { resolve(window.rtVega); };
        tag.onerror = reject;
        document.head.appendChild(tag);
      });
    }
    return runtime;
  }

  function layoutOf(figure) {
    return figure.clientWidth < NARROW ? "narrow" : "wide";
  }

  // Tooltips written with textContent: ledger text never becomes markup.
  function tooltipFor(live) {
    var tip = document.createElement("div");
    tip.className = "rt-tooltip";
    tip.hidden = true;
    live.appendChild(tip);
    return function (handler, event, item, value) {
      if (value == null || value === "" || !event) { tip.hidden = true; return; }
      while (tip.firstChild) tip.removeChild(tip.firstChild);
      var entries = typeof value === "object" ? Object.keys(value).map(function (k) { return [k, value[k]]; }) : [["", value]];
      entries.forEach(function (pair) {
        if (pair[1] === "" || pair[1] == null) return;
        var line = document.createElement("div");
        if (pair[0]) {
          var key = document.createElement("b");
          key.textContent = pair[0] + ": ";
          line.appendChild(key);
        }
        line.appendChild(document.createTextNode(String(pair[1])));
        tip.appendChild(line);
      });
      var box = live.getBoundingClientRect();
      tip.hidden = false;
      var x = event.clientX - box.left + 12, y = event.clientY - box.top + 12;
      x = Math.min(x, Math.max(0, live.clientWidth - tip.offsetWidth));
      tip.style.left = x + "px";
      tip.style.top = y + "px";
    };
  }

  function activate(figure) {
    var layout = layoutOf(figure);
    if (figure.dataset.live === layout || figure.dataset.loading === layout) return;
    figure.dataset.loading = layout;
    var live = figure.querySelector(".rt-chart-live");
    var url = figure.dataset.charts + figure.dataset.chart + "." + layout + ".vg.json";
    Promise.all([loadRuntime(), fetch(url).then(function (r) { return r.json(); })])
      .then(function (parts) {
        var vega = parts[0], spec = parts[1];
        if (figure._rtView) figure._rtView.finalize();
        while (live.firstChild) live.removeChild(live.firstChild);
        var holder = document.createElement("div");
        live.appendChild(holder);
        var view = new vega.View(vega.parse(spec), { renderer: "svg", container: holder, hover: true });
        view.tooltip(tooltipFor(live));
        figure._rtView = view;
        return view.runAsync();
      })
      .then(function () {
        var svg = live.querySelector("svg");
        if (svg) {
          svg.setAttribute("role", "img");
          svg.setAttribute("aria-label", figure.querySelector(".rt-chart-title").textContent);
        }
        live.hidden = false;
        figure.dataset.live = layout;
        delete figure.dataset.loading;
        figure.classList.add("rt-chart-ready");
      })
      .catch(function (error) {
        delete figure.dataset.loading;
        figure.classList.add("rt-chart-failed");
        console.error("Round Trip: chart " + figure.id + " failed to draw", error);
      });
  }

  function copyButton(button) {
    if (!navigator.clipboard) return;
    button.hidden = false;
    button.addEventListener("click", function () {
      var url = location.href.split("#")[0] + button.dataset.copy;
      navigator.clipboard.writeText(url).then(function () { button.textContent = "Link copied"; });
    });
  }

  function start() {
    document.querySelectorAll("figure.rt-chart").forEach(function (figure) {
      var go = function () { activate(figure); };
      ["pointerenter", "focusin", "touchstart"].forEach(function (type) {
        figure.addEventListener(type, go, { passive: true });
      });
      figure.querySelectorAll(".rt-copy").forEach(copyButton);
    });
    var timer = null;
    window.addEventListener("resize", function () {
      clearTimeout(timer);
      timer = setTimeout(function () {
        document.querySelectorAll("figure.rt-chart.rt-chart-ready").forEach(function (figure) {
          if (figure.dataset.live !== layoutOf(figure)) activate(figure);
        });
      }, 200);
    });
  }

  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", start);
  else start();
})();
