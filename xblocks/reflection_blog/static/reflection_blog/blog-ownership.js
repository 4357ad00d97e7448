/*
 * Reflection blog: what a learner owns (see blog.js for the hooks a part uses; the server side is ownership.py).
 * Below the feed, "Your blog" offers to delete the whole blog: the page first asks the server what would go
 * (entries, and comments other people wrote on them), says so, and deletes only once the box is ticked.
 */
(function () {
  'use strict';
  const SLS = window.SocialLearning;
  const el = SLS.el;

  SLS.blog.part('ownership', function (blog) {
    const _ = blog.t._;
    const slot = blog.slot('feed');
    if (!slot || blog.readOnly || blog.init.read_only) {
      return;
    }
    const box = el('div', {class: 'sls-blog__delete-box'});
    const button = el('button', {type: 'button', class: 'sls-btn sls-btn--quiet sls-btn--danger-text',
      'aria-expanded': 'false', data: {sls: 'delete-blog'}, text: _('Delete my whole blog')});
    const section = el('section', {class: 'sls-blog__ownership', 'aria-label': _('Your blog')}, [
      el('h3', {class: 'sls-blog__ownership-title', text: _('Your blog')}),
      // eslint-disable-next-line max-len
      el('p', {class: 'sls-hint', text: _("You can delete your whole blog in this course: every entry you wrote here, with its earlier versions, images and videos, and the comments other people wrote on it. Your comments on other people's entries stay.")}),
      el('div', {class: 'sls-actions'}, [button]),
      box
    ]);
    slot.appendChild(section);

    button.addEventListener('click', function () {
      SLS.ui.busy(button, blog.call('blog_summary', {}), blog.notices).then(function (counts) {
        if (!counts.entries) {
          blog.notices.announce(_('You have no entries in this blog.'));
          return;
        }
        const id = 'sls-delete-blog-' + blog.key;
        const tick = el('input', {type: 'checkbox', name: 'confirm', id: id});
        const fields = [
          el('p', {class: 'sls-blog__delete-question', text: blog.t.n_(
            'Delete your {count} entry for good?', 'Delete your {count} entries for good?', counts.entries,
            {count: counts.entries})})
        ];
        if (counts.others_comments) {
          fields.push(el('p', {text: blog.t.n_('{count} comment by other people goes with them.',
            '{count} comments by other people go with them.', counts.others_comments,
            {count: counts.others_comments})}));
        }
        fields.push(el('div', {class: 'sls-check'}, [
          tick, el('label', {for: id, text: _('I understand that this cannot be undone.')})
        ]), el('p', {class: 'sls-field-error', data: {slsError: 'confirm'}}));
        const form = blog.inlineForm(box, button, {
          fields: fields,
          submit: _('Delete everything'),
          danger: true,
          run: function () {
            return blog.call('delete_blog', {confirm: tick.checked});
          },
          done: function () {
            blog.notices.announce(_('Your blog was deleted.'));
            blog.reload();
            blog.showFeed(false);
            button.focus();
          }
        });
        form.querySelector('.sls-btn:not([type="submit"])').textContent = _('Keep my blog');
      }, function () {});
    });
  });
}());
