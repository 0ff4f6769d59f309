// Progressive enhancement of a bulletin's office page: while the worker makes its sound, show how far it is
// and reload the page when the sound is ready. Without this file the officer reloads the page.
"use strict";
document.addEventListener("DOMContentLoaded", () => {
  const status = document.querySelector("[data-loa-status][data-running]");
  if (!status || !window.fetch) return;
  let tries = 0;
  const ask = () => {
    tries += 1;
    fetch(status.dataset.loaStatus, { credentials: "same-origin", headers: { Accept: "application/json" } })
      .then((r) => (r.ok ? r.json() : Promise.reject(r.status)))
      .then((s) => {
        status.textContent = s.error ? s.label + ": " + s.error : s.label;
        if (s.ready || s.state === "failed") { window.location.reload(); return; }
        if (tries < 90) setTimeout(ask, 2000);
      })
      .catch(() => {});
  };
  setTimeout(ask, 1500);
});
