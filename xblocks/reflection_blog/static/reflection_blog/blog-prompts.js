/*
 * Reflection blog: prompts and completion (see blog.js for the hooks a part uses; the server side is prompts.py).
 */
(function () {
  'use strict';
  const SLS = window.SocialLearning;
  SLS.blog.part('prompts', function (blog) { // eslint-disable-line no-unused-vars
  });
}());
