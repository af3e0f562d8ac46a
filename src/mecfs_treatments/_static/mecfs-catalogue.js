/* Sortable tables of the catalogue (class "mecfs-sortable"). Without this script the
   table stays readable in the order it was written. */
(function () {
  "use strict";
  var DIRECTIONS = { benefit: 0, mixed: 1, unclear: 2, "no-effect": 3, harm: 4 };

  function key(cell) {
    var badge = cell.querySelector(".mecfs-badge");
    if (badge) {
      var m = /mecfs-badge-level-(\d+)/.exec(badge.className);
      if (m) return -parseInt(m[1], 10);
      for (var name in DIRECTIONS) {
        if (badge.classList.contains("mecfs-badge-" + name)) return DIRECTIONS[name];
      }
      if (badge.classList.contains("mecfs-badge-harm")) return 0;
    }
    var text = cell.textContent.trim();
    if (text === "—") return Infinity;
    var number = /^(\d[\d,]*)(%|\b)/.exec(text);
    if (number) return -parseFloat(number[1].replace(/,/g, ""));
    return text.toLowerCase();
  }

  function compare(a, b) {
    if (typeof a === typeof b) return a < b ? -1 : a > b ? 1 : 0;
    if (a === Infinity) return 1;
    if (b === Infinity) return -1;
    return typeof a === "number" ? -1 : 1;
  }

  function sortBy(table, column, th) {
    var body = table.tBodies[0];
    var rows = Array.prototype.slice.call(body.rows);
    var descending = th.getAttribute("aria-sort") === "ascending";
    rows = rows.map(function (row, i) { return [key(row.cells[column]), i, row]; });
    rows.sort(function (x, y) { return (descending ? -1 : 1) * compare(x[0], y[0]) || x[1] - y[1]; });
    rows.forEach(function (r) { body.appendChild(r[2]); });
    Array.prototype.forEach.call(table.tHead.rows[0].cells, function (cell) { cell.removeAttribute("aria-sort"); });
    th.setAttribute("aria-sort", descending ? "descending" : "ascending");
  }

  function init() {
    var tables = document.querySelectorAll("table.mecfs-sortable");
    Array.prototype.forEach.call(tables, function (table) {
      if (!table.tHead || !table.tBodies.length) return;
      Array.prototype.forEach.call(table.tHead.rows[0].cells, function (th, column) {
        var button = document.createElement("button");
        button.type = "button";
        button.textContent = th.textContent.trim();
        button.title = "Sort by " + button.textContent;
        th.textContent = "";
        th.appendChild(button);
        button.addEventListener("click", function () { sortBy(table, column, th); });
      });
    });
  }

  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", init);
  else init();
})();
