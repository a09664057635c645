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
})();
