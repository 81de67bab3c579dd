// Trims stylesheets to the selectors some page or script uses, with PurgeCSS (pinned in
// package-lock.json). Called by rt_purge.py, which decides what to read and keep:
// stdin  {"css": [paths], "content": [paths], "safelist": {"standard": [regex sources],
//         "greedy": [...]}, "dynamicAttributes": [names]}
// stdout {"<css path>": "<trimmed css>", ...}
import { readFileSync } from "node:fs";
import { extname } from "node:path";
import { PurgeCSS } from "purgecss";

const request = JSON.parse(readFileSync(0, "utf8"));
const regexes = (sources) => (sources || []).map((source) => new RegExp(source));
// Raw content, not paths: PurgeCSS would read paths as glob patterns.
const content = request.content.map((path) => ({ raw: readFileSync(path, "utf8"), extension: extname(path).slice(1) }));
const css = request.css.map((path) => ({ raw: readFileSync(path, "utf8"), name: path }));
const results = await new PurgeCSS().purge({
  content,
  css,
  safelist: { standard: regexes(request.safelist.standard), greedy: regexes(request.safelist.greedy) },
  dynamicAttributes: request.dynamicAttributes,
});
const trimmed = {};
results.forEach((result, i) => (trimmed[request.css[i]] = result.css));
process.stdout.write(JSON.stringify(trimmed));
