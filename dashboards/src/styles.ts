/**
 * The dashboard's one stylesheet, served at /assets/app.css. Plain CSS with
 * custom properties; one breakpoint for narrow screens; light and dark.
 */
export const stylesheet = `
:root {
  --bg: #f6f7fb; --surface: #fff; --text: #151a2d; --muted: #5c6479; --border: #e3e6ef;
  --accent: #4f46e5; --accent-ink: #fff; --accent-soft: #eef0ff;
  --ok: #0f7b4f; --ok-soft: #e5f6ee; --danger: #c0263c; --danger-soft: #fdecef; --warn-soft: #fff6e0;
  --radius: 10px; --shadow: 0 1px 2px rgba(20, 24, 40, .06), 0 2px 8px rgba(20, 24, 40, .04);
  color-scheme: light dark;
}
@media (prefers-color-scheme: dark) {
  :root {
    --bg: #0f1220; --surface: #171b2c; --text: #e8eaf3; --muted: #9aa1b8; --border: #2a3046;
    --accent: #8b85ff; --accent-ink: #0f1220; --accent-soft: #24264a;
    --ok: #4fd39b; --ok-soft: #12332a; --danger: #ff7b8e; --danger-soft: #3a1721; --warn-soft: #3a3016;
  }
}
* { box-sizing: border-box; }
body { margin: 0; font: 15px/1.5 system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; background: var(--bg); color: var(--text); }
a { color: var(--accent); text-decoration: none; }
a:hover { text-decoration: underline; }
code, .mono { font-family: ui-monospace, SFMono-Regular, Menlo, Consolas, monospace; font-size: .9em; }
h1 { font-size: 1.5rem; margin: 0 0 1rem; }
h2 { font-size: 1.1rem; margin: 0 0 .75rem; }
.muted { color: var(--muted); }
.small { font-size: .85rem; }

/* header */
.topbar { background: var(--surface); border-bottom: 1px solid var(--border); }
.topbar-inner { max-width: 1120px; margin: 0 auto; padding: .6rem 1.25rem; display: flex; gap: 1rem; align-items: center; flex-wrap: wrap; }
.brand { font-weight: 700; letter-spacing: -.02em; color: var(--text); font-size: 1.1rem; }
.brand span { color: var(--accent); }
.nav { display: flex; gap: .25rem; overflow-x: auto; flex: 1; min-width: 0; }
.nav a { padding: .35rem .7rem; border-radius: 8px; color: var(--muted); white-space: nowrap; }
.nav a:hover { background: var(--accent-soft); text-decoration: none; }
.nav a[aria-current="page"] { background: var(--accent-soft); color: var(--accent); font-weight: 600; }
.user { display: flex; gap: .5rem; align-items: center; font-size: .85rem; color: var(--muted); min-width: 0; }
.user span { max-width: 160px; overflow: hidden; text-overflow: ellipsis; white-space: nowrap; }
.switcher .menu .who { padding: .2rem .5rem .5rem; border-bottom: 1px solid var(--border); margin-bottom: .4rem; font-size: .8rem; color: var(--muted); }

/* workspace switcher: a <details> menu, no script */
.switcher { position: relative; }
.switcher summary { list-style: none; cursor: pointer; padding: .3rem .6rem; border: 1px solid var(--border); border-radius: 8px; font-weight: 600;
  max-width: 200px; overflow: hidden; text-overflow: ellipsis; white-space: nowrap; }
.switcher summary::-webkit-details-marker { display: none; }
.switcher summary::after { content: " ▾"; color: var(--muted); }
.switcher .menu { position: absolute; z-index: 10; top: 110%; left: 0; min-width: 260px; background: var(--surface); border: 1px solid var(--border); border-radius: var(--radius); box-shadow: var(--shadow); padding: .5rem; }
.switcher .menu a { display: block; padding: .35rem .5rem; border-radius: 6px; color: var(--text); }
.switcher .menu a:hover { background: var(--accent-soft); text-decoration: none; }
.switcher .menu a[aria-current="true"] { background: var(--accent-soft); font-weight: 600; }
.switcher .menu form { border-top: 1px solid var(--border); margin-top: .4rem; padding-top: .5rem; display: flex; gap: .4rem; }

/* layout */
main { max-width: 1120px; margin: 0 auto; padding: 1.5rem 1.25rem 3rem; }
.page-head { display: flex; justify-content: space-between; align-items: baseline; gap: 1rem; flex-wrap: wrap; }
.grid { display: grid; gap: 1rem; grid-template-columns: repeat(auto-fit, minmax(220px, 1fr)); margin-bottom: 1rem; }
.card { background: var(--surface); border: 1px solid var(--border); border-radius: var(--radius); box-shadow: var(--shadow); padding: 1.1rem 1.25rem; margin-bottom: 1rem; }
.grid > .card { margin-bottom: 0; }
.stat .label { color: var(--muted); font-size: .85rem; }
.stat .value { font-size: 1.6rem; font-weight: 700; letter-spacing: -.02em; }

/* alerts shown in place */
.alert { padding: .7rem 1rem; border-radius: 8px; margin-bottom: 1rem; border: 1px solid transparent; }
.alert.error { background: var(--danger-soft); color: var(--danger); border-color: color-mix(in srgb, var(--danger) 30%, transparent); }
.alert.ok { background: var(--ok-soft); color: var(--ok); border-color: color-mix(in srgb, var(--ok) 30%, transparent); }
.alert.info { background: var(--warn-soft); }

/* forms */
form.stack { display: grid; gap: .8rem; max-width: 520px; }
label { display: grid; gap: .25rem; font-size: .9rem; font-weight: 500; }
label.check { display: flex; gap: .5rem; align-items: center; font-weight: 400; }
input[type=text], input[type=email], input[type=password], input[type=number], input[type=date], select, textarea {
  font: inherit; padding: .5rem .65rem; border: 1px solid var(--border); border-radius: 8px; background: var(--surface); color: var(--text); width: 100%; min-height: 2.5rem;
}
input:focus, select:focus, textarea:focus { outline: 2px solid color-mix(in srgb, var(--accent) 40%, transparent); border-color: var(--accent); }
input:disabled, select:disabled { opacity: .6; }
.row { display: flex; gap: .6rem; flex-wrap: wrap; align-items: end; }
.row > label { flex: 1 1 160px; }
.row.nowrap { flex-wrap: nowrap; align-items: center; }
.row.nowrap select { width: auto; }
.hint { color: var(--muted); font-size: .8rem; font-weight: 400; }
button, .button {
  font: inherit; font-weight: 600; cursor: pointer; border: 1px solid var(--accent); background: var(--accent); color: var(--accent-ink);
  padding: .5rem .9rem; border-radius: 8px; display: inline-block; text-align: center;
}
button:hover, .button:hover { filter: brightness(1.08); text-decoration: none; }
button:disabled { opacity: .5; cursor: not-allowed; }
button.secondary, .button.secondary { background: transparent; color: var(--accent); }
button.danger { background: transparent; color: var(--danger); border-color: color-mix(in srgb, var(--danger) 50%, transparent); }
button.link { background: none; border: none; color: var(--muted); padding: 0; font-weight: 400; }
form.inline { display: inline; }

/* tables */
.table-wrap { overflow-x: auto; }
table { width: 100%; border-collapse: collapse; font-size: .9rem; }
th, td { text-align: left; padding: .55rem .6rem; border-bottom: 1px solid var(--border); white-space: nowrap; vertical-align: top; }
th { color: var(--muted); font-weight: 600; font-size: .8rem; text-transform: uppercase; letter-spacing: .03em; }
td.num, th.num { text-align: right; font-variant-numeric: tabular-nums; }
tr:last-child td { border-bottom: none; }
.badge { display: inline-block; padding: .05rem .5rem; border-radius: 99px; font-size: .78rem; font-weight: 600; background: var(--accent-soft); color: var(--accent); }
.badge.ok { background: var(--ok-soft); color: var(--ok); }
.badge.bad { background: var(--danger-soft); color: var(--danger); }
.badge.dim { background: var(--border); color: var(--muted); }
details.edit summary { cursor: pointer; color: var(--accent); }
details.edit[open] { background: var(--bg); padding: .6rem; border-radius: 8px; }

/* the new key, shown once */
.secret { display: flex; gap: .5rem; align-items: center; flex-wrap: wrap; }
.secret code { background: var(--bg); border: 1px dashed var(--accent); padding: .5rem .7rem; border-radius: 8px; word-break: break-all; flex: 1; }

/* purchase summary */
.summary { display: grid; grid-template-columns: 1fr auto; gap: .35rem 2rem; max-width: 360px; }
.summary .total { font-weight: 700; border-top: 1px solid var(--border); padding-top: .35rem; }
.amounts { display: flex; gap: .5rem; flex-wrap: wrap; margin-bottom: .8rem; }
.amounts a { border: 1px solid var(--border); padding: .35rem .8rem; border-radius: 99px; color: var(--text); }
.amounts a[aria-current="true"] { border-color: var(--accent); color: var(--accent); font-weight: 600; }

/* chart */
/* narrow screens scroll the chart sideways; rtl starts the scroll at the right, on the latest days */
.chart .scroll { overflow-x: auto; direction: rtl; }
.chart svg { direction: ltr; width: 100%; min-width: 560px; height: auto; display: block; }
.chart .axis text { fill: var(--muted); font-size: 11px; }
.chart .grid line { stroke: var(--border); }
.legend { display: flex; gap: .4rem 1rem; flex-wrap: wrap; font-size: .85rem; margin-top: .5rem; padding: 0; list-style: none; }
.legend i { display: inline-block; width: .8rem; height: .8rem; border-radius: 3px; margin-right: .35rem; vertical-align: -1px; }
.empty { text-align: center; padding: 2rem 1rem; color: var(--muted); }

/* sign-in pages */
.auth { max-width: 400px; margin: 8vh auto; padding: 0 1rem; }
.auth .brand { display: block; text-align: center; font-size: 1.6rem; margin-bottom: 1.2rem; }

@media (max-width: 1240px) {
  .user span { display: none; }
}
@media (max-width: 720px) {
  body { font-size: 14px; }
  .topbar-inner { padding: .5rem .8rem; }
  .nav { order: 3; flex-basis: 100%; }
  main { padding: 1rem .8rem 2rem; }
  .stat .value { font-size: 1.3rem; }
}
@media print {
  .topbar, .no-print { display: none; }
  .card { box-shadow: none; }
}
`;

/** A tiny script for the copy button; served as a file so the CSP can forbid inline script. */
export const copyScript = `
document.addEventListener("click", async (e) => {
  const button = e.target.closest("[data-copy]");
  if (!button) return;
  const text = document.getElementById(button.dataset.copy).textContent;
  await navigator.clipboard.writeText(text);
  button.textContent = "Copied";
});
`;
