/*
 * Reflection blog front end: the feed, an entry, the entry form, comments, kudos and moderation. Plain JavaScript.
 *
 * What every component shares comes from core (xblocks/core/static/core/, loaded before this file): the client
 * and i18n, live regions and busy buttons, forms and their errors, drafts and the start-up.
 *
 * Parts. The blog's other parts (media, prompts, coaches, export) each have their own file, loaded after this
 * one (blog-<part>.js). A part registers itself with
 *
 *   SocialLearning.blog.part(name, function (blog) { ... })
 *
 * and is started with the blog, before the first feed is shown. From there it uses:
 *   blog.slot(name)     the template's places for it: 'header', 'form' (fields of the entry form), 'filters',
 *                       'feed' (below the feed), 'views' (whole views of its own);
 *   blog.on(hook, fn)   'form' fn(form, entry|null): the entry form opens (entry: the one edited);
 *                       'fill' fn(form, draft): a draft is put back in the form;
 *                       'collect' fn(form, data): add values to what the form sends and keeps as a draft;
 *                       'reset' fn(form): the form is emptied after a save or cancel;
 *                       'summary' fn(item, entry): an entry of the feed is shown;
 *                       'entry' fn(article, entry): an entry is shown whole;
 *                       'saved' fn(entry): an entry was published or changed;
 *                       'filters' fn(filters): the feed is about to load (add to the request's filters);
 *   blog.client.call(action, data), blog.withGroup(data), blog.t, blog.notices, blog.forms, blog.init,
 *   blog.openEntry(id), blog.showFeed(), blog.reload() (the feed with the current filters), blog.hideViews().
 *
 * Safety: learner text is inserted with textContent everywhere, except `body_html`, which the server renders
 * from Markdown and sanitises (markdown-it + nh3) before sending.
 */
