/*
 * Reflection blog: coaches (see blog.js for the hooks a part uses; the server side is coaches.py).
 *
 * A learner sees who their coach is (in the header). A coach opens the coach view: the entries shared with them,
 * grouped by learner, with what still waits for a coach comment and since when. Course staff also assign coaches
 * there (to a group, everyone, or one learner).
 */
(function () {
  'use strict';
  const SLS = window.SocialLearning;
  const el = SLS.el;
  const fmtNodes = SLS.ui.fmtNodes;

  SLS.blog.part('coaches', function (blog) {
    const _ = blog.t._;
    const n_ = blog.t.n_;
    const coaching = blog.init.coaching || {};
    const roles = blog.init.roles || {};
    const isStaff = !!roles.is_staff;
    const header = blog.slot('header');
    const views = blog.slot('views');

    // ----- who is my coach -----------------------------------------------------------------------------
    const mine = coaching.mine;
    if (header && mine && !isStaff) {
      let text;
      if (!mine.course_team) {
        text = _('Your coach: {names}', {names: mine.names.join(', ')});
      } else if (mine.names.length) {
        text = _('Your coach: the course team ({names})', {names: mine.names.join(', ')});
      } else {
        text = _('Your coach: the course team');
      }
      header.appendChild(el('p', {class: 'sls-blog__my-coach', data: {sls: 'my-coach'}, text: text}));
    }
    if (!coaching.is_coach || !views) {
      return;
    }

    // ----- the coach view --------------------------------------------------------------------------------
    const titleId = SLS.uid('sls-coach-view');
    const learners = el('ol', {class: 'sls-blog__coach-learners', role: 'list', 'aria-busy': 'false'});
    const heading = el('h3', {id: titleId, tabindex: '-1', text: _('Coach view')});
    const back = el('button', {type: 'button', class: 'sls-btn sls-btn--quiet sls-back'}, [
      el('span', {'aria-hidden': 'true', text: '← '}), _('Back to the entries')]);
    const view = el('section', {class: 'sls-blog__coach-view', 'aria-labelledby': titleId, hidden: true,
      data: {sls: 'coach-view'}}, [back, heading, learners]);
    views.appendChild(view);
    const open = el('button', {type: 'button', class: 'sls-btn', 'aria-expanded': 'false', data: {sls: 'coach-open'},
      text: _('Coach view')});
    if (header) {
      header.appendChild(el('div', {class: 'sls-bar sls-blog__coach-bar'}, [open]));
    }
    let opener = open;

    open.addEventListener('click', function () {
      show();
    });
    back.addEventListener('click', function () {
      blog.showFeed(false);
      opener.focus();
    });
    blog.on('views-hidden', function () {
      view.hidden = true;
      open.setAttribute('aria-expanded', 'false');
    });

    function show() {
      blog.hideViews();
      view.hidden = false;
      open.setAttribute('aria-expanded', 'true');
      heading.focus();
      load();
      if (isStaff) {
        loadAssignments();
      }
    }

    function load() {
      learners.setAttribute('aria-busy', 'true');
      return blog.call('coach_view', {}).then(function (answer) {
        learners.replaceChildren();
        if (!answer.learners.length) {
          learners.appendChild(el('li', {class: 'sls-hint', text: _('No entries are shared with you as a coach yet.')}));
        }
        answer.learners.forEach(function (row) {
          learners.appendChild(learnerItem(row));
        });
      }, function (err) {
        blog.notices.showAlert(err.message);
      }).finally(function () {
        learners.setAttribute('aria-busy', 'false');
      });
    }

    function learnerItem(row) {
      const waiting = el('ol', {class: 'sls-blog__coach-waiting', role: 'list'}, row.entries_waiting.map(function (entry) {
        return el('li', {}, [
          el('button', {type: 'button', class: 'sls-link', text: entry.title, onclick: function (event) {
            opener = open;
            blog.hideViews();
            blog.openEntry(entry.id);
            event.preventDefault();
          }}),
          ' ',
          el('span', {class: 'sls-meta'}, fmtNodes(_('Waiting since {time}'), {time: blog.timeNode(entry.created)}))
        ]);
      }));
      return el('li', {class: 'sls-blog__coach-learner' + (row.waiting ? ' is-waiting' : '')}, [
        el('h4', {text: row.name}),
        el('p', {class: 'sls-meta'}, [
          n_('{count} entry shared', '{count} entries shared', row.entries), ' · ',
          el('strong', {text: row.waiting ? n_('{count} waits for a comment', '{count} wait for a comment',
            row.waiting) : _('Nothing waits for a coach comment.')}),
          row.waiting_since ? ' · ' : '',
          row.waiting_since ? el('span', {}, fmtNodes(_('Waiting since {time}'), {
            time: blog.timeNode(row.waiting_since)})) : ''
        ]),
        row.entries_waiting.length ? el('p', {class: 'sls-visually-hidden', text: _('Waiting for a coach comment')}) :
          null,
        row.entries_waiting.length ? waiting : null
      ]);
    }

    // ----- assigning coaches (course staff) ------------------------------------------------------------------
    if (!isStaff) {
      return;
    }
    const assignTitle = SLS.uid('sls-coaches');
    const assignments = el('ul', {class: 'sls-blog__coach-assignments', role: 'list'});
    const coachId = SLS.uid('sls-coach-name');
    const whomId = SLS.uid('sls-coach-whom');
    const learnerId = SLS.uid('sls-coach-learner');
    const listId = SLS.uid('sls-coach-candidates');
    const whom = el('select', {id: whomId, name: 'whom'});
    const candidates = el('datalist', {id: listId});
    const form = el('form', {class: 'sls-form sls-blog__coach-form', novalidate: true, data: {slsWrite: ''}}, [
      el('p', {class: 'sls-form-error', role: 'alert', data: {sls: 'form-error'}}),
      el('div', {class: 'sls-field'}, [el('label', {for: coachId, text: _('Username of the coach')}),
        el('input', {id: coachId, name: 'coach', type: 'text', list: listId, autocomplete: 'off', maxlength: 150}),
        candidates, el('p', {class: 'sls-field-error', data: {slsError: 'coach'}})]),
      el('div', {class: 'sls-field'}, [el('label', {for: whomId, text: _('Whom they coach')}), whom,
        el('p', {class: 'sls-field-error', data: {slsError: 'whom'}})]),
      el('div', {class: 'sls-field'}, [el('label', {for: learnerId, text: _('Or one learner (username)')}),
        el('input', {id: learnerId, name: 'learner', type: 'text', autocomplete: 'off', maxlength: 150,
          'aria-describedby': learnerId + '-hint'}),
        el('p', {class: 'sls-hint', id: learnerId + '-hint',
          text: _('Optional: the coach then coaches this learner only, whatever their group.')}),
        el('p', {class: 'sls-field-error', data: {slsError: 'learner'}})]),
      el('div', {class: 'sls-actions'}, [el('button', {type: 'submit', class: 'sls-btn sls-btn--primary',
        text: _('Add coach')})])
    ]);
    view.appendChild(el('section', {class: 'sls-blog__coaches', 'aria-labelledby': assignTitle}, [
      el('h4', {id: assignTitle, tabindex: '-1', text: _('Assigned coaches')}), assignments, form]));

    function renderAssignments(answer) {
      assignments.replaceChildren();
      if (!answer.assignments.length) {
        assignments.appendChild(el('li', {class: 'sls-hint',
          text: _('No coach assigned: the course team coaches every learner.')}));
      }
      answer.assignments.forEach(function (row) {
        assignments.appendChild(el('li', {}, [
          el('span', {text: row.coach.name + ' (' + row.coach.username + ') → ' + row.whom}), ' ',
          blog.readOnly || row.whole_course ? null : el('button', {type: 'button', class: 'sls-btn sls-btn--small',
            text: _('Remove'), 'aria-label': _('Remove {coach} as coach of {whom}?', {coach: row.coach.name,
              whom: row.whom}).replace('?', ''), onclick: function (event) {
              if (!window.confirm(_('Remove {coach} as coach of {whom}?', {coach: row.coach.name, whom: row.whom}))) {
                return;
              }
              SLS.ui.busy(event.currentTarget, blog.call('unassign_coach', {id: row.id}), blog.notices)
                .then(function (again) {
                  renderAssignments(again);
                  blog.notices.announce(_('Coach removed.'));
                  document.getElementById(assignTitle).focus();
                  load();
                }, function () {});
            }})
        ]));
      });
      const current = whom.value;
      whom.replaceChildren(el('option', {value: '*', text: _('Everyone in the course')}));
      answer.groups.forEach(function (group) {
        whom.appendChild(el('option', {value: group.key, text: group.name}));
      });
      whom.value = current || '*';
      candidates.replaceChildren.apply(candidates, answer.candidates.map(function (person) {
        return el('option', {value: person.username, label: person.name});
      }));
    }

    function loadAssignments() {
      return blog.call('list_coaches', {}).then(renderAssignments, function (err) {
        blog.notices.showAlert(err.message);
      });
    }

    form.addEventListener('submit', function (event) {
      event.preventDefault();
      const data = {coach: form.elements.namedItem('coach').value, whom: whom.value,
        learner: form.elements.namedItem('learner').value};
      blog.forms.send(form, function () {
        return blog.call('assign_coach', data);
      }, function (answer) {
        renderAssignments(answer);
        form.elements.namedItem('coach').value = '';
        form.elements.namedItem('learner').value = '';
        blog.notices.announce(_('Coach assigned.'));
        load();
      });
    });
  });
}());
