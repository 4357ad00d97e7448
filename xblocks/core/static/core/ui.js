/*
 * Social Learning Suite: page helpers shared by every component (extends window.SocialLearning).
 *
 *   - ui.Notices(root): the component's live regions, found by their data-sls names:
 *     "status" (shown and read out politely, cleared after a while), "sr-status" (read out only)
 *     and "alert" (errors, read out at once).
 *   - ui.busy(button, promise, notices): a button marked busy while its call runs; a failure goes
 *     to the alert region.
 *   - ui.fmtNodes(template, nodes) and ui.timeNode(iso, lang): translated text with elements in
 *     it ("Last activity {time}") and <time> elements with a relative date.
 *   - ui.readOnly(root, message): a page that may only be read (e.g. staff viewing the course as
 *     a learner): the message shown once at the top, every write control removed.
 */
(function (global) {
  'use strict';
  const SLS = global.SocialLearning;
  if (!SLS || SLS.ui) {
    return;
  }
  const el = SLS.el;

  // ----- live regions ------------------------------------------------------------------------------
  function Notices(root) {
    this.root = root;
    this.timer = null;
  }

  Notices.prototype.region = function (name) {
    return this.root.querySelector('[data-sls="' + name + '"]');
  };

  /** Say something politely: shown and read out, or read out only (`quiet`, e.g. keyboard hints). */
  Notices.prototype.announce = function (text, quiet) {
    const status = this.region(quiet ? 'sr-status' : 'status');
    if (!status) {
      return;
    }
    if (!quiet) {
      clearTimeout(this.timer);
    }
    status.textContent = '';
    // A fresh text node after a tick makes screen readers announce repeated messages too.
    setTimeout(function () {
      status.textContent = text;
    }, 30);
    if (!quiet) {
      this.timer = setTimeout(function () {
        status.textContent = '';
      }, 8000);
    }
  };

  Notices.prototype.showAlert = function (text) {
    const alert = this.region('alert');
    if (!alert) {
      return;
    }
    alert.textContent = '';
    setTimeout(function () {
      alert.textContent = text;
    }, 30);
  };

  Notices.prototype.clearAlert = function () {
    const alert = this.region('alert');
    if (alert) {
      alert.textContent = '';
    }
  };

  // ----- busy buttons ----------------------------------------------------------------------------------
  /** Run an action call with the button marked busy; errors go to the alert region. */
  function busy(button, promise, notices) {
    button.setAttribute('aria-busy', 'true');
    notices.clearAlert();
    return promise.catch(function (err) {
      notices.showAlert(err.message);
      throw err;
    }).finally(function () {
      button.removeAttribute('aria-busy');
    });
  }

  // ----- text with elements, and dates ---------------------------------------------------------------
  /** "Last activity {time}" with an element in place of {time}: a list of strings and nodes. */
  function fmtNodes(template, nodes) {
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

  function timeNode(iso, lang) {
    const when = SLS.timeAgo(iso, lang);
    return el('time', {datetime: iso, title: when.title, text: when.text});
  }

  // ----- read-only pages -------------------------------------------------------------------------------
  /**
   * When `message` is a non-empty string, the page may only be read: the root gets the class
   * sls-is-read-only, the message is shown once after the header as a note, and every element
   * marked data-sls-write leaves the page (not merely hidden: nothing of it can take focus); a
   * container left without elements is hidden. Returns whether the page is read-only. The
   * component's render functions skip their own write controls when it is.
   */
  function readOnly(root, message) {
    if (typeof message !== 'string' || !message.trim()) {
      return false;
    }
    root.classList.add('sls-is-read-only');
    if (!root.querySelector('[data-sls="read-only"]')) {
      const note = el('p', {class: 'sls-notice sls-read-only-note', role: 'note', data: {sls: 'read-only'},
        text: message});
      const header = root.querySelector(':scope > header');
      root.insertBefore(note, header ? header.nextSibling : root.firstChild);
    }
    root.querySelectorAll('[data-sls-write]').forEach(function (node) {
      const parent = node.parentElement;
      node.remove();
      if (parent && parent !== root && !parent.children.length) {
        parent.hidden = true;
      }
    });
    return true;
  }

  SLS.ui = {Notices: Notices, busy: busy, fmtNodes: fmtNodes, timeNode: timeNode, readOnly: readOnly};
}(window));
