// recap's default theme: starts Pagefind's search interface on the search page (a file, not an
// inline script, so that the page works under script-src 'self'). The query in the address
// (?q=, as the header's search box sends it) is run at once, and what is typed is kept in the
// address, so that a search can be linked to and survives a reload.
(function () {
  'use strict';
  var box = document.querySelector('.search-page');
  if (!box || typeof window.PagefindUI !== 'function') return;
  // The bundle is under the base path; Pagefind puts the folder it is served from in front of the index's URLs.
  var ui = new window.PagefindUI({ element: box, bundlePath: box.getAttribute('data-bundle'), showImages: false, autofocus: true });
  var query = new URLSearchParams(location.search).get('q');
  if (query) ui.triggerSearch(query);
  box.addEventListener('input', function (event) {
    var input = event.target;
    // Pagefind's own box, not its filters' checkboxes.
    if (!(input instanceof HTMLInputElement) || !input.classList.contains('pagefind-ui__search-input')) return;
    var url = new URL(location.href);
    if (input.value) url.searchParams.set('q', input.value);
    else url.searchParams.delete('q');
    history.replaceState(history.state, '', url.href);
  });
})();
