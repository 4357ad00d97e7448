/*
 * Introductions, matching part: a few people the learner could meet, each with its reasons (the server's
 * `suggestions`, in the page's init data and again after the learner posts or changes their introduction).
 */
(function () {
  'use strict';

  const SLS = window.SocialLearning;
  const el = SLS.el;

  SLS.intros.part('matching', function (page) {
    const slot = page.slot('aside');
    if (!slot) {
      return;
    }
    const t = page.t;
    const list = el('ul', {class: 'sls-intros__matches', role: 'list'});
    const note = el('p', {class: 'sls-hint'});
    slot.appendChild(el('section', {class: 'sls-intros__matching', 'aria-label': t._('People to meet')}, [
      el('h3', {text: t._('People to meet')}), note, list
    ]));

    function show(data) {
      list.replaceChildren();
      note.textContent = '';
      if (!data.introduced) {
        note.textContent = t._('Post your introduction to see whom you could meet.');
        return;
      }
      if (!data.people.length) {
        note.textContent = t._('Nobody shares your topics yet.');
        return;
      }
      data.people.forEach(function (person) {
        list.appendChild(el('li', {class: 'sls-intros__match'}, [
          el('strong', {text: person.name}),
          el('ul', {class: 'sls-intros__reasons', role: 'list'}, person.reasons.map(function (reason) {
            return el('li', {text: reason});
          }))
        ]));
      });
    }

    show(page.init.suggestions || {people: [], introduced: false});
    page.on('saved', function () {
      page.call('suggestions', {}).then(show, function () {});
    });
    page.on('group', function () {
      page.call('suggestions', {}).then(show, function () {});
    });
  });
}());
