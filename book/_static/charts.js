// Turn each static chart (SVG rendered at build time) into the interactive Vega chart, using
// the Vega bundle served by this site. Without JavaScript the static SVG stays.
(function () {
  "use strict";
  function embedAll() {
    document.querySelectorAll("figure.rt-chart").forEach(function (figure) {
      var specNode = figure.querySelector("script.rt-chart-spec");
      var live = figure.querySelector(".rt-chart-live");
      if (!specNode || !live || typeof window.vegaEmbed !== "function") return;
      var spec = JSON.parse(specNode.textContent);
      window
        .vegaEmbed(live, spec, {
          renderer: "svg",
          actions: { export: true, source: false, compiled: false, editor: false },
        })
        .then(function () {
          figure.classList.add("rt-chart-ready");
        })
        .catch(function (error) {
          figure.classList.add("rt-chart-failed");
          console.error("Round Trip: chart " + figure.id + " failed to draw", error);
        });
    });
  }
  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", embedAll);
  } else {
    embedAll();
  }
})();
