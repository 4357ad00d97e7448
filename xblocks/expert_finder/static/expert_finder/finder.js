/*
 * Expert finder front end: "who knows about X?", the results with their reasons and evidence. Plain JavaScript.
 *
 * What every component shares comes from core (xblocks/core/static/core/, loaded before this file).
 *
 * Parts. The finder's other parts each have their own file, loaded after this one (finder-<part>.js). A part
 * registers itself with
 *
 *   SocialLearning.finder.part(name, function (finder) { ... })
 *
 * and is started with the finder. From there it uses:
 *   finder.slot(name)     the template's places: 'aside' (below the search), 'views' (whole views of its own);
 *   finder.template(name) a copy of a <template data-sls-template="name"> of the page;
 *   finder.on(hook, fn)   'result' fn(item, result): a result is shown; 'open' fn(userId, opener): a person's
 *                         profile is asked for; 'profile' fn(view, person): a person's profile is about to be
 *                         shown (add to the view); 'profile-saved' fn(mine): the person saved their profile;
 *   finder.showView(node) shows a view of the part instead of the search (finder.showSearch() goes back);
 *   finder.resultItem(result), finder.evidenceList(items), finder.client.call(action, data), finder.t,
 *   finder.notices, finder.forms, finder.init, finder.search().
 *
 * Safety: every text from the server is inserted with textContent.
 */
