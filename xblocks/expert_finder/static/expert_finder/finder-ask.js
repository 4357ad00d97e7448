/*
 * Expert finder, ask part: a question to the person whose profile is open (a forum thread mentioning them in a
 * space both read, or a message in the finder), and the questions people asked me here. See finder.js for hooks.
 */
(function () {
  'use strict';

  const SLS = window.SocialLearning;
  const el = SLS.el;

  SLS.finder.part('ask', function (finder) {
    const _ = finder.t._;

    function askForm(person) {
      const id = SLS.uid('sls-ask');
      const title = el('input', {type: 'text', id: id + '-title', name: 'title', required: true,
        maxlength: String(finder.settings.question_max)});
      const body = el('textarea', {id: id + '-body', name: 'body', rows: '3'});
      const form = el('form', {class: 'sls-form sls-finder__ask', novalidate: true}, [
        el('p', {class: 'sls-form-error', data: {sls: 'form-error'}, role: 'alert'}),
        el('div', {class: 'sls-field'}, [el('label', {for: id + '-title', text: _('Your question')}), title,
          el('p', {class: 'sls-field-error', data: {slsError: 'title'}})]),
        el('div', {class: 'sls-field'}, [el('label', {for: id + '-body', text: _('Details (optional)')}), body,
          el('p', {class: 'sls-field-error', data: {slsError: 'body'}})]),
        el('button', {type: 'submit', class: 'sls-btn sls-btn--primary', text: _('Ask')})
      ]);
      form.addEventListener('submit', function (event) {
        event.preventDefault();
        finder.forms.send(form, function () {
          return finder.client.call('ask', {user_id: person.user_id, title: title.value, body: body.value});
        }, function (answer) {
          title.value = '';
          body.value = '';
          finder.notices.announce(answer.via === 'forum' ?
            _('Your question is in {where}, and {name} is mentioned in it.', {where: answer.where, name: person.name}) :
            _('Your question was sent to {name}: they read it here, in the finder.', {name: person.name}));
        });
      });
      return el('div', {class: 'sls-finder__field', 'data-sls-write': true}, [
        el('h4', {text: _('Ask them a question')}), form]);
    }

    finder.on('profile', function (view, person) {
      if (!person.is_me) {
        view.insertBefore(askForm(person), view.querySelector('.sls-actions'));
      }
    });

    const inbox = finder.init.inbox || [];
    if (inbox.length) {
      const key = finder.root.dataset.slsKey;
      finder.slot('aside').appendChild(el('section', {class: 'sls-finder__inbox', 'aria-labelledby': key + '-inbox'}, [
        el('h3', {id: key + '-inbox', text: _('Questions people asked you')}),
        el('ul', {}, inbox.map(function (message) {
          return el('li', {}, [
            el('p', {class: 'sls-finder__question', text: message.title}),
            message.body ? el('p', {class: 'sls-finder__about', text: message.body}) : null,
            el('p', {class: 'sls-meta'}, [_('From {name}', {name: message.from.name}), ' · ',
              SLS.ui.timeNode(message.created)])
          ]);
        }))
      ]));
    }
  });
}());
