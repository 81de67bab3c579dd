// What the theme's header controls need without bootstrap.js (see book/_templates/layout.html).
(function () {
  "use strict";

  // Back to top, which bootstrap.js used to carry: the button shows while the reader scrolls
  // back up below the header (the book theme hides it on wide screens), and goes to the top.
  var button = document.getElementById("pst-back-to-top");
  var header = document.querySelector(".bd-header");
  if (button && header) {
    var headerBottom = header.getBoundingClientRect().bottom;
    var last = window.scrollY;
    button.addEventListener("click", function () {
      document.body.scrollTop = 0;
      document.documentElement.scrollTop = 0;
    });
    window.addEventListener("scroll", function () {
      var goingUp = window.scrollY < last;
      button.style.display = goingUp && window.scrollY > headerBottom ? "block" : "none";
      last = window.scrollY;
    }, { passive: true });
  }

  // The sidebar buttons: both themes draw a pair, and both themes' scripts listen only to the
  // first, which the book theme hides; the visible ones did nothing (no phone drawer, no
  // collapsing the sidebar). Their clicks go to the first, where the themes handle them.
  ["primary-toggle", "secondary-toggle"].forEach(function (name) {
    var toggles = document.querySelectorAll("." + name);
    for (var i = 1; i < toggles.length; i++) {
      toggles[i].addEventListener("click", function (event) {
        event.preventDefault();
        toggles[0].click();
      });
    }
  });
})();
