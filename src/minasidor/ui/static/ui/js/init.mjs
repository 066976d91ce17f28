// Progressive enhancement of the component library's components. Every page works without it.
import { initAll } from "../build/govuk-frontend.min.js";

initAll();
