/*
 * Cohort forum front end: thread list, thread view and compose. Plain JavaScript, one IIFE.
 *
 * What every component shares comes from core (xblocks/core/static/core/, loaded before this
 * file): the client and i18n (core.js), live regions, busy buttons and read-only pages (ui.js),
 * forms and their errors (forms.js), drafts (drafts.js), @mentions (mentions.js) and the
 * start-up (boot.js).
 *
 * Start-up data: the runtime passes (runtime, element, args); the page also carries the full
 * init object in <script type="application/json" class="sls-forum-data"> (escaped, so learner
 * text in drafts cannot break out of it). Both are merged; see block.py for the shape. When
 * `init.read_only` is a message (staff viewing the course as a learner), the forum shows it and
 * offers reading only: no form, no draft and no button that writes.
 *
 * Safety: learner text is inserted with textContent everywhere, except `body_html`, which the
 * server renders from Markdown and sanitises (markdown-it + nh3) before sending.
 */
(function () {
  'use strict';

  const SLS = window.SocialLearning;
  const el = SLS.el;
  const fmtNodes = SLS.ui.fmtNodes;

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

  /**
   * The search as the summary quotes it: a phrase typed in straight quotes is not quoted twice
   * ('"first session"' -> 'first session'; '"first session" notes' -> '‘first session’ notes').
   */
  function quotedSearch(search) {
    const whole = /^"([^"]*)"$/.exec(search.trim());
    return whole ? whole[1] : search.replace(/"([^"]*)"/g, '‘$1’');
  }

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
    this.notices = new SLS.ui.Notices(root);
    this.forms = SLS.forms(this.t, this.notices);
    this.readOnly = false;
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
    // The thread shown is in the page's address (see threadHash), for links, reloads, Back and Forward.
    this.key = (root.getAttribute('data-sls-key') || 'sls-forum').replace(/^sls-/, '');
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
    this.readOnly = SLS.ui.readOnly(this.root, this.init.read_only);
    this.bindList();
    if (!this.readOnly) {
      this.bindCompose();
    }
    this.bindThreadView();
    this.bindQueue();
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
    this.bindAddress();
  };

  // ----- the address: each thread has one -----------------------------------------------------------
  // A fragment, as the forum does not own its page's URL (an Open edX unit; the tool's page keeps its
  // ?activity=): '#sls-thread-<forum>-<id>', so two forums on one page keep apart.
  Forum.prototype.threadHash = function (id) {
    return '#sls-thread-' + this.key + '-' + id;
  };

  /** The thread id the page's address names for this forum, or null. */
  Forum.prototype.addressedThread = function () {
    const prefix = '#sls-thread-' + this.key + '-';
    const hash = window.location.hash;
    if (hash.indexOf(prefix) !== 0 || !/^\d{1,18}$/.test(hash.slice(prefix.length))) {
      return null;
    }
    return parseInt(hash.slice(prefix.length), 10);
  };

  Forum.prototype.listAddress = function () {
    return window.location.pathname + window.location.search;
  };

  Forum.prototype.bindAddress = function () {
    const self = this;
    // Back and Forward (and a link to a thread followed on this page): the list or the thread, read afresh.
    window.addEventListener('popstate', function () {
      const id = self.addressedThread();
      if (id !== null) {
        if (!self.thread || self.thread.id !== id || self.$('thread-view').hidden) {
          self.openThread(id, {fromAddress: true});
        }
      } else if (!self.$('thread-view').hidden) {
        self.closeThread();
      } else {
        self.threadSeq += 1;  // a thread still loading for an address left meanwhile is not shown when it comes
      }
    });
    // A page the browser kept (back-forward cache) shows what changed since.
    window.addEventListener('pageshow', function (event) {
      if (!event.persisted) {
        return;
      }
      if (self.thread && !self.$('thread-view').hidden) {
        self.reloadThread(null);
      } else {
        self.loadList({});
      }
    });
    const id = this.addressedThread();
    if (id !== null) {
      this.openThread(id, {fromAddress: true});
    }
  };

  Forum.prototype.timeNode = function (iso) {
    return SLS.ui.timeNode(iso, this.t.lang);
  };

  /** @mention suggestions in a text area: people of the space `paramsFn` gives (group or thread). */
  Forum.prototype.attachMentions = function (textarea, paramsFn) {
    const self = this;
    SLS.mentions.attach(textarea, {
      t: this.t,
      notices: this.notices,
      lookup: function (query) {
        const params = paramsFn() || {};
        const data = self.withGroup(Object.assign({q: query}, params.thread ? {thread: params.thread} : {}),
          params.group);
        return self.client.call('mention_candidates', data);
      }
    });
  };

  /** The drafts of a form, kept with the forum's save_draft call (staff: in the group shown). */
  Forum.prototype.keepDrafts = function (form, key, collect) {
    const self = this;
    return SLS.drafts.attach(form, {
      key: key,
      collect: collect,
      drafts: this.drafts,
      t: this.t,
      save: function (data) {
        return self.client.call('save_draft', self.withGroup(data));
      }
    });
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
      // Plural forms follow the count (French: "1 contribution sur 2", "2 contributions sur 3").
      node.textContent = this.t.n_('Your participation: {count} of {required} contributions.',
        'Your participation: {count} of {required} contributions.', p.count, {required: p.required});
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
        if (self.queueOpen()) {
          self.queue.page = 1;
          self.loadQueue({});
          return;
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
      self.notices.clearAlert();
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
      self.notices.showAlert(err.message);
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
      } else if ((data.filter && data.filter !== 'all') || this.readOnly) {
        summary = _('No threads here yet.');
      } else {
        summary = _('No threads yet. Start the first conversation!');
      }
    } else {
      summary = n_('{count} thread', '{count} threads', data.total);
      if (data.search) {
        summary += ' ' + _('Showing threads matching “{search}”.', {search: quotedSearch(data.search)});
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
      badges.push(this.badge(this.roles.is_staff ? _('Hidden from learners') : this.t.p_('thread', 'Hidden'), 'hidden'));
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
        thread.hidden_reason ? el('p', {class: 'sls-note sls-note--reason', text: _('Hidden by staff: {reason}', {reason: thread.hidden_reason})}) : null,
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
    this.composeCounters = [this.forms.attachCounter(title), this.forms.attachCounter(body)];
    this.attachMentions(body, function () {
      return {group: self.composeGroup()};
    });
    this.composeSaver = this.keepDrafts(form, 'new', function () {
      return self.composeValues();
    });
    if (this.composeSaver.restored) {
      this.$('compose').hidden = false;
      toggle.setAttribute('aria-expanded', 'true');
    }
    form.addEventListener('submit', function (event) {
      event.preventDefault();
      self.submitCompose();
    });
    this.forms.submitShortcut(form);
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

  Forum.prototype.composeValues = function () {
    const form = this.composeForm;
    return {
      title: form.elements.title.value,
      body: form.elements.body.value,
      kind: form.elements.kind ? form.elements.kind.value : 'discussion',
      anonymous: !!(form.elements.anonymous && form.elements.anonymous.checked)
    };
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

  Forum.prototype.submitCompose = function () {
    const self = this;
    const _ = this.t._;
    const form = this.composeForm;
    if (form.dataset.busy) {
      return;
    }
    this.forms.clearErrors(form);
    const data = this.composeValues();
    let group = null;
    if (this.roles.is_staff) {
      group = this.composeGroup();
      if (!group && this.state.group === 'all') {
        this.forms.showErrors(form, {message: _('Choose a group to post in.'),
          fields: {group: _('Choose a group to post in.')}});
        return;
      }
    }
    this.withGroup(data, group);
    this.composeSaver.schedule.cancel();
    this.forms.send(form, function () {
      return self.client.call('create_thread', data);
    }, function (result) {
      form.reset();
      self.composeCounters.forEach(function (update) {
        update();
      });
      self.composeSaver.discard();
      self.toggleCompose(false);
      self.updateParticipation(result.participation);
      self.notices.announce(_('Thread posted.'));
      self.openThread(result.id, {});
    }, function () {
      self.composeSaver.schedule();
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

  /** "Back to all threads": the browser's Back when the list is the entry before, else a new entry. */
  Forum.prototype.backToList = function () {
    const state = window.history.state;
    if (state && state.slsForum === this.key && state.fromList && this.addressedThread() !== null) {
      window.history.back();  // popstate closes the thread
      return;
    }
    if (this.addressedThread() !== null) {
      window.history.pushState(null, '', this.listAddress());
    }
    this.closeThread();
  };

  /** Show the list, read afresh (reply counts, unread), focus on the thread just left. */
  Forum.prototype.closeThread = function () {
    const id = this.lastOpened;
    this.threadSeq += 1;
    this.thread = null;
    this.showList();
    if (this.queueOpen()) { // opened from the flags to review: back to the same item there
      this.loadQueue({focusKey: this.queue.returnTo});
      return;
    }
    this.loadList({focusThread: id});
  };

  /** Open (or reload) a thread. options: {focus: 'title'|'post:ID'|selector, keepForms} */
  Forum.prototype.openThread = function (id, options) {
    const self = this;
    const _ = this.t._;
    const seq = ++this.threadSeq;
    options = options || {};
    this.notices.clearAlert();
    return this.client.call('get_thread', this.withGroup({id: id})).then(function (data) {
      if (seq !== self.threadSeq) {
        return;
      }
      const same = self.thread && self.thread.id === data.id;
      if (!options.fromAddress && self.addressedThread() !== data.id) {
        const fromList = !self.$('list-view').hidden && self.addressedThread() === null;
        window.history.pushState({slsForum: self.key, thread: data.id, fromList: fromList}, '',
          self.listAddress() + self.threadHash(data.id));
      }
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
      if (options.fromAddress) {  // a link or Back to a thread this person cannot read (or no more)
        self.notices.showAlert(err.message);
        window.history.replaceState(null, '', self.listAddress());
        if (!self.$('thread-view').hidden) {
          self.closeThread();
        }
        return;
      }
      self.notices.showAlert(err.status === 404 ? _('Thread not found: it may have been deleted.') : err.message);
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
      if (!self.readOnly && self.drafts[thread.id + ':' + reply.id]) {
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
      // The badges agree with what they are said of (French: "Nouvelle" réponse, "Nouveau" commentaire).
      if (post.new) {
        badges.push(this.badge(this.t.p_(kind, 'New'), 'new'));
      }
      if (post.hidden) {
        badges.push(this.badge(this.roles.is_staff ? _('Hidden from learners') : this.t.p_(kind, 'Hidden'), 'hidden'));
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
    if (post.hidden && post.hidden_reason) {
      children.push(el('p', {class: 'sls-note sls-note--reason', text: _('Hidden by staff: {reason}', {reason: post.hidden_reason})}));
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

  // An on/off button: pressed, it shows its state and, visibly and in its name, how to undo it.
  Forum.prototype.toggleButton = function (action, label, pressed, undo) {
    return el('button', {
      type: 'button', class: 'sls-action sls-action--' + action, data: {action: action},
      'aria-pressed': pressed ? 'true' : 'false'
    }, pressed ? [label.on, ' ', el('span', {class: 'sls-action__undo', text: undo})] : [label.off]);
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
    if (this.readOnly) { // the votes, as text; no button that writes
      return el('div', {class: 'sls-post__actions', data: {sls: 'actions'}}, [
        el('span', {class: 'sls-stat', text: this.t.n_('{count} vote', '{count} votes', post.vote_count)})
      ]);
    }
    const buttons = [];
    const votes = [el('span', {class: 'sls-vote__icon', 'aria-hidden': 'true', text: '▲'}), ' ',
      el('span', {class: 'sls-vote__count', text: String(post.vote_count)})];
    if (post.voted) {
      votes.push(' ', el('span', {class: 'sls-action__undo', text: _('Remove upvote')}));
    }
    buttons.push(el('button', {
      type: 'button', class: 'sls-action sls-action--vote', data: {action: 'vote'},
      'aria-pressed': post.voted ? 'true' : 'false',
      'aria-label': post.voted
        ? this.t.n_('Remove upvote ({count} vote)', 'Remove upvote ({count} votes)', post.vote_count)
        : this.t.n_('Upvote ({count} vote)', 'Upvote ({count} votes)', post.vote_count)
    }, votes));
    if (kind === 'thread') {
      buttons.push(this.toggleButton('follow', {off: _('Follow'), on: _('Followed')}, post.following,
        _('Unfollow')));
    }
    if (kind === 'reply' && can.curate) {
      buttons.push(thread.kind === 'question'
        ? this.toggleButton('endorse', {off: _('Mark as answer'), on: _('Marked as answer')}, post.endorsed,
          _('Unmark'))
        : this.toggleButton('endorse', {off: _('Endorse'), on: _('Endorsed')}, post.endorsed,
          _('Withdraw endorsement')));
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
      buttons.push(this.toggleButton('pin', {off: _('Pin'), on: _('Pinned')}, post.pinned, _('Unpin')));
      buttons.push(this.toggleButton('highlight', {off: _('Highlight'), on: _('Highlighted')}, post.highlighted,
        _('Remove highlight')));
    }
    if (can.moderate) {
      // Restoring is not destructive: it does not get Hide's warning colour.
      buttons.push(this.actionButton('hide', post.hidden ? _('Restore') : _('Hide'),
        post.hidden ? {class: 'sls-action sls-action--hide is-restore'} : {'aria-expanded': 'false'}));
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
    if (this.readOnly || !found || !found.entry) {
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

  // One on/off switch of a thread or post (vote, follow, pin, highlight): the server's answer is what
  // the page shows afterwards.
  Forum.prototype.toggleSwitch = function (action, field, button, article, entry) {
    const self = this;
    const post = entry.data;
    const data = {id: post.id, on: !post[field]};
    if (action === 'vote') {
      data.target = this.target(entry);
    }
    SLS.ui.busy(button, this.client.call(action, this.withGroup(data)), this.notices)
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
    SLS.ui.busy(button, this.client.call('endorse', this.withGroup({id: post.id, on: !post.endorsed})), this.notices)
      .then(function () {
        self.reloadThread('[data-post="post:' + post.id + '"] [data-action="endorse"]');
      }, function () {});
  };

  Forum.prototype.toggleHidden = function (button, article, entry) {
    const self = this;
    const _ = this.t._;
    const post = entry.data;
    const key = article.dataset.post;
    if (!post.hidden) { // hiding asks why (optional): the author reads it
      this.closeInline(article);
      this.hideForm(this.inlineSlot(article), button, '', function (reason) {
        return self.client.call('hide', self.withGroup({target: self.target(entry), id: post.id, on: true, reason: reason}));
      }, function () {
        self.notices.announce(_('Hidden from learners.'));
        self.reloadThread('[data-post="' + key + '"] [data-action="hide"]');
      });
      return;
    }
    SLS.ui.busy(button, this.client.call('hide', this.withGroup({target: this.target(entry), id: post.id, on: false})), this.notices)
      .then(function (result) {
        self.notices.announce(result.hidden ? _('Hidden from learners.') : _('Restored: learners can see it again.'));
        self.reloadThread('[data-post="' + key + '"] [data-action="hide"]');
      }, function () {});
  };

  Forum.prototype.withdrawFlag = function (button, article, entry) {
    const self = this;
    const _ = this.t._;
    const post = entry.data;
    SLS.ui.busy(button, this.client.call('flag', this.withGroup({target: this.target(entry), id: post.id, on: false})), this.notices)
      .then(function () {
        post.flagged = false;
        self.refreshActions(article, entry, 'flag');
        self.notices.announce(_('Flag withdrawn.'));
      }, function () {});
  };

  Forum.prototype.inlineSlot = function (article) {
    return article.querySelector(':scope > [data-sls="inline"]');
  };

  Forum.prototype.cloneTemplate = function (name) {
    const template = this.root.querySelector('template[data-tpl="' + name + '"]');
    const form = template.content.firstElementChild.cloneNode(true);
    this.forms.wire(form);
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
      self.forms.send(form, function () {
        return self.client.call('flag', self.withGroup({
          target: self.target(entry), id: post.id, on: true, reason: form.elements.reason.value
        }));
      }, function () {
        post.flagged = true;
        self.closeInline(article);
        self.refreshActions(article, entry, 'unflag');
        self.notices.announce(_('Thank you. Staff will review it.'));
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
      self.forms.attachCounter(control);
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
    this.forms.submitShortcut(form);
    form.addEventListener('submit', function (event) {
      event.preventDefault();
      self.forms.send(form, function () {
        // The version this page showed: a save from an older copy is refused (409), the text stays here.
        const data = {target: self.target(entry), id: post.id, body: form.elements.body.value,
          version: post.edited || ''};
        if (isThread) {
          data.title = form.elements.title.value;
        }
        return self.client.call('edit', self.withGroup(data));
      }, function () {
        form.remove();
        self.notices.announce(_('Changes saved.'));
        self.reloadThread(isThread ? 'title' : article.dataset.post);
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
          self.notices.announce(_('Thread deleted.'));
          self.lastOpened = null;
          self.threadSeq += 1;
          self.thread = null;
          self.showList();
          self.loadList({focusHeading: true});
        } else {
          self.notices.announce(_('Post deleted.'));
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
    if (options.isComment) {
      form.querySelector('[data-sls="form-title"]').remove();
      this.$('body-label', form).textContent = _('Comment on this reply');
      this.$('submit', form).textContent = _('Post comment');
      const cancel = this.$('cancel', form);
      cancel.hidden = false;
      form.dataset.parent = String(options.parent);
    }
    const updateCounter = this.forms.attachCounter(body);
    this.attachMentions(body, function () {
      return {thread: self.thread && self.thread.id};
    });
    function values() {
      return {body: body.value, anonymous: !!(anon && anon.checked)};
    }
    const saver = this.keepDrafts(form, options.draftKey, values);
    form.saver = saver;
    this.forms.submitShortcut(form);
    form.addEventListener('submit', function (event) {
      event.preventDefault();
      self.forms.send(form, function () {
        const data = Object.assign({thread: self.thread.id}, values());
        if (options.parent) {
          data.parent = options.parent;
        }
        saver.schedule.cancel();
        return self.client.call('create_reply', self.withGroup(data));
      }, function (result) {
        body.value = '';
        if (anon) {
          anon.checked = false;
        }
        updateCounter();
        saver.discard();
        self.updateParticipation(result.participation);
        options.onDone(result);
      }, function () {
        saver.schedule();
      });
    });
    return form;
  };

  Forum.prototype.renderReplyForm = function (thread) {
    const self = this;
    const _ = this.t._;
    if (this.readOnly) {
      this.$('reply-box').replaceChildren();
      return;
    }
    const form = this.buildPostForm({
      draftKey: String(thread.id),
      onDone: function (result) {
        self.notices.announce(_('Reply posted.'));
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
          self.notices.announce(_('Comment posted.'));
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
    SLS.ui.busy(button, this.client.call('get_thread', this.withGroup({id: thread.id, reply_page: page})), this.notices)
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

  // ----- staff: flags to review ----------------------------------------------------------------------
  // The queue replaces the thread list (the group switcher stays above it): each flagged thread, reply or
  // comment with its flags (reason, who, when), and buttons to open it in its thread, dismiss the flags,
  // hide it with a reason the author reads, or delete it.
  Forum.prototype.bindQueue = function () {
    const self = this;
    const open = this.$('queue-open');
    if (!open) {
      return;
    }
    this.queue = {open: false, page: 1, pages: 1, seq: 0, items: {}, returnTo: null};
    open.addEventListener('click', function () {
      self.toggleQueue(!self.queue.open);
    });
    this.$('queue-back').addEventListener('click', function () {
      self.toggleQueue(false);
    });
    this.$('queue-prev').addEventListener('click', function () {
      if (self.queue.page > 1) {
        self.queue.page -= 1;
        self.loadQueue({focusHeading: true});
      }
    });
    this.$('queue-next').addEventListener('click', function () {
      if (self.queue.page < self.queue.pages) {
        self.queue.page += 1;
        self.loadQueue({focusHeading: true});
      }
    });
    this.$('queue').addEventListener('click', function (event) {
      self.onQueueClick(event);
    });
  };

  Forum.prototype.queueOpen = function () {
    return !!(this.queue && this.queue.open);
  };

  /** Show the queue in place of the thread list (open) or the list again; the bar keeps only the switcher. */
  Forum.prototype.toggleQueue = function (open) {
    const view = this.$('queue-view');
    const listView = this.$('list-view');
    this.queue.open = open;
    this.$('queue-open').setAttribute('aria-expanded', open ? 'true' : 'false');
    const swap = Array.prototype.slice.call(listView.children).filter(function (child) {
      return child !== view && !child.classList.contains('sls-bar');
    });
    swap.push(this.$('compose-toggle'));
    swap.forEach(function (child) {
      if (!child) {
        return;
      }
      if (open) {
        child.dataset.slsQueueHid = child.hidden ? '1' : '0';
        child.hidden = true;
      } else if (child.dataset.slsQueueHid !== undefined) {
        child.hidden = child.dataset.slsQueueHid === '1';
        delete child.dataset.slsQueueHid;
      }
    });
    view.hidden = !open;
    if (open) {
      this.queue.page = 1;
      this.loadQueue({focusHeading: true});
    } else {
      this.loadList({focusHeading: true});
    }
  };

  /** options: {focusHeading, focusKey ('post:ID' or 'thread:ID'), focusIndex} */
  Forum.prototype.loadQueue = function (options) {
    const self = this;
    const list = this.$('queue');
    const seq = ++this.queue.seq;
    list.setAttribute('aria-busy', 'true');
    this.$('queue-summary').textContent = this.t._('Loading…');
    return this.client.call('flag_queue', this.withGroup({page: this.queue.page})).then(function (data) {
      if (seq !== self.queue.seq) {
        return;
      }
      self.notices.clearAlert();
      self.renderQueue(data);
      let node = null;
      if (options.focusKey) {
        node = list.querySelector('[data-queue="' + options.focusKey + '"] .sls-queue-item__title');
      }
      if (!node && typeof options.focusIndex === 'number') {
        const titles = list.querySelectorAll('.sls-queue-item__title');
        node = titles[Math.min(options.focusIndex, titles.length - 1)] || null;
      }
      if (!node && (options.focusHeading || options.focusKey || typeof options.focusIndex === 'number')) {
        node = self.$('queue-heading');
      }
      if (node) {
        node.focus();
      }
    }, function (err) {
      if (seq !== self.queue.seq) {
        return;
      }
      self.$('queue-summary').textContent = '';
      self.notices.showAlert(err.message);
    }).finally(function () {
      if (seq === self.queue.seq) {
        list.setAttribute('aria-busy', 'false');
      }
    });
  };

  Forum.prototype.renderQueue = function (data) {
    const _ = this.t._;
    const self = this;
    this.queue.page = data.page;
    this.queue.pages = data.pages;
    this.queue.items = {};
    const list = this.$('queue');
    list.replaceChildren.apply(list, data.items.map(function (item) {
      self.queue.items[item.target + ':' + item.id] = item;
      return self.queueItem(item);
    }));
    this.$('queue-summary').textContent = data.total
      ? this.t.n_('{count} post to review', '{count} posts to review', data.total)
      : _('Nothing to review: no open flags.');
    this.$('queue-pager').hidden = data.pages <= 1;
    this.$('queue-page-info').textContent = _('Page {page} of {pages}', {page: data.page, pages: data.pages});
    this.$('queue-prev').disabled = data.page <= 1;
    this.$('queue-next').disabled = data.page >= data.pages;
  };

  Forum.prototype.queueItem = function (item) {
    const _ = this.t._;
    const self = this;
    const headingId = SLS.uid('sls-queue-item');
    const title = {
      thread: _('Thread “{title}”', {title: item.thread.title}),
      reply: _('Reply in “{title}”', {title: item.thread.title}),
      comment: _('Comment in “{title}”', {title: item.thread.title})
    }[item.kind];
    const badges = [this.badge(this.t.n_('Flagged {count} time', 'Flagged {count} times', item.flag_count), 'flagged')];
    if (item.hidden) {
      badges.push(this.badge(_('Hidden from learners'), 'hidden'));
    }
    const parts = [fmtNodes(_('Written by {name}'), {name: this.authorNodes(item.author)}), [this.timeNode(item.created)]];
    if (item.group && item.group.name) {
      parts.push([_('in {group}', {group: item.group.name})]);
    }
    const flags = el('ul', {class: 'sls-flag-list', 'aria-label': _('Flags and their reasons')}, item.flags.map(function (flag) {
      return el('li', {class: 'sls-flag'}, [
        el('p', {class: 'sls-flag__reason' + (flag.reason ? '' : ' is-empty'), text: flag.reason || _('No reason given')}),
        el('p', {class: 'sls-meta'}, fmtNodes(_('Flagged by {name}, {time}'), {
          name: flag.by.name, time: self.timeNode(flag.created)}))
      ]);
    }));
    const button = function (action, label, extra) {
      return el('button', Object.assign({type: 'button', class: 'sls-btn', data: {queueAction: action},
        'aria-describedby': headingId}, extra || {}), [label]);
    };
    const actions = [button('open', _('Open in thread'))];
    if (!this.readOnly && item.can.review) {
      actions.push(button('dismiss', _('Dismiss flags')));
      if (!item.hidden) {
        actions.push(button('hide', _('Hide'), {'aria-expanded': 'false'}));
      }
      actions.push(button('delete', _('Delete'), {'aria-expanded': 'false', class: 'sls-btn sls-btn--danger'}));
    }
    return el('li', {class: 'sls-queue-item', data: {queue: item.target + ':' + item.id}}, [
      el('article', {class: 'sls-queue-item__body', 'aria-labelledby': headingId}, [
        el('h4', {id: headingId, class: 'sls-queue-item__title', tabindex: '-1', text: title}),
        el('p', {class: 'sls-badges'}, badges),
        item.hidden_reason ? el('p', {class: 'sls-note', text: _('Hidden by staff: {reason}', {reason: item.hidden_reason})}) : null,
        item.excerpt ? el('p', {class: 'sls-excerpt sls-queue-item__excerpt', text: item.excerpt}) : null,
        el('p', {class: 'sls-meta'}, metaLine(parts)),
        flags,
        el('div', {class: 'sls-actions sls-queue-item__actions'}, actions),
        el('div', {class: 'sls-queue-item__inline', data: {sls: 'inline'}})
      ])
    ]);
  };

  Forum.prototype.onQueueClick = function (event) {
    const button = event.target.closest('button[data-queue-action]');
    if (!button || button.getAttribute('aria-busy') === 'true') {
      return;
    }
    const li = button.closest('[data-queue]');
    const key = li.dataset.queue;
    const item = this.queue.items[key];
    const action = button.dataset.queueAction;
    if (!item) {
      return;
    }
    if (action === 'open') {
      this.queue.returnTo = key;
      this.openThread(item.thread.id, {focus: item.target === 'thread' ? 'title' : 'post:' + item.id});
      return;
    }
    if (this.readOnly) {
      return;
    }
    const index = Array.prototype.indexOf.call(li.parentNode.children, li);
    if (action === 'dismiss') {
      this.dismissFlags(button, item, index);
    } else if (action === 'hide') {
      this.openQueueHideForm(button, li, item, index);
    } else if (action === 'delete') {
      this.confirmQueueDelete(button, li, item, index);
    }
  };

  Forum.prototype.dismissFlags = function (button, item, index) {
    const self = this;
    const _ = this.t._;
    SLS.ui.busy(button, this.client.call('dismiss_flags', this.withGroup({target: item.target, id: item.id})), this.notices)
      .then(function () {
        self.notices.announce(_('Flags dismissed. The post stays as it is.'));
        self.loadQueue({focusIndex: index});
      }, function () {});
  };

  /** The reason a hidden text's author reads, proposed from the flags' reasons (staff may change it). */
  Forum.prototype.proposedReason = function (item) {
    const reasons = [];
    item.flags.forEach(function (flag) {
      const reason = (flag.reason || '').trim();
      if (reason && reasons.indexOf(reason) < 0) {
        reasons.push(reason);
      }
    });
    return reasons.join('; ').slice(0, 300);
  };

  /** A form asking why a text is hidden, in ``slot``; ``send(reason)`` returns the call's promise. */
  Forum.prototype.hideForm = function (slot, toggle, reason, send, done, cancelled) {
    const self = this;
    slot.replaceChildren();
    const form = this.cloneTemplate('hide-form');
    form.elements.reason.value = reason || '';
    slot.appendChild(form);
    toggle.setAttribute('aria-expanded', 'true');
    form.elements.reason.focus();
    form.querySelector('[data-sls="cancel"]').addEventListener('click', function () {
      slot.replaceChildren();
      toggle.setAttribute('aria-expanded', 'false');
      toggle.focus();
      if (cancelled) {
        cancelled();
      }
    });
    this.forms.submitShortcut(form);
    form.addEventListener('submit', function (event) {
      event.preventDefault();
      self.forms.send(form, function () {
        return send(form.elements.reason.value);
      }, done);
    });
    return form;
  };

  Forum.prototype.openQueueHideForm = function (button, li, item, index) {
    const self = this;
    const _ = this.t._;
    this.hideForm(li.querySelector('[data-sls="inline"]'), button, this.proposedReason(item), function (reason) {
      return self.client.call('hide', self.withGroup({target: item.target, id: item.id, on: true, reason: reason}));
    }, function () {
      self.notices.announce(_('Hidden from learners. Its author can read your reason.'));
      self.loadQueue({focusIndex: index});
    });
  };

  Forum.prototype.confirmQueueDelete = function (button, li, item, index) {
    const self = this;
    const _ = this.t._;
    const slot = li.querySelector('[data-sls="inline"]');
    const messageId = SLS.uid('sls-confirm');
    const confirm = el('button', {type: 'button', class: 'sls-btn sls-btn--danger', 'aria-describedby': messageId,
      text: _('Delete')});
    const cancel = el('button', {type: 'button', class: 'sls-btn', text: _('Cancel')});
    const error = el('p', {class: 'sls-form-error', 'aria-live': 'assertive'});
    slot.replaceChildren(el('div', {class: 'sls-confirm', role: 'group', 'aria-labelledby': messageId}, [
      el('p', {id: messageId, class: 'sls-confirm__text', text: item.target === 'thread'
        ? _('Delete this thread and all its replies? This cannot be undone.')
        : _('Delete this post? This cannot be undone.')}),
      error,
      el('div', {class: 'sls-actions'}, [confirm, cancel])
    ]));
    button.setAttribute('aria-expanded', 'true');
    confirm.focus();
    cancel.addEventListener('click', function () {
      slot.replaceChildren();
      button.setAttribute('aria-expanded', 'false');
      button.focus();
    });
    confirm.addEventListener('click', function () {
      if (confirm.getAttribute('aria-busy') === 'true') {
        return;
      }
      confirm.setAttribute('aria-busy', 'true');
      self.client.call('delete', self.withGroup({target: item.target, id: item.id})).then(function () {
        self.notices.announce(item.target === 'thread' ? _('Thread deleted.') : _('Post deleted.'));
        self.loadQueue({focusIndex: index});
      }, function (err) {
        error.textContent = err.message;
      }).finally(function () {
        confirm.removeAttribute('aria-busy');
      });
    });
  };

  // ----- start-up -------------------------------------------------------------------------------------
  function SocialCohortForumBlock(runtime, element, args) {
    return SLS.boot(runtime, element, args, {
      rootSelector: '.sls-forum',
      dataSelector: 'script.sls-forum-data',
      requires: '[data-sls="list-view"]',
      start: function (root, init) {
        const forum = new Forum(root, init);
        forum.start();
        return {forum: forum};
      }
    });
  }

  window.SocialCohortForumBlock = SocialCohortForumBlock;
  SLS.CohortForum = Forum;
}());
