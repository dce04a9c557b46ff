// lgcontent HTML report: sort and filter the table of pages. The report works without
// this script; with it, the column buttons sort and the controls filter.
(function () {
  "use strict";
  var table = document.getElementById("pages-table");
  if (!table) { return; }
  var body = table.tBodies[0];
  var rows = Array.prototype.slice.call(body.rows);
  var status = document.getElementById("pages-status");
  var search = document.getElementById("page-filter");
  var show = document.getElementById("page-show");

  function value(row, index, numeric) {
    var cell = row.cells[index];
    var raw = cell.getAttribute("data-value");
    if (raw === null) { raw = cell.textContent; }
    if (!numeric) { return raw.toLowerCase(); }
    var n = parseFloat(raw);
    return isNaN(n) ? -Infinity : n;
  }

  function sortBy(header) {
    var index = header.cellIndex;
    var numeric = header.getAttribute("data-type") === "number";
    var ascending = header.getAttribute("aria-sort") !== "ascending";
    Array.prototype.forEach.call(table.tHead.rows[0].cells, function (th) { th.removeAttribute("aria-sort"); });
    header.setAttribute("aria-sort", ascending ? "ascending" : "descending");
    rows.sort(function (a, b) {
      var x = value(a, index, numeric), y = value(b, index, numeric);
      var order = x < y ? -1 : x > y ? 1 : 0;
      return ascending ? order : -order;
    });
    rows.forEach(function (row) { body.appendChild(row); });
    announce("Sorted by " + header.textContent.trim() + (ascending ? ", lowest first." : ", highest first."));
  }

  function announce(prefix) {
    var shown = rows.filter(function (row) { return !row.hidden; }).length;
    status.textContent = (prefix ? prefix + " " : "") + "Showing " + shown + " of " + rows.length + " pages.";
  }

  function filter() {
    var words = search.value.trim().toLowerCase();
    var wanted = show.value;
    rows.forEach(function (row) {
      var text = (row.cells[0].textContent + " " + row.cells[1].textContent).toLowerCase();
      var state = row.getAttribute("data-state");
      var fits = (!words || text.indexOf(words) !== -1) &&
        (wanted === "all" || wanted === state || (wanted === "findings" && state !== "clean"));
      row.hidden = !fits;
    });
    announce("");
  }

  Array.prototype.forEach.call(table.querySelectorAll("th button"), function (button) {
    button.addEventListener("click", function () { sortBy(button.parentNode); });
  });
  search.addEventListener("input", filter);
  show.addEventListener("change", filter);

  // A link to a page's findings opens its section.
  function openTarget() {
    var id = decodeURIComponent(location.hash.slice(1));
    var target = id && document.getElementById(id);
    if (target && target.tagName === "DETAILS") { target.open = true; }
  }
  window.addEventListener("hashchange", openTarget);
  openTarget();
  announce("");
}());
