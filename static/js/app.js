// GOV.UK Frontend's components (error summary focus, header menu, notification banner).
import { initAll } from "../build/govuk-frontend.min.js";

document.body.classList.add("js-enabled", "govuk-frontend-supported");
initAll();
