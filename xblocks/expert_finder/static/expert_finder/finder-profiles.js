/*
 * Expert finder, profiles part: my profile (completeness meter, edit form), another person's profile (what they
 * say, the vouches, the evidence I may check) and vouching ("I learned this from them"). See finder.js for the
 * hooks used here.
 */
(function () {
  'use strict';

  const SLS = window.SocialLearning;
  const el = SLS.el;

  SLS.finder.part('profiles', function (finder) {
    const _ = finder.t._;
    const n_ = finder.t.n_;
    const levels = {};
    (finder.init.levels || []).forEach(function (level) { levels[level.value] = level.label; });
    let me = finder.init.me;

    // ----- my profile, below the search ----------------------------------------------------------------
    const aside = el('section', {class: 'sls-finder__me', 'aria-labelledby': finder.root.dataset.slsKey + '-me'});
    finder.slot('aside').appendChild(aside);

    function showMine() {
      const done = me.completeness;
      const meterId = finder.root.dataset.slsKey + '-meter';
      aside.replaceChildren(
        el('h3', {id: finder.root.dataset.slsKey + '-me', text: _('You')}),
        el('p', {id: meterId, text: _('How complete your profile is: {percent}%', {percent: done.percent})}),
        el('progress', {max: '100', value: String(done.percent), 'aria-labelledby': meterId}),
        done.prompt ? el('p', {class: 'sls-hint', text: done.prompt}) : null,
        el('button', {type: 'button', class: 'sls-btn', 'data-sls-write': true, text: _('Edit my profile'),
          onclick: function (event) { edit(event.currentTarget); }})
      );
    }
    showMine();

    // ----- editing my profile ------------------------------------------------------------------------------
    function skillRow(skill) {
      const row = finder.template('skill');
      const id = SLS.uid('sls-skill');
      row.querySelector('[data-sls="skill-name"]').id = id + '-name';
      row.querySelector('[data-sls="skill-name-label"]').setAttribute('for', id + '-name');
      row.querySelector('[data-sls="skill-level"]').id = id + '-level';
      row.querySelector('[data-sls="skill-level-label"]').setAttribute('for', id + '-level');
      row.querySelector('[data-sls="skill-name"]').value = skill.name || '';
      row.querySelector('[data-sls="skill-level"]').value = String(skill.level || 2);
      row.querySelector('[data-sls="remove-skill"]').addEventListener('click', function () {
        const list = row.parentElement;
        row.remove();
        const next = list.querySelector('input');
        (next || list.parentElement.querySelector('[data-sls="add-skill"]')).focus();
      });
      return row;
    }

    function edit(opener) {
      const view = finder.template('edit');
      const form = view.querySelector('form');
      const profile = me.profile;
      ['headline', 'about', 'interests', 'wants_to_learn', 'languages', 'ask_me_about', 'contact'].forEach(
        function (name) { form.elements[name].value = profile[name] || ''; });
      form.elements.contact.value = profile.contact || 'forum';
      const visibility = form.querySelector('input[name="visibility"][value="' + profile.visibility + '"]') ||
        form.querySelector('input[name="visibility"][value="course"]');
      if (visibility) {
        visibility.checked = true;
      }
      form.elements.derived_opt_out.checked = !!profile.derived_opt_out;
      const skills = view.querySelector('[data-sls="skills"]');
      (profile.skills.length ? profile.skills : [{name: '', level: 2}]).forEach(function (skill) {
        skills.appendChild(skillRow(skill));
      });
      view.querySelector('[data-sls="add-skill"]').addEventListener('click', function () {
        const row = skillRow({name: '', level: 2});
        skills.appendChild(row);
        row.querySelector('input').focus();
      });
      view.querySelector('[data-sls="edit-cancel"]').addEventListener('click', function () {
        finder.showSearch(opener);
      });
      form.querySelectorAll('[data-max]').forEach(function (control) { finder.forms.attachCounter(control); });
      form.addEventListener('submit', function (event) {
        event.preventDefault();
        const data = {};
        ['headline', 'about', 'interests', 'wants_to_learn', 'languages', 'ask_me_about', 'contact'].forEach(
          function (name) { data[name] = form.elements[name].value; });
        const checked = form.querySelector('input[name="visibility"]:checked');
        data.visibility = checked ? checked.value : 'course';
        data.derived_opt_out = form.elements.derived_opt_out.checked;
        data.skills = Array.prototype.map.call(skills.children, function (row) {
          return {name: row.querySelector('[data-sls="skill-name"]').value,
            level: parseInt(row.querySelector('[data-sls="skill-level"]').value, 10)};
        }).filter(function (skill) { return skill.name.trim(); });
        finder.forms.send(form, function () {
          return finder.client.call('save_profile', data);
        }, function (answer) {
          me = answer;
          showMine();
          finder.run('profile-saved', answer);
          finder.showSearch(aside.querySelector('button'));
          finder.notices.announce(_('Profile saved.'));
        });
      });
      finder.showView(view);
    }

    // ----- another person's profile --------------------------------------------------------------------------
    function list(title, items) {
      if (!items || !items.length) {
        return null;
      }
      return el('div', {class: 'sls-finder__field'}, [el('h4', {text: title}), el('p', {text: items.join(', ')})]);
    }

    function vouchForm(person, opener) {
      const id = SLS.uid('sls-vouch');
      const input = el('input', {type: 'text', id: id, name: 'topic', maxlength: String(finder.settings.topic_max)});
      const form = el('form', {class: 'sls-form sls-finder__vouch', novalidate: true, 'data-sls-write': true}, [
        el('p', {class: 'sls-form-error', data: {sls: 'form-error'}, role: 'alert'}),
        el('div', {class: 'sls-field'}, [
          el('label', {for: id, text: _('What did you learn from them?')}), input,
          el('p', {class: 'sls-field-error', data: {slsError: 'topic'}})
        ]),
        el('button', {type: 'submit', class: 'sls-btn', text: _('I learned this from them')})
      ]);
      form.addEventListener('submit', function (event) {
        event.preventDefault();
        finder.forms.send(form, function () {
          return finder.client.call('vouch', {user_id: person.user_id, topic: input.value});
        }, function () {
          finder.notices.announce(_('Thank you: your vouch counts for them.'));
          open(person.user_id, opener);
        });
      });
      return form;
    }

    function takeBack(person, vouch, opener) {
      return el('button', {type: 'button', class: 'sls-btn sls-btn--quiet', 'data-sls-write': true,
        text: _('Take back'), onclick: function () {
          finder.client.call('vouch', {user_id: person.user_id, topic: vouch.topic, on: false}).then(function () {
            finder.notices.announce(_('Vouch taken back.'));
            open(person.user_id, opener);
          }, function (err) { finder.notices.showAlert(err.message); });
        }});
    }

    function profileView(person, opener) {
      const profile = person.profile;
      const back = el('button', {type: 'button', class: 'sls-btn', text: _('Back to the results'),
        onclick: function () { finder.showSearch(opener); }});
      const vouches = person.vouches.map(function (vouch) {
        return el('li', {}, [n_('{count} peer vouched for {topic}', '{count} peers vouched for {topic}',
          vouch.count, {topic: vouch.topic}), vouch.mine ? ' ' : null, vouch.mine ? takeBack(person, vouch, opener)
          : null]);
      });
      const view = el('section', {class: 'sls-finder__profile'}, [
        el('h3', {text: person.name}),
        profile.headline ? el('p', {class: 'sls-finder__headline', text: profile.headline}) : null,
        profile.skills.length ? el('div', {class: 'sls-finder__field'}, [el('h4', {text: _('Skills')}),
          el('ul', {}, profile.skills.map(function (skill) {
            return el('li', {text: skill.name + ' — ' + (levels[skill.level] || '')});
          }))]) : null,
        list(_('Ask me about'), person.lists.ask_me_about),
        list(_('Interests'), person.lists.interests),
        list(_('Wants to learn'), person.lists.wants_to_learn),
        list(_('Languages'), person.lists.languages),
        profile.about ? el('p', {class: 'sls-finder__about', text: profile.about}) : null,
        el('div', {class: 'sls-finder__field'}, [el('h4', {text: _('Contact')}), el('p', {}, [person.contact_label,
          person.email ? ': ' : null, person.email ? el('a', {href: 'mailto:' + person.email, text: person.email})
          : null])]),
        el('div', {class: 'sls-finder__field'}, [el('h4', {text: _('Vouches')}),
          vouches.length ? el('ul', {}, vouches) : null,
          person.is_me ? null : vouchForm(person, opener)]),
        el('div', {class: 'sls-finder__field'}, [el('h4', {text: _('Evidence you can check')}),
          person.evidence.length ? finder.evidenceItems(person.evidence) : el('p', {class: 'sls-hint',
            text: _('No evidence you can see yet.')})]),
        el('div', {class: 'sls-actions'}, [back])
      ]);
      return view;
    }

    function open(userId, opener) {
      finder.client.call('get_profile', {user_id: userId}).then(function (person) {
        const view = profileView(person, opener);
        finder.run('profile', view, person);
        finder.showView(view);
        SLS.ui.readOnly(finder.root, finder.init.read_only);
      }, function (err) {
        finder.notices.showAlert(err.message);
      });
    }

    finder.on('open', open);
  });
}());
