/* The browser's half of the OIDC state: a secret kept in this frame's own storage (localStorage) or
 * in the platform's storage over postMessage (lti.put_data / lti.get_data) when the platform offers
 * it (lti_storage_target). No cookie is involved, so it works when third-party cookies are blocked.
 * SlsLtiStorage.platform(target, origin, subject, payload) asks the platform's storage directly. */
var SlsLtiStorage = (function () {
  'use strict';
  var PREFIX = 'sls-lti-state-';

  function local(action, key, value) {
    try {
      if (action === 'put') {
        window.localStorage.setItem(PREFIX + key, value);
        return window.localStorage.getItem(PREFIX + key) === value;
      }
      return window.localStorage.getItem(PREFIX + key);
    } catch (err) {
      return action === 'put' ? false : null;
    }
  }

  function platform(target, origin, subject, payload, timeout) {
    return new Promise(function (resolve) {
      var frame = null;
      try {
        frame = target === '_parent' ? window.parent : window.parent.frames[target];
      } catch (err) {
        frame = null;
      }
      if (!target || !frame || !origin || frame === window) {
        resolve(null);
        return;
      }
      var id = 'sls-' + Math.random().toString(36).slice(2);
      // A platform that offers its storage answers at once; a slow or busy device (a phone, a frame in its own
      // process) can take seconds, and giving up sends the person to a new window or a "browser changed" page.
      var timer = setTimeout(function () { done(null); }, timeout || 8000);
      function done(result) {
        clearTimeout(timer);
        window.removeEventListener('message', listen);
        resolve(result);
      }
      function listen(event) {
        var data = event.data || {};
        if (event.origin !== origin || data.message_id !== id || data.subject !== subject + '.response') {
          return;
        }
        done(data.error ? null : data);
      }
      window.addEventListener('message', listen);
      try {
        frame.postMessage(Object.assign({subject: subject, message_id: id}, payload), origin);
      } catch (err) {
        done(null);
      }
    });
  }

  return {
    platform: platform,
    put: function (data, key, value) {
      var stored = local('put', key, value);
      var target = data.storage_target;
      if (!target) {
        return Promise.resolve(stored);
      }
      return platform(target, data.platform_origin, 'lti.put_data', {key: PREFIX + key, value: value})
        .then(function (answer) { return stored || !!answer; });
    },
    get: function (data, key) {
      var value = local('get', key);
      if (value || !data.storage_target) {
        return Promise.resolve(value);
      }
      return platform(data.storage_target, data.platform_origin, 'lti.get_data', {key: PREFIX + key})
        .then(function (answer) { return answer ? answer.value : null; });
    }
  };
}());
