// "The board pack is being prepared": look again every few seconds (a HEAD request to the
// same address, which also starts the pack's render once a slot is free) and, once the pack
// is made, download it and say so in the page's polite live region. A static file, since
// the CSP allows no inline script; <meta http-equiv="refresh"> would do without script,
// but reloading the page under a reader's eyes fails WCAG 2.2.1, so it is not used.
const status = document.getElementById("board-pack-status");
if (status) {
  const every = Number(status.dataset.checkSeconds) * 1000;
  const look = async () => {
    let ready = false;
    try {
      const response = await fetch(window.location.href, { method: "HEAD", cache: "no-store" });
      ready = response.ok && (response.headers.get("Content-Type") || "").startsWith("application/pdf");
    } catch {
      ready = false; // the server is busy or the network dropped: look again later
    }
    if (ready) {
      status.textContent = "The board pack is ready: it is downloading now.";
      window.location.assign(window.location.href);
    } else {
      setTimeout(look, every);
    }
  };
  setTimeout(look, every);
}
