// diagramgen interactive viewer (ours, no library): pan and zoom, tooltips, focus on a
// component, flow walkthroughs. It reads the JSON block #dg-data written by
// diagramgen/rendering/interactive.py and finds the picture's parts by Graphviz's ids:
// <g class="node"> whose <title> is the component id, <g id="edgeN" class="edge">.
// Text from the spec only ever reaches the page through textContent.
(function () {
  "use strict";
  var data = JSON.parse(document.getElementById("dg-data").textContent);
  var canvas = document.getElementById("dg-canvas");
  var svg = canvas.querySelector("svg");
  var tip = document.getElementById("dg-tip");
  var body = document.getElementById("dg-panel-body");
  var stepLine = document.getElementById("dg-step");
  var flowSelect = document.getElementById("dg-flow");
  var prevButton = document.getElementById("dg-prev");
  var nextButton = document.getElementById("dg-next");
  var SVGNS = "http://www.w3.org/2000/svg";

  // ------------------------------------------------------------ the picture's parts
  var nodes = {};     // component id -> <g class="node">
  var clusters = {};  // group id -> <g class="cluster">
  var edges = {};     // "edgeN" -> <g class="edge">
  var edgeData = {};  // "edgeN" -> data
  data.edges.forEach(function (e) { edgeData[e.id] = e; });

  function takeTitle(g) {
    // The <title> names the part; removed so the browser's own tooltip does not cover ours.
    var t = g.querySelector(":scope > title");
    if (!t) { return ""; }
    var text = t.textContent;
    t.remove();
    return text;
  }

  svg.querySelectorAll("g.node").forEach(function (g) {
    var id = takeTitle(g);
    var info = data.nodes[id];
    if (!info) { return; }  // an invisible anchor of an empty group
    nodes[id] = g;
    g.dataset.id = id;
    g.setAttribute("tabindex", "0");
    g.setAttribute("role", "button");
    g.setAttribute("aria-label", info.aria);
    var box = g.getBBox();
    var ring = document.createElementNS(SVGNS, "rect");
    ring.setAttribute("class", "dg-ring");
    ring.setAttribute("x", box.x - 5);
    ring.setAttribute("y", box.y - 5);
    ring.setAttribute("width", box.width + 10);
    ring.setAttribute("height", box.height + 10);
    ring.setAttribute("rx", 6);
    g.insertBefore(ring, g.firstChild);
  });
  svg.querySelectorAll("g.cluster").forEach(function (g) {
    var title = takeTitle(g);
    if (title.indexOf("cluster_") === 0) { clusters[title.slice(8)] = g; }
  });
  svg.querySelectorAll("g.edge").forEach(function (g) {
    takeTitle(g);
    if (!edgeData[g.id]) { return; }
    edges[g.id] = g;
    var path = g.querySelector("path");
    if (path) {  // a wide, invisible twin of the line, so that thin edges are easy to hover
      var hit = path.cloneNode(false);
      hit.setAttribute("class", "dg-hit");
      hit.removeAttribute("stroke-dasharray");
      g.appendChild(hit);
    }
  });
  svg.setAttribute("role", "img");
  svg.setAttribute("aria-label", data.view.title);

  // ------------------------------------------------------------ small DOM helpers
  function el(tag, attrs, children) {
    var node = document.createElement(tag);
    Object.keys(attrs || {}).forEach(function (k) { node.setAttribute(k, attrs[k]); });
    (children || []).forEach(function (c) {
      if (c === null || c === undefined || c === "") { return; }
      node.appendChild(typeof c === "string" ? document.createTextNode(c) : c);
    });
    return node;
  }

  function plural(n, word) { return n + " " + word + (n === 1 ? "" : "s"); }

  function endLabel(id) {
    if (data.nodes[id]) { return data.nodes[id].label; }
    return data.groups[id] || id;
  }

  function loadLine(load) {
    if (!load) { return null; }
    var line = "peak " + load.peak;
    if (load.capacity) {
      line += " of " + load.capacity + " capacity";
      if (load.utilization !== null) { line += " (" + load.utilization_text + " utilisation)"; }
      if (load.capacity_max && load.capacity_max !== load.capacity) {
        line += "; at the autoscaling ceiling " + load.capacity_max
          + (load.utilization_max_text ? " (" + load.utilization_max_text + ")" : "");
      }
    } else {
      line += " (capacity unknown: no figure for this kind/tech)";
    }
    return line;
  }

  function edgeRateLine(e) {
    return e.rate_text ? "peak " + e.rate_text + " (" + e.rate_basis + ")"
      : "rate: no traced flow crosses it";
  }

  function findingItem(f) {
    return el("li", {}, [
      el("span", { "class": "dg-sev dg-sev-" + f.severity }, [f.code + " " + f.severity]),
      " " + f.message,
    ]);
  }

  // ------------------------------------------------------------ tooltips
  function nodeTip(id) {
    var n = data.nodes[id];
    var lines = [el("strong", {}, [n.label])];
    lines.push(el("div", {}, [n.kind + (n.tech ? " · " + n.tech : "")]));
    var inst = plural(n.replicas, "instance");
    if (n.load && n.load.max_instances !== n.load.instances) { inst += " (up to " + n.load.max_instances + ")"; }
    lines.push(el("div", {}, [inst]));
    if (n.load) { lines.push(el("div", {}, [loadLine(n.load)])); }
    n.findings.forEach(function (f) {
      lines.push(el("div", {}, [
        el("span", { "class": "dg-sev dg-sev-" + f.severity }, [f.code]), " " + f.name,
      ]));
    });
    return lines;
  }

  function edgeTip(id) {
    var e = edgeData[id];
    var lines = [el("strong", {}, [e.from + " \u2192 " + e.to])];
    if (e.label) { lines.push(el("div", {}, [e.label])); }
    if (e.protocol) { lines.push(el("div", {}, ["protocol: " + e.protocol])); }
    lines.push(el("div", {}, [e.async ? "asynchronous (fire and forget)" : "synchronous call"]));
    lines.push(el("div", {}, [edgeRateLine(e)]));
    return lines;
  }

  function showTip(lines, x, y) {
    tip.replaceChildren.apply(tip, lines);
    tip.hidden = false;
    var w = tip.offsetWidth, h = tip.offsetHeight;
    var left = Math.min(x + 14, window.innerWidth - w - 8);
    var top = y + 14 + h > window.innerHeight ? y - h - 10 : y + 14;
    tip.style.left = Math.max(4, left) + "px";
    tip.style.top = Math.max(4, top) + "px";
  }

  function hideTip() { tip.hidden = true; }

  function partOf(target) {
    var g = target && target.closest ? target.closest("g.node, g.edge") : null;
    if (!g) { return null; }
    if (g.classList.contains("node") && nodes[g.dataset.id]) { return { type: "node", id: g.dataset.id }; }
    if (g.classList.contains("edge") && edges[g.id]) { return { type: "edge", id: g.id }; }
    return null;
  }

  svg.addEventListener("mousemove", function (event) {
    if (drag && drag.moved) { hideTip(); return; }
    var part = partOf(event.target);
    if (!part) { hideTip(); return; }
    showTip(part.type === "node" ? nodeTip(part.id) : edgeTip(part.id), event.clientX, event.clientY);
  });
  svg.addEventListener("mouseleave", hideTip);
  svg.addEventListener("focusin", function (event) {
    var part = partOf(event.target);
    if (!part) { return; }
    var r = nodes[part.id].getBoundingClientRect();
    showTip(nodeTip(part.id), r.left, r.bottom);
  });
  svg.addEventListener("focusout", hideTip);

  // ------------------------------------------------------------ pan and zoom
  var base = svg.viewBox.baseVal;
  var home = { x: base.x, y: base.y, w: base.width, h: base.height };
  var view = { x: home.x, y: home.y, w: home.w, h: home.h };
  svg.removeAttribute("width");
  svg.removeAttribute("height");
  svg.setAttribute("preserveAspectRatio", "xMidYMid meet");

  function setView(v) {
    view = v;
    svg.setAttribute("viewBox", [v.x, v.y, v.w, v.h].map(function (n) { return +n.toFixed(2); }).join(" "));
  }

  function toSvg(cx, cy) {
    var pt = svg.createSVGPoint();
    pt.x = cx;
    pt.y = cy;
    return pt.matrixTransform(svg.getScreenCTM().inverse());
  }

  function zoomAt(factor, cx, cy) {
    var p = toSvg(cx, cy);
    var w = Math.min(home.w * 4, Math.max(home.w / 25, view.w / factor));
    var k = w / view.w;
    setView({ x: p.x - (p.x - view.x) * k, y: p.y - (p.y - view.y) * k, w: w, h: view.h * k });
  }

  function zoomCentre(factor) {
    var r = canvas.getBoundingClientRect();
    zoomAt(factor, r.left + r.width / 2, r.top + r.height / 2);
  }

  function panBy(fx, fy) {
    setView({ x: view.x + view.w * fx, y: view.y + view.h * fy, w: view.w, h: view.h });
  }

  function fit() { setView({ x: home.x, y: home.y, w: home.w, h: home.h }); }

  canvas.addEventListener("wheel", function (event) {
    event.preventDefault();
    hideTip();
    if (!event.ctrlKey && (event.deltaX !== 0 || event.shiftKey)) {
      // A trackpad's two-finger scroll, or shift + wheel: pan.
      var r = canvas.getBoundingClientRect();
      var dx = event.shiftKey && event.deltaX === 0 ? event.deltaY : event.deltaX;
      var dy = event.shiftKey && event.deltaX === 0 ? 0 : event.deltaY;
      panBy(dx / r.width, dy / r.height);
    } else {
      // A mouse wheel, or a pinch (reported with ctrlKey): zoom at the pointer.
      zoomAt(Math.exp(-event.deltaY * (event.deltaMode === 1 ? 0.05 : 0.002)), event.clientX, event.clientY);
    }
  }, { passive: false });

  var drag = null;
  canvas.addEventListener("pointerdown", function (event) {
    if (event.button !== 0) { return; }
    drag = { x: event.clientX, y: event.clientY, p: toSvg(event.clientX, event.clientY),
             target: event.target, moved: false, pointer: event.pointerId };
  });
  canvas.addEventListener("pointermove", function (event) {
    if (!drag) { return; }
    if (!drag.moved && Math.abs(event.clientX - drag.x) + Math.abs(event.clientY - drag.y) < 4) { return; }
    if (!drag.moved) {
      drag.moved = true;
      canvas.setPointerCapture(drag.pointer);
      canvas.classList.add("dg-dragging");
    }
    var p = toSvg(event.clientX, event.clientY);
    setView({ x: view.x + drag.p.x - p.x, y: view.y + drag.p.y - p.y, w: view.w, h: view.h });
  });
  function endDrag(event) {
    if (!drag) { return; }
    var d = drag;
    drag = null;
    canvas.classList.remove("dg-dragging");
    if (d.moved || event.type !== "pointerup") { return; }
    var part = partOf(d.target);
    if (part && part.type === "node") {
      select(part.id);
    } else if (part && part.type === "edge") {
      selectEdge(part.id);
    } else {
      clearSelection();
    }
  }
  canvas.addEventListener("pointerup", endDrag);
  canvas.addEventListener("pointercancel", endDrag);

  document.querySelectorAll("[data-zoom]").forEach(function (b) {
    b.addEventListener("click", function () {
      var how = b.getAttribute("data-zoom");
      if (how === "in") { zoomCentre(1.25); } else if (how === "out") { zoomCentre(0.8); } else { fit(); }
    });
  });

  // ------------------------------------------------------------ the side panel
  function panelDefault() {
    var d = data.design;
    var parts = [el("h2", {}, [data.view.title])];
    if (d.description) { parts.push(el("p", {}, [d.description])); }
    parts.push(el("p", { "class": "dg-muted" }, [
      plural(Object.keys(data.nodes).length, "component") + " · " +
      plural(d.counts.error, "error") + ", " + plural(d.counts.warning, "warning") + ", " +
      d.counts.info + " info",
    ]));
    if (d.findings.length) {
      parts.push(el("h3", {}, ["Design findings"]));
      parts.push(el("ul", {}, d.findings.map(findingItem)));
    }
    if (data.flows.length) {
      parts.push(el("h3", {}, ["Flows"]));
      parts.push(el("ul", {}, data.flows.map(function (f) {
        var b = el("button", { type: "button", "class": "dg-linkish" }, [f.name]);
        b.addEventListener("click", function () { walk(f.name, 1); });
        return el("li", {}, [b, " " + plural(f.steps.length, "step")]);
      })));
    }
    if (data.notes) {
      parts.push(el("p", {}, [el("a", { href: data.notes }, ["Design notes"]),
        ": capacity estimates, findings and decisions"]));
    }
    body.replaceChildren.apply(body, parts);
  }

  function focusButton(id) {
    var b = el("button", { type: "button", "class": "dg-linkish" }, [endLabel(id)]);
    b.addEventListener("click", function () { if (nodes[id]) { select(id); nodes[id].focus(); } });
    return b;
  }

  function panelNode(id) {
    var n = data.nodes[id];
    var facts = [["kind", n.kind]];
    if (n.tech) { facts.push(["tech", n.tech]); }
    if (n.group) { facts.push(["group", n.group]); }
    facts.push(["instances", String(n.replicas) + (n.load && n.load.max_instances !== n.load.instances
      ? " running, up to " + n.load.max_instances + " (autoscaling)" : "")]);
    if (n.load) {
      facts.push(["peak load", n.load.peak + (n.load.breakdown ? " (" + n.load.breakdown + ")" : "")]);
      facts.push(["capacity", n.load.capacity
        ? n.load.instances + " x " + n.load.per_instance + " = " + n.load.capacity + " (" + n.load.basis + ")"
        : "unknown: no figure for this kind/tech"]);
    }
    var dl = el("dl", {}, []);
    facts.forEach(function (f) { dl.appendChild(el("dt", {}, [f[0]])); dl.appendChild(el("dd", {}, [f[1]])); });
    var parts = [el("h2", {}, [n.label]), dl];
    if (n.load && n.load.utilization !== null) {
      var u = n.load.utilization;
      var meter = el("div", { "class": "dg-meter" + (u > 100 ? " dg-over" : ""), role: "meter",
        "aria-valuemin": "0", "aria-valuemax": "100", "aria-valuenow": String(Math.min(u, 100)),
        "aria-label": "utilisation at peak" }, [el("span", {}, [])]);
      meter.firstChild.style.width = Math.min(u, 100) + "%";
      parts.push(el("p", {}, ["utilisation at peak: " + n.load.utilization_text]), meter);
    }
    if (n.description) { parts.push(el("p", {}, [n.description])); }
    parts.push(el("h3", {}, ["Findings"]));
    parts.push(n.findings.length ? el("ul", {}, n.findings.map(findingItem))
      : el("p", { "class": "dg-muted" }, ["none"]));
    if (n.decisions.length) {
      parts.push(el("h3", {}, ["Decisions naming it"]));
      parts.push(el("ul", {}, n.decisions.map(function (i) {
        var d = data.decisions[i];
        return el("li", {}, [el("strong", {}, [d.title]), ": " + d.chosen + (d.because ? " (because " + d.because + ")" : "")]);
      })));
    }
    var links = data.edges.filter(function (e) { return e.source === id || e.target === id; });
    if (links.length) {
      parts.push(el("h3", {}, ["Connections"]));
      parts.push(el("ul", {}, links.map(function (e) {
        var out = e.source === id;
        var other = out ? e.target : e.source;
        return el("li", {}, [out ? "\u2192 " : "\u2190 ", focusButton(other),
          (e.label ? ": " + e.label : "") + (e.async ? " (async)" : "") + (e.rate_text ? ", " + e.rate_text : "")]);
      })));
    }
    body.replaceChildren.apply(body, parts);
  }

  function panelEdge(id) {
    var e = edgeData[id];
    var facts = [["from", e.from], ["to", e.to]];
    if (e.label) { facts.push(["label", e.label]); }
    if (e.protocol) { facts.push(["protocol", e.protocol]); }
    facts.push(["call", e.async ? "asynchronous (fire and forget)" : "synchronous"]);
    facts.push(["at peak", e.rate_text ? e.rate_text + " (" + e.rate_basis + ")" : "no traced flow crosses it"]);
    var dl = el("dl", {}, []);
    facts.forEach(function (f) { dl.appendChild(el("dt", {}, [f[0]])); dl.appendChild(el("dd", {}, [f[1]])); });
    var parts = [el("h2", {}, [e.from + " \u2192 " + e.to]), dl];
    if (e.description) { parts.push(el("p", {}, [e.description])); }
    body.replaceChildren.apply(body, parts);
  }

  // ------------------------------------------------------------ focus on a component
  var selected = null;

  function clearMarks() {
    svg.classList.remove("dg-focusing", "dg-walking");
    svg.querySelectorAll(".dg-sel, .dg-near, .dg-on, .dg-now, .dg-active, .dg-done").forEach(function (g) {
      g.classList.remove("dg-sel", "dg-near", "dg-on", "dg-now", "dg-active", "dg-done");
    });
  }

  function select(id) {
    if (walking) { stopWalk(); }
    clearMarks();
    selected = id;
    svg.classList.add("dg-focusing");
    nodes[id].classList.add("dg-sel");
    data.edges.forEach(function (e) {
      if (e.source !== id && e.target !== id) { return; }
      edges[e.id].classList.add("dg-near");
      var other = e.source === id ? e.target : e.source;
      if (nodes[other]) { nodes[other].classList.add("dg-near"); }
    });
    panelNode(id);
    setHash("focus=" + encodeURIComponent(id));
  }

  function selectEdge(id) {
    if (walking) { stopWalk(); }
    clearMarks();
    selected = null;
    var e = edgeData[id];
    svg.classList.add("dg-focusing");
    edges[id].classList.add("dg-near");
    [e.source, e.target].forEach(function (n) { if (nodes[n]) { nodes[n].classList.add("dg-near"); } });
    panelEdge(id);
  }

  function clearSelection() {
    selected = null;
    clearMarks();
    panelDefault();
    setHash("");
  }

  svg.addEventListener("keydown", function (event) {
    var part = partOf(event.target);
    if (part && (event.key === "Enter" || event.key === " ")) {
      event.preventDefault();
      select(part.id);
    }
  });

  // ------------------------------------------------------------ flow walkthroughs
  var walking = null;  // {flow, step}

  function flowNamed(name) {
    var key = String(name).toLowerCase();
    for (var i = 0; i < data.flows.length; i++) {
      var f = data.flows[i];
      if (f.name.toLowerCase() === key || f.slug === key) { return f; }
    }
    return null;
  }

  function ends(id) {
    // A step end is a component (its node) or a group (every node inside it).
    if (nodes[id]) { return [nodes[id]]; }
    var g = clusters[id];
    if (!g) { return []; }
    var box = g.getBBox();
    return Object.keys(nodes).map(function (k) { return nodes[k]; }).filter(function (n) {
      var b = n.getBBox();
      return b.x >= box.x && b.y >= box.y && b.x + b.width <= box.x + box.width && b.y + b.height <= box.y + box.height;
    });
  }

  function walk(name, step) {
    var flow = flowNamed(name);
    if (!flow) { return; }
    step = Math.max(1, Math.min(flow.steps.length, step | 0 || 1));
    selected = null;
    walking = { flow: flow, step: step };
    clearMarks();
    svg.classList.add("dg-walking");
    flow.steps.forEach(function (s) {
      if (s.n > step) { return; }
      s.edges.forEach(function (id) {
        if (edges[id]) { edges[id].classList.add(s.n === step ? "dg-active" : "dg-done"); }
      });
      ends(s.from).concat(ends(s.to)).forEach(function (g) {
        g.classList.add("dg-on");
        if (s.n === step) { g.classList.add("dg-now"); }
      });
    });
    var s = flow.steps[step - 1];
    var text = "Step " + step + " of " + flow.steps.length + ": " + s.from_label + " \u2192 " + s.to_label +
      (s.label ? ": " + s.label : "") + (s.async ? " (async)" : "");
    if (!s.edges.length) { text += " (not drawn in this view)"; }
    stepLine.textContent = text;
    flowSelect.value = flow.name;
    prevButton.disabled = step <= 1;
    nextButton.disabled = step >= flow.steps.length;
    panelFlow(flow, step);
    setHash("flow=" + encodeURIComponent(flow.name) + "&step=" + step);
  }

  function panelFlow(flow, step) {
    var parts = [el("h2", {}, ["Flow: " + flow.name])];
    if (flow.description) { parts.push(el("p", {}, [flow.description])); }
    parts.push(el("ol", { "class": "dg-steps" }, flow.steps.map(function (s) {
      var b = el("button", { type: "button", "class": "dg-linkish" },
        [s.from_label + " \u2192 " + s.to_label + (s.label ? ": " + s.label : "")]);
      b.addEventListener("click", function () { walk(flow.name, s.n); });
      var li = el("li", s.n === step ? { "class": "dg-current", "aria-current": "step" } : {}, [b]);
      return li;
    })));
    if (flow.view && data.view.name + ".html" !== flow.view) {
      parts.push(el("p", {}, [el("a", { href: flow.view + "#flow=" + encodeURIComponent(flow.name) + "&step=" + step },
        ["Open the flow's own view"])]));
    }
    parts.push(el("p", { "class": "dg-muted" }, ["\u2190 / \u2192 step through, Escape to stop."]));
    body.replaceChildren.apply(body, parts);
  }

  function stopWalk() {
    walking = null;
    stepLine.textContent = "";
    flowSelect.value = "";
    prevButton.disabled = true;
    nextButton.disabled = true;
  }

  flowSelect.addEventListener("change", function () {
    if (flowSelect.value) { walk(flowSelect.value, 1); } else { stopWalk(); clearSelection(); }
  });
  prevButton.addEventListener("click", function () { if (walking) { walk(walking.flow.name, walking.step - 1); } });
  nextButton.addEventListener("click", function () { if (walking) { walk(walking.flow.name, walking.step + 1); } });

  // ------------------------------------------------------------ the address: #flow=NAME&step=N, #focus=ID
  var viewLinks = document.querySelectorAll("a.dg-view[data-base]");

  function setHash(hash) {
    var url = window.location.pathname + window.location.search + (hash ? "#" + hash : "");
    try {
      history.replaceState(null, "", url);
    } catch (err) {
      // Some browsers refuse replaceState on file:// pages; the step still shows.
    }
    viewLinks.forEach(function (a) {
      // Another view opens on the same flow step (a focus is specific to this view).
      var keep = hash && hash.indexOf("flow=") === 0;
      a.setAttribute("href", a.getAttribute("data-base") + (keep ? "#" + hash : ""));
    });
  }

  function fromHash() {
    var params = new URLSearchParams(window.location.hash.replace(/^#/, ""));
    if (params.get("flow") && flowNamed(params.get("flow"))) {
      walk(params.get("flow"), parseInt(params.get("step") || "1", 10));
    } else if (params.get("focus") && nodes[params.get("focus")]) {
      select(params.get("focus"));
    }
  }
  window.addEventListener("hashchange", fromHash);

  // ------------------------------------------------------------ keyboard
  document.addEventListener("keydown", function (event) {
    var tag = event.target && event.target.tagName;
    var typing = tag === "INPUT" || tag === "SELECT" || tag === "TEXTAREA";
    if (event.key === "Escape") {
      hideTip();
      if (walking) { stopWalk(); }
      clearSelection();
      return;
    }
    if (typing || event.altKey || event.ctrlKey || event.metaKey) { return; }
    var k = event.key;
    if (walking && !event.shiftKey && (k === "ArrowRight" || k === "ArrowLeft" || k === "Home" || k === "End")) {
      event.preventDefault();
      var last = walking.flow.steps.length;
      var step = k === "ArrowRight" ? walking.step + 1 : k === "ArrowLeft" ? walking.step - 1 : k === "Home" ? 1 : last;
      walk(walking.flow.name, step);
      return;
    }
    var pans = { ArrowLeft: [-0.1, 0], ArrowRight: [0.1, 0], ArrowUp: [0, -0.1], ArrowDown: [0, 0.1] };
    if (pans[k]) { event.preventDefault(); panBy(pans[k][0], pans[k][1]); return; }
    if (k === "+" || k === "=") { zoomCentre(1.25); } else if (k === "-" || k === "_") { zoomCentre(0.8); } else if (k === "0") { fit(); }
  });

  panelDefault();
  fromHash();
  document.documentElement.classList.add("dg-ready");
})();
