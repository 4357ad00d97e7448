/*
 * Reflection blog front end: the feed, an entry, the entry form, comments and moderation. Plain JavaScript.
 *
 * The parts of the blog (media, prompts, coaches, export) each have their own file, loaded after this one
 * (blog-<part>.js). A part registers itself with
 *
 *   SocialLearning.blog.part(name, function (blog) { ... })
 *
 * and is started with the blog once the page's data is read. From there it uses the blog's hooks:
 *   blog.on(hook, fn): 'form' (fn(form, entry|null): add fields to the entry form), 'collect' (fn(form, data):
 *   add values to what the form sends and keeps as a draft), 'entry' (fn(article, entry): add to a shown
 *   entry), 'summary' (fn(item, entry): add to an entry of the feed), 'saved' (fn(entry): after a save),
 *   'feed' (fn(filters): before the feed loads); and blog.slot(name) for the template's data-sls-slot places
 *   ('header', 'feed', 'views'), blog.client.call(action, data), blog.t (strings), blog.notices.
 */
(function () {
  'use strict';

  const SLS = window.SocialLearning;
  const parts = [];

  SLS.blog = SLS.blog || {
    part: function (name, start) {
      parts.push({name: name, start: start});
    },
    parts: parts
  };

  function Blog(root, init) {
    this.root = root;
    this.init = init;
    this.settings = init.settings || {};
    this.t = SLS.i18n(init.i18n, init.i18n_namespace);
    this.client = SLS.client(init.urls, Object.assign({
      networkMessage: this.t._('Could not reach the server. Your text is still here; please try again.')
    }, init.client || {}));
    this.notices = new SLS.ui.Notices(root);
    this.hooks = {};
  }

  Blog.prototype.on = function (hook, fn) {
    (this.hooks[hook] = this.hooks[hook] || []).push(fn);
  };

  Blog.prototype.run = function (hook) {
    const args = Array.prototype.slice.call(arguments, 1);
    (this.hooks[hook] || []).forEach(function (fn) {
      fn.apply(null, args);
    });
  };

  Blog.prototype.slot = function (name) {
    return this.root.querySelector('[data-sls-slot="' + name + '"]');
  };

  Blog.prototype.start = function () {
    const self = this;
    SLS.blog.parts.forEach(function (part) {
      part.start(self);
    });
  };

  function SocialReflectionBlog(runtime, element, args) {
    return SLS.boot(runtime, element, args, {
      rootSelector: '.sls-blog',
      dataSelector: 'script.sls-blog-data',
      requires: '[data-sls="feed-view"]',
      start: function (root, init) {
        const blog = new Blog(root, init);
        blog.start();
        return {blog: blog};
      }
    });
  }

  window.SocialReflectionBlog = SocialReflectionBlog;
  SLS.blog.Blog = Blog;
}());
