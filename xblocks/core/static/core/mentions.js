/*
 * Social Learning Suite: @mention suggestions for a text area (extends window.SocialLearning).
 *
 * mentions.attach(textarea, {t, notices, lookup}): typing "@" and the start of a name shows a
 * listbox of people (an ARIA combobox: the text area keeps focus, arrow keys move through the
 * suggestions, Enter or Tab inserts "@username ", Escape closes). `lookup(query)` returns a
 * Promise of {members: [{username, name}]}, e.g. a `mention_candidates` call; the first time a
 * list opens, how to use it is read out through `notices` (a SocialLearning.ui.Notices).
 */
(function (global) {
  'use strict';
  const SLS = global.SocialLearning;
  if (!SLS || SLS.mentions) {
    return;
  }
  const el = SLS.el;

  function attach(textarea, options) {
    const _ = options.t._;
    const listId = SLS.uid('sls-mentions');
    const list = el('ul', {
      class: 'sls-mentions', id: listId, role: 'listbox', hidden: true,
      'aria-label': _('Mention suggestions: use the up and down arrow keys, then Enter.')
    });
    textarea.insertAdjacentElement('afterend', list);
    textarea.setAttribute('aria-autocomplete', 'list');
    textarea.setAttribute('aria-controls', listId);
    let members = [];
    let active = -1;
    let seq = 0;
    let match = null;
    let announced = false;

    function currentMatch() {
      const pos = textarea.selectionStart;
      if (pos !== textarea.selectionEnd) {
        return null;
      }
      const before = textarea.value.slice(0, pos);
      const found = /(^|[^\w@/`])@([A-Za-z0-9_][\w.+-]{0,29})?$/.exec(before);
      if (!found) {
        return null;
      }
      const query = found[2] || '';
      return {start: pos - query.length - 1, end: pos, query: query};
    }

    function close() {
      seq += 1;
      list.hidden = true;
      list.replaceChildren();
      members = [];
      active = -1;
      textarea.removeAttribute('aria-activedescendant');
    }

    function highlight() {
      Array.prototype.forEach.call(list.children, function (item, index) {
        item.setAttribute('aria-selected', index === active ? 'true' : 'false');
        item.classList.toggle('is-active', index === active);
      });
      if (active >= 0 && list.children[active]) {
        textarea.setAttribute('aria-activedescendant', list.children[active].id);
        if (list.children[active].scrollIntoView) {
          list.children[active].scrollIntoView({block: 'nearest'});
        }
      }
    }

    function choose(index) {
      const member = members[index];
      const where = currentMatch() || match;
      if (!member || !where) {
        close();
        return;
      }
      const insert = '@' + member.username + ' ';
      const value = textarea.value;
      textarea.value = value.slice(0, where.start) + insert + value.slice(where.end);
      const caret = where.start + insert.length;
      close();
      textarea.focus();
      textarea.setSelectionRange(caret, caret);
      textarea.dispatchEvent(new Event('input', {bubbles: true}));
    }

    function render(items) {
      members = items;
      if (!items.length) {
        close();
        return;
      }
      active = 0;
      list.replaceChildren.apply(list, items.map(function (member, index) {
        return el('li', {
          id: listId + '-' + index, role: 'option', class: 'sls-mentions__option', 'aria-selected': 'false',
          onmousedown: function (event) {
            event.preventDefault();
            choose(index);
          }
        }, [el('span', {class: 'sls-mentions__name', text: member.name}), ' ',
          el('span', {class: 'sls-mentions__user', text: '@' + member.username})]);
      }));
      list.hidden = false;
      highlight();
      if (!announced) {
        announced = true;
        if (options.notices) {
          options.notices.announce(_('Mention suggestions: use the up and down arrow keys, then Enter.'), true);
        }
      }
    }

    function lookup() {
      match = currentMatch();
      if (!match) {
        close();
        return;
      }
      const mine = ++seq;
      options.lookup(match.query).then(function (result) {
        if (mine === seq) {
          render(result.members || []);
        }
      }, function () {
        if (mine === seq) {
          close();
        }
      });
    }

    const lookupSoon = SLS.debounce(lookup, 180);
    textarea.addEventListener('input', function () {
      if (currentMatch()) {
        lookupSoon();
      } else {
        lookupSoon.cancel();
        close();
      }
    });
    textarea.addEventListener('keydown', function (event) {
      if (list.hidden || !members.length) {
        return;
      }
      if (event.key === 'ArrowDown') {
        event.preventDefault();
        active = (active + 1) % members.length;
        highlight();
      } else if (event.key === 'ArrowUp') {
        event.preventDefault();
        active = (active - 1 + members.length) % members.length;
        highlight();
      } else if (event.key === 'Enter' || event.key === 'Tab') {
        event.preventDefault();
        choose(active);
      } else if (event.key === 'Escape') {
        event.preventDefault();
        event.stopPropagation();
        close();
      }
    });
    textarea.addEventListener('blur', function () {
      setTimeout(close, 150);
    });
  }

  SLS.mentions = {attach: attach};
}(window));
