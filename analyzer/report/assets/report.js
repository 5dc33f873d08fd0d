/* Report navigation and lazy chart drawing. All data comes from the inert JSON block #report-data;
   nothing here builds HTML from strings, so data can never become markup. */
(function () {
  "use strict";
  var DATA = JSON.parse(document.getElementById("report-data").textContent);
  /* No control may send data to another site: plotly's share and edit-in-Chart-Studio buttons and its
     "Edit chart" link are off and it has no server to post to; the page's CSP cannot stop a new window,
     so none can be opened (links to GitHub are plain links). */
  var CONFIG = {
    displaylogo: false, responsive: true, showLink: false, showSendToCloud: false, showEditInChartStudio: false,
    plotlyServerURL: "", modeBarButtonsToRemove: ["toImage", "sendDataToCloud", "editInChartStudio"]
  };
  window.open = function () { return null; };
  var SLUG = /^[a-z0-9-]+$/;
  var drawing = {};
  var state = { drawnPages: {}, drawnAt: {}, current: null, startedAt: Math.round(performance.now()) };
  window.__reportState = state;

  function withSeries(spec) {
    var traces = spec.data.map(function (trace) {
      if (!trace.ref) { return trace; }
      var series = DATA.series[trace.ref] || { x: [], y: [] };
      var copy = Object.assign({}, trace, { x: series.x, y: series.y });
      delete copy.ref;
      return copy;
    });
    return { data: traces, layout: spec.layout };
  }

  /* Chart titles are SVG text, which never wraps: on a narrow screen they are broken into lines
     (plotly's <br>) that fit the chart's width, and the top margin grows to hold them. */
  function wrap(text, perLine) {
    var lines = [""];
    text.split(" ").forEach(function (word) {
      var last = lines[lines.length - 1];
      if (last && (last + " " + word).length > perLine) { lines.push(word); }
      else { lines[lines.length - 1] = last ? last + " " + word : word; }
    });
    return lines;
  }

  /* Titles are SVG text, which never wraps: on a narrow screen the chart title and the x-axis title
     (centred on a plot that the y labels may have made narrow) are broken into lines with plotly's <br>,
     and the margins grow to hold them. */
  function fitTitle(layout, width) {
    if (!width) { return layout; }
    var copy = Object.assign({}, layout);
    var margin = Object.assign({}, layout.margin || {});
    var extra = 0;
    var title = layout.title && layout.title.text;
    var lines = title ? wrap(title, Math.max(20, Math.floor((width - 30) / 8))) : [];
    if (lines.length > 1) {
      copy.title = Object.assign({}, layout.title, { text: lines.join("<br>") });
      margin.t = (margin.t || 40) + 16 * (lines.length - 1);
      extra += 16 * (lines.length - 1);
    }
    var axis = layout.xaxis && layout.xaxis.title && layout.xaxis.title.text;
    var axisLines = axis ? wrap(axis, Math.max(12, Math.floor((width / 2 - 20) / 7))) : [];
    if (axisLines.length > 1) {
      copy.xaxis = Object.assign({}, layout.xaxis, {
        title: Object.assign({}, layout.xaxis.title, { text: axisLines.join("<br>") })
      });
      margin.b = (margin.b || 40) + 14 * (axisLines.length - 1);
      extra += 14 * (axisLines.length - 1);
    }
    if (!extra) { return layout; }
    copy.margin = margin;
    copy.height = (layout.height || 300) + extra;
    return copy;
  }

  /* On a narrow screen, many text labels beside points (the review network's names) overlap into an
     unreadable heap: there the names move to the hover label only. */
  var NARROW = 600, MAX_LABELS_NARROW = 12;
  function fitLabels(data, width) {
    if (!width || width >= NARROW) { return data; }
    return data.map(function (trace) {
      if (trace.mode !== "markers+text" || (trace.x || []).length <= MAX_LABELS_NARROW) { return trace; }
      return Object.assign({}, trace, { mode: "markers" });
    });
  }

  function openPerson(event) {
    var point = event && event.points && event.points[0];
    var slug = point && point.customdata;
    if (typeof slug === "string" && SLUG.test(slug)) { location.hash = "#person/" + slug; }
  }

  var people = null;

  /* Person pages travel as base64 of gzipped JSON; they are unpacked once, on the first person opened.
     Their HTML was escaped when the report was built, exactly like the rest of this page. */
  function peopleData() {
    if (!people) {
      var b64 = JSON.parse(document.getElementById("report-people").textContent);
      var bytes = Uint8Array.from(atob(b64), function (c) { return c.charCodeAt(0); });
      var stream = new Blob([bytes]).stream().pipeThrough(new DecompressionStream("gzip"));
      people = new Response(stream).text().then(JSON.parse);
    }
    return people;
  }

  function chartsFor(key, page) {
    if (key === "team") { return Promise.resolve(DATA.landing); }
    if (key.indexOf("person/") !== 0) { return Promise.resolve([]); }
    return peopleData().then(function (all) {
      var person = all[key.slice(7)];
      if (!person) { return []; }
      if (!page.hasAttribute("data-filled")) {
        page.innerHTML = person.html;
        page.setAttribute("data-filled", "");
      }
      return person.charts;
    });
  }

  function draw(key, page) {
    if (!drawing[key]) {
      drawing[key] = chartsFor(key, page).then(function (charts) { return Promise.all(charts.map(function (chart) {
        var spec = withSeries(chart[1]);
        var div = document.getElementById(chart[0]);
        return Plotly.newPlot(div, fitLabels(spec.data, div.clientWidth), fitTitle(spec.layout, div.clientWidth), CONFIG)
          .then(function (gd) { gd.on("plotly_click", openPerson); return gd; });
      })); }).then(function () {
        state.drawnPages[key] = true;
        state.drawnAt[key] = Math.round(performance.now());
      }, function (err) { console.error("chart drawing failed", err); });
    }
    return drawing[key];
  }

  function findPage(key) {
    var pages = document.querySelectorAll("section.page");
    for (var i = 0; i < pages.length; i++) {
      if (pages[i].getAttribute("data-page") === key) { return pages[i]; }
    }
    return null;
  }

  function parse(hash) {
    var parts = hash.replace(/^#/, "").split("/");
    if (parts[0] === "person" && SLUG.test(parts[1] || "")) {
      var anchor = parts[2] && /^[a-z0-9_]+$/.test(parts[2]) ? "ev-" + parts[1] + "-" + parts[2] : null;
      return { key: "person/" + parts[1], anchor: anchor };
    }
    if (parts[0] === "people") { return { key: "team", anchor: "people-index" }; }
    return { key: parts[0] || "team", anchor: null };
  }

  function route() {
    var target = parse(location.hash);
    var page = findPage(target.key);
    if (!page) { target = { key: "team", anchor: null }; page = findPage("team"); }
    var pages = document.querySelectorAll("section.page");
    for (var i = 0; i < pages.length; i++) { pages[i].hidden = pages[i] !== page; }
    var links = document.querySelectorAll("nav a[data-nav]");
    for (var j = 0; j < links.length; j++) {
      links[j].classList.toggle("active", target.key.indexOf(links[j].getAttribute("data-nav")) === 0);
    }
    state.current = target.key;
    draw(target.key, page).then(function () {
      var el = target.anchor && document.getElementById(target.anchor);
      if (el && el.tagName === "SECTION") { el.scrollIntoView(); } else if (el) {
        el.scrollIntoView(); el.classList.add("flash");
      } else { window.scrollTo(0, 0); }
    });
  }

  window.addEventListener("hashchange", route);
  route();
})();
