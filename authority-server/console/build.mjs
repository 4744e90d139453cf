// Bundles the admin console into the authority's classpath (target/classes/admin-console), where
// the web listener serves it at /admin/. Run by the Maven build (exec-maven-plugin) after `buf generate`.
import { build } from "esbuild";
import { cpSync, mkdirSync, rmSync, writeFileSync } from "node:fs";
import { favicon } from "./favicon.mjs";

const out = new URL("../target/classes/admin-console/", import.meta.url).pathname;
rmSync(out, { recursive: true, force: true });
mkdirSync(out, { recursive: true });
await build({
  entryPoints: ["src/main.js"],
  bundle: true,
  format: "esm",
  target: "es2022",
  minify: true,
  sourcemap: true,
  outfile: `${out}app.js`, // and app.css, from the stylesheets the modules import (uPlot's)
  logLevel: "warning",
});
for (const file of ["index.html", "style.css"]) {
  cpSync(`src/${file}`, `${out}${file}`);
}
writeFileSync(`${out}favicon.ico`, favicon());
