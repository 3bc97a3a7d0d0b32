/* Point RequireJS at the widget manager served by this book, so the modules it defines (and
   the icon fonts they load relative to themselves) resolve to _static/vendor/html-manager
   from any page depth, never to a CDN or to a path beside the page. */
(function () {
  "use strict";
  var src = document.currentScript && document.currentScript.src;
  if (!src || typeof require === "undefined") { return; }
  var vendor = src.substring(0, src.lastIndexOf("/") + 1) + "vendor/html-manager";
  require.config({ paths: { "@jupyter-widgets/html-manager/dist": vendor, "@jupyter-widgets": vendor } });
})();
