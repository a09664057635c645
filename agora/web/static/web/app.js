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
  // Preview a chosen image before upload (inputs marked data-preview="<img selector>").
  document.addEventListener("change", function (event) {
    var input = event.target;
    if (!input.matches || !input.matches("input[type=file][data-preview]") || !input.files.length) return;
    var img = document.querySelector(input.dataset.preview);
    if (img) img.src = URL.createObjectURL(input.files[0]);
  });
})();
