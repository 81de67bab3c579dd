// The theme's back-to-top button, without Bootstrap (which carried it in bootstrap.js): it
// shows while the reader scrolls back up below the header, and takes them to the top.
(function () {
  "use strict";
  var button = document.getElementById("pst-back-to-top");
  var header = document.querySelector(".bd-header");
  if (!button || !header) return;
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
})();
