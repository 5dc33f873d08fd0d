/* Report navigation and lazy chart drawing. All data comes from the inert JSON block #report-data;
   nothing here builds HTML from strings, so data can never become markup. */
(function () {
  "use strict";
  var DATA = JSON.parse(document.getElementById("report-data").textContent);
  var CONFIG = { displaylogo: false, responsive: true, modeBarButtonsToRemove: ["toImage"] };
  var SLUG = /^[a-z0-9-]+$/;
  var drawing = {};
  var state = { drawnPages: {}, current: null };
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

  function openPerson(event) {
    var point = event && event.points && event.points[0];
    var slug = point && point.customdata;
    if (typeof slug === "string" && SLUG.test(slug)) { location.hash = "#person/" + slug; }
  }

  function chartsFor(key) {
    if (key === "team") { return DATA.landing; }
    if (key.indexOf("person/") === 0) { return DATA.people[key.slice(7)] || []; }
    return [];
  }

  function draw(key) {
    if (!drawing[key]) {
      drawing[key] = Promise.all(chartsFor(key).map(function (chart) {
        var spec = withSeries(chart[1]);
        return Plotly.newPlot(document.getElementById(chart[0]), spec.data, spec.layout, CONFIG)
          .then(function (gd) { gd.on("plotly_click", openPerson); return gd; });
      })).then(function () {
        state.drawnPages[key] = true;
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
    draw(target.key).then(function () {
      var el = target.anchor && document.getElementById(target.anchor);
      if (el) { el.scrollIntoView(); el.classList.add("flash"); } else { window.scrollTo(0, 0); }
    });
  }

  window.addEventListener("hashchange", route);
  route();
})();
