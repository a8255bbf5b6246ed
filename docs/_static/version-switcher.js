// Let switcher.json use URLs relative to the root of the current build
// ("../1.2/", "./"), so one site tree works wherever it is served: at the root
// of `python -m http.server` as well as under a base path on a host.
//
// The PyData theme fetches switcher.json relative to the build root, but then
// writes `${entry.url}${pagePath}` into each link, which a browser resolves
// against the *page* (wrong for pages in sub-folders). This script, loaded in
// <head> before the theme's deferred script, makes the relative entry URLs
// absolute (against the build root, data-content_root) as the JSON arrives.
(function () {
  "use strict";
  if (!window.fetch) {
    return;
  }
  var root = new URL(
    document.documentElement.dataset.content_root || "./",
    window.location.href,
  );
  var originalFetch = window.fetch.bind(window);
  var isRelative = function (url) {
    return !/^([a-z][a-z0-9+.-]*:|\/)/i.test(url);
  };
  window.fetch = function (resource, options) {
    var target = resource instanceof Request ? resource.url : String(resource);
    var request = originalFetch(resource, options);
    if (!/\/_static\/switcher\.json(\?|#|$)/.test(target)) {
      return request;
    }
    return request.then(function (response) {
      if (!response.ok) {
        return response;
      }
      return response
        .clone()
        .json()
        .then(function (entries) {
          entries.forEach(function (entry) {
            if (typeof entry.url === "string" && isRelative(entry.url)) {
              entry.url = new URL(entry.url, root).href;
            }
          });
          return new Response(JSON.stringify(entries), {
            status: response.status,
            headers: { "Content-Type": "application/json" },
          });
        })
        .catch(function () {
          return response;
        });
    });
  };
})();
