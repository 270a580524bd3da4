// Ghostwatch history charts: plain SVG, theme colours from VS Code's CSS variables,
// each chart described in text for screen readers. No network, no dependencies.
(function () {
  const vscode = acquireVsCodeApi();
  const root = document.getElementById("charts");
  let points = [];

  const series = [
    { key: "closeWait", title: "CLOSE-WAIT sockets", unit: "", color: "var(--vscode-charts-red, #f14c4c)" },
    { key: "fdMaxPercent", title: "FD use (busiest process)", unit: "%", color: "var(--vscode-charts-blue, #3794ff)" },
    { key: "latencyMs", title: "Endpoint latency", unit: " ms", color: "var(--vscode-charts-green, #89d185)" },
  ];

  const W = 280;
  const H = 64;
  const NS = "http://www.w3.org/2000/svg";

  function el(name, attrs, parent) {
    const e = document.createElementNS(NS, name);
    for (const [k, v] of Object.entries(attrs || {})) e.setAttribute(k, String(v));
    if (parent) parent.appendChild(e);
    return e;
  }

  function fmtTime(t) {
    return new Date(t).toLocaleTimeString([], { hour: "2-digit", minute: "2-digit", second: "2-digit" });
  }

  function chart(s) {
    const vals = points.map((p) => p[s.key]);
    const known = vals.filter((v) => typeof v === "number");
    const fig = document.createElement("figure");
    fig.className = "chart";
    const cap = document.createElement("figcaption");
    const last = known.length ? known[known.length - 1] : null;
    const max = known.length ? Math.max(...known) : 0;
    const min = known.length ? Math.min(...known) : 0;
    cap.innerHTML = "";
    const name = document.createElement("span");
    name.className = "name";
    name.textContent = s.title;
    const now = document.createElement("span");
    now.className = "now";
    now.textContent = last === null ? "no data" : `${last}${s.unit}`;
    cap.append(name, now);
    fig.appendChild(cap);

    const desc = known.length
      ? `${s.title}: now ${last}${s.unit}, min ${min}${s.unit}, max ${max}${s.unit} over ${points.length} samples since ${fmtTime(points[0].t)}`
      : `${s.title}: no data yet`;
    const svg = el("svg", { viewBox: `0 0 ${W} ${H}`, role: "img", "aria-label": desc, preserveAspectRatio: "none" });
    el("title", {}, svg).textContent = desc;
    el("line", { x1: 0, y1: H - 0.5, x2: W, y2: H - 0.5, class: "axis" }, svg);
    if (known.length) {
      const top = max === 0 ? 1 : max * 1.15;
      const n = Math.max(points.length - 1, 1);
      let d = "";
      let pen = false;
      vals.forEach((v, i) => {
        if (typeof v !== "number") {
          pen = false;
          return;
        }
        const x = (i / n) * W;
        const y = H - 2 - (v / top) * (H - 6);
        d += `${pen ? "L" : "M"}${x.toFixed(1)},${y.toFixed(1)} `;
        pen = true;
      });
      if (d) {
        el("path", { d: d.trim(), fill: "none", stroke: s.color, "stroke-width": 1.5, "vector-effect": "non-scaling-stroke" }, svg);
      }
      const lx = ((vals.length - 1) / n) * W;
      if (typeof vals[vals.length - 1] === "number") {
        const ly = H - 2 - (vals[vals.length - 1] / top) * (H - 6);
        el("circle", { cx: lx, cy: ly, r: 2.5, fill: s.color }, svg);
      }
      const scale = document.createElement("div");
      scale.className = "scale";
      scale.textContent = `max ${max}${s.unit} · ${points.length} samples`;
      fig.appendChild(svg);
      fig.appendChild(scale);
    } else {
      fig.appendChild(svg);
    }
    return fig;
  }

  function render() {
    root.textContent = "";
    if (!points.length) {
      const p = document.createElement("p");
      p.className = "empty";
      p.textContent = "Waiting for the first probe sample…";
      root.appendChild(p);
      return;
    }
    for (const s of series) root.appendChild(chart(s));
    const foot = document.createElement("p");
    foot.className = "foot";
    const w = points[points.length - 1].warnings;
    foot.textContent = `Session since ${fmtTime(points[0].t)} · last sample ${fmtTime(points[points.length - 1].t)} · ${w} warning${w === 1 ? "" : "s"}`;
    root.appendChild(foot);
  }

  window.addEventListener("message", (ev) => {
    const m = ev.data;
    if (m && m.type === "history") points = m.points || [];
    else if (m && m.type === "point") {
      points.push(m.point);
      if (points.length > 720) points.shift();
    } else return;
    render();
  });
  vscode.postMessage({ type: "ready" });
})();
