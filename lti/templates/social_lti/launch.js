/* The launch token of a page, kept out of every URL: the page arrives by a POST that carries it, keeps it for
 * the tab under its activity (each tab and each activity has its own) and shows an address without it; a
 * reload, Back or Forward asks that address again (a GET), and the small page it answers posts the kept token
 * back and shows the answer in its place. The tab keeps it in sessionStorage or, in a frame that may keep nothing (third-party storage blocked),
 * in the platform's storage when the platform offers it (lti.put_data, see storage.js). Forms that lead to
 * another page of the activity carry it in a "launch" field. Needs storage.js (SlsLtiStorage). */
var SlsLtiLaunch = (function () {
  'use strict';
  var PREFIX = 'sls-lti-launch-';

  function session(activity, token) {
    try {
      if (token === undefined) {
        return window.sessionStorage.getItem(PREFIX + activity);
      }
      window.sessionStorage.setItem(PREFIX + activity, token);
      return token;
    } catch (err) {
      return null; // storage blocked
    }
  }

  function platform(storage, subject, payload) {
    if (!storage || !storage.target) {
      return Promise.resolve(null);
    }
    return SlsLtiStorage.platform(storage.target, storage.origin, subject, payload);
  }

  /** Keep ``token`` for the activity: in the tab, and in every form of the page that posts it. */
  function store(data, token) {
    if (!session(data.activity, token)) {
      platform(data.storage, 'lti.put_data', {key: PREFIX + data.activity, value: token});
    }
    document.querySelectorAll('input[type="hidden"][name="launch"]').forEach(function (field) {
      field.value = token;
    });
  }

  /** A page that arrived with its token (data: {token, activity, address, storage, renew}): keep the token and
   * show the page's address without it (the history entry becomes a GET, so a reload asks the tab for it).
   * Returns the function to call with each renewed token. */
  function keep(data) {
    store(data, data.token);
    window.history.replaceState(window.history.state, '', data.address + window.location.hash);
    return function (token) {
      store(data, token);
    };
  }

  /** Renew the token every data.renew.seconds while the page stays open (for pages without core's boot). */
  function renew(data) {
    var token = data.token;
    var kept = keep(data);
    setInterval(function () {
      fetch(data.renew.url, {method: 'POST', headers: {'Authorization': 'Bearer ' + token}})
        .then(function (response) { return response.ok ? response.json() : null; })
        .then(function (body) {
          if (body && body.token) {
            token = body.token;
            kept(token);
          }
        }, function () { /* offline: try again later */ });
    }, data.renew.seconds * 1000);
  }

  /** The page of an address without its token (data: {storage}): post the token the tab keeps for ?activity= to
   * the same address and show its answer here, or show ``lost`` (an alert in the page's panel). */
  function resume(data, loading, lost) {
    var activity = new URLSearchParams(window.location.search).get('activity');
    if (!activity || !/^[0-9]+$/.test(activity)) {
      activity = null;
    }
    var token = activity && session(activity);
    var found = token || !activity ? Promise.resolve(token) :
      platform(data.storage, 'lti.get_data', {key: PREFIX + activity}).then(function (answer) {
        return answer && answer.value;
      });
    function fail() {
      loading.hidden = true;
      lost.hidden = false;
      lost.parentNode.classList.add('sls-lti-error');
    }
    found.then(function (value) {
      if (!value) {
        fail();
        return;
      }
      // The page in place of this one, in the same history entry (a form's post would add one once the platform's
      // storage answered, after this page loaded): its address stays, thread fragment included.
      fetch(window.location.pathname + window.location.search,
            {method: 'POST', body: new URLSearchParams({launch: value}), credentials: 'omit'})
        .then(function (response) { return response.text(); })
        .then(function (html) {
          document.open();
          document.write(html);
          document.close();
        }, fail);
    });
  }

  return {keep: keep, renew: renew, resume: resume};
}());
