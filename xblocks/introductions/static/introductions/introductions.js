/*
 * Introductions front end: the person's own introduction (form, drafts), the gallery of the group's introductions
 * (search, topic filter, pages), waves and short replies. Plain JavaScript.
 *
 * What every component shares comes from core (xblocks/core/static/core/, loaded before this file): the client
 * and i18n, live regions and busy buttons, forms and their errors, drafts and the start-up.
 *
 * Parts. The other parts (sessions, facilitator) each have their own file, loaded after this one
 * (introductions-<part>.js). A part registers itself with
 *
 *   SocialLearning.intros.part(name, function (page) { ... })
 *
 * and is started with the page. From there it uses:
 *   page.slot(name)     the template's places for it: 'header' (above the main view), 'bar' (the tool bar),
 *                       'aside' (above the gallery), 'compose' (below the introduction form), 'views' (whole
 *                       views of its own);
 *   page.on(hook, fn)   'saved' fn(introduction): the person's introduction was posted or changed;
 *                       'group' fn(groupKey): staff picked another group;
 *                       'card' fn(item, introduction): an introduction of the gallery is shown;
 *   page.call(action, data) (with the group staff picked), page.client, page.withGroup(data), page.t,
 *   page.notices, page.forms, page.init, page.root, page.showMain(), page.hideMain(), page.reload().
 *
 * Safety: learner text is inserted with textContent everywhere; nothing here builds HTML from text.
 */
