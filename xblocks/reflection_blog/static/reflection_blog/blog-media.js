/*
 * Reflection blog: images and videos (see blog.js for the hooks a part uses; the server side is media.py).
 */
(function () {
  'use strict';
  const SLS = window.SocialLearning;
  SLS.blog.part('media', function (blog) { // eslint-disable-line no-unused-vars
  });
}());
