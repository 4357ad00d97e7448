/*
 * Social Learning Suite: one start-up for every component, in both runtimes (extends window.SocialLearning).
 *
 * SocialLearning.boot(runtime, element, args, {rootSelector, dataSelector, requires, start}) is
 * what a component's entry point calls:
 *   - Open edX calls the entry point with (runtime, element, args): `element` (or its jQuery
 *     wrapper) is or holds the root; handler URLs come from runtime.handlerUrl for the names in
 *     `init.handlers`;
 *   - the LTI page calls it with (null, root, args): the URLs are in the init data.
 * The init data is `args` merged with the page's <script type="application/json"> (dataSelector,
 * inside the root; it wins). Nothing starts without URLs, or when the root lacks `requires` (e.g.
 * a closed page). The root is marked data-sls-ready once (a second call does nothing) and
 * `start(root, init)` runs; its return value is returned.
 *
 * A page that carries a launch token instead of a session (`init.client.headers.Authorization`)
 * and `init.renew` = {url, seconds, onToken} renews the token every `seconds` while it stays open.
 */
(function (global) {
  'use strict';
  const SLS = global.SocialLearning;
  if (!SLS || SLS.boot) {
    return;
  }

  /** Keep a launch token fresh: POST to renew.url with it, use the answer's token from then on (and hand it to
   * renew.onToken, when given). Also renews at once when the page is shown again after a renewal was due
   * (a hidden tab's timers are slowed down). */
  function renewToken(init) {
    const headers = init.client && init.client.headers;
    const renew = init.renew;
    if (!headers || !headers.Authorization || !renew || !renew.url || !(renew.seconds > 0)) {
      return null;
    }
    let last = Date.now();
    function renewNow() {
      last = Date.now();
      fetch(renew.url, {method: 'POST', headers: {'Authorization': headers.Authorization}})
        .then(function (response) { return response.ok ? response.json() : null; })
        .then(function (body) {
          if (body && body.token) {
            headers.Authorization = 'Bearer ' + body.token; // the client sends this same object
            if (typeof renew.onToken === 'function') {
              renew.onToken(body.token);
            }
          }
        }, function () { /* offline: try again later */ });
    }
    document.addEventListener('visibilitychange', function () {
      if (document.visibilityState === 'visible' && Date.now() - last >= renew.seconds * 1000) {
        renewNow();
      }
    });
    return setInterval(renewNow, renew.seconds * 1000);
  }

  SLS.boot = function (runtime, element, args, options) {
    if (element && element.jquery) {
      element = element[0];
    }
    if (!element) {
      return {};
    }
    const selector = options.rootSelector;
    const root = element.matches && element.matches(selector) ? element : element.querySelector(selector);
    if (!root || root.dataset.slsReady) {
      return {};
    }
    const init = Object.assign({}, args || {}, SLS.readJson(root, options.dataSelector) || {});
    if (!init.urls && init.handlers && runtime && runtime.handlerUrl) {
      init.urls = {};
      init.handlers.forEach(function (name) {
        init.urls[name] = runtime.handlerUrl(element, name);
      });
    }
    if (!init.urls || (options.requires && !root.querySelector(options.requires))) {
      return {}; // e.g. a closed page (not signed in, no group) has nothing to drive
    }
    root.dataset.slsReady = '1';
    const started = options.start(root, init) || {};
    renewToken(init);
    return started;
  };
  SLS.renewToken = renewToken;
}(window));
