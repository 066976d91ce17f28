// Builds the portal's front-end assets from the npm packages into the ui app's static folder:
// our stylesheet (GOV.UK Frontend's components, compiled with this authority's look) and the
// component library's JavaScript. Run by `make assets`; the output folder is not committed.
import { compile } from "sass";
import { copyFileSync, existsSync, mkdirSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");
const out = join(root, "src/minasidor/ui/static/ui/build");
mkdirSync(out, { recursive: true });

const css = compile(join(root, "src/minasidor/ui/scss/main.scss"), {
  loadPaths: [join(root, "node_modules")],
  style: "compressed",
  quietDeps: true,
  silenceDeprecations: ["import"],
});
// Every file the stylesheet names must be one we ship: the production profile's static manifest refuses
// to serve a page whose stylesheet names a missing file.
const staticRoot = join(root, "src/minasidor/ui/static");
for (const [, path] of css.css.matchAll(/url\(\s*["']?\/static\/([^"')]+)["']?\s*\)/g)) {
  if (!existsSync(join(staticRoot, path))) {
    throw new Error(`main.css names /static/${path}, which src/minasidor/ui/static does not have`);
  }
}
writeFileSync(join(out, "main.css"), css.css);

const govuk = join(root, "node_modules/govuk-frontend/dist/govuk");
copyFileSync(join(govuk, "govuk-frontend.min.js"), join(out, "govuk-frontend.min.js"));
process.stdout.write(`assets built in ${out}\n`);