(function () {
  'use strict';

  const SLS = window.SocialLearning;
  const el = SLS.el;
  const parts = [];

  SLS.finder = SLS.finder || {
    parts: parts,
    part: function (name, start) {
      parts.push({name: name, start: start});
    }
  };

  function Finder(root, init) {
    this.root = root;
    this.init = init;
    this.settings = init.settings || {};
    this.t = SLS.i18n(init.i18n, init.i18n_namespace);
    this.client = SLS.client(init.urls, Object.assign({
      networkMessage: this.t._('Could not reach the server. Please try again.')
    }, init.client || {}));
    this.notices = new SLS.ui.Notices(root);
    this.forms = SLS.forms(this.t, this.notices);
    this.hooks = {};
    this.page = 1;
    this.last = null;
    this.seq = 0;
  }

  Finder.prototype.on = function (hook, fn) {
    (this.hooks[hook] = this.hooks[hook] || []).push(fn);
  };

  Finder.prototype.run = function (hook) {
    const args = Array.prototype.slice.call(arguments, 1);
    (this.hooks[hook] || []).forEach(function (fn) { fn.apply(null, args); });
  };

  Finder.prototype.q = function (name) {
    return this.root.querySelector('[data-sls="' + name + '"]');
  };

  Finder.prototype.slot = function (name) {
    return this.root.querySelector('[data-sls-slot="' + name + '"]');
  };

  Finder.prototype.template = function (name) {
    const template = this.root.querySelector('template[data-sls-template="' + name + '"]');
    return template.content.firstElementChild.cloneNode(true);
  };

  Finder.prototype.showView = function (node) {
    const views = this.slot('views');
    views.replaceChildren(node);
    this.q('search-view').hidden = true;
    views.hidden = false;
    const heading = node.querySelector('h3');
    if (heading) {
      heading.setAttribute('tabindex', '-1');
      heading.focus();
    }
  };

  Finder.prototype.showSearch = function (focus) {
    this.slot('views').replaceChildren();
    this.q('search-view').hidden = false;
    if (focus && typeof focus.focus === 'function' && document.body.contains(focus)) {
      focus.focus();
    } else {
      this.root.querySelector('input[name="q"]').focus();
    }
  };

  Finder.prototype.start = function () {
    const self = this;
    const form = this.q('search-form');
    form.addEventListener('submit', function (event) {
      event.preventDefault();
      self.page = 1;
      self.search();
    });
    this.q('more').addEventListener('click', function () {
      self.page += 1;
      self.search(true);
    });
    parts.forEach(function (part) {
      part.start(self);
    });
    SLS.ui.readOnly(this.root, this.init.read_only);
  };

  /** Run the search of the form; `more`: add the next page to the list. */
  Finder.prototype.search = function (more) {
    const self = this;
    const _ = this.t._;
    const form = this.q('search-form');
    const query = form.elements.q.value.trim();
    const checked = form.querySelector('input[name="scope"]:checked');
    const data = {q: query, scope: checked ? checked.value : this.settings.default_scope, page: this.page};
    if (!query) {
      this.forms.showErrors(form, {message: _('Type a topic, a skill or a question.'),
        fields: {q: _('Type a topic, a skill or a question.')}});
      return;
    }
    const seq = ++this.seq;
    const list = this.q('results');
    list.setAttribute('aria-busy', 'true');
    this.notices.announce(_('Searching…'), true);
    this.forms.send(form, function () {
      return self.client.call('search', data);
    }, function (answer) {
      if (seq === self.seq) {
        self.show(answer, more);
      }
    }, function () {
      list.setAttribute('aria-busy', 'false');
    });
  };

  Finder.prototype.show = function (answer, more) {
    const self = this;
    const _ = this.t._;
    const list = this.q('results');
    const count = this.q('count');
    const corrected = this.q('corrected');
    list.setAttribute('aria-busy', 'false');
    if (!more) {
      list.replaceChildren();
    }
    answer.results.forEach(function (result) {
      list.appendChild(self.resultItem(result));
    });
    const total = list.children.length;
    if (answer.corrected && answer.corrected.length) {
      corrected.textContent = _('Showing results for {words}.', {
        words: answer.corrected.map(function (c) { return '“' + c.shown + '”'; }).join(', ')});
      corrected.hidden = false;
    } else {
      corrected.hidden = true;
    }
    count.textContent = total ? this.t.n_('{count} person found', '{count} people found', total) +
      (answer.has_more ? '+' : '') : _('Nobody matches “{query}” here yet. Try another word, or look in a wider ' +
      'circle.', {query: answer.query});
    count.hidden = false;
    this.q('more').hidden = !answer.has_more;
    this.notices.announce(count.textContent, true);
    if (!more) {
      count.focus();
    }
  };

  Finder.prototype.resultItem = function (result) {
    const self = this;
    const _ = this.t._;
    const heading = el('h4', {class: 'sls-finder__name'}, [
      el('button', {type: 'button', class: 'sls-finder__open', text: result.name, 'aria-label': result.name + ' — ' +
        _('Open profile'), onclick: function (event) {
          self.run('open', result.user_id, event.currentTarget);
        }})
    ]);
    const reasons = el('p', {class: 'sls-finder__reasons', text: _('Why: {reasons}', {
      reasons: result.reasons.join('; ')})});
    const item = el('li', {class: 'sls-finder__result', data: {user: String(result.user_id)}}, [
      heading,
      result.headline ? el('p', {class: 'sls-finder__headline', text: result.headline}) : null,
      reasons,
      result.evidence.length ? this.evidenceList(result.evidence) : null
    ]);
    this.run('result', item, result);
    return item;
  };

  /** The evidence a searcher may check: what it is, where, when, its ratings. */
  Finder.prototype.evidenceList = function (items) {
    return el('details', {class: 'sls-finder__evidence'}, [
      el('summary', {text: this.t._('Evidence you can check')}),
      this.evidenceItems(items)
    ]);
  };

  /** The same, as a plain list. */
  Finder.prototype.evidenceItems = function (items) {
    const self = this;
    const _ = this.t._;
    const n_ = this.t.n_;
    return el('ul', {class: 'sls-finder__evidence-list'}, items.map(function (item) {
        const bits = [item.label];
        if (item.where) {
          bits.push(_('in {where}', {where: item.where}));
        }
        if (item.endorsed) {
          bits.push(_('endorsed'));
        }
        if (item.upvotes) {
          bits.push(n_('{count} upvote', '{count} upvotes', item.upvotes));
        }
        return el('li', {}, [
          el('button', {type: 'button', class: 'sls-finder__open', text: bits.join(' · '), onclick: function (event) {
            self.openEvidence(item.id, event.currentTarget);
          }}), ' · ', SLS.ui.timeNode(item.created)]);
    }));
  };

  /** A piece of evidence as its component shows it to this person (its own rules decide), in a view. */
  Finder.prototype.openEvidence = function (id, opener) {
    const self = this;
    const _ = this.t._;
    const back = this.q('search-view').hidden ? this.slot('views').firstElementChild : null;
    this.client.call('open_evidence', {id: id}).then(function (item) {
      const body = el('div', {class: 'sls-prose sls-finder__evidence-body'});
      body.innerHTML = item.html; // rendered and sanitised by the component (markdown-it + nh3)
      self.showView(el('section', {class: 'sls-finder__evidence-view'}, [
        el('h3', {text: item.title}),
        el('p', {class: 'sls-meta'}, [[item.label, item.where, item.endorsed ? _('endorsed') : null].filter(Boolean)
          .join(' · '), ' · ', _('Written by {name}', {name: item.author}), ' · ', SLS.ui.timeNode(item.created)]),
        body,
        el('div', {class: 'sls-actions'}, [el('button', {type: 'button', class: 'sls-btn', text: _('Back'),
          onclick: function () {
            if (back) {
              self.showView(back);
              if (document.body.contains(opener)) {
                opener.focus();
              }
            } else {
              self.showSearch(opener);
            }
          }})])
      ]));
    }, function (err) {
      self.notices.showAlert(err.message);
    });
  };

  function SocialExpertFinder(runtime, element, args) {
    return SLS.boot(runtime, element, args, {
      rootSelector: '.sls-finder',
      dataSelector: 'script.sls-finder-data',
      requires: '[data-sls="search-view"]',
      start: function (root, init) {
        const finder = new Finder(root, init);
        finder.start();
        return {finder: finder};
      }
    });
  }

  window.SocialExpertFinder = SocialExpertFinder;
  SLS.finder.Finder = Finder;
}());
