// GOV.UK Frontend's components (error summary focus, header menu, notification banner).
import { initAll } from "../build/govuk-frontend.min.js";

document.body.classList.add("js-enabled", "govuk-frontend-supported");
initAll();

// Warn two minutes before the 30-minute idle limit signs the user out, and let them stay
// (WCAG 2.2.1): "Stay signed in" makes a request, which renews the session.
const warning = document.getElementById("timeout-warning");
if (warning) {
  const sessionMs = Number(warning.dataset.sessionSeconds) * 1000;
  const warningMs = Number(warning.dataset.warningSeconds) * 1000;
  let timers = [];
  const schedule = () => {
    timers.forEach(clearTimeout);
    timers = [
      setTimeout(() => warning.showModal(), sessionMs - warningMs),
      setTimeout(() => {
        const next = encodeURIComponent(window.location.pathname);
        window.location.assign(`${warning.dataset.signInUrl}?next=${next}`);
      }, sessionMs),
    ];
  };
  document.getElementById("timeout-stay").addEventListener("click", async () => {
    const response = await fetch(warning.dataset.keepAliveUrl, {
      cache: "no-store",
      redirect: "manual",
    });
    warning.close();
    if (response.ok) {
      schedule();
    } else {
      window.location.reload(); // already signed out: the page says so
    }
  });
  schedule();
}
