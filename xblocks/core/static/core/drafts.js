/*
 * Social Learning Suite: unsent text kept as a draft on the server (extends window.SocialLearning).
 *
 * drafts.attach(form, options) keeps a form's text: a moment after each change it is sent with a
 * `save_draft`-style call, and a draft the page started with is put back in the form (after a
 * reload). options:
 *   key      the draft's key (the server keeps one draft per key);
 *   collect  () -> the values to keep, e.g. {title, body, anonymous} (their names are the form's);
 *   save     (data) -> Promise of {saved}: the call that keeps {key, ...values} (a falsy `saved`
 *            means the server forgot the draft, e.g. for empty text);
 *   drafts   the page's drafts by key (init.drafts), kept up to date;
 *   t        the component's i18n (SocialLearning.i18n);
 *   note     optional (text) -> void; default: the form's [data-sls="draft-note"];
 *   fill     optional (form, draft) -> void: put a draft back in the form; default: SocialLearning.forms.fill;
 *   local    optional: a key prefix (naming the component's place and the person) under which each draft is
 *            also kept in the browser (localStorage) until the server has it. A draft the server could not be
 *            reached for stays on the device, is sent again when the browser is back online, and is put back
 *            in the form after a reload, even when the server never got it.
 * Returns the DraftSaver: schedule() (debounced save; schedule.cancel()), save(), discard() after
 * posting, and `restored` (whether a draft was put back).
 */
(function (global) {
  'use strict';
  const SLS = global.SocialLearning;
  if (!SLS || SLS.drafts) {
    return;
  }
  const DRAFT_DELAY = 1200;
  // Every draft of the page goes out one after the other, whichever form it comes from: the server keeps a
  // person's drafts of a block together (the XBlock's user state), and two saves crossing each other (a reply's
  // draft while the new thread's form, left a moment ago, sends its last change) would each write back the
  // drafts they read, and one of the two texts would be lost.
  let pageChain = Promise.resolve();

  function DraftSaver(options) {
    this.key = options.key;
    this.collect = options.collect;
    this.send = options.save;
    this.drafts = options.drafts;
    this.t = options.t;
    this.note = options.note;
    this.sent = 0;
    this.restored = false;
    this.fillForm = options.fill || function (form, draft) { SLS.forms.fill(form, draft); };
    this.localKey = options.local ? options.local + this.key : null;
    this.waiting = false;
    this.schedule = SLS.debounce(this.save.bind(this), options.delay || DRAFT_DELAY);
  }

  // ----- the copy kept in the browser -------------------------------------------------------------------
  DraftSaver.prototype.readLocal = function () {
    if (!this.localKey) {
      return null;
    }
    try {
      const kept = JSON.parse(global.localStorage.getItem(this.localKey) || 'null');
      return kept && kept.data ? kept : null;
    } catch (err) {
      return null; // storage refused (private mode, full) or unreadable: the server's copy still counts
    }
  };

  DraftSaver.prototype.keepLocal = function (data) {
    if (!this.localKey) {
      return;
    }
    try {
      global.localStorage.setItem(this.localKey, JSON.stringify({data: data, at: Date.now()}));
    } catch (err) { /* storage refused: the server's copy still counts */ }
  };

  DraftSaver.prototype.forgetLocal = function (data) {
    if (!this.localKey) {
      return;
    }
    try {
      const kept = this.readLocal();
      // Only the copy that was sent: text typed meanwhile stays until its own save.
      if (!data || (kept && JSON.stringify(kept.data) === JSON.stringify(data))) {
        global.localStorage.removeItem(this.localKey);
      }
    } catch (err) { /* nothing kept */ }
  };

  /** Send the draft again once the browser says it is back online. */
  DraftSaver.prototype.retryWhenOnline = function () {
    const self = this;
    if (this.waiting) {
      return;
    }
    this.waiting = true;
    global.addEventListener('online', function again() {
      global.removeEventListener('online', again);
      self.waiting = false;
      self.save();
    });
  };

  DraftSaver.prototype.save = function () {
    const self = this;
    const key = this.key;
    const data = Object.assign({key: key}, this.collect());
    const _ = this.t._;
    this.sent += 1;
    this.keepLocal(data);
    pageChain = pageChain.then(function () {
      return self.send(data).then(function (result) {
        self.forgetLocal(data);
        if (result.saved) {
          self.drafts[key] = data;
          self.note(_('Draft saved.'));
        } else {
          delete self.drafts[key];
          self.note('');
        }
      }, function (err) {
        if (self.localKey && (err.code === 'network' || err.status >= 500)) {
          self.note(_('Draft kept on this device; it will be sent when the connection is back.'));
          self.retryWhenOnline();
        } else {
          self.note(_('The draft could not be saved: {message}', {message: err.message}));
        }
      });
    });
  };

  /** Forget the draft (after posting): the server forgot it already; make sure a late save does not revive it. */
  DraftSaver.prototype.discard = function () {
    const self = this;
    const key = this.key;
    this.schedule.cancel();
    delete this.drafts[key];
    this.forgetLocal(null);
    this.note('');
    if (this.sent) {
      this.sent = 0;
      pageChain = pageChain.then(function () {
        return self.send({key: key, title: '', body: ''}).catch(function () {});
      });
    }
  };

  /**
   * Put the draft back in the form: the copy kept in the browser when the server never got it, else the
   * page's; returns whether there was one. A copy from the browser is sent to the server again.
   */
  DraftSaver.prototype.restore = function (form) {
    const kept = this.readLocal();
    const draft = kept ? kept.data : this.drafts[this.key];
    if (!draft) {
      return false;
    }
    this.fillForm(form, draft);
    this.note(this.t._('Draft restored.'));
    this.restored = true;
    if (kept) {
      this.schedule();
    }
    return true;
  };

  function attach(form, options) {
    const slot = form.querySelector('[data-sls="draft-note"]');
    const saver = new DraftSaver(Object.assign({
      note: function (text) {
        if (slot) {
          slot.textContent = text;
        }
      }
    }, options));
    saver.restore(form);
    form.addEventListener('input', function () {
      saver.schedule();
    });
    form.addEventListener('change', function () {
      saver.schedule();
    });
    return saver;
  }

  SLS.drafts = {DraftSaver: DraftSaver, attach: attach};
}(window));