(function () {
  'use strict';

  const SLS = window.SocialLearning;
  const el = SLS.el;
  const parts = [];

  SLS.intros = SLS.intros || {
    parts: parts,
    part: function (name, start) {
      parts.push({name: name, start: start});
    }
  };

  function Page(root, init) {
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
    this.drafts = Object.assign({}, init.drafts || {});
    this.participation = init.participation || null;
    this.mine = init.mine || null;
    this.group = init.group || null;
    this.filters = {search: '', topic: ''};
    this.next = null;
    this.seq = 0;
    this.key = (root.getAttribute('data-sls-key') || 'sls-intros').replace(/^sls-/, '');
    const user = init.user || {};
    this.localPrefix = 'sls-intros-draft:' + this.key + ':' + (user.username || '') + ':';
  }

  Page.prototype.q = function (name) {
    return this.root.querySelector('[data-sls="' + name + '"]');
  };
  Page.prototype.slot = function (name) {
    return this.root.querySelector('[data-sls-slot="' + name + '"]');
  };
  Page.prototype.on = function (hook, fn) {
    (this.hooks[hook] = this.hooks[hook] || []).push(fn);
  };
  Page.prototype.run = function (hook) {
    const args = Array.prototype.slice.call(arguments, 1);
    (this.hooks[hook] || []).forEach(function (fn) { fn.apply(null, args); });
  };
  Page.prototype.withGroup = function (data) {
    return this.group ? Object.assign({group: this.group}, data || {}) : (data || {});
  };
  Page.prototype.call = function (action, data) {
    return this.client.call(action, this.withGroup(data));
  };
  Page.prototype.showMain = function () {
    this.q('main-view').hidden = false;
  };
  Page.prototype.hideMain = function () {
    this.q('main-view').hidden = true;
  };

  // ----- start-up --------------------------------------------------------------------------------------
  Page.prototype.start = function () {
    const self = this;
    this.readOnly = SLS.ui.readOnly(this.root, this.init.read_only);
    this.form = this.q('intro-form');
    if (this.form && !this.readOnly) {
      this.setUpForm();
    }
    this.setUpGallery();
    this.showProgress();
    SLS.intros.parts.forEach(function (part) {
      part.start(self);
    });
    this.showTopics(this.init.topics || []);
    this.showPage(this.init.initial || {introductions: [], next: null}, false);
  };

  Page.prototype.showProgress = function () {
    const node = this.q('progress');
    const p = this.participation;
    if (!node || !p || !p.required) {
      return;
    }
    node.hidden = false;
    node.textContent = p.complete ? this.t._('You have introduced yourself: this activity is complete.') :
      this.init.themes_required ? this.t._('Post your introduction and answer every theme to complete this activity.') :
        this.t._('Post your introduction to complete this activity.');
  };

  // ----- the person's introduction ------------------------------------------------------------------------
  Page.prototype.setUpForm = function () {
    const self = this;
    const form = this.form;
    this.forms.wire(form);
    form.querySelectorAll('[data-max]').forEach(function (control) {
      self.forms.attachCounter(control);
    });
    this.forms.submitShortcut(form);
    this.saver = SLS.drafts.attach(form, {
      key: 'intro',
      collect: function () { return self.collect(); },
      drafts: this.drafts,
      t: this.t,
      local: this.localPrefix,
      save: function (data) { return self.call('save_draft', data); }
    });
    form.addEventListener('submit', function (event) {
      event.preventDefault();
      self.submit();
    });
    this.q('compose-cancel').addEventListener('click', function () {
      self.closeCompose();
    });
    this.q('compose-toggle').addEventListener('click', function () {
      if (self.q('compose').hidden) {
        self.openCompose();
      } else {
        self.closeCompose();
      }
    });
    this.labelToggle();
    if (this.saver.restored) {
      this.openCompose(true);
    }
  };

  Page.prototype.collect = function () {
    const form = this.form;
    const data = {};
    ['who', 'learn', 'offer', 'fun_fact'].forEach(function (name) {
      data[name] = form.elements.namedItem(name).value;
    });
    data.share_profile = form.elements.namedItem('share_profile').checked;
    return data;
  };

  Page.prototype.labelToggle = function () {
    const toggle = this.q('compose-toggle');
    if (toggle) {
      toggle.textContent = this.mine ? this.t._('Edit my introduction') : this.t._('Introduce yourself');
    }
  };

  Page.prototype.openCompose = function (keepForm) {
    const section = this.q('compose');
    if (!keepForm && this.mine) {
      this.forms.fill(this.form, {who: this.mine.who, learn: this.mine.learn.join(', '),
        offer: this.mine.offer.join(', '), fun_fact: this.mine.fun_fact, share_profile: !!this.mine.share_profile});
    }
    section.hidden = false;
    this.q('compose-toggle').setAttribute('aria-expanded', 'true');
    this.form.elements.namedItem('who').focus();
  };

  Page.prototype.closeCompose = function () {
    this.q('compose').hidden = true;
    const toggle = this.q('compose-toggle');
    toggle.setAttribute('aria-expanded', 'false');
    toggle.focus();
  };

  Page.prototype.submit = function () {
    const self = this;
    const data = this.collect();
    const posting = !this.mine;
    this.forms.send(this.form, function () {
      self.saver.schedule.cancel();
      return self.call('save_introduction', data);
    }, function (result) {
      self.saver.discard();
      self.mine = result.introduction;
      if (result.participation) {
        self.participation = result.participation;
        self.showProgress();
      }
      self.labelToggle();
      self.closeCompose();
      self.notices.announce(posting ? self.t._('Introduction posted.') : self.t._('Introduction saved.'));
      self.run('saved', result.introduction);
      self.reload();
    });
  };

  // ----- the gallery ------------------------------------------------------------------------------------
  Page.prototype.setUpGallery = function () {
    const self = this;
    const search = this.q('search-form');
    search.addEventListener('submit', function (event) {
      event.preventDefault();
      self.filters.search = search.elements.namedItem('search').value.trim();
      self.reload();
    });
    this.q('topic').addEventListener('change', function () {
      self.filters.topic = self.q('topic').value;
      self.reload();
    });
    this.q('more').addEventListener('click', function () {
      self.load(true);
    });
    const group = this.q('group-switch');
    if (group) {
      group.addEventListener('change', function () {
        self.group = group.value;
        self.filters.topic = '';
        self.reload();
        self.run('group', self.group);
      });
    }
  };

  Page.prototype.showTopics = function (topics) {
    const select = this.q('topic');
    const current = this.filters.topic;
    select.replaceChildren(el('option', {value: '', text: this.t._('All topics')}));
    topics.forEach(function (topic) {
      select.appendChild(el('option', {value: topic.key, text: topic.key + ' (' + topic.count + ')'}));
    });
    select.value = current;
  };

  Page.prototype.reload = function () {
    this.load(false);
  };

  Page.prototype.load = function (more) {
    const self = this;
    const seq = ++this.seq;
    const list = this.q('cards');
    list.setAttribute('aria-busy', 'true');
    const data = {search: this.filters.search, topic: this.filters.topic};
    if (more && this.next) {
      data.before = this.next;
    }
    return this.call('list_introductions', data).then(function (page) {
      if (seq === self.seq) {
        self.showPage(page, more);
      }
    }, function (err) {
      self.notices.showAlert(err.message);
    }).finally(function () {
      list.setAttribute('aria-busy', 'false');
    });
  };

  Page.prototype.showPage = function (page, more) {
    const self = this;
    const list = this.q('cards');
    if (!more) {
      list.replaceChildren();
    }
    const first = list.children.length;
    page.introductions.forEach(function (intro) {
      list.appendChild(self.card(intro));
    });
    this.next = page.next;
    this.q('more').hidden = !page.next;
    const filtered = this.filters.search || this.filters.topic;
    const summary = this.q('gallery-summary');
    if (!list.children.length) {
      summary.textContent = filtered ? this.t._('No introductions match.') :
        this.t._('Nobody has introduced themselves yet. Be the first!');
    } else {
      summary.textContent = '';
    }
    if (more && list.children[first]) {
      const heading = list.children[first].querySelector('h4');
      heading.setAttribute('tabindex', '-1');
      heading.focus();
    }
  };

  function chips(label, items) {
    if (!items.length) {
      return null;
    }
    return el('div', {class: 'sls-intros__topics'}, [
      el('span', {class: 'sls-intros__topics-label', text: label}),
      el('ul', {class: 'sls-intros__chips', role: 'list'}, items.map(function (item) {
        return el('li', {class: 'sls-badge', text: item});
      }))
    ]);
  }

  Page.prototype.card = function (intro) {
    const t = this.t;
    const name = intro.author.name + (intro.author.is_you ? ' (' + t._('You') + ')' : '');
    const nodes = [
      el('h4', {class: 'sls-intros__name', text: name}),
      el('p', {class: 'sls-intros__who', text: intro.who}),
      chips(t._('Wants to learn'), intro.learn),
      chips(t._('Can offer'), intro.offer),
      intro.fun_fact ? el('p', {class: 'sls-intros__fun', text: t._('Fun fact: {text}', {text: intro.fun_fact})}) : null,
      this.reactions(intro)
    ];
    const item = el('li', {class: 'sls-intros__card', data: {id: String(intro.id)}},
      nodes.filter(function (node) { return node; }));
    this.run('card', item, intro);
    return item;
  };

  Page.prototype.reactions = function (intro) {
    const self = this;
    const t = this.t;
    const count = el('span', {class: 'sls-hint', text: t.n_('{count} wave', '{count} waves', intro.waves)});
    const replyCount = el('span', {class: 'sls-hint', text: t.n_('{count} reply', '{count} replies', intro.reply_count)});
    const bar = el('div', {class: 'sls-intros__reactions'}, [count, replyCount]);
    const replies = el('ul', {class: 'sls-intros__replies', role: 'list'});
    intro.replies.forEach(function (r) {
      replies.appendChild(self.replyItem(r, function () { recount(-1); }));
    });
    const box = el('div', {}, [bar, replies]);
    function recount(change) {
      intro.reply_count += change;
      replyCount.textContent = t.n_('{count} reply', '{count} replies', intro.reply_count);
    }
    if (this.readOnly) {
      return box;
    }
    if (intro.can_wave) {
      const wave = el('button', {type: 'button', class: 'sls-btn sls-btn--quiet',
        'aria-pressed': intro.waved ? 'true' : 'false', text: intro.waved ? t._('Take back the wave') : t._('Wave')});
      wave.addEventListener('click', function () {
        const on = wave.getAttribute('aria-pressed') !== 'true';
        SLS.ui.busy(wave, self.call('wave', {id: intro.id, on: on}), self.notices).then(function (result) {
          wave.setAttribute('aria-pressed', result.waved ? 'true' : 'false');
          wave.textContent = result.waved ? t._('Take back the wave') : t._('Wave');
          count.textContent = t.n_('{count} wave', '{count} waves', result.waves);
          if (result.waved) {
            self.notices.announce(t._('You waved.'));
          }
        }, function () {});
      });
      bar.insertBefore(wave, count);
    }
    box.appendChild(this.replyForm(intro, replies, recount));
    return box;
  };

  Page.prototype.replyItem = function (r, uncounted) {
    const self = this;
    const item = el('li', {}, [el('strong', {text: r.author.name + ': '}), document.createTextNode(r.body)]);
    if (r.can_delete && !this.readOnly) {
      const remove = el('button', {type: 'button', class: 'sls-btn sls-btn--quiet sls-intros__reply-delete',
        text: this.t._('Delete')});
      remove.addEventListener('click', function () {
        if (!window.confirm(self.t._('Delete this reply?'))) {
          return;
        }
        SLS.ui.busy(remove, self.call('delete_reply', {id: r.id}), self.notices).then(function () {
          const list = item.parentElement;
          item.remove();
          if (uncounted) {
            uncounted();
          }
          self.notices.announce(self.t._('Reply deleted.'));
          const heading = list && list.closest('.sls-intros__card') ?
            list.closest('.sls-intros__card').querySelector('h4') : null;
          if (heading) {
            heading.setAttribute('tabindex', '-1');
            heading.focus();
          }
        }, function () {});
      });
      item.append(' ', remove);
    }
    return item;
  };

  Page.prototype.replyForm = function (intro, replies, counted) {
    const self = this;
    const t = this.t;
    const key = 'r' + intro.id;
    const input = el('input', {type: 'text', name: 'body', maxlength: String(this.settings.reply_max || 500),
      autocomplete: 'off'});
    const error = el('p', {class: 'sls-field-error', data: {slsError: 'body'}});
    const note = el('span', {class: 'sls-hint', 'aria-live': 'polite'});
    const form = el('form', {class: 'sls-intros__reply', novalidate: 'novalidate'}, [
      el('div', {class: 'sls-field'}, [
        el('label', {class: 'sls-visually-hidden', text: t._('Reply to {name}', {name: intro.author.name})}), input,
        error]),
      el('button', {type: 'submit', class: 'sls-btn', text: t._('Reply')}), note
    ]);
    this.forms.wire(form);
    const saver = new SLS.drafts.DraftSaver({
      key: key, collect: function () { return {body: input.value}; }, drafts: this.drafts, t: t,
      local: this.localPrefix, note: function (text) { note.textContent = text; },
      save: function (data) { return self.call('save_draft', data); }
    });
    saver.restore(form);
    input.addEventListener('input', function () { saver.schedule(); });
    form.addEventListener('submit', function (event) {
      event.preventDefault();
      self.forms.send(form, function () {
        saver.schedule.cancel();
        return self.call('reply', {id: intro.id, body: input.value});
      }, function (result) {
        saver.discard();
        input.value = '';
        note.textContent = '';
        replies.appendChild(self.replyItem(result.reply, function () { counted(-1); }));
        counted(1);
        self.notices.announce(t._('Reply sent.'));
      });
    });
    return form;
  };

  // ----- start ---------------------------------------------------------------------------------------------
  function SocialIntroductions(runtime, element, args) {
    return SLS.boot(runtime, element, args, {
      rootSelector: '.sls-intros',
      dataSelector: 'script.sls-intros-data',
      requires: '[data-sls="main-view"]',
      start: function (root, init) {
        const page = new Page(root, init);
        page.start();
        return {page: page};
      }
    });
  }

  window.SocialIntroductions = SocialIntroductions;
  SLS.intros.Page = Page;
}());