(function () {
  'use strict';

  const SLS = window.SocialLearning;
  const el = SLS.el;
  const fmtNodes = SLS.ui.fmtNodes;
  const parts = [];

  SLS.blog = SLS.blog || {
    parts: parts,
    part: function (name, start) {
      parts.push({name: name, start: start});
    }
  };

  /** The nodes of a list that are there (replaceChildren would write "null" for the others). */
  function present(nodes) {
    return nodes.filter(function (node) { return node !== null && node !== undefined && node !== false; });
  }

  function Blog(root, init) {
    this.root = root;
    this.init = init;
    this.settings = init.settings || {};
    this.t = SLS.i18n(init.i18n, init.i18n_namespace);
    this.client = SLS.client(init.urls, Object.assign({
      networkMessage: this.t._('Could not reach the server. Your text is still here; please try again.')
    }, init.client || {}));
    this.notices = new SLS.ui.Notices(root);
    this.forms = SLS.forms(this.t, this.notices);
    this.hooks = {};
    this.readOnly = false;
    this.drafts = Object.assign({}, init.drafts || {});
    this.levels = init.levels || [];
    this.participation = init.participation || null;
    this.filters = {view: 'all', tag: '', author: '', search: ''};
    this.group = init.group || null;
    this.next = null;
    this.entry = null;
    this.editing = null;
    this.feedSeq = 0;
    this.lastOpened = null;
    this.key = (root.getAttribute('data-sls-key') || 'sls-blog').replace(/^sls-/, '');
    const user = init.user || {};
    // Drafts are also kept in this browser until the server has them (see drafts.js).
    this.localPrefix = 'sls-blog-draft:' + this.key + ':' + (user.username || '') + ':';
  }

  // ----- parts and hooks -------------------------------------------------------------------------------
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

  Blog.prototype.q = function (name) {
    return this.root.querySelector('[data-sls="' + name + '"]');
  };

  /** Staff act in the group picked with the switcher (or every group). */
  Blog.prototype.withGroup = function (data) {
    return this.group ? Object.assign({group: this.group}, data || {}) : (data || {});
  };

  Blog.prototype.call = function (action, data) {
    return this.client.call(action, this.withGroup(data));
  };

  // ----- start-up --------------------------------------------------------------------------------------
  Blog.prototype.start = function () {
    const self = this;
    this.readOnly = SLS.ui.readOnly(this.root, this.init.read_only);
    this.form = this.q('entry-form');
    if (this.form) {
      this.setUpForm();
    }
    this.bindFeedControls();
    SLS.blog.parts.forEach(function (part) {
      part.start(self);
    });
    this.renderFeed(this.init.initial || {entries: [], next: null}, false);
    this.loadFilterChoices();
    this.showProgress();
    const back = this.q('entry-back');
    back.addEventListener('click', function () {
      self.showFeed(true);
    });
    window.addEventListener('popstate', function () {
      self.followAddress();
    });
    if (!this.followAddress() && this.form && (this.drafts.new || this.saverFor('new').readLocal())) {
      this.openCompose(null); // an entry was being written: its draft comes back in view
    }
  };

  /** The entry in the page's address (#<key>-entry-<id>, or #sls-blog-<placement>-entry-<id> as a link from
   * another activity names it), if any, is shown; returns whether one was. */
  Blog.prototype.followAddress = function () {
    const hash = window.location.hash || '';
    const match = new RegExp('^#' + this.key + '-entry-(\\d+)$').exec(hash) ||
      (this.init.placement ? new RegExp('^#sls-blog-' + this.init.placement + '-entry-(\\d+)$').exec(hash) : null);
    if (match) {
      this.openEntry(parseInt(match[1], 10), {fromAddress: true});
      return true;
    }
    if (!this.q('entry-view').hidden) {
      this.showFeed(false, true);
    }
    return false;
  };

  Blog.prototype.address = function (id) {
    const hash = id ? '#' + this.key + '-entry-' + id : '';
    const url = window.location.pathname + window.location.search + hash;
    if ((window.location.hash || '') !== hash) {
      window.history.pushState(null, '', url);
    }
  };

  Blog.prototype.showProgress = function () {
    const node = this.q('progress');
    const p = this.participation;
    if (!node || !p || !p.required) {
      return;
    }
    node.hidden = false;
    node.textContent = p.complete ? this.t._("You have met this blog's participation goal.") :
      this.t.n_('Your participation: {count} of {required} entries.',
        'Your participation: {count} of {required} entries.', p.required, {count: p.count || 0, required: p.required});
  };

  // ----- the entry form --------------------------------------------------------------------------------
  Blog.prototype.setUpForm = function () {
    const self = this;
    const form = this.form;
    this.forms.wire(form);
    form.querySelectorAll('[data-max]').forEach(function (control) {
      self.forms.attachCounter(control);
    });
    this.forms.submitShortcut(form);
    this.saver = null;
    form.addEventListener('input', function () {
      if (self.saver) {
        self.saver.schedule();
      }
    });
    form.addEventListener('change', function () {
      if (self.saver) {
        self.saver.schedule();
      }
    });
    form.addEventListener('submit', function (event) {
      event.preventDefault();
      self.submitEntry();
    });
    this.q('compose-cancel').addEventListener('click', function () {
      self.closeCompose(true);
    });
    const toggle = this.q('compose-toggle');
    if (toggle) {
      toggle.addEventListener('click', function () {
        if (self.q('compose').hidden || self.editing) {
          self.openCompose(null);
        } else {
          self.closeCompose(true);
        }
      });
    }
  };

  /** A draft saver for one place: 'new', an entry's id (an edit) or 'c<id>' (a comment). */
  Blog.prototype.saverFor = function (key, collect, fill) {
    const self = this;
    return new SLS.drafts.DraftSaver({
      key: key,
      collect: collect || function () { return {}; },
      fill: fill,
      drafts: this.drafts,
      t: this.t,
      local: this.localPrefix,
      save: function (data) {
        return self.call('save_draft', data);
      },
      note: function (text) {
        const slot = key.charAt(0) === 'c' ? self.root.querySelector('[data-sls="comment-draft-note"]') :
          self.q('draft-note');
        if (slot) {
          slot.textContent = text;
        }
      }
    });
  };

  Blog.prototype.tagsOf = function (form) {
    const tags = [];
    form.querySelectorAll('input[name="tag"]:checked').forEach(function (box) {
      tags.push(box.value);
    });
    const own = form.elements.namedItem('own_tags');
    if (own && own.value) {
      own.value.split(',').forEach(function (tag) {
        if (tag.trim()) {
          tags.push(tag.trim());
        }
      });
    }
    return tags;
  };

  Blog.prototype.collectEntry = function () {
    const form = this.form;
    const checked = form.querySelector('input[name="visibility"]:checked');
    const data = {
      title: form.elements.namedItem('title').value,
      body: form.elements.namedItem('body').value,
      tags: this.tagsOf(form),
      visibility: checked ? checked.value : this.init.default_visibility,
      allow_comments: form.elements.namedItem('allow_comments').checked
    };
    if (this.editing) {
      data.id = this.editing.id;
      data.version = this.editing.version;
    }
    this.run('collect', form, data);
    return data;
  };

  Blog.prototype.fillEntry = function (values) {
    const form = this.form;
    form.elements.namedItem('title').value = values.title || '';
    form.elements.namedItem('body').value = values.body || '';
    const tags = (values.tags || []).map(function (tag) {
      return typeof tag === 'string' ? tag : tag.name;
    });
    const lowered = tags.map(function (tag) { return tag.toLowerCase(); });
    const offered = [];
    form.querySelectorAll('input[name="tag"]').forEach(function (box) {
      box.checked = lowered.indexOf(box.value.toLowerCase()) >= 0;
      offered.push(box.value.toLowerCase());
    });
    const own = form.elements.namedItem('own_tags');
    if (own) {
      own.value = tags.filter(function (tag) { return offered.indexOf(tag.toLowerCase()) < 0; }).join(', ');
    }
    const level = values.visibility || this.init.default_visibility;
    form.querySelectorAll('input[name="visibility"]').forEach(function (radio) {
      radio.checked = radio.value === level;
    });
    form.elements.namedItem('allow_comments').checked = values.allow_comments !== false;
    form.querySelectorAll('[data-max]').forEach(function (control) {
      control.dispatchEvent(new Event('input'));
    });
    this.run('fill', form, values);
  };

  Blog.prototype.resetForm = function () {
    this.form.reset();
    this.forms.clearErrors(this.form);
    this.fillEntry({});
    const newer = this.q('newer-version');
    if (newer) {
      newer.remove();
    }
    this.run('reset', this.form);
  };

  /** Open the form for a new entry (``entry`` null) or to edit ``entry``; its draft comes back if there is one. */
  Blog.prototype.openCompose = function (entry) {
    const self = this;
    const _ = this.t._;
    const section = this.q('compose');
    if (this.saver) {
      this.saver.schedule.cancel();
    }
    this.resetForm();
    this.editing = entry ? {id: entry.id, version: entry.version} : null;
    this.q('compose-title').textContent = entry ? _('Edit entry') : _('New entry');
    this.q('entry-submit').textContent = entry ? _('Save changes') : _('Publish');
    this.saver = this.saverFor(entry ? String(entry.id) : 'new', function () {
      return self.collectEntry();
    }, function (form, draft) {
      self.fillEntry(draft);
    });
    if (entry) {
      this.fillEntry({title: entry.title, body: entry.body, tags: entry.tags, visibility: entry.visibility,
        allow_comments: entry.allow_comments});
    }
    this.run('form', this.form, entry);
    const restored = this.saver.restore(this.form);
    if (entry && restored) {
      const draft = (this.saver.readLocal() || {}).data || this.drafts[String(entry.id)] || {};
      if (draft.version && draft.version !== entry.version) {
        this.showNewerVersion(entry, true);
      }
    }
    if (entry) {
      // The edit is placed where the entry was shown.
      const view = this.q('entry-view');
      view.querySelector('[data-sls="entry"]').hidden = true;
      view.appendChild(section);
    } else {
      this.showFeed(false);
      this.q('feed-view').insertBefore(section, this.q('feed'));
    }
    section.hidden = false;
    const toggle = this.q('compose-toggle');
    if (toggle) {
      toggle.setAttribute('aria-expanded', entry ? 'false' : 'true');
    }
    this.q('compose-title').focus();
  };

  /** The entry changed since these unsent changes were started: show its newer version above the form, and
   * let the next save replace it (the person has seen it). */
  Blog.prototype.showNewerVersion = function (entry, explain) {
    const _ = this.t._;
    const old = this.q('newer-version');
    if (old) {
      old.remove();
    }
    const box = el('div', {class: 'sls-notice sls-blog__newer', data: {sls: 'newer-version'}}, [
      explain ? el('p', {text: _('This entry was changed in another window or tab since you started these changes. The newer version is shown here; your changes are still in the form. Save them to replace it, or cancel.')}) : null,
      el('details', {open: !explain}, [
        el('summary', {text: _('The newer version')}),
        el('p', {class: 'sls-blog__newer-title', text: entry.title}),
        (function () {
          const body = el('div', {class: 'sls-prose'});
          body.innerHTML = entry.body_html || ''; // sanitised by the server
          return body;
        }())
      ])
    ]);
    this.form.insertBefore(box, this.form.firstChild);
    this.editing = {id: entry.id, version: entry.version};
  };

  Blog.prototype.closeCompose = function (focusBack) {
    const section = this.q('compose');
    const wasEditing = this.editing;
    if (this.saver) {
      this.saver.schedule.cancel();
      if (this.saver.sent || this.form.elements.namedItem('title').value || this.form.elements.namedItem('body').value) {
        this.saver.save(); // what was typed stays a draft
      }
    }
    this.saver = null;
    section.hidden = true;
    this.editing = null;
    this.resetForm();
    this.q('feed-view').insertBefore(section, this.q('feed'));
    const toggle = this.q('compose-toggle');
    if (toggle) {
      toggle.setAttribute('aria-expanded', 'false');
    }
    if (wasEditing && this.entry) {
      this.q('entry-view').querySelector('[data-sls="entry"]').hidden = false;
      if (focusBack) {
        const edit = this.q('entry-view').querySelector('[data-sls="edit"]');
        (edit || this.q('entry-back')).focus();
      }
    } else if (focusBack && toggle) {
      toggle.focus();
    }
  };

  Blog.prototype.submitEntry = function () {
    const self = this;
    const _ = this.t._;
    const data = this.collectEntry();
    const editing = this.editing;
    const saver = this.saver;
    this.forms.send(this.form, function () {
      return self.call(editing ? 'edit_entry' : 'create_entry', data);
    }, function (entry) {
      if (saver) {
        saver.discard();
      }
      self.saver = null;
      if (entry.participation) {
        self.participation = entry.participation;
        self.showProgress();
      }
      self.notices.announce(editing ? _('Changes saved.') : _('Entry published.'));
      self.run('saved', entry);
      const comments = editing && self.entry && self.entry.id === entry.id ? self.entry : null;
      self.editing = null;
      self.q('compose').hidden = true;
      self.resetForm();
      self.q('feed-view').insertBefore(self.q('compose'), self.q('feed'));
      if (comments) {
        entry.comments = comments.comments;
        entry.more_comments = comments.more_comments;
      }
      self.reload();
      self.showEntry(entry);
    }, function (err) {
      if (err.status === 409 && editing) {
        // Another tab saved first: show what it saved; the text typed here stays in the form.
        self.call('get_entry', {id: editing.id}).then(function (newer) {
          self.showNewerVersion(newer, false);
        }, function () {});
      }
    });
  };

  // ----- the feed --------------------------------------------------------------------------------------
  Blog.prototype.bindFeedControls = function () {
    const self = this;
    const search = this.q('search-form');
    search.addEventListener('submit', function (event) {
      event.preventDefault();
      self.filters.search = search.elements.namedItem('search').value.trim();
      self.reload();
    });
    [['view', 'view'], ['person', 'author'], ['tag', 'tag']].forEach(function (pair) {
      const select = self.q(pair[0]);
      select.addEventListener('change', function () {
        self.filters[pair[1]] = select.value;
        self.reload();
      });
    });
    this.q('more').addEventListener('click', function () {
      self.loadFeed(true);
    });
    const group = this.q('group-switch');
    if (group) {
      group.addEventListener('change', function () {
        self.group = group.value;
        self.reload();
        self.loadFilterChoices();
      });
    }
    const queue = this.q('queue-open');
    if (queue) {
      queue.addEventListener('click', function () {
        self.openQueue();
      });
      this.q('queue-close').addEventListener('click', function () {
        self.closeQueue(true);
      });
    }
  };

  /** The feed again from its first page, with the current filters. */
  Blog.prototype.reload = function () {
    return this.loadFeed(false);
  };

  Blog.prototype.feedRequest = function (more) {
    const data = {};
    const filters = this.filters;
    Object.keys(filters).forEach(function (name) {
      if (filters[name] && !(name === 'view' && filters[name] === 'all')) {
        data[name] = filters[name];
      }
    });
    if (more && this.next) {
      data.cursor = this.next;
    }
    this.run('filters', data);
    return data;
  };

  Blog.prototype.loadFeed = function (more) {
    const self = this;
    const list = this.q('entries');
    const seq = ++this.feedSeq;
    list.setAttribute('aria-busy', 'true');
    return this.call('list_entries', this.feedRequest(more)).then(function (page) {
      if (seq === self.feedSeq) {
        self.renderFeed(page, more);
      }
    }, function (err) {
      self.notices.showAlert(err.message);
    }).finally(function () {
      if (seq === self.feedSeq) {
        list.setAttribute('aria-busy', 'false');
      }
    });
  };

  Blog.prototype.renderFeed = function (page, more) {
    const self = this;
    const _ = this.t._;
    const list = this.q('entries');
    const first = more ? list.children.length : 0;
    if (!more) {
      list.replaceChildren();
    }
    (page.entries || []).forEach(function (entry) {
      list.appendChild(self.feedItem(entry));
    });
    this.next = page.next || null;
    this.q('more').hidden = !this.next;
    const summary = this.q('feed-summary');
    const parts = [];
    if (this.filters.search) {
      parts.push(_('Showing entries matching “{search}”.', {search: this.filters.search}));
    }
    if (!list.children.length) {
      parts.push(this.filters.search ? _('No entries match your search.') : _('No entries here yet.'));
    }
    summary.textContent = parts.join(' ');
    if (more && list.children[first]) {
      const link = list.children[first].querySelector('a');
      if (link) {
        link.focus();
      }
    }
  };

  Blog.prototype.levelLabel = function (value) {
    const level = this.levels.filter(function (l) { return l.value === value; })[0];
    return level ? level.label : value;
  };

  Blog.prototype.personNode = function (person) {
    return person.is_you ? this.t._('You') : person.name;
  };

  Blog.prototype.timeNode = function (iso) {
    return SLS.ui.timeNode(iso, this.t.lang);
  };

  Blog.prototype.feedItem = function (entry) {
    const self = this;
    const _ = this.t._;
    const n_ = this.t.n_;
    const link = el('a', {href: '#' + this.key + '-entry-' + entry.id, class: 'sls-blog__item-link', text: entry.title,
      onclick: function (event) {
        event.preventDefault();
        self.lastOpened = entry.id;
        self.openEntry(entry.id);
      }});
    const meta = [this.personNode(entry.author), ' · ', this.timeNode(entry.created)];
    if (entry.group && entry.group.name) {
      meta.push(' · ', entry.group.name);
    }
    const counts = [n_('{count} comment', '{count} comments', entry.comment_count),
      n_('{count} kudos', '{count} kudos', entry.kudos_count)];
    const item = el('li', {class: 'sls-blog__item' + (entry.hidden ? ' is-hidden' : ''), data: {id: entry.id}}, [
      el('article', {}, [
        el('h4', {class: 'sls-blog__item-title'}, [link]),
        el('p', {class: 'sls-meta'}, meta),
        el('p', {class: 'sls-blog__audience sls-blog__audience--' + entry.visibility, text: entry.audience}),
        entry.prompt ? el('p', {class: 'sls-blog__prompt-line', text: _('in answer to: {prompt}',
          {prompt: entry.prompt.text})}) : null,
        entry.hidden ? el('p', {class: 'sls-badge sls-badge--hidden', text: entry.hidden_reason ?
          _('Hidden by staff: {reason}', {reason: entry.hidden_reason}) : _('Hidden from learners')}) : null,
        el('p', {class: 'sls-blog__excerpt', text: entry.excerpt}),
        this.tagList(entry.tags),
        el('p', {class: 'sls-blog__counts'}, [counts.join(' · '),
          entry.coach_comments ? el('span', {class: 'sls-badge sls-badge--coach', text: _('Coach comment')}) : null])
      ])
    ]);
    this.run('summary', item, entry);
    return item;
  };

  Blog.prototype.tagList = function (tags) {
    const self = this;
    if (!tags || !tags.length) {
      return null;
    }
    return el('ul', {class: 'sls-blog__tags-list', role: 'list'}, tags.map(function (tag) {
      return el('li', {}, [el('button', {type: 'button', class: 'sls-tag', text: tag.name,
        'aria-label': self.t._('Filtered by tag: {tag}', {tag: tag.name}),
        onclick: function () {
          self.filterBy('tag', tag.key);
        }})]);
    }));
  };

  /** Show the feed filtered by a tag or a person (from an entry's tag or author). */
  Blog.prototype.filterBy = function (name, value) {
    const select = this.q(name === 'author' ? 'person' : 'tag');
    if (select && !Array.prototype.some.call(select.options, function (o) { return o.value === value; })) {
      select.appendChild(el('option', {value: value, text: value}));
    }
    if (select) {
      select.value = value;
    }
    this.filters[name] = value;
    this.showFeed(false);
    this.reload();
    if (select) {
      select.focus();
    }
  };

  Blog.prototype.loadFilterChoices = function () {
    const self = this;
    const _ = this.t._;
    this.call('list_people', {}).then(function (answer) {
      const select = self.q('person');
      const current = select.value;
      select.replaceChildren(el('option', {value: '', text: _('Everyone')}));
      answer.people.forEach(function (person) {
        select.appendChild(el('option', {value: person.username,
          text: person.is_you ? _('You') : person.name}));
      });
      select.value = current;
    }, function () {});
    this.call('list_tags', {}).then(function (answer) {
      const select = self.q('tag');
      const current = select.value;
      select.replaceChildren(el('option', {value: '', text: _('All tags')}));
      answer.author_tags.concat(answer.tags).forEach(function (tag) {
        select.appendChild(el('option', {value: tag.key, text: tag.name + ' (' + tag.count + ')'}));
      });
      select.value = current;
    }, function () {});
  };

  // ----- views -----------------------------------------------------------------------------------------
  /** Every part's own view is hidden (they listen to this), and the blog's. */
  Blog.prototype.hideViews = function () {
    this.q('feed-view').hidden = true;
    this.q('entry-view').hidden = true;
    this.run('views-hidden');
  };

  Blog.prototype.showFeed = function (focus, fromAddress) {
    if (!this.q('compose').hidden && this.editing) {
      this.closeCompose(false);
    }
    this.run('views-hidden');
    this.q('entry-view').hidden = true;
    this.q('feed-view').hidden = false;
    this.entry = null;
    if (!fromAddress) {
      this.address(null);
    }
    if (focus) {
      const back = this.lastOpened && this.q('entries').querySelector('[data-id="' + this.lastOpened + '"] a');
      (back || this.q('compose-toggle') || this.q('search-form').querySelector('input')).focus();
    }
  };

  Blog.prototype.openEntry = function (id, options) {
    const self = this;
    options = options || {};
    return this.call('get_entry', {id: id}).then(function (entry) {
      self.showEntry(entry, options);
    }, function (err) {
      if (err.status === 404) {
        self.notices.showAlert(self.t._('Entry not found: it may have been deleted, or it is no longer shared with you.'));
        if (options.fromAddress) {
          self.showFeed(false);
        }
      } else {
        self.notices.showAlert(err.message);
      }
    });
  };

  Blog.prototype.showEntry = function (entry, options) {
    options = options || {};
    if (!this.q('compose').hidden && this.editing) {
      this.closeCompose(false);
    }
    this.entry = entry;
    this.run('views-hidden');
    this.q('feed-view').hidden = true;
    const view = this.q('entry-view');
    view.hidden = false;
    const article = view.querySelector('[data-sls="entry"]');
    article.hidden = false;
    this.renderEntry(article, entry);
    if (!options.fromAddress) {
      this.address(entry.id);
    }
    article.querySelector('h3').focus();
  };

  Blog.prototype.renderEntry = function (article, entry) {
    const self = this;
    const _ = this.t._;
    const can = entry.can || {};
    const writable = !this.readOnly;
    const title = el('h3', {id: this.root.querySelector('[data-sls="entry-view"]').getAttribute('aria-labelledby'),
      class: 'sls-blog__entry-title', tabindex: '-1', text: entry.title});
    const meta = [this.personNode(entry.author), ' · ', this.timeNode(entry.created)];
    if (entry.edited) {
      meta.push(' · ', el('span', {title: SLS.timeAgo(entry.edited, this.t.lang).title, text: _('edited')}));
    }
    if (entry.group && entry.group.name) {
      meta.push(' · ', entry.group.name);
    }
    const body = el('div', {class: 'sls-prose sls-blog__body'});
    body.innerHTML = entry.body_html || ''; // sanitised by the server
    const audience = el('div', {class: 'sls-blog__audience-box'}, [
      el('p', {class: 'sls-blog__audience sls-blog__audience--' + entry.visibility, data: {sls: 'audience'}}, [
        el('strong', {text: _('Who can read it') + ': '}), entry.audience])
    ]);
    if (can.edit && writable && this.levels.length > 1) {
      audience.appendChild(this.visibilityChanger(entry, audience));
    }
    const actions = el('div', {class: 'sls-actions sls-blog__entry-actions', data: {sls: 'entry-actions'}});
    const extra = el('div', {class: 'sls-blog__entry-extra', data: {sls: 'entry-extra'}});
    if (writable && can.kudos) {
      actions.appendChild(this.kudosButton(entry));
    } else if (entry.kudos_count) {
      actions.appendChild(el('span', {class: 'sls-blog__kudos-count',
        text: this.t.n_('{count} kudos', '{count} kudos', entry.kudos_count)}));
    }
    if (writable && can.edit) {
      actions.appendChild(el('button', {type: 'button', class: 'sls-btn', data: {sls: 'edit'}, text: _('Edit'),
        onclick: function () {
          self.openCompose(entry);
        }}));
    }
    if (entry.versions > 0 && (can.edit || can.moderate || entry.author.is_you)) {
      actions.appendChild(this.versionsButton(entry, extra));
    }
    if (writable && can.flag) {
      actions.appendChild(this.flagButton('entry', entry, extra));
    }
    if (writable && can.moderate) {
      actions.appendChild(this.hideButton('entry', entry, extra));
      if (entry.flag_count) {
        actions.appendChild(this.dismissButton('entry', entry));
      }
    }
    if (writable && can.delete) {
      actions.appendChild(this.deleteButton('entry', entry, extra));
    }
    article.replaceChildren.apply(article, present([
      title,
      el('p', {class: 'sls-meta'}, meta),
      audience,
      entry.hidden ? el('p', {class: 'sls-notice', text: entry.hidden_reason ?
        _('Hidden by staff: {reason}', {reason: entry.hidden_reason}) :
        (entry.author.is_you ? _('Only you and staff can see this: it was hidden by staff.') :
          _('Hidden from learners'))}) : null,
      entry.prompt ? el('p', {class: 'sls-blog__prompt-line', text: _('in answer to: {prompt}',
        {prompt: entry.prompt.text})}) : null,
      body,
      this.tagList(entry.tags),
      actions,
      extra,
      this.commentsSection(entry)
    ]));
    this.run('entry', article, entry);
  };

  Blog.prototype.visibilityChanger = function (entry, box) {
    const self = this;
    const _ = this.t._;
    const select = el('select', {id: SLS.uid('sls-vis')}, this.levels.map(function (level) {
      return el('option', {value: level.value, text: level.label, selected: level.value === entry.visibility});
    }));
    const button = el('button', {type: 'button', class: 'sls-btn', text: _('Change')});
    button.addEventListener('click', function () {
      if (select.value === entry.visibility) {
        return;
      }
      SLS.ui.busy(button, self.call('set_visibility', {id: entry.id, visibility: select.value}), self.notices)
        .then(function (answer) {
          entry.visibility = answer.visibility;
          entry.audience = answer.audience;
          const line = box.querySelector('[data-sls="audience"]');
          line.className = 'sls-blog__audience sls-blog__audience--' + answer.visibility;
          line.replaceChildren(el('strong', {text: _('Who can read it') + ': '}), answer.audience);
          self.notices.announce(answer.audience);
          self.reload();
        }, function () {});
    });
    return el('div', {class: 'sls-field sls-field--inline sls-blog__change-level', 'data-sls-write': true}, [
      el('label', {for: select.id, text: _('Share with')}), select, button]);
  };

  Blog.prototype.kudosButton = function (entry) {
    const self = this;
    const _ = this.t._;
    const n_ = this.t.n_;
    const button = el('button', {type: 'button', class: 'sls-btn sls-blog__kudos', 'aria-pressed': String(!!entry.kudos)});
    function label() {
      button.setAttribute('aria-pressed', String(!!entry.kudos));
      button.replaceChildren(el('span', {'aria-hidden': 'true', text: '👏'}), ' ',
        entry.kudos ? _('Take back kudos') : _('Give kudos'), ' ',
        el('span', {class: 'sls-blog__kudos-count', text: '(' + n_('{count} kudos', '{count} kudos',
          entry.kudos_count) + ')'}));
    }
    label();
    button.addEventListener('click', function () {
      SLS.ui.busy(button, self.call('kudos', {id: entry.id, on: !entry.kudos}), self.notices).then(function (answer) {
        entry.kudos = answer.kudos;
        entry.kudos_count = answer.kudos_count;
        label();
        self.notices.announce(answer.kudos ? _('Kudos given.') : _('Take back kudos'), true);
      }, function () {});
    });
    return button;
  };

  Blog.prototype.versionsButton = function (entry, slot) {
    const self = this;
    const _ = this.t._;
    const button = el('button', {type: 'button', class: 'sls-btn sls-btn--quiet', 'aria-expanded': 'false',
      text: this.t.n_('{count} earlier version', '{count} earlier versions', entry.versions)});
    const box = el('section', {class: 'sls-blog__versions', hidden: true, id: SLS.uid('sls-versions')});
    button.setAttribute('aria-controls', box.id);
    slot.appendChild(box);
    button.addEventListener('click', function () {
      if (!box.hidden) {
        box.hidden = true;
        button.setAttribute('aria-expanded', 'false');
        return;
      }
      SLS.ui.busy(button, self.call('list_versions', {id: entry.id}), self.notices).then(function (answer) {
        box.replaceChildren(el('h4', {text: _('Earlier versions')}));
        if (!answer.versions.length) {
          box.appendChild(el('p', {text: _('No earlier versions.')}));
        }
        answer.versions.forEach(function (version) {
          const text = el('div', {class: 'sls-prose'});
          text.innerHTML = version.body_html; // sanitised by the server
          box.appendChild(el('details', {class: 'sls-blog__version'}, [
            el('summary', {}, fmtNodes(_('Version {version}, replaced {time}'), {
              version: String(version.version), time: self.timeNode(version.replaced)})),
            el('p', {class: 'sls-blog__version-title', text: version.title}),
            text,
            version.tags.length ? el('p', {class: 'sls-meta', text: version.tags.join(', ')}) : null
          ]));
        });
        box.hidden = false;
        button.setAttribute('aria-expanded', 'true');
      }, function () {});
    });
    return button;
  };

  /** An inline question below an entry or comment, with its own buttons (no modal dialog). */
  Blog.prototype.inlineForm = function (slot, button, parts) {
    const form = el('form', {class: 'sls-inline-form', novalidate: true}, parts.fields.concat([
      el('p', {class: 'sls-form-error', role: 'alert', data: {sls: 'form-error'}}),
      el('div', {class: 'sls-actions'}, [
        el('button', {type: 'submit', class: 'sls-btn ' + (parts.danger ? 'sls-btn--danger' : 'sls-btn--primary'),
          text: parts.submit}),
        el('button', {type: 'button', class: 'sls-btn', text: this.t._('Cancel'), onclick: function () {
          form.remove();
          button.setAttribute('aria-expanded', 'false');
          button.focus();
        }})
      ])
    ]));
    slot.querySelectorAll('.sls-inline-form').forEach(function (other) { other.remove(); });
    slot.appendChild(form);
    this.forms.wire(form);
    button.setAttribute('aria-expanded', 'true');
    const self = this;
    form.addEventListener('submit', function (event) {
      event.preventDefault();
      self.forms.send(form, parts.run, function (result) {
        form.remove();
        button.setAttribute('aria-expanded', 'false');
        parts.done(result);
      });
    });
    const first = form.querySelector('textarea, input, button[type="submit"]');
    first.focus();
    return form;
  };

  Blog.prototype.flagButton = function (target, item, slot) {
    const self = this;
    const _ = this.t._;
    const button = el('button', {type: 'button', class: 'sls-btn sls-btn--quiet', 'aria-expanded': 'false',
      text: item.flagged ? _('Withdraw flag') : _('Flag')});
    button.addEventListener('click', function () {
      if (item.flagged) {
        SLS.ui.busy(button, self.call('flag', {target: target, id: item.id, on: false}), self.notices).then(function () {
          item.flagged = false;
          button.textContent = _('Flag');
          self.notices.announce(_('Flag withdrawn.'));
        }, function () {});
        return;
      }
      const reason = el('textarea', {name: 'reason', rows: '2', maxlength: '500'});
      self.inlineForm(slot, button, {
        fields: [el('div', {class: 'sls-field'}, [el('label', {text: _('Why are you flagging this? (optional)')}),
          reason, el('p', {class: 'sls-field-error', data: {slsError: 'reason'}})])],
        submit: _('Flag'),
        run: function () {
          return self.call('flag', {target: target, id: item.id, reason: reason.value});
        },
        done: function () {
          item.flagged = true;
          button.textContent = _('Withdraw flag');
          button.focus();
          self.notices.announce(_('Thank you. Staff will review it.'));
        }
      });
    });
    return button;
  };

  Blog.prototype.hideButton = function (target, item, slot, after) {
    const self = this;
    const _ = this.t._;
    const button = el('button', {type: 'button', class: 'sls-btn sls-btn--quiet', 'aria-expanded': 'false',
      text: item.hidden ? _('Restore') : _('Hide')});
    button.addEventListener('click', function () {
      if (item.hidden) {
        SLS.ui.busy(button, self.call('hide', {target: target, id: item.id, on: false}), self.notices).then(function () {
          self.notices.announce(_('Restored: learners can see it again.'));
          self.refresh(after);
        }, function () {});
        return;
      }
      const reason = el('input', {type: 'text', name: 'reason', maxlength: '300', value: item.proposed_reason || ''});
      self.inlineForm(slot, button, {
        fields: [el('div', {class: 'sls-field'}, [el('label', {text: _('Reason shown to its author (optional)')}),
          reason, el('p', {class: 'sls-field-error', data: {slsError: 'reason'}})])],
        submit: _('Hide'),
        run: function () {
          return self.call('hide', {target: target, id: item.id, reason: reason.value});
        },
        done: function () {
          self.notices.announce(_('Hidden from learners.'));
          self.refresh(after);
        }
      });
    });
    return button;
  };

  Blog.prototype.dismissButton = function (target, item, after) {
    const self = this;
    const _ = this.t._;
    const button = el('button', {type: 'button', class: 'sls-btn sls-btn--quiet', text: _('Dismiss flags')});
    button.addEventListener('click', function () {
      SLS.ui.busy(button, self.call('dismiss_flags', {target: target, id: item.id}), self.notices).then(function () {
        self.notices.announce(_('Flags dismissed. The entry stays as it is.'));
        self.refresh(after);
      }, function () {});
    });
    return button;
  };

  Blog.prototype.deleteButton = function (target, item, slot, after) {
    const self = this;
    const _ = this.t._;
    const button = el('button', {type: 'button', class: 'sls-btn sls-btn--quiet sls-btn--danger-text',
      'aria-expanded': 'false', text: _('Delete')});
    button.addEventListener('click', function () {
      self.inlineForm(slot, button, {
        fields: [el('p', {text: target === 'entry' ?
          _('Delete this entry? It disappears from every feed at once, with the comments people wrote on it.') :
          _('Delete this comment? This cannot be undone.')})],
        submit: _('Delete'),
        danger: true,
        run: function () {
          return self.call(target === 'entry' ? 'delete_entry' : 'delete_comment', {id: item.id});
        },
        done: function () {
          if (target === 'entry') {
            self.notices.announce(_('Entry deleted.'));
            if (after) {
              after();
            } else {
              self.reload();
              self.showFeed(true);
            }
          } else {
            self.notices.announce(_('Comment deleted.'));
            self.refresh(after);
          }
        }
      });
    });
    return button;
  };

  /** After a change: the given callback, else the entry shown again from the server (a promise). */
  Blog.prototype.refresh = function (after) {
    if (after) {
      after();
      return Promise.resolve();
    }
    if (!this.entry) {
      return Promise.resolve();
    }
    const self = this;
    return this.call('get_entry', {id: this.entry.id}).then(function (entry) {
      const article = self.q('entry-view').querySelector('[data-sls="entry"]');
      const active = document.activeElement && document.activeElement.closest('[data-comment]');
      const focusKey = active ? active.dataset.comment : null;
      self.entry = entry;
      self.renderEntry(article, entry);
      const back = focusKey && article.querySelector('[data-comment="' + focusKey + '"] button');
      (back || article.querySelector('h3')).focus();
    }, function (err) {
      self.notices.showAlert(err.message);
    });
  };

  // ----- comments ---------------------------------------------------------------------------------------
  Blog.prototype.commentsSection = function (entry) {
    const self = this;
    const _ = this.t._;
    const n_ = this.t.n_;
    const list = el('ol', {class: 'sls-blog__comments', data: {sls: 'comments'}});
    (entry.comments || []).forEach(function (comment) {
      list.appendChild(self.commentItem(entry, comment));
    });
    const heading = el('h4', {class: 'sls-blog__comments-title',
      text: n_('{count} comment', '{count} comments', entry.comment_count)});
    const section = el('section', {class: 'sls-blog__comments-section'}, [heading, list]);
    if (!(entry.comments || []).length) {
      section.appendChild(el('p', {class: 'sls-hint', text: _('No comments yet.')}));
    }
    if (entry.more_comments) {
      const more = el('button', {type: 'button', class: 'sls-btn', text: _('More comments')});
      more.addEventListener('click', function () {
        const last = entry.comments[entry.comments.length - 1];
        SLS.ui.busy(more, self.call('get_entry', {id: entry.id, comments_after: last.id}), self.notices)
          .then(function (page) {
            const start = list.children.length;
            page.comments.forEach(function (comment) {
              entry.comments.push(comment);
              list.appendChild(self.commentItem(entry, comment));
            });
            entry.more_comments = page.more_comments;
            more.hidden = !page.more_comments;
            const first = list.children[start];
            if (first) {
              first.setAttribute('tabindex', '-1');
              first.focus();
            }
          }, function () {});
      });
      section.appendChild(more);
    }
    const can = entry.can || {};
    if (!can.comment || !this.settings.allow_comments) {
      section.appendChild(el('p', {class: 'sls-hint', text: _('Comments are closed on this entry.')}));
    } else if (!this.readOnly) {
      section.appendChild(this.commentForm(entry));
    }
    return section;
  };

  Blog.prototype.commentItem = function (entry, comment) {
    const self = this;
    const _ = this.t._;
    const can = comment.can || {};
    const body = el('div', {class: 'sls-prose'});
    body.innerHTML = comment.body_html || ''; // sanitised by the server
    const slot = el('div', {class: 'sls-blog__comment-extra'});
    const actions = el('div', {class: 'sls-actions sls-actions--small'});
    const item = {id: comment.id, hidden: comment.hidden, flagged: comment.flagged};
    if (can.hide && entry.can && !entry.can.moderate) {
      const hide = el('button', {type: 'button', class: 'sls-btn sls-btn--quiet',
        text: comment.hidden ? _('Show') : _('Hide')});
      hide.addEventListener('click', function () {
        SLS.ui.busy(hide, self.call('hide_comment', {id: comment.id, on: !comment.hidden}), self.notices)
          .then(function (answer) {
            self.refresh().then(function () {
              self.notices.announce(answer.hidden ? _('Comment hidden. Its author and staff can still see it.') :
                _('Comment shown again.'));
            });
          }, function () {});
      });
      actions.appendChild(hide);
    }
    if (can.hide && entry.can && entry.can.moderate) {
      actions.appendChild(this.hideButton('comment', item, slot));
    }
    if (can.flag) {
      actions.appendChild(this.flagButton('comment', item, slot));
    }
    if (can.delete) {
      actions.appendChild(this.deleteButton('comment', item, slot));
    }
    let hiddenNote = null;
    if (comment.hidden) {
      hiddenNote = el('p', {class: 'sls-badge sls-badge--hidden', text: comment.hidden_by === 'staff' ?
        (comment.hidden_reason ? _('Hidden by staff: {reason}', {reason: comment.hidden_reason}) :
          _('Hidden from learners')) : _('Hidden by the author of the entry')});
    }
    return el('li', {class: 'sls-blog__comment' + (comment.coach ? ' is-coach' : '') +
      (comment.hidden ? ' is-hidden' : ''), data: {comment: comment.id}}, [
      el('p', {class: 'sls-meta'}, [
        el('strong', {text: this.personNode(comment.author)}),
        comment.coach ? el('span', {class: 'sls-badge sls-badge--coach', text: _('Coach comment')}) : null,
        ' · ', this.timeNode(comment.created)
      ]),
      hiddenNote,
      body,
      actions.children.length ? actions : null,
      slot
    ]);
  };

  Blog.prototype.commentForm = function (entry) {
    const self = this;
    const _ = this.t._;
    const key = 'c' + entry.id;
    const textarea = el('textarea', {name: 'body', rows: '3', 'data-max': String(this.settings.comment_max || 5000)});
    const form = el('form', {class: 'sls-form sls-blog__comment-form', novalidate: true}, [
      el('div', {class: 'sls-field'}, [
        el('label', {text: _('Add a comment')}), textarea,
        el('p', {class: 'sls-counter', data: {sls: 'counter'}, 'aria-live': 'polite'}),
        el('p', {class: 'sls-field-error', data: {slsError: 'body'}})
      ]),
      el('p', {class: 'sls-form-error', role: 'alert', data: {sls: 'form-error'}}),
      el('div', {class: 'sls-actions'}, [
        el('button', {type: 'submit', class: 'sls-btn sls-btn--primary', text: _('Comment')}),
        el('span', {class: 'sls-hint', data: {sls: 'comment-draft-note'}, 'aria-live': 'polite'})
      ])
    ]);
    this.forms.wire(form);
    this.forms.attachCounter(textarea);
    this.forms.submitShortcut(form);
    const saver = this.saverFor(key, function () {
      return {body: textarea.value};
    }, function (f, draft) {
      textarea.value = draft.body || '';
    });
    // Restored after the form is in the page (its note slot is found there).
    setTimeout(function () {
      saver.restore(form);
    }, 0);
    textarea.addEventListener('input', function () {
      saver.schedule();
    });
    form.addEventListener('submit', function (event) {
      event.preventDefault();
      self.forms.send(form, function () {
        return self.call('add_comment', {entry: entry.id, body: textarea.value});
      }, function (answer) {
        saver.discard();
        textarea.value = '';
        self.refresh().then(function () {
          self.notices.announce(_('Comment posted.'));
          const form = self.q('entry-view').querySelector('.sls-blog__comment-form textarea');
          if (form) {
            form.focus();
          }
        });
      });
    });
    return form;
  };

  // ----- staff's review of flags ---------------------------------------------------------------------------
  Blog.prototype.openQueue = function () {
    const view = this.q('queue-view');
    view.hidden = false;
    this.q('feed').hidden = true;
    this.q('queue-open').setAttribute('aria-expanded', 'true');
    this.q('queue-heading').focus();
    this.loadQueue();
  };

  Blog.prototype.closeQueue = function (focus) {
    this.q('queue-view').hidden = true;
    this.q('feed').hidden = false;
    this.q('queue-open').setAttribute('aria-expanded', 'false');
    if (focus) {
      this.q('queue-open').focus();
    }
  };

  Blog.prototype.loadQueue = function () {
    const self = this;
    const _ = this.t._;
    const list = this.q('queue');
    list.setAttribute('aria-busy', 'true');
    this.call('flag_queue', {}).then(function (answer) {
      list.replaceChildren();
      if (!answer.items.length) {
        list.appendChild(el('li', {class: 'sls-hint', text: _('Nothing to review: no open flags.')}));
      }
      answer.items.forEach(function (item) {
        list.appendChild(self.queueItem(item));
      });
    }, function (err) {
      self.notices.showAlert(err.message);
    }).finally(function () {
      list.setAttribute('aria-busy', 'false');
    });
  };

  Blog.prototype.queueItem = function (item) {
    const self = this;
    const _ = this.t._;
    const slot = el('div');
    const again = function () {
      self.loadQueue();
      self.q('queue-heading').focus();
    };
    item.proposed_reason = item.flags.map(function (f) { return f.reason; }).filter(Boolean).join('; ').slice(0, 300);
    const actions = el('div', {class: 'sls-actions'}, [
      el('button', {type: 'button', class: 'sls-btn', text: _('Open'), onclick: function () {
        self.closeQueue(false);
        self.openEntry(item.entry.id);
      }})
    ]);
    if (item.can.review) {
      actions.appendChild(this.dismissButton(item.target, item, again));
      actions.appendChild(this.hideButton(item.target, item, slot, again));
      actions.appendChild(this.deleteButton(item.target, item, slot, again));
    }
    return el('li', {class: 'sls-queue__item'}, [
      el('h4', {text: item.target === 'entry' ? item.entry.title : _('Comment on “{title}”',
        {title: item.entry.title})}),
      el('p', {class: 'sls-meta', text: _('Written by {name}', {name: item.author.name})}),
      el('p', {class: 'sls-blog__excerpt', text: item.excerpt}),
      el('ul', {class: 'sls-queue__flags'}, item.flags.map(function (flag) {
        return el('li', {}, [
          el('span', {text: flag.reason || _('No reason given')}), ' — ',
          el('span', {class: 'sls-meta'}, fmtNodes(_('Flagged by {name}, {time}'), {
            name: flag.by.name, time: self.timeNode(flag.created)}))
        ]);
      })),
      actions,
      slot
    ]);
  };

  // ----- start ---------------------------------------------------------------------------------------------
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
