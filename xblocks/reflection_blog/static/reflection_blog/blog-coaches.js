/*
 * Reflection blog: the coach view and who coaches whom (see blog.js for the hooks a part uses; the server side is coaches.py).
 */
(function () {
  'use strict';
  const SLS = window.SocialLearning;
  SLS.blog.part('coaches', function (blog) { // eslint-disable-line no-unused-vars
  });
}());
