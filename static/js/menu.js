/* On a phone the site menu folds behind a "Menu" button (a native button, so
   Enter, Space and a tap all work).  Without this script the menu is simply
   always shown. */
(function () {
  "use strict";
  var button = document.querySelector(".menu-toggle");
  var menu = button && document.getElementById(button.getAttribute("aria-controls"));
  if (!menu) { return; }

  function set(open) {
    button.setAttribute("aria-expanded", open ? "true" : "false");
    menu.classList.toggle("is-open", open);
  }

  button.hidden = false;
  document.documentElement.classList.add("has-menu-toggle");
  button.addEventListener("click", function () { set(button.getAttribute("aria-expanded") !== "true"); });
  menu.addEventListener("keydown", function (event) {
    if (event.key === "Escape") { set(false); button.focus(); }
  });
})();
