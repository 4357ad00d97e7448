/*
 * Reflection blog: quoting an excerpt of one's own entry into a cohort forum, with a link back (see blog.js for
 * the hooks a part uses; the server side is quote.py).
 *
 * On the author's own entry, "Quote in the forum" opens a dialog: the forum (the course's cohort forums the person
 * may post in, from `quote_forums`), the thread's title, the excerpt (the entry's first paragraph to start with,
 * within the limit), a preview as the forum will show it and, when the entry is not readable by everyone in the
 * forum, a plain warning (`quote_preview`); "Post in the forum" sends `quote_entry`.
 */
(function () {
  'use strict';
  const SLS = window.SocialLearning;
  const el = SLS.el;

  function firstParagraph(body, limit) {
    const first = (body || '').trim().split(/\n\s*\n/)[0] || '';
    return first.length > limit ? first.slice(0, limit) : first;
  }

  SLS.blog.part('quote', function (blog) {
    const _ = blog.t._;
    if (blog.readOnly || !blog.client.urls.quote_entry) {
      return;
    }

    function field(label, control, hint, name) {
      return el('div', {class: 'sls-field'}, [el('label', {text: label}), control,
        hint ? el('p', {class: 'sls-hint', text: hint}) : null,
        control.dataset && control.dataset.max ? el('p', {class: 'sls-counter', data: {sls: 'counter'},
          'aria-live': 'polite'}) : null,
        el('p', {class: 'sls-field-error', data: {slsError: name}})].filter(Boolean));
    }

    function open(entry, button) {
      const titleId = SLS.uid('sls-quote-title');
      const dialog = el('dialog', {class: 'sls-blog-quote', 'aria-labelledby': titleId, data: {sls: 'quote-dialog'}});
      const close = function () {
        dialog.close();
      };
      dialog.addEventListener('close', function () {
        dialog.remove();
        button.focus();
      });
      const heading = el('h3', {id: titleId, text: _('Quote this entry in a forum')});
      const status = el('p', {class: 'sls-hint', role: 'status', text: _('Loading the forums…')});
      dialog.append(heading, status);
      blog.root.appendChild(dialog);
      dialog.showModal();
      blog.call('quote_forums', {}).then(function (answer) {
        status.remove();
        if (!answer.forums.length) {
          dialog.append(el('p', {class: 'sls-notice', data: {sls: 'quote-none'}, text: _('There is no cohort forum in this course that you can post in yet. Open the course’s forum once, then come back.')}), el('div', {class: 'sls-actions'}, [
            el('button', {type: 'button', class: 'sls-btn', text: _('Close'), onclick: close})]));
          dialog.querySelector('button').focus();
          return;
        }
        build(dialog, entry, answer, close);
      }, function (err) {
        status.textContent = err.message;
        dialog.append(el('div', {class: 'sls-actions'}, [
          el('button', {type: 'button', class: 'sls-btn', text: _('Close'), onclick: close})]));
      });
    }

    function build(dialog, entry, answer, close) {
      const forum = el('select', {name: 'forum'}, answer.forums.map(function (f) {
        return el('option', {value: String(f.id), text: f.title});
      }));
      const title = el('input', {type: 'text', name: 'title', value: entry.title, maxlength: '200', autocomplete: 'off'});
      const excerpt = el('textarea', {name: 'excerpt', rows: '6', data: {max: String(answer.limit)}});
      excerpt.value = firstParagraph(entry.body, answer.limit);
      const previewId = SLS.uid('sls-quote-preview');
      const warning = el('p', {class: 'sls-notice sls-blog-quote__warning', data: {sls: 'quote-warning'}, hidden: true});
      const group = el('p', {class: 'sls-meta', data: {sls: 'quote-group'}});
      const shown = el('div', {class: 'sls-blog-quote__shown'});
      const preview = el('section', {class: 'sls-blog-quote__preview', 'aria-labelledby': previewId,
        data: {sls: 'quote-preview'}}, [el('h4', {id: previewId, text: _('Preview')}), group, shown]);
      const form = el('form', {class: 'sls-form', novalidate: true}, [
        el('p', {class: 'sls-form-error', role: 'alert', data: {sls: 'form-error'}}),
        field(_('Forum'), forum, answer.forums.length > 1 ? _('Posting goes to your group in that forum.') : null,
          'forum'),
        field(_('Title in the forum'), title, null, 'title'),
        field(_('Excerpt'), excerpt, _('Your own words from this entry: shorten it, or cut a passage out with “…”.'),
          'excerpt'),
        warning,
        preview,
        el('div', {class: 'sls-actions'}, [
          el('button', {type: 'submit', class: 'sls-btn sls-btn--primary', text: _('Post in the forum')}),
          el('button', {type: 'button', class: 'sls-btn', data: {sls: 'quote-preview-button'}, text: _('Show preview'),
            onclick: function () { refresh(); }}),
          el('button', {type: 'button', class: 'sls-btn', text: _('Cancel'), onclick: close})
        ])
      ]);
      dialog.appendChild(form);
      blog.forms.wire(form);
      blog.forms.attachCounter(excerpt);

      function data() {
        return {id: entry.id, forum: forum.value, title: title.value, excerpt: excerpt.value};
      }

      function refresh() {
        blog.forms.send(form, function () { return blog.call('quote_preview', data()); }, function (result) {
          warning.hidden = !result.warning;
          warning.textContent = result.warning || '';
          group.textContent = result.group && !result.whole_course ?
            _('In the forum, your group: {group}', {group: result.group}) : '';
          const article = el('article', {class: 'sls-blog-quote__thread'}, [el('h5', {text: result.title})]);
          const body = el('div', {class: 'sls-prose'});
          body.innerHTML = result.body_html; // rendered and sanitised by the server
          article.appendChild(body);
          shown.replaceChildren(article);
        }, function () {
          shown.replaceChildren();
        });
      }

      forum.addEventListener('change', refresh);
      form.addEventListener('submit', function (event) {
        event.preventDefault();
        blog.forms.send(form, function () { return blog.call('quote_entry', data()); }, function (result) {
          close();
          blog.notices.announce(_('Quoted in “{forum}”. People there can follow the link back to your entry.',
            {forum: result.forum.title}));
        });
      });
      refresh();
      excerpt.focus();
    }

    blog.on('entry', function (article, entry) {
      if (!entry.can || !entry.can.edit || entry.hidden) {
        return;
      }
      const actions = article.querySelector('[data-sls="entry-actions"]');
      const button = el('button', {type: 'button', class: 'sls-btn', data: {sls: 'quote'}, 'aria-haspopup': 'dialog',
        text: _('Quote in the forum')});
      button.addEventListener('click', function () {
        open(entry, button);
      });
      actions.appendChild(button);
    });
  });
}());
