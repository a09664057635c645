// Small progressive enhancements; every page works without this file.
(function () {
  "use strict";
  // Close open <details class="menu"> on a click elsewhere or on Escape, like a native menu.
  document.addEventListener("click", function (event) {
    document.querySelectorAll("details.menu[open]").forEach(function (menu) {
      if (!menu.contains(event.target)) menu.removeAttribute("open");
    });
  });
  document.addEventListener("keydown", function (event) {
    if (event.key !== "Escape") return;
    document.querySelectorAll("details.menu[open]").forEach(function (menu) {
      menu.removeAttribute("open");
      var summary = menu.querySelector("summary");
      if (summary) summary.focus();
    });
  });
  // Show the chosen file's name next to a styled picker, and preview images
  // (inputs marked data-preview="<img selector>").
  document.addEventListener("change", function (event) {
    var input = event.target;
    if (!input.matches || !input.matches("input[type=file]") || !input.files.length) return;
    var pick = input.closest(".file-pick");
    var name = pick && pick.querySelector("[data-file-name]");
    if (name) name.textContent = input.files[0].name;
    var img = input.dataset.preview && document.querySelector(input.dataset.preview);
    if (img) img.src = URL.createObjectURL(input.files[0]);
  });
  // The buy sheet (orders/_buy_sheet.html): a <dialog> htmx appends to the page. Open it as a modal
  // (focus kept inside, Escape closes), one at a time; a click on the backdrop or a close button
  // closes it, and a closed one leaves the page.
  document.addEventListener("htmx:load", function (event) {
    var sheet = event.detail.elt;
    if (!sheet.matches || !sheet.matches("dialog.buy-sheet")) return;
    document.querySelectorAll("dialog.buy-sheet").forEach(function (other) {
      if (other !== sheet) other.remove();
    });
    sheet.addEventListener("close", function () { sheet.remove(); });
    sheet.addEventListener("click", function (e) {
      if (e.target === sheet || (e.target.closest && e.target.closest("[data-close-sheet]"))) sheet.close();
    });
    if (!sheet.open) sheet.showModal();
  });
})();
