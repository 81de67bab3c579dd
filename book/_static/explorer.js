/* Deals explorer: sort by any column, filter by words, kind and confidence.
   Loaded only on the explorer page. Without it the table is still complete and readable. */
(function () {
  "use strict";

  function cellKey(row, index, type) {
    var cell = row.cells[index];
    var value = cell.hasAttribute("data-sort") ? cell.getAttribute("data-sort") : cell.textContent.trim();
    if (type === "number") return value === "" ? null : Number(value);
    return value.toLocaleLowerCase();
  }

  function select(labelText, values) {
    var wrap = document.createElement("label");
    wrap.textContent = labelText + " ";
    var menu = document.createElement("select");
    var all = document.createElement("option");
    all.value = "";
    all.textContent = "all";
    menu.appendChild(all);
    values.forEach(function (v) {
      var option = document.createElement("option");
      option.value = v;
      option.textContent = v;
      menu.appendChild(option);
    });
    wrap.appendChild(menu);
    return { wrap: wrap, menu: menu };
  }

  function unique(rows, attribute) {
    var seen = [];
    rows.forEach(function (r) {
      var v = r.getAttribute(attribute);
      if (v && seen.indexOf(v) < 0) seen.push(v);
    });
    return seen.sort();
  }

  function setUp(table) {
    var body = table.tBodies[0];
    var rows = Array.prototype.slice.call(body.rows);
    var box = table.closest(".rt-table-scroll") || table;

    var controls = document.createElement("div");
    controls.className = "rt-explorer-controls";
    var search = document.createElement("label");
    search.textContent = "Find ";
    var input = document.createElement("input");
    input.type = "search";
    input.placeholder = "company, deal, kind…";
    search.appendChild(input);
    var kind = select("Kind", unique(rows, "data-kind"));
    var confidence = select("Confidence", unique(rows, "data-confidence"));
    var status = document.createElement("p");
    status.className = "rt-explorer-count";
    status.setAttribute("aria-live", "polite");
    controls.appendChild(search);
    controls.appendChild(kind.wrap);
    controls.appendChild(confidence.wrap);
    box.parentNode.insertBefore(controls, box);
    box.parentNode.insertBefore(status, box);

    function filter() {
      var words = input.value.trim().toLocaleLowerCase().split(/\s+/).filter(Boolean);
      var shown = 0;
      rows.forEach(function (row) {
        var text = row.textContent.toLocaleLowerCase();
        var ok =
          words.every(function (w) { return text.indexOf(w) >= 0; }) &&
          (!kind.menu.value || row.getAttribute("data-kind") === kind.menu.value) &&
          (!confidence.menu.value || row.getAttribute("data-confidence") === confidence.menu.value);
        row.hidden = !ok;
        if (ok) shown += 1;
      });
      status.textContent = "Showing " + shown + " of " + rows.length + " legs.";
    }
    input.addEventListener("input", filter);
    kind.menu.addEventListener("change", filter);
    confidence.menu.addEventListener("change", filter);

    var headers = Array.prototype.slice.call(table.tHead.rows[0].cells);
    headers.forEach(function (th, index) {
      var button = document.createElement("button");
      button.type = "button";
      button.className = "rt-sort";
      button.textContent = th.textContent;
      th.textContent = "";
      th.appendChild(button);
      button.addEventListener("click", function () {
        var ascending = th.getAttribute("aria-sort") !== "ascending";
        headers.forEach(function (h) { h.removeAttribute("aria-sort"); });
        th.setAttribute("aria-sort", ascending ? "ascending" : "descending");
        var type = th.getAttribute("data-type");
        rows.sort(function (a, b) {
          var x = cellKey(a, index, type), y = cellKey(b, index, type);
          if (x === y) return 0;
          if (x === null) return 1; // empty cells last either way
          if (y === null) return -1;
          return (x < y ? -1 : 1) * (ascending ? 1 : -1);
        });
        rows.forEach(function (row) { body.appendChild(row); });
      });
    });
    filter();
  }

  function start() {
    document.querySelectorAll("table[data-rt-explorer]").forEach(setUp);
  }
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", start);
  else start();
})();
