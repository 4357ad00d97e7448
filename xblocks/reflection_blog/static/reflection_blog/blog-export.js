/*
 * Reflection blog: export (see blog.js for the hooks a part uses; the server side is export.py).
 *
 * "Export my blog" asks the `export_blog` action (a file answer: the person's own blog as a zip) and saves it.
 */
(function () {
  'use strict';
  const SLS = window.SocialLearning;
  const el = SLS.el;

  SLS.blog.part('export', function (blog) {
    const _ = blog.t._;
    const slot = blog.slot('header');
    if (!slot || blog.readOnly || !blog.client.urls.export_blog) {
      return;
    }
    const hint = el('span', {class: 'sls-visually-hidden', id: SLS.uid('sls-export'), text: _(
      'A zip file with all your entries in this blog (Markdown and web pages), their images and videos, and the ' +
      'comments on them.')});
    const button = el('button', {type: 'button', class: 'sls-btn', data: {sls: 'export'}, text: _('Export my blog'),
      'aria-describedby': hint.id});
    button.addEventListener('click', function () {
      blog.notices.announce(_('Preparing your export…'), true);
      SLS.ui.busy(button, blog.client.file('export_blog', {}), blog.notices).then(function (blob) {
        const url = URL.createObjectURL(blob);
        const link = el('a', {href: url, download: 'reflection-blog.zip', hidden: true});
        document.body.appendChild(link);
        link.click();
        link.remove();
        setTimeout(function () { URL.revokeObjectURL(url); }, 60000);
        blog.notices.announce(_('Your export is ready: it is being saved as a zip file.'));
      }, function () {});
    });
    slot.appendChild(el('span', {class: 'sls-blog-export'}, [button, hint]));
  });
}());
