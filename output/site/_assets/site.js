// The catalogue index: search and filters over the design cards (ours, no library).
// Each card carries what it is filtered on in data attributes written by site/pages.py;
// the filters live in the address (#q=redis&tech=Redis) so a filtered list can be linked.
(function () {
  "use strict";
  var fields = { q: "dg-q", kind: "dg-kind", tech: "dg-tech", findings: "dg-findings" };
  var inputs = {};
  Object.keys(fields).forEach(function (k) { inputs[k] = document.getElementById(fields[k]); });
  var cards = Array.prototype.slice.call(document.querySelectorAll("#dg-cards > .dg-card"));
  var count = document.getElementById("dg-count");

  function has(card, attr, value) {
    return !value || card.getAttribute(attr).split("|").indexOf(value) >= 0;
  }

  function apply() {
    var words = inputs.q.value.toLowerCase().split(/\s+/).filter(Boolean);
    var shown = 0;
    cards.forEach(function (card) {
      var text = card.getAttribute("data-search");
      var ok = words.every(function (w) { return text.indexOf(w) >= 0; }) &&
        has(card, "data-kinds", inputs.kind.value) &&
        has(card, "data-techs", inputs.tech.value) &&
        has(card, "data-findings", inputs.findings.value);
      card.hidden = !ok;
      if (ok) { shown++; }
    });
    count.textContent = shown === cards.length
      ? cards.length + " designs"
      : shown + " of " + cards.length + " designs";
    var params = new URLSearchParams();
    Object.keys(inputs).forEach(function (k) { if (inputs[k].value) { params.set(k, inputs[k].value); } });
    var hash = params.toString();
    try {
      history.replaceState(null, "", window.location.pathname + (hash ? "#" + hash : ""));
    } catch (err) {
      // Some browsers refuse replaceState on file:// pages; the filter still applies.
    }
  }

  var start = new URLSearchParams(window.location.hash.replace(/^#/, ""));
  Object.keys(inputs).forEach(function (k) {
    if (start.get(k)) { inputs[k].value = start.get(k); }
    inputs[k].addEventListener("input", apply);
    inputs[k].addEventListener("change", apply);
  });
  inputs.q.form.addEventListener("submit", function (event) { event.preventDefault(); });
  apply();
})();
