// Turn each static chart (SVG rendered at build time) into the interactive Vega chart, using
// the Vega bundle served by this site. Without JavaScript the static SVG stays. Charts follow
// the site's light/dark mode and are redrawn when the reader switches it.
(function () {
  "use strict";

  var DARK = {
    background: "transparent",
    title: { color: "#e6e6e6", subtitleColor: "#b8b8b8" },
    axis: { labelColor: "#d0d0d0", titleColor: "#e6e6e6", gridColor: "#3a3f44", domainColor: "#8a8f94", tickColor: "#8a8f94" },
    legend: { labelColor: "#d0d0d0", titleColor: "#e6e6e6", symbolFillColor: "#d0d0d0" },
    text: { color: "#e6e6e6" },
    view: { stroke: null },
  };

  function isDark() {
    return document.documentElement.dataset.theme === "dark";
  }

  function merge(target, extra) {
    Object.keys(extra).forEach(function (key) {
      var value = extra[key];
      if (value && typeof value === "object" && !Array.isArray(value)) {
        target[key] = merge(target[key] && typeof target[key] === "object" ? target[key] : {}, value);
      } else {
        target[key] = value;
      }
    });
    return target;
  }

  function embed(figure) {
    var specNode = figure.querySelector("script.rt-chart-spec");
    var live = figure.querySelector(".rt-chart-live");
    if (!specNode || !live || typeof window.vegaEmbed !== "function") return;
    var spec = JSON.parse(specNode.textContent);
    if (isDark()) spec.config = merge(spec.config || {}, DARK);
    if (figure._rtView) figure._rtView.finalize();
    figure.classList.remove("rt-chart-ready");
    figure.dataset.mode = isDark() ? "dark" : "light";
    window
      .vegaEmbed(live, spec, {
        renderer: "svg",
        actions: { export: true, source: false, compiled: false, editor: false },
      })
      .then(function (result) {
        figure._rtView = result;
        // vega-embed's actions menu opens from an icon-only <summary>: give it a name.
        live.querySelectorAll("details > summary").forEach(function (summary) {
          summary.setAttribute("aria-label", "Chart actions: save the chart as SVG or PNG");
        });
        figure.classList.add("rt-chart-ready");
      })
      .catch(function (error) {
        figure.classList.add("rt-chart-failed");
        console.error("Round Trip: chart " + figure.id + " failed to draw", error);
      });
  }

  function embedAll() {
    document.querySelectorAll("figure.rt-chart").forEach(embed);
  }

  function start() {
    embedAll();
    var mode = isDark();
    new MutationObserver(function () {
      if (isDark() !== mode) {
        mode = isDark();
        embedAll();
      }
    }).observe(document.documentElement, { attributes: true, attributeFilter: ["data-theme"] });
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
})();
