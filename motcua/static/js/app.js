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
  // Copy the bank details for paying from the same phone.
  for (const button of document.querySelectorAll("[data-copy]")) {
    if (!navigator.clipboard) continue;
    button.hidden = false;
    button.addEventListener("click", () => {
      const text = document.getElementById(button.dataset.copy).textContent.trim();
      navigator.clipboard.writeText(text).then(() => { button.textContent = "✓"; });
    });
  }
  // A form sent back with mistakes: the list of them is read out first, each a link to its field.
  const summary = document.querySelector(".error-summary[tabindex]");
  if (summary) summary.focus();
  for (const button of document.querySelectorAll("[data-print]")) {
    button.hidden = false;
    button.addEventListener("click", () => window.print());
  }
});
