// recap's default theme: a post's video is a link to it until this script turns the link into a
// button that puts the player in its place. Nothing from YouTube or Vimeo loads before a visitor
// asks, and without this script the link still leads to the video.
(function () {
  'use strict';
  // Only the players the theme writes: a changed page cannot make this script load anything else.
  var PLAYER = /^https:\/\/(www\.youtube-nocookie\.com\/embed\/[\w-]+|player\.vimeo\.com\/video\/\d+)\?autoplay=1$/;

  function upgrade(link) {
    var player = link.getAttribute('data-player') || '';
    if (!PLAYER.test(player)) return;
    var button = document.createElement('button');
    button.type = 'button';
    button.className = link.className;
    button.setAttribute('aria-label', link.getAttribute('aria-label') || 'Play video');
    while (link.firstChild) button.appendChild(link.firstChild);
    button.addEventListener('click', function () {
      var frame = document.createElement('iframe');
      frame.src = player;
      // The theme writes the player's name in the page's language; a page from an older theme has only the title.
      frame.title = link.getAttribute('data-frame-title') || 'Video: ' + (link.getAttribute('data-title') || '');
      frame.allow = 'accelerometer; autoplay; clipboard-write; encrypted-media; gyroscope; picture-in-picture; fullscreen';
      frame.setAttribute('allowfullscreen', '');
      button.replaceWith(frame);
      // Keyboard users stay where they were: on the player they asked for.
      frame.focus();
    });
    link.replaceWith(button);
  }

  var links = document.querySelectorAll('a.video-facade[data-player]');
  for (var i = 0; i < links.length; i++) upgrade(links[i]);
})();
