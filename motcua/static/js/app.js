// Progressive enhancement only: every page works without this file.
"use strict";
document.addEventListener("DOMContentLoaded", () => {
  // Remember which papers the citizen has ticked, per procedure, on this phone.
  for (const list of document.querySelectorAll("[data-checklist]")) {
    const key = "checklist:" + list.dataset.checklist;
    let saved = [];
    try { saved = JSON.parse(localStorage.getItem(key) || "[]"); } catch (e) { saved = []; }
    const boxes = [...list.querySelectorAll("input[type=checkbox]")];
    boxes.forEach((box, i) => {
      box.checked = saved.includes(i);
      box.addEventListener("change", () => {
        const ticked = boxes.flatMap((b, j) => (b.checked ? [j] : []));
        try { localStorage.setItem(key, JSON.stringify(ticked)); } catch (e) { /* private mode */ }
      });
    });
  }
  for (const button of document.querySelectorAll("[data-print]")) {
    button.hidden = false;
    button.addEventListener("click", () => window.print());
  }
});
