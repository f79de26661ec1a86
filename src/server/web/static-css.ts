/** The dashboard stylesheet, served as /static/app.css (the CSP allows no inline style), and the icon. */
export const APP_CSS = `
:root { --fg:#1d232b; --muted:#5f6b7a; --bg:#f6f7f9; --card:#fff; --line:#d8dde3; --bad:#b3261e; --warn:#a15c00; --good:#1e7a3c; --link:#0b57d0; }
* { box-sizing: border-box; }
body { margin:0; font:14px/1.45 system-ui, -apple-system, "Segoe UI", sans-serif; color:var(--fg); background:var(--bg); }
a { color:var(--link); }
code, pre { font-family: ui-monospace, "Cascadia Mono", Consolas, monospace; font-size:12.5px; }
pre { white-space:pre-wrap; word-break:break-all; background:#eef1f4; padding:6px 8px; border-radius:4px; max-height:16em; overflow:auto; }
header.top { display:flex; align-items:center; gap:24px; padding:8px 20px; background:#1d232b; color:#fff; flex-wrap:wrap; }
header.top a { color:#fff; text-decoration:none; }
.brand { font-weight:700; }
nav { display:flex; align-items:center; gap:20px; flex:1; flex-wrap:wrap; }
nav ul { display:flex; gap:16px; list-style:none; margin:0; padding:0; }
nav a[aria-current="page"] { border-bottom:2px solid #fff; }
form.logout { margin-left:auto; }
.who { color:#c9d1da; }
main { padding:16px 20px 40px; max-width:1400px; }
h1 { font-size:22px; margin:6px 0 12px; }
h2 { font-size:17px; margin:22px 0 8px; }
section { margin-bottom:16px; }
.muted { color:var(--muted); }
.bad { color:var(--bad); font-weight:600; } .warn { color:var(--warn); } .good { color:var(--good); }
.notice { padding:8px 12px; border-radius:4px; }
.notice.ok { background:#e3f4e8; } .notice.error { background:#fbe4e2; }
.cards { display:flex; gap:12px; flex-wrap:wrap; }
.card { background:var(--card); border:1px solid var(--line); border-radius:6px; padding:10px 14px; min-width:130px; display:flex; flex-direction:column; }
.card .n { font-size:24px; font-weight:700; } .card .l { color:var(--muted); }
.card-bad .n { color:var(--bad); } .card-warn .n { color:var(--warn); } .card-good .n { color:var(--good); }
.charts { display:flex; gap:24px; flex-wrap:wrap; }
figure.chart { background:var(--card); border:1px solid var(--line); border-radius:6px; padding:10px; margin:0; }
figcaption { color:var(--muted); font-size:12px; }
.chart-label, .chart-value, .chart-tick { font-size:11px; fill:var(--fg); }
.bar-exposed { fill:#d98c00; } .bar-exploited { fill:#b3261e; } .bar-unsupported { fill:#7b5ea7; } .bar-compromised { fill:#8c1d18; } .bar-ok { fill:#1e7a3c; }
.col-reports, .key-reports { fill:#0b57d0; background:#0b57d0; } .col-findings, .key-findings { fill:#d98c00; background:#d98c00; }
.key { display:inline-block; width:10px; height:10px; }
.axis { stroke:var(--line); }
table.list { border-collapse:collapse; width:100%; background:var(--card); }
table.list th, table.list td { border-bottom:1px solid var(--line); padding:6px 8px; text-align:left; vertical-align:top; }
table.list th a { color:inherit; }
td.num { text-align:right; font-variant-numeric:tabular-nums; }
.badge { display:inline-block; padding:1px 7px; border-radius:10px; font-size:12px; background:#e5e8ec; }
.sev-critical { background:#8c1d18; color:#fff; } .sev-high { background:#b3261e; color:#fff; } .sev-medium { background:#d98c00; color:#fff; }
.sev-low { background:#dfe6ee; } .sev-info { background:#eef1f4; } .sev-none { background:#e3f4e8; }
.st-new { background:#fff2cc; } .st-confirmed { background:#fbe4e2; } .st-false_positive { background:#eef1f4; } .st-remediated { background:#e3f4e8; }
.cs-compliant { background:#e3f4e8; } .cs-not_compliant { background:#fbe4e2; } .cs-unknown { background:#fff2cc; }
.unsupported { background:#efe6f8; }
.countdown.past { color:var(--bad); font-weight:600; } .countdown.due { color:var(--warn); font-weight:600; }
form.filters, form.inline-form { display:flex; gap:12px; align-items:end; flex-wrap:wrap; margin:8px 0; }
form.filters label, form.inline-form label, fieldset.triage label { display:flex; flex-direction:column; font-size:12px; color:var(--muted); }
fieldset.triage { display:flex; gap:12px; align-items:end; flex-wrap:wrap; border:1px solid var(--line); margin-top:10px; background:var(--card); }
fieldset.triage label.wide { flex:1; min-width:260px; }
form.login { display:flex; flex-direction:column; gap:10px; max-width:320px; }
input, select, textarea, button { font:inherit; }
button { padding:4px 12px; cursor:pointer; }
button.danger { color:var(--bad); }
dl.kv { display:grid; grid-template-columns:max-content 1fr; gap:3px 14px; margin:6px 0; }
dl.kv dt { color:var(--muted); } dl.kv dd { margin:0; word-break:break-word; }
.evidence p { margin:2px 0; } .path { word-break:break-all; }
.unsafe-url { color:var(--muted); word-break:break-all; }
.pager { color:var(--muted); }
.pager a { margin-left:8px; }
ol.comments { padding-left:18px; } ol.comments .text { white-space:pre-wrap; margin:2px 0 10px; }
.token-once { background:#fff2cc; padding:8px 12px; border-radius:4px; }
`;

/** The tab icon: a shield, plain SVG without script or style. */
export const FAVICON_SVG = '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 16 16"><path d="M8 1 2 3v5c0 3.5 2.6 6 6 7 3.4-1 6-3.5 6-7V3z" fill="#1d232b"/><path d="M5 8l2 2 4-4" stroke="#fff" stroke-width="1.6" fill="none"/></svg>';
