/*
 * Social Learning Suite: the front-end client shared by every component.
 *
 * Plain JavaScript, no build step. Defines window.SocialLearning once (several components on a
 * page load this file several times); ui.js, forms.js, drafts.js, mentions.js and boot.js extend it
 * (xblocks/core/assets.py lists them in loading order):
 *   - client(urls, options): JSON calls to the component's endpoints. The URLs come from the
 *     page at start-up (runtime.handlerUrl in Open edX, tool URLs in LTI). Errors reject with an
 *     ApiError {status, code, message, fields} built from {"error": {code, message, fields}}.
 *   - i18n(catalog, namespace): gettext helpers; strings come from the catalogue the server sent
 *     (already translated), then the component's JS catalogue, then window.gettext.
 *   - small DOM helpers: el() builds elements with text as textContent (never innerHTML).
 */
(function (global) {
  'use strict';
  if (global.SocialLearning && global.SocialLearning.version) {
    return;
  }

  const SLS = {version: 1};

  // ----- i18n ---------------------------------------------------------------------------------
  function format(text, params) {
    if (!params) {
      return text;
    }
    return String(text).replace(/\{(\w+)\}/g, function (match, key) {
      return Object.prototype.hasOwnProperty.call(params, key) ? String(params[key]) : match;
    });
  }

  SLS.i18n = function (catalog, namespace) {
    catalog = catalog || {};
    const strings = catalog.strings || {};
    const plurals = catalog.plurals || {};
    const ns = namespace ? global[namespace] : null;
    const gettext = (ns && ns.gettext) || global.gettext || null;
    const ngettext = (ns && ns.ngettext) || global.ngettext || null;
    const lang = (document.documentElement.getAttribute('lang') || global.navigator.language || 'en');
    let rules = null;
    try {
      rules = new Intl.PluralRules(lang);
    } catch (err) {
      rules = null;
    }
    let numbers = null;
    try {
      numbers = new Intl.NumberFormat(lang);
    } catch (err) {
      numbers = null;
    }

    function _(text, params) {
      let out = text;
      if (Object.prototype.hasOwnProperty.call(strings, text)) {
        out = strings[text];
      } else if (gettext) {
        out = gettext(text);
      }
      return format(out, params);
    }

    function n_(singular, plural, count, params) {
      const values = Object.assign({count: numbers ? numbers.format(count) : count}, params || {});
      const entry = plurals[singular];
      let text;
      if (entry) {
        const category = rules ? rules.select(count) : (count === 1 ? 'one' : 'other');
        text = entry[category] || entry.other || plural;
      } else if (ngettext) {
        text = ngettext(singular, plural, count);
      } else {
        text = count === 1 ? singular : plural;
      }
      return format(text, values);
    }

    /** A string whose translation depends on what it is said of (e.g. a "New" badge on a reply or on a
     * comment, which French writes "Nouvelle" and "Nouveau"): the catalogue keys it as
     * context + "\u0004" + text, as gettext does. */
    function p_(context, text, params) {
      const key = context + '\u0004' + text;
      if (Object.prototype.hasOwnProperty.call(strings, key)) {
        return format(strings[key], params);
      }
      const pgettext = (ns && ns.pgettext) || global.pgettext || null;
      return format(pgettext ? pgettext(context, text) : text, params);
    }

    return {_: _, n_: n_, p_: p_, format: format, lang: lang};
  };

  // ----- time -----------------------------------------------------------------------------------
  SLS.timeAgo = function (iso, lang) {
    const date = new Date(iso);
    if (isNaN(date.getTime())) {
      return {text: '', title: ''};
    }
    let title = date.toString();
    try {
      title = new Intl.DateTimeFormat(lang, {dateStyle: 'long', timeStyle: 'short'}).format(date);
    } catch (err) { /* keep toString */ }
    const seconds = Math.round((date.getTime() - Date.now()) / 1000);
    const steps = [['year', 31536000], ['month', 2592000], ['week', 604800], ['day', 86400],
      ['hour', 3600], ['minute', 60], ['second', 1]];
    let text = title;
    try {
      const rtf = new Intl.RelativeTimeFormat(lang, {numeric: 'auto'});
      const abs = Math.abs(seconds);
      if (abs < 45) {
        text = rtf.format(0, 'second');
      } else {
        for (let i = 0; i < steps.length; i++) {
          if (abs >= steps[i][1] || steps[i][0] === 'second') {
            text = rtf.format(Math.round(seconds / steps[i][1]), steps[i][0]);
            break;
          }
        }
      }
    } catch (err) { /* old browser: the absolute date */ }
    return {text: text, title: title};
  };

  // ----- DOM helpers ------------------------------------------------------------------------------
  let uidCounter = 0;
  SLS.uid = function (prefix) {
    uidCounter += 1;
    return (prefix || 'sls') + '-' + Date.now().toString(36) + '-' + uidCounter;
  };

  /**
   * el('button', {class: 'x', type: 'button', text: 'Save', data: {action: 'save'}}, [children])
   * Strings in children and `text` become text nodes: learner text is never parsed as HTML.
   */
  SLS.el = function (tag, attrs, children) {
    const node = document.createElement(tag);
    attrs = attrs || {};
    Object.keys(attrs).forEach(function (key) {
      const value = attrs[key];
      if (value === null || value === undefined || value === false) {
        return;
      }
      if (key === 'text') {
        node.textContent = value;
      } else if (key === 'class') {
        node.className = value;
      } else if (key === 'data') {
        Object.keys(value).forEach(function (name) {
          node.dataset[name] = value[name];
        });
      } else if (key === 'hidden') {
        node.hidden = true;
      } else if (key.slice(0, 2) === 'on' && typeof value === 'function') {
        node.addEventListener(key.slice(2), value);
      } else {
        node.setAttribute(key, value === true ? '' : String(value));
      }
    });
    (children || []).forEach(function (child) {
      if (child === null || child === undefined || child === false) {
        return;
      }
      node.appendChild(typeof child === 'string' ? document.createTextNode(child) : child);
    });
    return node;
  };

  SLS.debounce = function (fn, wait) {
    let timer = null;
    function debounced() {
      const args = arguments;
      const self = this;
      clearTimeout(timer);
      timer = setTimeout(function () {
        timer = null;
        fn.apply(self, args);
      }, wait);
    }
    debounced.cancel = function () {
      clearTimeout(timer);
      timer = null;
    };
    debounced.pending = function () {
      return timer !== null;
    };
    return debounced;
  };

  /** Parse the JSON in a <script type="application/json"> inside `root` (null when absent or empty). */
  SLS.readJson = function (root, selector) {
    const node = root.querySelector(selector);
    if (!node || !node.textContent.trim()) {
      return null;
    }
    try {
      return JSON.parse(node.textContent);
    } catch (err) {
      return null;
    }
  };

  SLS.cookie = function (name) {
    const parts = document.cookie ? document.cookie.split(';') : [];
    for (let i = 0; i < parts.length; i++) {
      const part = parts[i].trim();
      if (part.slice(0, name.length + 1) === name + '=') {
        return decodeURIComponent(part.slice(name.length + 1));
      }
    }
    return null;
  };

  // ----- the client -------------------------------------------------------------------------------
  function ApiError(status, code, message, fields) {
    this.name = 'ApiError';
    this.status = status;
    this.code = code || 'error';
    this.message = message || '';
    this.fields = fields || {};
  }
  ApiError.prototype = Object.create(Error.prototype);
  ApiError.prototype.constructor = ApiError;
  SLS.ApiError = ApiError;

  function errorFrom(status, body, fallback) {
    let error = body && body.error;
    if (typeof error === 'string') {
      return new ApiError(status, 'error', error, {});
    }
    if (error && typeof error === 'object') {
      if (!error.message && Array.isArray(error.messages)) {
        error = {code: 'invalid', message: error.messages.map(function (m) { return m.text; }).join(' ')};
      }
      return new ApiError(status, error.code, error.message || fallback, error.fields);
    }
    return new ApiError(status, status === 0 ? 'network' : 'error', fallback, {});
  }

  /**
   * client(urls, {headers, csrfToken, csrfCookieName, credentials, timeout, networkMessage})
   * .call(name, data) -> Promise of the decoded JSON; rejects with ApiError.
   * .upload(name, formData) -> the same for an upload action; .file(name, data) -> Promise of a Blob.
   * The CSRF token: `csrfToken`, else the cookie named `csrfCookieName` (default 'csrftoken': sites
   * that rename Django's CSRF cookie pass its name).
   */
  SLS.client = function (urls, options) {
    options = options || {};
    const timeout = options.timeout || 30000;
    const networkMessage = options.networkMessage ||
      'Could not reach the server. Your text is still here; please try again.';

    /** POST to action `name`; `body` is a JSON string or a FormData (an upload); `asFile`: answer a Blob. */
    function send(name, body, asFile) {
      const url = urls[name];
      if (!url) {
        return Promise.reject(new ApiError(0, 'no_endpoint', 'Unknown action: ' + name, {}));
      }
      const headers = Object.assign({
        'Accept': asFile ? '*/*' : 'application/json',
        'X-Requested-With': 'XMLHttpRequest'
      }, options.headers || {});
      if (typeof body === 'string') {
        headers['Content-Type'] = 'application/json';  // a FormData sets its own multipart type
      }
      const csrf = options.csrfToken || SLS.cookie(options.csrfCookieName || 'csrftoken');
      if (csrf) {
        headers['X-CSRFToken'] = csrf;
      }
      const controller = global.AbortController ? new AbortController() : null;
      const timer = controller ? setTimeout(function () { controller.abort(); }, asFile || typeof body !== 'string' ?
        timeout * 4 : timeout) : null;
      return fetch(url, {
        method: 'POST',
        credentials: options.credentials || 'same-origin',
        headers: headers,
        body: body,
        signal: controller ? controller.signal : undefined
      }).then(function (response) {
        if (asFile && response.ok) {
          return response.blob();
        }
        return response.text().then(function (text) {
          let decoded = null;
          try {
            decoded = text ? JSON.parse(text) : {};
          } catch (err) {
            decoded = null;
          }
          if (!response.ok) {
            throw errorFrom(response.status, decoded, networkMessage);
          }
          if (decoded === null) {
            throw new ApiError(response.status, 'bad_response', networkMessage, {});
          }
          return decoded;
        });
      }, function () {
        throw new ApiError(0, 'network', networkMessage, {});
      }).finally(function () {
        if (timer) {
          clearTimeout(timer);
        }
      });
    }

    /** An action answering JSON: Promise of the decoded JSON. */
    function call(name, data) {
      return send(name, JSON.stringify(data || {}), false);
    }

    /** An upload action (kind "upload"): `formData` holds its fields and files; Promise of the decoded JSON. */
    function upload(name, formData) {
      return send(name, formData, false);
    }

    /** A file action (kind "file"): Promise of a Blob; errors reject with ApiError as for `call`. */
    function file(name, data) {
      return send(name, JSON.stringify(data || {}), true);
    }

    return {call: call, upload: upload, file: file, urls: urls};
  };

  global.SocialLearning = SLS;
}(window));
