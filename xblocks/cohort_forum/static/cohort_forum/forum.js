/*
 * Cohort forum front end: thread list, thread view, forms. Plain JavaScript, one IIFE.
 *
 * Start-up data: the runtime passes (runtime, element, args); the page also carries the full
 * init object in <script type="application/json" class="sls-forum-data"> (escaped, so learner
 * text in drafts cannot break out of it). Both are merged; see block.py for the shape.
 *
 * Safety: learner text is inserted with textContent everywhere, except `body_html`, which the
 * server renders from Markdown and sanitises (markdown-it + nh3) before sending.
 */
(function () {
  'use strict';

  const SLS = window.SocialLearning;
  const el = SLS.el;
  const DRAFT_DELAY = 1200;

  function fmtNodes(template, nodes) {
    // "Last activity {time}" with a <time> element in place of {time}.
    const out = [];
    const re = /\{(\w+)\}/g;
    let last = 0;
    let match;
    while ((match = re.exec(template)) !== null) {
      if (match.index > last) {
        out.push(template.slice(last, match.index));
      }
      const node = nodes[match[1]];
      out.push(node === undefined ? match[0] : node);
      last = re.lastIndex;
    }
    if (last < template.length) {
      out.push(template.slice(last));
    }
    return out;
  }

  /**
   * "Started by … · Last activity …": each part kept on one line while it fits (see .sls-meta__part),
   * with the dot at the end of the part before it, so a line may break after a dot, never before.
   */
  function metaLine(parts) {
    const out = [];
    parts.forEach(function (nodes, index) {
      const last = index === parts.length - 1;
      out.push(el('span', {class: 'sls-meta__part'}, last ? nodes : nodes.concat(['\u00a0·'])));
      if (!last) {
        out.push(' ');
      }
    });
    return out;
  }

  // ----- drafts ------------------------------------------------------------------------------
  function DraftSaver(forum, key, collect, note) {
    this.forum = forum;
    this.key = key;
    this.collect = collect;
    this.note = note;
    this.chain = Promise.resolve();
    this.sent = 0;
    this.schedule = SLS.debounce(this.save.bind(this), DRAFT_DELAY);
  }

  DraftSaver.prototype.save = function () {
    const forum = this.forum;
    const key = this.key;
    const note = this.note;
    const data = Object.assign({key: key}, this.collect());
    const _ = forum.t._;
    this.sent += 1;
    this.chain = this.chain.then(function () {
      return forum.client.call('save_draft', forum.withGroup(data)).then(function (result) {
        if (result.saved) {
          forum.drafts[key] = data;
          note(_('Draft saved.'));
        } else {
          delete forum.drafts[key];
          note('');
        }
      }, function (err) {
        note(_('The draft could not be saved: {message}', {message: err.message}));
      });
    });
  };

  /** Forget the draft (after posting): the server forgot it already; make sure a late save does not revive it. */
  DraftSaver.prototype.discard = function () {
    const forum = this.forum;
    const key = this.key;
    this.schedule.cancel();
    delete forum.drafts[key];
    this.note('');
    if (this.sent) {
      this.sent = 0;
      this.chain = this.chain.then(function () {
        return forum.client.call('save_draft', forum.withGroup({key: key, title: '', body: ''})).catch(function () {});
      });
    }
  };

  // ----- the forum -----------------------------------------------------------------------------
  function Forum(root, init) {
    this.root = root;
    this.init = init;
    this.settings = init.settings || {};
    const user = init.user || {};
    this.roles = init.roles || {is_staff: !!user.is_staff, is_advocate: !!user.is_advocate};
    this.t = SLS.i18n(init.i18n, init.i18n_namespace);
    this.client = SLS.client(init.urls, Object.assign({
      networkMessage: this.t._('Could not reach the server. Your text is still here; please try again.')
    }, init.client || {}));
    this.drafts = Object.assign({}, init.drafts || {});
    this.participation = init.participation || null;
    this.state = {
      sort: this.settings.default_sort || 'activity',
      filter: 'all',
      search: '',
      page: 1,
      group: init.group || null
    };
    this.pages = 1;
    this.thread = null;
    this.posts = {};
    this.listSeq = 0;
    this.threadSeq = 0;
    this.lastOpened = null;
    this.statusTimer = null;
  }

  Forum.prototype.$ = function (name, scope) {
    return (scope || this.root).querySelector('[data-sls="' + name + '"]');
  };

  Forum.prototype.withGroup = function (data, override) {
    if (this.roles.is_staff) {
      const group = override || this.state.group;
      if (group) {
        data.group = group;
      }
    }
    return data;
  };

  Forum.prototype.start = function () {
    this.bindList();
    this.bindCompose();
    this.bindThreadView();
    this.renderProgress();
    this.syncTargetGroup();
    const sort = this.$('sort');
    if (sort) {
      sort.value = this.state.sort;
    }
    if (this.init.initial) {
      this.renderList(this.init.initial);
    } else {
      this.loadList({});
    }
    this.restoreComposeDraft();
  };

  // ----- announcements ---------------------------------------------------------------------------
  /** Say something politely: shown and read out, or read out only (`quiet`, e.g. keyboard hints). */
  Forum.prototype.announce = function (text, quiet) {
    const status = this.$(quiet ? 'sr-status' : 'status');
    if (!quiet) {
      clearTimeout(this.statusTimer);
    }
    status.textContent = '';
    // A fresh text node after a tick makes screen readers announce repeated messages too.
    setTimeout(function () {
      status.textContent = text;
    }, 30);
    if (!quiet) {
      this.statusTimer = setTimeout(function () {
        status.textContent = '';
      }, 8000);
    }
  };

  Forum.prototype.showAlert = function (text) {
    const alert = this.$('alert');
    alert.textContent = '';
    setTimeout(function () {
      alert.textContent = text;
    }, 30);
  };

  Forum.prototype.clearAlert = function () {
    this.$('alert').textContent = '';
  };

  // ----- forms: ids, counters, errors, mentions ----------------------------------------------------
  Forum.prototype.wireForm = function (form) {
    form.querySelectorAll('.sls-field').forEach(function (field) {
      const control = field.querySelector('input, textarea, select');
      if (!control) {
        return;
      }
      if (!control.id) {
        control.id = SLS.uid('sls-f');
      }
      const label = field.querySelector('label');
      if (label) {
        label.setAttribute('for', control.id);
      }
      const described = [];
      [['.sls-hint', 'hint'], ['[data-sls="counter"]', 'count'], ['[data-sls-error]', 'error']].forEach(function (pair) {
        const node = field.querySelector(pair[0]);
        if (node) {
          if (!node.id) {
            node.id = control.id + '-' + pair[1];
          }
          described.push(node.id);
        }
      });
      if (described.length) {
        control.setAttribute('aria-describedby', described.join(' '));
      }
    });
    form.querySelectorAll('.sls-check').forEach(function (check) {
      const input = check.querySelector('input');
      const label = check.querySelector('label');
      if (input && label) {
        if (!input.id) {
          input.id = SLS.uid('sls-c');
        }
        label.setAttribute('for', input.id);
      }
    });
  };

  /** Ctrl+Enter (Cmd+Enter) in a text area sends its form, as in most forums and chat tools. */
  Forum.prototype.submitShortcut = function (form) {
    form.addEventListener('keydown', function (event) {
      if (event.defaultPrevented) {
        return; // e.g. Enter chose an @mention suggestion
      }
      if (event.key === 'Enter' && (event.ctrlKey || event.metaKey) && event.target.tagName === 'TEXTAREA') {
        event.preventDefault();
        if (form.requestSubmit) {
          form.requestSubmit();
        } else {
          form.dispatchEvent(new Event('submit', {cancelable: true}));
        }
      }
    });
  };

  Forum.prototype.attachCounter = function (control) {
    const max = parseInt(control.dataset.max, 10);
    const field = control.closest('.sls-field');
    const counter = field ? field.querySelector('[data-sls="counter"]') : null;
    if (!max || !counter) {
      return function () {};
    }
    const n_ = this.t.n_;
    function update() {
      const length = control.value.length;
      const left = max - length;
      const always = max <= 1000;
      if (!always && length < max * 0.8) {
        counter.textContent = '';
        counter.classList.remove('is-over');
        return;
      }
      if (left >= 0) {
        counter.textContent = n_('{count} character left', '{count} characters left', left);
        counter.classList.remove('is-over');
      } else {
        counter.textContent = n_('{count} character too many', '{count} characters too many', -left);
        counter.classList.add('is-over');
      }
    }
    control.addEventListener('input', update);
    update();
    return update;
  };

  Forum.prototype.clearErrors = function (form) {
    const box = form.querySelector('[data-sls="form-error"]');
    if (box) {
      box.textContent = '';
    }
    form.querySelectorAll('[data-sls-error]').forEach(function (node) {
      node.textContent = '';
    });
    form.querySelectorAll('[aria-invalid]').forEach(function (node) {
      node.removeAttribute('aria-invalid');
    });
  };

  /** Show a server error next to the form and its fields. The user's text is left untouched. */
  Forum.prototype.showErrors = function (form, err) {
    this.clearErrors(form);
    const box = form.querySelector('[data-sls="form-error"]');
    const fieldMessages = Object.keys(err.fields || {}).map(function (name) {
      return form.querySelector('[data-sls-error="' + name + '"]') ? err.fields[name] : null;
    });
    if (box) {
      // Said once: when the field's own message already says it all, the summary only points to it.
      const saidAtField = fieldMessages.length === 1 && fieldMessages[0] === err.message;
      box.textContent = saidAtField ? this.t._('Please correct the marked field.') : err.message;
    } else {
      this.showAlert(err.message);
    }
    let first = null;
    Object.keys(err.fields || {}).forEach(function (name) {
      const slot = form.querySelector('[data-sls-error="' + name + '"]');
      const control = form.elements[name];
      if (slot) {
        slot.textContent = err.fields[name];
      }
      if (control && control.setAttribute) {
        control.setAttribute('aria-invalid', 'true');
        first = first || control;
      }
    });
    if (first && first.focus) {
      first.focus();
    }
  };

  /** @mention suggestions for a textarea; `paramsFn` gives the space to search (group or thread). */
  Forum.prototype.attachMentions = function (textarea, paramsFn) {
    const self = this;
    const _ = this.t._;
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
        self.announce(_('Mention suggestions: use the up and down arrow keys, then Enter.'), true);
      }
    }

    function lookup() {
      match = currentMatch();
      if (!match) {
        close();
        return;
      }
      const mine = ++seq;
      const params = paramsFn() || {};
      const data = self.withGroup(Object.assign({q: match.query}, params.thread ? {thread: params.thread} : {}),
        params.group);
      self.client.call('mention_candidates', data).then(function (result) {
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
  };

  Forum.prototype.timeNode = function (iso) {
    const when = SLS.timeAgo(iso, this.t.lang);
    return el('time', {datetime: iso, title: when.title, text: when.text});
  };

  Forum.prototype.badge = function (text, kind) {
    return el('span', {class: 'sls-badge sls-badge--' + kind, text: text});
  };

  // ----- participation ---------------------------------------------------------------------------
  Forum.prototype.renderProgress = function () {
    const node = this.$('progress');
    const p = this.participation;
    const _ = this.t._;
    if (!node) {
      return;
    }
    if (!p || !p.required || this.roles.is_staff) {
      node.hidden = true;
      return;
    }
    if (p.complete) {
      node.textContent = _("You have met this forum's participation goal.");
      node.classList.add('is-complete');
    } else if (p.count !== null && p.count !== undefined) {
      node.textContent = _('Your participation: {count} of {required} contributions.',
        {count: p.count, required: p.required});
    } else {
      node.hidden = true;
      return;
    }
    node.hidden = false;
  };

  Forum.prototype.updateParticipation = function (participation) {
    if (participation) {
      this.participation = participation;
      this.renderProgress();
    }
  };

  // ----- the list ---------------------------------------------------------------------------------
  Forum.prototype.bindList = function () {
    const self = this;
    const switcher = this.$('group-switch');
    if (switcher) {
      switcher.addEventListener('change', function () {
        self.state.group = switcher.value;
        self.state.page = 1;
        self.syncTargetGroup();
        if (!self.$('thread-view').hidden) {
          self.showList();
        }
        self.loadList({});
      });
    }
    const searchForm = this.$('search-form');
    const searchInput = this.$('search');
    const clear = this.$('search-clear');
    searchForm.addEventListener('submit', function (event) {
      event.preventDefault();
      self.state.search = searchInput.value.trim();
      self.state.page = 1;
      clear.hidden = !self.state.search;
      self.loadList({focusHeading: true});
    });
    clear.addEventListener('click', function () {
      searchInput.value = '';
      self.state.search = '';
      self.state.page = 1;
      clear.hidden = true;
      searchInput.focus();
      self.loadList({});
    });
    this.$('sort').addEventListener('change', function (event) {
      self.state.sort = event.target.value;
      self.state.page = 1;
      self.loadList({});
    });
    this.$('filter').addEventListener('change', function (event) {
      self.state.filter = event.target.value;
      self.state.page = 1;
      self.loadList({});
    });
    this.$('prev').addEventListener('click', function () {
      if (self.state.page > 1) {
        self.state.page -= 1;
        self.loadList({focusHeading: true});
      }
    });
    this.$('next').addEventListener('click', function () {
      if (self.state.page < self.pages) {
        self.state.page += 1;
        self.loadList({focusHeading: true});
      }
    });
    this.$('threads').addEventListener('click', function (event) {
      const button = event.target.closest('button[data-open-thread]');
      if (button) {
        self.openThread(parseInt(button.dataset.openThread, 10), {});
      }
    });
  };

  Forum.prototype.loadList = function (options) {
    const self = this;
    const list = this.$('threads');
    const seq = ++this.listSeq;
    list.setAttribute('aria-busy', 'true');
    this.$('summary').textContent = this.t._('Loading…');
    return this.client.call('list_threads', this.withGroup({
      sort: this.state.sort, filter: this.state.filter, search: this.state.search, page: this.state.page
    })).then(function (data) {
      if (seq !== self.listSeq) {
        return;
      }
      self.clearAlert();
      self.renderList(data);
      if (options.focusThread) {
        const button = list.querySelector('button[data-open-thread="' + options.focusThread + '"]');
        if (button) {
          button.focus();
          return;
        }
        self.$('list-heading').focus();
      } else if (options.focusHeading) {
        self.$('list-heading').focus();
      }
    }, function (err) {
      if (seq !== self.listSeq) {
        return;
      }
      self.$('summary').textContent = '';
      self.showAlert(err.message);
    }).finally(function () {
      if (seq === self.listSeq) {
        list.setAttribute('aria-busy', 'false');
      }
    });
  };

  Forum.prototype.renderList = function (data) {
    const _ = this.t._;
    const n_ = this.t.n_;
    const self = this;
    this.state.page = data.page;
    this.pages = data.pages;
    const list = this.$('threads');
    list.replaceChildren.apply(list, data.threads.map(function (thread) {
      return self.threadItem(thread);
    }));
    let summary;
    if (!data.threads.length) {
      if (data.search) {
        summary = _('No threads match your search.');
      } else if (data.filter && data.filter !== 'all') {
        summary = _('No threads here yet.');
      } else {
        summary = _('No threads yet. Start the first conversation!');
      }
    } else {
      summary = n_('{count} thread', '{count} threads', data.total);
      if (data.search) {
        summary += ' ' + _('Showing threads matching “{search}”.', {search: data.search});
      }
    }
    this.$('summary').textContent = summary;
    const pager = this.$('pager');
    pager.hidden = data.pages <= 1;
    this.$('page-info').textContent = _('Page {page} of {pages}', {page: data.page, pages: data.pages});
    this.$('prev').disabled = data.page <= 1;
    this.$('next').disabled = data.page >= data.pages;
  };

  Forum.prototype.threadBadges = function (thread) {
    const _ = this.t._;
    const n_ = this.t.n_;
    const badges = [];
    if (thread.pinned) {
      badges.push(this.badge(_('Pinned'), 'pinned'));
    }
    if (thread.highlighted) {
      badges.push(this.badge(_('Highlighted'), 'highlighted'));
    }
    if (thread.kind === 'question') {
      badges.push(thread.answered ? this.badge(_('Answered'), 'answered') : this.badge(_('Question'), 'question'));
    }
    if (thread.hidden) {
      badges.push(this.badge(this.roles.is_staff ? _('Hidden from learners') : _('Hidden'), 'hidden'));
    }
    if (thread.flag_count) {
      badges.push(this.badge(n_('Flagged {count} time', 'Flagged {count} times', thread.flag_count), 'flagged'));
    }
    return el('p', {class: 'sls-badges', hidden: !badges.length}, badges);
  };

  Forum.prototype.authorNodes = function (author) {
    const _ = this.t._;
    const nodes = [el('span', {class: 'sls-author__name', text: author.name})];
    if (author.is_you) {
      nodes.push(' (' + _('You') + ')');
    }
    if (author.anonymous && author.username) {
      nodes.push(' ', this.badge(_('anonymous to other learners'), 'anonymous'));
    }
    return el('span', {class: 'sls-author'}, nodes);
  };

  Forum.prototype.threadItem = function (thread) {
    const _ = this.t._;
    const n_ = this.t.n_;
    const classes = ['sls-thread-item'];
    if (thread.unread) {
      classes.push('is-unread');
    }
    if (thread.pinned) {
      classes.push('is-pinned');
    }
    if (thread.highlighted) {
      classes.push('is-highlighted');
    }
    if (thread.hidden) {
      classes.push('is-hidden');
    }
    const open = el('button', {type: 'button', class: 'sls-thread-item__open', data: {openThread: String(thread.id)}}, [
      thread.unread ? el('span', {class: 'sls-unread-dot', 'aria-hidden': 'true'}) : null,
      thread.unread ? el('span', {class: 'sls-visually-hidden', text: _('Unread') + ': '}) : null,
      thread.title
    ]);
    const parts = [
      fmtNodes(_('Started by {name}'), {name: this.authorNodes(thread.author)}),
      fmtNodes(_('Last activity {time}'), {time: this.timeNode(thread.last_activity)})
    ];
    if (thread.group && thread.group.name) {
      parts.push([_('in {group}', {group: thread.group.name})]);
    }
    const meta = metaLine(parts);
    return el('li', {class: classes.join(' ')}, [
      el('div', {class: 'sls-thread-item__main'}, [
        el('h4', {class: 'sls-thread-item__title'}, [open]),
        this.threadBadges(thread),
        thread.excerpt ? el('p', {class: 'sls-excerpt', text: thread.excerpt}) : null,
        el('p', {class: 'sls-meta'}, meta)
      ]),
      el('p', {class: 'sls-thread-item__stats'}, [
        el('span', {class: 'sls-stat', text: n_('{count} reply', '{count} replies', thread.reply_count)}),
        el('span', {class: 'sls-stat', text: n_('{count} vote', '{count} votes', thread.vote_count)})
      ])
    ]);
  };

  // ----- compose a new thread ------------------------------------------------------------------------
  Forum.prototype.bindCompose = function () {
    const self = this;
    const form = this.$('compose-form');
    const toggle = this.$('compose-toggle');
    this.composeForm = form;
    const title = form.elements.title;
    const body = form.elements.body;
    const note = this.$('draft-note', form);
    this.composeCounters = [this.attachCounter(title), this.attachCounter(body)];
    this.attachMentions(body, function () {
      return {group: self.composeGroup()};
    });
    this.composeSaver = new DraftSaver(this, 'new', function () {
      return {
        title: title.value,
        body: body.value,
        kind: form.elements.kind ? form.elements.kind.value : 'discussion',
        anonymous: !!(form.elements.anonymous && form.elements.anonymous.checked)
      };
    }, function (text) {
      note.textContent = text;
    });
    form.addEventListener('input', function () {
      self.composeSaver.schedule();
    });
    form.addEventListener('change', function () {
      self.composeSaver.schedule();
    });
    form.addEventListener('submit', function (event) {
      event.preventDefault();
      self.submitCompose();
    });
    this.submitShortcut(form);
    // Enter in the title moves on to the text instead of sending a thread without one.
    title.addEventListener('keydown', function (event) {
      if (event.key === 'Enter') {
        event.preventDefault();
        body.focus();
      }
    });
    toggle.addEventListener('click', function () {
      self.toggleCompose(toggle.getAttribute('aria-expanded') !== 'true');
    });
    this.$('compose-cancel').addEventListener('click', function () {
      self.toggleCompose(false);
      toggle.focus();
    });
  };

  Forum.prototype.composeGroup = function () {
    if (!this.roles.is_staff) {
      return null;
    }
    if (this.state.group === 'all') {
      const target = this.$('target-group');
      return target ? target.value || null : null;
    }
    return this.state.group;
  };

  Forum.prototype.syncTargetGroup = function () {
    const field = this.$('target-group-field');
    if (field) {
      field.hidden = !(this.roles.is_staff && this.state.group === 'all');
    }
  };

  Forum.prototype.toggleCompose = function (open) {
    const section = this.$('compose');
    const toggle = this.$('compose-toggle');
    section.hidden = !open;
    toggle.setAttribute('aria-expanded', open ? 'true' : 'false');
    if (open) {
      const targetField = this.$('target-group-field');
      const first = targetField && !targetField.hidden ? this.$('target-group') : this.composeForm.elements.title;
      first.focus();
    }
  };

  Forum.prototype.restoreComposeDraft = function () {
    const draft = this.drafts['new'];
    if (!draft) {
      return;
    }
    const form = this.composeForm;
    form.elements.title.value = draft.title || '';
    form.elements.body.value = draft.body || '';
    if (draft.kind && form.querySelector('input[name="kind"][value="' + draft.kind + '"]')) {
      form.querySelector('input[name="kind"][value="' + draft.kind + '"]').checked = true;
    }
    if (form.elements.anonymous) {
      form.elements.anonymous.checked = !!draft.anonymous;
    }
    this.composeCounters.forEach(function (update) {
      update();
    });
    this.$('compose').hidden = false;
    this.$('compose-toggle').setAttribute('aria-expanded', 'true');
    this.$('draft-note', form).textContent = this.t._('Draft restored.');
  };

  Forum.prototype.submitCompose = function () {
    const self = this;
    const _ = this.t._;
    const form = this.composeForm;
    if (form.dataset.busy) {
      return;
    }
    this.clearErrors(form);
    const data = {
      kind: form.elements.kind ? form.elements.kind.value : 'discussion',
      title: form.elements.title.value,
      body: form.elements.body.value,
      anonymous: !!(form.elements.anonymous && form.elements.anonymous.checked)
    };
    let group = null;
    if (this.roles.is_staff) {
      group = this.composeGroup();
      if (!group && this.state.group === 'all') {
        this.showErrors(form, {message: _('Choose a group to post in.'), fields: {group: _('Choose a group to post in.')}});
        return;
      }
    }
    this.withGroup(data, group);
    this.composeSaver.schedule.cancel();
    form.dataset.busy = '1';
    form.setAttribute('aria-busy', 'true');
    this.client.call('create_thread', data).then(function (result) {
      form.reset();
      self.composeCounters.forEach(function (update) {
        update();
      });
      self.composeSaver.discard();
      self.toggleCompose(false);
      self.updateParticipation(result.participation);
      self.announce(_('Thread posted.'));
      self.openThread(result.id, {});
    }, function (err) {
      self.showErrors(form, err);
      self.composeSaver.schedule();
    }).finally(function () {
      delete form.dataset.busy;
      form.removeAttribute('aria-busy');
    });
  };

  // ----- the thread view ------------------------------------------------------------------------------
  Forum.prototype.bindThreadView = function () {
    const self = this;
    this.$('back').addEventListener('click', function () {
      self.backToList();
    });
    this.$('thread').addEventListener('click', function (event) {
      self.onThreadClick(event);
    });
  };

  Forum.prototype.showList = function () {
    this.$('thread-view').hidden = true;
    this.$('list-view').hidden = false;
  };

  Forum.prototype.backToList = function () {
    const id = this.lastOpened;
    this.threadSeq += 1;
    this.thread = null;
    this.showList();
    this.loadList({focusThread: id});
  };

  /** Open (or reload) a thread. options: {focus: 'title'|'post:ID'|selector, keepForms} */
  Forum.prototype.openThread = function (id, options) {
    const self = this;
    const _ = this.t._;
    const seq = ++this.threadSeq;
    options = options || {};
    this.clearAlert();
    return this.client.call('get_thread', this.withGroup({id: id})).then(function (data) {
      if (seq !== self.threadSeq) {
        return;
      }
      const same = self.thread && self.thread.id === data.id;
      self.thread = data;
      self.lastOpened = data.id;
      self.renderThread(data, same);
      if (!same) {
        self.renderReplyForm(data);
      }
      self.$('list-view').hidden = true;
      self.$('thread-view').hidden = false;
      self.focusAfter(options.focus);
    }, function (err) {
      if (seq !== self.threadSeq) {
        return;
      }
      self.showAlert(err.status === 404 ? _('Thread not found: it may have been deleted.') : err.message);
      if (err.status === 404 && !self.$('thread-view').hidden) {
        self.backToList();
      }
    });
  };

  Forum.prototype.focusAfter = function (target) {
    let node = null;
    if (!target || target === 'title') {
      node = this.$('thread').querySelector('.sls-thread-title');
    } else if (target.indexOf('post:') === 0 || target.indexOf('thread:') === 0) {
      node = this.$('thread').querySelector('[data-post="' + target + '"]');
    } else {
      node = this.$('thread').querySelector(target);
    }
    if (node) {
      node.focus();
      if (node.scrollIntoView) {
        node.scrollIntoView({block: 'nearest'});
      }
    }
  };

  Forum.prototype.renderThread = function (thread, keepForms) {
    const _ = this.t._;
    const n_ = this.t.n_;
    const self = this;
    const snapshot = keepForms ? this.snapshotForms() : [];
    this.posts = {};
    const article = this.postArticle(thread, 'thread', thread);
    const headingId = SLS.uid('sls-replies');
    const replies = el('ol', {class: 'sls-reply-list'}, thread.replies.map(function (reply) {
      return el('li', {}, [self.postArticle(reply, 'reply', thread)]);
    }));
    const section = el('section', {class: 'sls-replies', 'aria-labelledby': headingId}, [
      el('h4', {id: headingId, class: 'sls-replies__title', tabindex: '-1',
        text: n_('{count} reply', '{count} replies', thread.reply_count)}),
      thread.replies.length ? replies : el('p', {class: 'sls-empty', text: _('No replies yet. Be the first to reply.')}),
      thread.more_replies ? el('button', {type: 'button', class: 'sls-btn', data: {action: 'more'},
        text: _('Load more replies')}) : null
    ]);
    this.$('thread').replaceChildren(article, section);
    // Reopen comment forms that hold a draft, then any form that was open before this render.
    thread.replies.forEach(function (reply) {
      if (self.drafts[thread.id + ':' + reply.id]) {
        self.openCommentForm(reply.id, {focus: false});
      }
    });
    this.restoreForms(snapshot);
  };

  Forum.prototype.postArticle = function (post, kind, thread) {
    const _ = this.t._;
    const key = (kind === 'thread' ? 'thread:' : 'post:') + post.id;
    const entry = {data: post, kind: kind};
    this.posts[key] = entry;
    const classes = ['sls-post', 'sls-post--' + kind];
    if (post.hidden) {
      classes.push('is-hidden');
    }
    if (post.endorsed) {
      classes.push('is-endorsed');
    }
    const children = [];
    if (kind === 'thread') {
      children.push(this.threadBadges(post));
      children.push(el('h3', {class: 'sls-thread-title', tabindex: '-1', text: post.title}));
    } else {
      const badges = [];
      if (post.endorsed) {
        const name = post.endorsed_by;
        let text;
        if (thread.kind === 'question') {
          text = name ? _('Answer, endorsed by {name}', {name: name}) : _('Answer');
        } else {
          text = name ? _('Endorsed by {name}', {name: name}) : _('Endorsed');
        }
        badges.push(this.badge(text, 'answered'));
      }
      if (post.new) {
        badges.push(this.badge(_('New'), 'new'));
      }
      if (post.hidden) {
        badges.push(this.badge(this.roles.is_staff ? _('Hidden from learners') : _('Hidden'), 'hidden'));
      }
      if (post.flag_count) {
        badges.push(this.badge(this.t.n_('Flagged {count} time', 'Flagged {count} times', post.flag_count), 'flagged'));
      }
      children.push(el('p', {class: 'sls-badges', hidden: !badges.length}, badges));
    }
    const parts = [[this.authorNodes(post.author)], [this.timeNode(post.created)]];
    if (post.edited) {
      parts.push([el('span', {class: 'sls-edited', title: SLS.timeAgo(post.edited, this.t.lang).title,
        text: _('edited')})]);
    }
    if (kind === 'thread' && post.group && post.group.name) {
      parts.push([_('in {group}', {group: post.group.name})]);
    }
    children.push(el('p', {class: 'sls-meta'}, metaLine(parts)));
    if (post.hidden && !this.roles.is_staff) {
      children.push(el('p', {class: 'sls-note', text: _('Only you and staff can see this: it was hidden by staff.')}));
    }
    const body = el('div', {class: 'sls-post__body sls-prose', data: {sls: 'body'}});
    body.innerHTML = post.body_html; // sanitised by the server (markdown-it + nh3)
    children.push(body);
    children.push(this.actions(entry, thread));
    children.push(el('div', {class: 'sls-post__inline', data: {sls: 'inline'}}));
    if (kind === 'reply') {
      const self = this;
      const comments = el('ul', {class: 'sls-comments'}, (post.comments || []).map(function (comment) {
        return el('li', {}, [self.postArticle(comment, 'comment', thread)]);
      }));
      children.push(comments);
      children.push(el('div', {class: 'sls-comment-box', data: {sls: 'comment-box'}}));
    }
    return el('article', {class: classes.join(' '), data: {post: key}, tabindex: '-1'}, children);
  };

  Forum.prototype.toggleButton = function (action, label, pressed, extra) {
    return el('button', Object.assign({
      type: 'button', class: 'sls-action sls-action--' + action, data: {action: action},
      'aria-pressed': pressed ? 'true' : 'false'
    }, extra || {}), [label]);
  };

  Forum.prototype.actionButton = function (action, label, extra) {
    return el('button', Object.assign({type: 'button', class: 'sls-action sls-action--' + action,
      data: {action: action}}, extra || {}), [label]);
  };

  Forum.prototype.actions = function (entry, thread) {
    const _ = this.t._;
    const post = entry.data;
    const can = post.can || {};
    const kind = entry.kind;
    const buttons = [];
    buttons.push(el('button', {
      type: 'button', class: 'sls-action sls-action--vote', data: {action: 'vote'},
      'aria-pressed': post.voted ? 'true' : 'false',
      'aria-label': this.t.n_('Upvote ({count} vote)', 'Upvote ({count} votes)', post.vote_count)
    }, [el('span', {class: 'sls-vote__icon', 'aria-hidden': 'true', text: '▲'}), ' ',
      el('span', {class: 'sls-vote__count', text: String(post.vote_count)})]));
    if (kind === 'thread') {
      buttons.push(this.toggleButton('follow', _('Follow'), post.following));
    }
    if (kind === 'reply' && can.curate) {
      buttons.push(this.toggleButton('endorse', thread.kind === 'question' ? _('Mark as answer') : _('Endorse'),
        post.endorsed));
    }
    if (kind === 'reply') {
      buttons.push(this.actionButton('comment', _('Comment'), {'aria-expanded': 'false'}));
    }
    if (post.flagged) {
      buttons.push(el('span', {class: 'sls-flagged-note', text: _('You flagged this.')}));
      buttons.push(this.actionButton('unflag', _('Withdraw flag')));
    } else if (!post.author.is_you) {
      buttons.push(this.actionButton('flag', _('Flag'), {'aria-expanded': 'false'}));
    }
    if (can.edit) {
      buttons.push(this.actionButton('edit', _('Edit'), {'aria-expanded': 'false'}));
    }
    if (can.delete) {
      buttons.push(this.actionButton('delete', _('Delete'), {'aria-expanded': 'false'}));
    }
    if (kind === 'thread' && can.curate) {
      buttons.push(this.toggleButton('pin', _('Pin'), post.pinned));
      buttons.push(this.toggleButton('highlight', _('Highlight'), post.highlighted));
    }
    if (can.moderate) {
      // Restoring is not destructive: it does not get Hide's warning colour.
      buttons.push(this.actionButton('hide', post.hidden ? _('Restore') : _('Hide'),
        post.hidden ? {class: 'sls-action sls-action--hide is-restore'} : null));
    }
    return el('div', {class: 'sls-post__actions', data: {sls: 'actions'}}, buttons);
  };

  Forum.prototype.entryFor = function (node) {
    const article = node.closest('[data-post]');
    return article ? {article: article, entry: this.posts[article.dataset.post]} : null;
  };

  Forum.prototype.refreshActions = function (article, entry, focusAction) {
    const old = article.querySelector(':scope > [data-sls="actions"]');
    const fresh = this.actions(entry, this.thread);
    old.replaceWith(fresh);
    if (entry.kind === 'thread') {
      const badges = article.querySelector(':scope > .sls-badges');
      badges.replaceWith(this.threadBadges(entry.data));
    }
    if (focusAction) {
      const button = fresh.querySelector('[data-action="' + focusAction + '"]');
      if (button) {
        button.focus();
      }
    }
  };

  Forum.prototype.onThreadClick = function (event) {
    const button = event.target.closest('button[data-action]');
    if (!button || !this.$('thread').contains(button)) {
      return;
    }
    const action = button.dataset.action;
    if (action === 'more') {
      this.loadMoreReplies(button);
      return;
    }
    const found = this.entryFor(button);
    if (!found || !found.entry) {
      return;
    }
    if (button.getAttribute('aria-busy') === 'true') {
      return;
    }
    const handlers = {
      vote: this.toggleVote, follow: this.toggleFollow, endorse: this.toggleEndorse, pin: this.togglePin,
      highlight: this.toggleHighlight, hide: this.toggleHidden, flag: this.openFlagForm, unflag: this.withdrawFlag,
      edit: this.openEditForm, delete: this.confirmDelete, comment: this.commentClicked
    };
    if (handlers[action]) {
      handlers[action].call(this, button, found.article, found.entry);
    }
  };

  Forum.prototype.target = function (entry) {
    return entry.kind === 'thread' ? 'thread' : 'post';
  };

  /** Run an action call with the button marked busy; errors go to the alert region. */
  Forum.prototype.busy = function (button, promise) {
    const self = this;
    button.setAttribute('aria-busy', 'true');
    this.clearAlert();
    return promise.catch(function (err) {
      self.showAlert(err.message);
      throw err;
    }).finally(function () {
      button.removeAttribute('aria-busy');
    });
  };

  // One on/off switch of a thread or post (vote, follow, pin, highlight): the server's answer is what
  // the page shows afterwards.
  Forum.prototype.toggleSwitch = function (action, field, button, article, entry) {
    const self = this;
    const post = entry.data;
    const data = {id: post.id, on: !post[field]};
    if (action === 'vote') {
      data.target = this.target(entry);
    }
    this.busy(button, this.client.call(action, this.withGroup(data)))
      .then(function (result) {
        post[field] = result[field];
        if (typeof result.vote_count === 'number') {
          post.vote_count = result.vote_count;
        }
        self.refreshActions(article, entry, action);
      }, function () {});
  };

  Forum.prototype.toggleVote = function (button, article, entry) {
    this.toggleSwitch('vote', 'voted', button, article, entry);
  };

  Forum.prototype.toggleFollow = function (button, article, entry) {
    this.toggleSwitch('follow', 'following', button, article, entry);
  };

  Forum.prototype.togglePin = function (button, article, entry) {
    this.toggleSwitch('pin', 'pinned', button, article, entry);
  };

  Forum.prototype.toggleHighlight = function (button, article, entry) {
    this.toggleSwitch('highlight', 'highlighted', button, article, entry);
  };

  Forum.prototype.reloadThread = function (focus) {
    if (this.thread) {
      return this.openThread(this.thread.id, {focus: focus});
    }
    return Promise.resolve();
  };

  Forum.prototype.toggleEndorse = function (button, article, entry) {
    const self = this;
    const post = entry.data;
    this.busy(button, this.client.call('endorse', this.withGroup({id: post.id, on: !post.endorsed})))
      .then(function () {
        self.reloadThread('[data-post="post:' + post.id + '"] [data-action="endorse"]');
      }, function () {});
  };

  Forum.prototype.toggleHidden = function (button, article, entry) {
    const self = this;
    const _ = this.t._;
    const post = entry.data;
    const key = article.dataset.post;
    this.busy(button, this.client.call('hide', this.withGroup({target: this.target(entry), id: post.id, on: !post.hidden})))
      .then(function (result) {
        self.announce(result.hidden ? _('Hidden from learners.') : _('Restored: learners can see it again.'));
        self.reloadThread('[data-post="' + key + '"] [data-action="hide"]');
      }, function () {});
  };

  Forum.prototype.withdrawFlag = function (button, article, entry) {
    const self = this;
    const _ = this.t._;
    const post = entry.data;
    this.busy(button, this.client.call('flag', this.withGroup({target: this.target(entry), id: post.id, on: false})))
      .then(function () {
        post.flagged = false;
        self.refreshActions(article, entry, 'flag');
        self.announce(_('Flag withdrawn.'));
      }, function () {});
  };

  Forum.prototype.inlineSlot = function (article) {
    return article.querySelector(':scope > [data-sls="inline"]');
  };

  Forum.prototype.cloneTemplate = function (name) {
    const template = this.root.querySelector('template[data-tpl="' + name + '"]');
    const form = template.content.firstElementChild.cloneNode(true);
    this.wireForm(form);
    return form;
  };

  Forum.prototype.closeInline = function (article, focusAction) {
    const slot = this.inlineSlot(article);
    slot.replaceChildren();
    const body = article.querySelector(':scope > [data-sls="body"]');
    if (body) {
      body.hidden = false;
    }
    const title = article.querySelector(':scope > .sls-thread-title');
    if (title) {
      title.hidden = false;
    }
    article.querySelectorAll(':scope > [data-sls="actions"] [aria-expanded]').forEach(function (node) {
      if (node.dataset.action !== 'comment') {
        node.setAttribute('aria-expanded', 'false');
      }
    });
    if (focusAction) {
      const button = article.querySelector(':scope > [data-sls="actions"] [data-action="' + focusAction + '"]');
      if (button) {
        button.focus();
      }
    }
  };

  Forum.prototype.openFlagForm = function (button, article, entry) {
    const self = this;
    const _ = this.t._;
    const post = entry.data;
    this.closeInline(article);
    const form = this.cloneTemplate('flag-form');
    this.inlineSlot(article).appendChild(form);
    button.setAttribute('aria-expanded', 'true');
    form.elements.reason.focus();
    form.querySelector('[data-sls="cancel"]').addEventListener('click', function () {
      self.closeInline(article, 'flag');
    });
    form.addEventListener('submit', function (event) {
      event.preventDefault();
      if (form.dataset.busy) {
        return;
      }
      form.dataset.busy = '1';
      self.clearErrors(form);
      self.client.call('flag', self.withGroup({
        target: self.target(entry), id: post.id, on: true, reason: form.elements.reason.value
      })).then(function () {
        post.flagged = true;
        self.closeInline(article);
        self.refreshActions(article, entry, 'unflag');
        self.announce(_('Thank you. Staff will review it.'));
      }, function (err) {
        self.showErrors(form, err);
      }).finally(function () {
        delete form.dataset.busy;
      });
    });
  };

  Forum.prototype.openEditForm = function (button, article, entry, values) {
    const self = this;
    const _ = this.t._;
    const post = entry.data;
    const isThread = entry.kind === 'thread';
    this.closeInline(article);
    const form = this.cloneTemplate('edit-form');
    form.dataset.edit = article.dataset.post;
    if (!isThread) {
      form.querySelector('[data-sls="title-field"]').remove();
    } else {
      form.elements.title.value = values ? values.title : post.title;
    }
    form.elements.body.value = values ? values.body : (post.body || '');
    const body = article.querySelector(':scope > [data-sls="body"]');
    body.hidden = true;
    if (isThread) {
      article.querySelector(':scope > .sls-thread-title').hidden = true;
    }
    this.inlineSlot(article).appendChild(form);
    if (button) {
      button.setAttribute('aria-expanded', 'true');
    }
    form.querySelectorAll('[data-max]').forEach(function (control) {
      self.attachCounter(control);
    });
    this.attachMentions(form.elements.body, function () {
      return {thread: self.thread && self.thread.id};
    });
    if (!values || values.focus !== false) {
      (isThread ? form.elements.title : form.elements.body).focus();
    }
    form.querySelector('[data-sls="cancel"]').addEventListener('click', function () {
      self.closeInline(article, 'edit');
    });
    this.submitShortcut(form);
    form.addEventListener('submit', function (event) {
      event.preventDefault();
      if (form.dataset.busy) {
        return;
      }
      form.dataset.busy = '1';
      self.clearErrors(form);
      const data = {target: self.target(entry), id: post.id, body: form.elements.body.value};
      if (isThread) {
        data.title = form.elements.title.value;
      }
      self.client.call('edit', self.withGroup(data)).then(function () {
        form.remove();
        self.announce(_('Changes saved.'));
        self.reloadThread(isThread ? 'title' : article.dataset.post);
      }, function (err) {
        self.showErrors(form, err);
      }).finally(function () {
        delete form.dataset.busy;
      });
    });
  };

  Forum.prototype.confirmDelete = function (button, article, entry) {
    const self = this;
    const _ = this.t._;
    const post = entry.data;
    const isThread = entry.kind === 'thread';
    this.closeInline(article);
    const messageId = SLS.uid('sls-confirm');
    const confirm = el('button', {type: 'button', class: 'sls-btn sls-btn--danger', 'aria-describedby': messageId,
      text: _('Delete')});
    const cancel = el('button', {type: 'button', class: 'sls-btn', text: _('Cancel')});
    const error = el('p', {class: 'sls-form-error', 'aria-live': 'assertive'});
    const box = el('div', {class: 'sls-confirm', role: 'group', 'aria-labelledby': messageId}, [
      el('p', {id: messageId, class: 'sls-confirm__text', text: isThread
        ? _('Delete this thread and all its replies? This cannot be undone.')
        : _('Delete this post? This cannot be undone.')}),
      error,
      el('div', {class: 'sls-actions'}, [confirm, cancel])
    ]);
    this.inlineSlot(article).appendChild(box);
    button.setAttribute('aria-expanded', 'true');
    confirm.focus();
    cancel.addEventListener('click', function () {
      self.closeInline(article, 'delete');
    });
    confirm.addEventListener('click', function () {
      if (confirm.getAttribute('aria-busy') === 'true') {
        return;
      }
      confirm.setAttribute('aria-busy', 'true');
      self.client.call('delete', self.withGroup({target: self.target(entry), id: post.id})).then(function () {
        if (isThread) {
          self.announce(_('Thread deleted.'));
          self.lastOpened = null;
          self.threadSeq += 1;
          self.thread = null;
          self.showList();
          self.loadList({focusHeading: true});
        } else {
          self.announce(_('Post deleted.'));
          self.reloadThread('.sls-replies__title');
        }
      }, function (err) {
        error.textContent = err.message;
      }).finally(function () {
        confirm.removeAttribute('aria-busy');
      });
    });
  };

  // ----- replies and comments --------------------------------------------------------------------------
  /** Build a reply or comment form. options: {draftKey, parent, isComment, onDone} */
  Forum.prototype.buildPostForm = function (options) {
    const self = this;
    const _ = this.t._;
    const form = this.cloneTemplate('reply-form');
    const body = form.elements.body;
    const anon = form.elements.anonymous;
    const note = this.$('draft-note', form);
    if (options.isComment) {
      form.querySelector('[data-sls="form-title"]').remove();
      this.$('body-label', form).textContent = _('Comment on this reply');
      this.$('submit', form).textContent = _('Post comment');
      const cancel = this.$('cancel', form);
      cancel.hidden = false;
      form.dataset.parent = String(options.parent);
    }
    const updateCounter = this.attachCounter(body);
    this.attachMentions(body, function () {
      return {thread: self.thread && self.thread.id};
    });
    const saver = new DraftSaver(this, options.draftKey, function () {
      return {body: body.value, anonymous: !!(anon && anon.checked)};
    }, function (text) {
      note.textContent = text;
    });
    form.saver = saver;
    const draft = this.drafts[options.draftKey];
    if (draft) {
      body.value = draft.body || '';
      if (anon) {
        anon.checked = !!draft.anonymous;
      }
      updateCounter();
      note.textContent = _('Draft restored.');
    }
    form.addEventListener('input', function () {
      saver.schedule();
    });
    form.addEventListener('change', function () {
      saver.schedule();
    });
    this.submitShortcut(form);
    form.addEventListener('submit', function (event) {
      event.preventDefault();
      if (form.dataset.busy) {
        return;
      }
      self.clearErrors(form);
      const thread = self.thread;
      const data = {thread: thread.id, body: body.value, anonymous: !!(anon && anon.checked)};
      if (options.parent) {
        data.parent = options.parent;
      }
      saver.schedule.cancel();
      form.dataset.busy = '1';
      form.setAttribute('aria-busy', 'true');
      self.client.call('create_reply', self.withGroup(data)).then(function (result) {
        body.value = '';
        if (anon) {
          anon.checked = false;
        }
        updateCounter();
        saver.discard();
        self.updateParticipation(result.participation);
        options.onDone(result);
      }, function (err) {
        self.showErrors(form, err);
        saver.schedule();
      }).finally(function () {
        delete form.dataset.busy;
        form.removeAttribute('aria-busy');
      });
    });
    return form;
  };

  Forum.prototype.renderReplyForm = function (thread) {
    const self = this;
    const _ = this.t._;
    const form = this.buildPostForm({
      draftKey: String(thread.id),
      onDone: function (result) {
        self.announce(_('Reply posted.'));
        self.reloadThread('post:' + result.id);
      }
    });
    this.$('reply-box').replaceChildren(form);
  };

  Forum.prototype.commentClicked = function (button, article, entry) {
    this.openCommentForm(entry.data.id, {focus: true});
  };

  Forum.prototype.openCommentForm = function (postId, options) {
    const self = this;
    const _ = this.t._;
    const article = this.$('thread').querySelector('[data-post="post:' + postId + '"]');
    if (!article) {
      return null;
    }
    const box = article.querySelector(':scope > [data-sls="comment-box"]');
    const toggle = article.querySelector(':scope > [data-sls="actions"] [data-action="comment"]');
    let form = box.querySelector('form');
    if (!form) {
      form = this.buildPostForm({
        draftKey: this.thread.id + ':' + postId,
        parent: postId,
        isComment: true,
        onDone: function (result) {
          form.remove();
          self.announce(_('Comment posted.'));
          self.reloadThread('post:' + result.id);
        }
      });
      box.appendChild(form);
      this.$('cancel', form).addEventListener('click', function () {
        form.saver.schedule.cancel();
        if (form.elements.body.value.trim()) {
          form.saver.save();
        } else {
          form.saver.discard();
        }
        form.remove();
        if (toggle) {
          toggle.setAttribute('aria-expanded', 'false');
          toggle.focus();
        }
      });
    }
    if (toggle) {
      toggle.setAttribute('aria-expanded', 'true');
    }
    if (options.values) {
      form.elements.body.value = options.values.body;
      if (form.elements.anonymous) {
        form.elements.anonymous.checked = !!options.values.anonymous;
      }
      form.elements.body.dispatchEvent(new Event('input'));
    }
    if (options.focus) {
      form.elements.body.focus();
    }
    return form;
  };

  /** Open comment and edit forms, with their current text, so a re-render never loses typing. */
  Forum.prototype.snapshotForms = function () {
    const box = this.$('thread');
    const forms = [];
    box.querySelectorAll('form[data-parent]').forEach(function (form) {
      forms.push({type: 'comment', parent: form.dataset.parent, body: form.elements.body.value,
        anonymous: !!(form.elements.anonymous && form.elements.anonymous.checked),
        focused: form.contains(document.activeElement)});
    });
    box.querySelectorAll('form[data-edit]').forEach(function (form) {
      forms.push({type: 'edit', key: form.dataset.edit, body: form.elements.body.value,
        title: form.elements.title ? form.elements.title.value : null,
        focused: form.contains(document.activeElement)});
    });
    return forms;
  };

  Forum.prototype.restoreForms = function (forms) {
    const self = this;
    forms.forEach(function (saved) {
      if (saved.type === 'comment') {
        self.openCommentForm(parseInt(saved.parent, 10), {focus: saved.focused, values: saved});
      } else {
        const article = self.$('thread').querySelector('[data-post="' + saved.key + '"]');
        const entry = article && self.posts[saved.key];
        if (entry) {
          const button = article.querySelector(':scope > [data-sls="actions"] [data-action="edit"]');
          self.openEditForm(button, article, entry, {title: saved.title, body: saved.body, focus: saved.focused});
        }
      }
    });
  };

  Forum.prototype.loadMoreReplies = function (button) {
    const self = this;
    const thread = this.thread;
    const page = (thread.reply_page || 1) + 1;
    this.busy(button, this.client.call('get_thread', this.withGroup({id: thread.id, reply_page: page})))
      .then(function (data) {
        thread.reply_page = data.reply_page;
        thread.more_replies = data.more_replies;
        const list = self.$('thread').querySelector('.sls-reply-list');
        let first = null;
        data.replies.forEach(function (reply) {
          if (self.posts['post:' + reply.id]) {
            return;
          }
          thread.replies.push(reply);
          const article = self.postArticle(reply, 'reply', thread);
          first = first || article;
          list.appendChild(el('li', {}, [article]));
        });
        if (!data.more_replies) {
          button.remove();
        }
        if (first) {
          first.focus();
        }
      }, function () {});
  };

  // ----- start-up -------------------------------------------------------------------------------------
  function SocialCohortForumBlock(runtime, element, args) {
    if (element && element.jquery) {
      element = element[0];
    }
    const root = element.matches && element.matches('.sls-forum') ? element : element.querySelector('.sls-forum');
    if (!root || root.dataset.slsReady) {
      return {};
    }
    const init = Object.assign({}, args || {}, SLS.readJson(root, 'script.sls-forum-data') || {});
    if (!init.urls && init.handlers && runtime && runtime.handlerUrl) {
      init.urls = {};
      init.handlers.forEach(function (name) {
        init.urls[name] = runtime.handlerUrl(element, name);
      });
    }
    if (!init.urls || !root.querySelector('[data-sls="list-view"]')) {
      return {}; // a closed forum (not signed in, no group) has nothing to drive
    }
    root.dataset.slsReady = '1';
    const forum = new Forum(root, init);
    forum.start();
    return {forum: forum};
  }

  window.SocialCohortForumBlock = SocialCohortForumBlock;
  SLS.CohortForum = Forum;
}());
