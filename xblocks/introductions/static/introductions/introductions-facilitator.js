/*
 * Introductions, facilitator part (course staff only): who has and has not introduced themselves in the group
 * picked (or the whole course), and what the group wants to learn and can offer, with how many people said so.
 */
(function () {
  'use strict';

  const SLS = window.SocialLearning;
  const el = SLS.el;

  SLS.intros.part('facilitator', function (page) {
    const roles = page.init.roles || {};
    const bar = page.slot('bar');
    const views = page.slot('views');
    if (!roles.is_staff || !bar || !views) {
      return;
    }
    const t = page.t;
    const heading = el('h3', {tabindex: '-1', text: t._('Facilitator view')});
    const body = el('div', {'aria-busy': 'false'});
    const back = el('button', {type: 'button', class: 'sls-btn sls-btn--quiet sls-back',
      text: t._('Back to the introductions')});
    const section = el('section', {class: 'sls-intros__facilitator', hidden: true}, [heading, body, back]);
    views.appendChild(section);
    const open = el('button', {type: 'button', class: 'sls-btn', 'aria-expanded': 'false',
      text: t._('Facilitator view')});
    bar.appendChild(open);

    function people(title, list, empty) {
      return el('div', {class: 'sls-intros__people'}, [
        el('h4', {text: title + ' · ' + t.n_('{count} person', '{count} people', list.length)}),
        list.length ? el('ul', {role: 'list'}, list.map(function (p) {
          return el('li', {text: p.name + (p.group ? ' (' + p.group + ')' : '')});
        })) : el('p', {class: 'sls-hint', text: empty})
      ]);
    }

    function counts(title, list) {
      return el('div', {class: 'sls-intros__counts'}, [
        el('h4', {text: title}),
        list.length ? el('ul', {role: 'list'}, list.map(function (row) {
          return el('li', {}, [el('span', {text: row.topic}), ' ',
            el('span', {class: 'sls-badge', text: t.n_('{count} person', '{count} people', row.count)})]);
        })) : el('p', {class: 'sls-hint', text: t._('Nobody yet.')})
      ]);
    }

    function load() {
      body.setAttribute('aria-busy', 'true');
      return SLS.ui.busy(open, page.call('facilitator_overview', {}), page.notices).then(function (data) {
        body.replaceChildren(
          people(t._('Not introduced yet'), data.missing, t._('Everyone has introduced themselves.')),
          people(t._('Introduced'), data.introduced, t._('Nobody yet.')),
          counts(t._('What the group wants to learn'), data.learn),
          counts(t._('What the group can offer'), data.offer));
      }, function () {}).finally(function () {
        body.setAttribute('aria-busy', 'false');
      });
    }

    function close() {
      section.hidden = true;
      page.showMain();
      open.setAttribute('aria-expanded', 'false');
      open.focus();
    }

    open.addEventListener('click', function () {
      load().then(function () {
        page.hideMain();
        section.hidden = false;
        open.setAttribute('aria-expanded', 'true');
        heading.focus();
      });
    });
    back.addEventListener('click', close);
    page.on('group', function () {
      if (!section.hidden) {
        load();
      }
    });
  });
}());
