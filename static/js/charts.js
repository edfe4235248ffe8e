/* Estado Abierto: draws each chart figure's data with Chart.js (static/vendor/chartjs-*).
 *
 * The page already shows every figure as a table; this script only adds the picture.
 * Data come from a json_script block named by the figure's data-chart attribute (no
 * inline script, so the Content Security Policy stays strict). Each series has a
 * pattern or a dash as well as a colour, so the chart does not rely on colour alone.
 */
(function () {
  "use strict";
  if (!window.Chart) {
    return;
  }

  var TEXT = "#1b1f23";
  window.Chart.defaults.font.size = 14;
  window.Chart.defaults.color = TEXT;
  var GRID = "#c5cfcc";
  var STYLES = {
    no_information: { color: "#ffffff", pattern: "cross", ink: "#8a8f94" },
    not_started: { color: "#e4e9e7", pattern: "dots", ink: "#4a5560" },
    limited: { color: "#f2c14e", pattern: "diagonal", ink: "#1b1f23" },
    substantial: { color: "#3f9e80", pattern: "horizontal", ink: "#ffffff" },
    complete: { color: "#0b5345", pattern: null },
    withdrawn: { color: "#8a8f94", pattern: "cross", ink: "#ffffff" },
    mean: { color: "#0b5345", dash: [], point: "circle" },
    on_time: { color: "#0a5c8a", dash: [6, 4], point: "triangle" }
  };

  function pattern(style) {
    if (!style.pattern) {
      return style.color;
    }
    var size = 10;
    var tile = document.createElement("canvas");
    tile.width = size;
    tile.height = size;
    var ctx = tile.getContext("2d");
    ctx.fillStyle = style.color;
    ctx.fillRect(0, 0, size, size);
    ctx.strokeStyle = style.ink;
    ctx.fillStyle = style.ink;
    ctx.lineWidth = 1.5;
    ctx.beginPath();
    if (style.pattern === "dots") {
      ctx.arc(size / 2, size / 2, 1.6, 0, 2 * Math.PI);
      ctx.fill();
    } else if (style.pattern === "horizontal") {
      ctx.moveTo(0, size / 2);
      ctx.lineTo(size, size / 2);
    } else {
      ctx.moveTo(0, size);
      ctx.lineTo(size, 0);
      if (style.pattern === "cross") {
        ctx.moveTo(0, 0);
        ctx.lineTo(size, size);
      }
    }
    ctx.stroke();
    return ctx.createPattern(tile, "repeat");
  }

  function styleOf(key) {
    return STYLES[key] || { color: TEXT, pattern: null };
  }

  function datasets(data) {
    return data.series.map(function (series) {
      var style = styleOf(series.key);
      var set = { label: series.label, data: series.data };
      if (data.kind === "line") {
        set.borderColor = style.color;
        set.backgroundColor = style.color;
        set.borderDash = style.dash;
        set.pointStyle = style.point;
        set.pointRadius = data.labels.length > 60 ? 0 : 4;
        set.spanGaps = true;
      } else {
        set.backgroundColor = pattern(style);
        set.borderColor = TEXT;
        set.borderWidth = 1;
      }
      return set;
    });
  }

  function config(data) {
    var stacked = data.kind === "stacked-bar";
    var valueAxis = {
      beginAtZero: true,
      stacked: stacked,
      grid: { color: GRID },
      ticks: { color: TEXT, precision: data.percent ? undefined : 0 }
    };
    if (data.percent) {
      valueAxis.max = 100;
      valueAxis.ticks.callback = function (value) {
        return value + " %";
      };
    }
    return {
      type: data.kind === "line" ? "line" : "bar",
      data: { labels: data.labels, datasets: datasets(data) },
      options: {
        locale: document.documentElement.lang || "es-MX",
        maintainAspectRatio: false,
        animation: false,
        scales: {
          x: { stacked: stacked, grid: { color: GRID }, ticks: { color: TEXT } },
          y: valueAxis
        },
        plugins: {
          legend: { labels: { color: TEXT, usePointStyle: data.kind === "line" } }
        }
      }
    };
  }

  document.querySelectorAll("figure[data-chart]").forEach(function (figure) {
    var source = document.getElementById(figure.getAttribute("data-chart"));
    var holder = figure.querySelector(".chart__canvas");
    if (!source || !holder) {
      return;
    }
    var data = JSON.parse(source.textContent);
    var canvas = document.createElement("canvas");
    // The canvas is a picture of the table that follows; its name is the figure's caption.
    canvas.setAttribute("role", "img");
    canvas.setAttribute("aria-labelledby", figure.id + "-titulo");
    holder.appendChild(canvas);
    holder.hidden = false;
    new window.Chart(canvas, config(data));
    figure.classList.add("chart--drawn");
    var details = figure.querySelector(".chart__data");
    if (details) {
      details.open = false;
    }
  });
})();
