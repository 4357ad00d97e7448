/*
 * Reflection blog: export, deleting the whole blog and quoting into the forum (see blog.js for the hooks a part uses; the server side is export.py).
 */
(function () {
  'use strict';
  const SLS = window.SocialLearning;
  SLS.blog.part('export', function (blog) { // eslint-disable-line no-unused-vars
  });
}());
