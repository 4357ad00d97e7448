/*
 * Introductions, groupings part (course staff): in the facilitator view, pairs or small groups for a live session,
 * suggested by the server (everyone placed, best matches together, no pair of an earlier session again), moved by
 * hand, saved, and printed with a name card per person (the print style sheet shows only this).
 */
(function () {
  'use strict';

  const SLS = window.SocialLearning;
  const el = SLS.el;

  SLS.intros.part('groupings', function (page) {
    const view = page.root.querySelector('.sls-intros__facilitator');
    if (!view || !(page.init.roles || {}).is_staff) {
      return;
    }
    const t = page.t;
    const sessions = page.init.sessions || [];
    let groups = [];
    const uid = SLS.uid('sls-groups');
    const session = el('select', {id: uid + '-session'}, (sessions.length ? sessions : [{index: 0, title: ''}])
      .map(function (s) {
        return el('option', {value: String(s.index), text: s.title || t._('Session')});
      }));
    const size = el('input', {id: uid + '-size', type: 'number', min: '2', max: '8', value: '2'});
    const suggest = el('button', {type: 'button', class: 'sls-btn', text: t._('Suggest groups')});
    const save = el('button', {type: 'button', class: 'sls-btn sls-btn--primary', text: t._('Save groups'),
      hidden: true});
    const print = el('button', {type: 'button', class: 'sls-btn', text: t._('Print'), hidden: true});
    const note = el('p', {class: 'sls-hint', 'aria-live': 'polite'});
    const error = el('p', {class: 'sls-field-error', role: 'alert'});
    const list = el('ol', {class: 'sls-intros__groups'});
    const cards = el('div', {class: 'sls-intros__name-cards'});
    const heading = el('h4', {text: t._('Groups for a session')});
    const section = el('section', {class: 'sls-intros__groupings', 'aria-label': t._('Groups for a session')}, [
      heading,
      el('div', {class: 'sls-intros__group-controls sls-no-print'}, [
        el('div', {class: 'sls-field sls-field--inline'}, [el('label', {for: uid + '-session', text: t._('Session')}),
          session]),
        el('div', {class: 'sls-field sls-field--inline'}, [
          el('label', {for: uid + '-size', text: t._('People per group')}), size]),
        suggest, save, print
      ]),
      error, note, list,
      el('h4', {class: 'sls-intros__print-only', text: t._('Name cards')}), cards
    ]);
    view.insertBefore(section, view.querySelector('.sls-back'));

    function render() {
      list.replaceChildren();
      cards.replaceChildren();
      groups.forEach(function (group, index) {
        const label = t._('Group {number}', {number: index + 1});
        list.appendChild(el('li', {class: 'sls-intros__group'}, [
          el('h5', {text: label}),
          el('ul', {role: 'list'}, group.map(function (person) {
            const move = el('select', {'aria-label': t._('Move {name} to', {name: person.name}),
              class: 'sls-no-print'}, groups.map(function (_g, target) {
              return el('option', {value: String(target), text: t._('Group {number}', {number: target + 1})});
            }));
            move.value = String(index);
            move.addEventListener('change', function () {
              const target = parseInt(move.value, 10);
              groups[index] = groups[index].filter(function (p) { return p.id !== person.id; });
              groups[target].push(person);
              groups = groups.filter(function (g) { return g.length; });
              render();
              const again = list.querySelector('[aria-label="' + t._('Move {name} to', {name: person.name})
                .replace(/"/g, '\\"') + '"]');
              if (again) {
                again.focus();
              }
            });
            return el('li', {}, [el('span', {text: person.name}), ' ', move]);
          }))
        ]));
        group.forEach(function (person) {
          cards.appendChild(el('div', {class: 'sls-intros__name-card'}, [
            el('strong', {text: person.name}), el('span', {text: label})]));
        });
      });
      save.hidden = print.hidden = !groups.length;
    }

    function show(result) {
      groups = result.groups;
      note.textContent = !groups.length ? '' : (result.saved ? t._('Saved groups of this session.') :
        (result.repeats ? t.n_('{count} pair meets again from an earlier session.',
          '{count} pairs meet again from an earlier session.', result.repeats) :
          t._('Suggested: nobody meets someone they met at an earlier session.')));
      render();
    }

    function run(button, action, data) {
      error.textContent = '';
      return SLS.ui.busy(button, page.call(action, data), page.notices).then(show, function (err) {
        error.textContent = err.message;
      });
    }

    function load() {
      error.textContent = '';
      page.call('saved_groups', {session: parseInt(session.value, 10)}).then(show, function (err) {
        error.textContent = err.message;
      });
    }

    suggest.addEventListener('click', function () {
      run(suggest, 'suggest_groups', {session: parseInt(session.value, 10), size: parseInt(size.value, 10)});
    });
    save.addEventListener('click', function () {
      run(save, 'save_groups', {session: parseInt(session.value, 10), groups: groups.map(function (g) {
        return g.map(function (p) { return p.id; });
      })}).then(function () {
        if (!error.textContent) {
          page.notices.announce(t._('Groups saved.'));
        }
      });
    });
    print.addEventListener('click', function () {
      window.print();
    });
    session.addEventListener('change', load);
    page.on('group', load);
    load();
  });
}());
