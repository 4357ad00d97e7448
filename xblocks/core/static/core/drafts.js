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
 *   note     optional (text) -> void; default: the form's [data-sls="draft-note"].
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

  function DraftSaver(options) {
    this.key = options.key;
    this.collect = options.collect;
    this.send = options.save;
    this.drafts = options.drafts;
    this.t = options.t;
    this.note = options.note;
    this.chain = Promise.resolve();
    this.sent = 0;
    this.restored = false;
    this.schedule = SLS.debounce(this.save.bind(this), options.delay || DRAFT_DELAY);
  }

  DraftSaver.prototype.save = function () {
    const self = this;
    const key = this.key;
    const data = Object.assign({key: key}, this.collect());
    const _ = this.t._;
    this.sent += 1;
    this.chain = this.chain.then(function () {
      return self.send(data).then(function (result) {
        if (result.saved) {
          self.drafts[key] = data;
          self.note(_('Draft saved.'));
        } else {
          delete self.drafts[key];
          self.note('');
        }
      }, function (err) {
        self.note(_('The draft could not be saved: {message}', {message: err.message}));
      });
    });
  };

  /** Forget the draft (after posting): the server forgot it already; make sure a late save does not revive it. */
  DraftSaver.prototype.discard = function () {
    const self = this;
    const key = this.key;
    this.schedule.cancel();
    delete this.drafts[key];
    this.note('');
    if (this.sent) {
      this.sent = 0;
      this.chain = this.chain.then(function () {
        return self.send({key: key, title: '', body: ''}).catch(function () {});
      });
    }
  };

  /** Put the page's draft back in the form; returns whether there was one. */
  DraftSaver.prototype.restore = function (form) {
    const draft = this.drafts[this.key];
    if (!draft) {
      return false;
    }
    SLS.forms.fill(form, draft);
    this.note(this.t._('Draft restored.'));
    this.restored = true;
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
