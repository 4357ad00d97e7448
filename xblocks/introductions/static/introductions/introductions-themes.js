/*
 * Introductions, themes part: the theme assignments between sessions. Each theme shows when it opens or closes (in
 * the person's zone), its question, the person's answer and, while it is open, a form to send or change it (drafts
 * kept as elsewhere). "Show the answers" lists what the person may read (their group's, or only their own when the
 * author keeps answers for the facilitator). Staff also see, per theme, who has not answered and the words the
 * group used most (theme_overview).
 *
 * Safety: names and text go in with textContent; only `html` (an answer or a question rendered and sanitised by
 * the server) is inserted as HTML.
 */
(function () {
  'use strict';

  const SLS = window.SocialLearning;
  const el = SLS.el;

  function when(iso, zone) {
    const opts = {weekday: 'long', day: 'numeric', month: 'long', hour: '2-digit', minute: '2-digit'};
    try {
      return new Intl.DateTimeFormat(document.documentElement.getAttribute('lang') || 'en',
        Object.assign({timeZone: zone || undefined}, opts)).format(new Date(iso));
    } catch (err) {
      return new Intl.DateTimeFormat('en', opts).format(new Date(iso));
    }
  }

  function rendered(html, className) {
    const node = el('div', {class: className});
    node.innerHTML = html || ''; // sanitised by the server
    return node;
  }

  SLS.intros.part('themes', function (page) {
    const slot = page.slot('aside');
    const found = page.init.themes || [];
    if (!slot || !found.length) {
      return;
    }
    const t = page.t;
    const isStaff = !!(page.init.roles || {}).is_staff;
    const zone = page.init.time_zone || undefined;
    const list = el('ol', {class: 'sls-intros__themes', role: 'list'});
    slot.appendChild(el('section', {class: 'sls-intros__themes-part', 'aria-labelledby': 'sls-themes-h-' + page.key},
      [el('h3', {id: 'sls-themes-h-' + page.key, text: t._('Themes between sessions')}), list]));
    const staffSlots = {};

    function stateText(theme) {
      if (theme.state === 'upcoming') {
        return t._('Opens {when}', {when: when(theme.opens, zone)});
      }
      if (theme.state === 'open') {
        return t._('Open until {when}', {when: when(theme.closes, zone)});
      }
      return t._('Closed {when}', {when: when(theme.closes, zone)});
    }

    function answerItem(answer) {
      return el('li', {class: 'sls-intros__answer'}, [
        el('strong', {text: answer.author.is_you ? t._('You') : answer.author.name}),
        rendered(answer.html, 'sls-intros__answer-body')
      ]);
    }

    function answerForm(theme, mineSlot) {
      const key = 't' + theme.index;
      const id = 'sls-theme-' + page.key + '-' + theme.index;
      const input = el('textarea', {id: id, name: 'body', rows: '4',
        'data-max': String(page.settings.answer_max || 5000)});
      const note = el('span', {class: 'sls-hint', 'aria-live': 'polite'});
      const submit = el('button', {type: 'submit', class: 'sls-btn sls-btn--primary',
        text: theme.mine ? t._('Change my answer') : t._('Send my answer')});
      const form = el('form', {class: 'sls-intros__theme-form', novalidate: 'novalidate'}, [
        el('div', {class: 'sls-field'}, [el('label', {for: id, text: t._('Your answer')}), input,
          el('p', {class: 'sls-field-error', data: {slsError: 'body'}})]),
        el('p', {class: 'sls-hint', text: page.init.theme_visibility === 'facilitator' ?
          t._('Only the facilitator reads your answer.') : t._('Your group reads your answer.')}),
        submit, note
      ]);
      page.forms.wire(form);
      page.forms.attachCounter(input);
      const saver = new SLS.drafts.DraftSaver({
        key: key, collect: function () { return {body: input.value}; }, drafts: page.drafts, t: t,
        local: page.localPrefix, note: function (text) { note.textContent = text; },
        save: function (data) { return page.call('save_draft', data); }
      });
      saver.restore(form);
      if (!input.value && theme.mine) {
        input.value = theme.mine.body;
      }
      input.addEventListener('input', function () { saver.schedule(); });
      form.addEventListener('submit', function (event) {
        event.preventDefault();
        page.forms.send(form, function () {
          saver.schedule.cancel();
          return page.call('answer_theme', {theme: theme.index, body: input.value});
        }, function (result) {
          saver.discard();
          theme.mine = result.answer;
          mineSlot.replaceChildren(rendered(result.answer.html, 'sls-intros__answer-body'));
          submit.textContent = t._('Change my answer');
          if (result.participation) {
            page.participation = result.participation;
            page.showProgress();
          }
          page.notices.announce(t._('Answer sent.'));
        });
      });
      return form;
    }

    function answersToggle(theme) {
      const answers = el('ul', {class: 'sls-intros__answers', role: 'list', hidden: true});
      const button = el('button', {type: 'button', class: 'sls-btn sls-btn--quiet', 'aria-expanded': 'false',
        text: t._('Show the answers')});
      button.addEventListener('click', function () {
        if (!answers.hidden) {
          answers.hidden = true;
          button.setAttribute('aria-expanded', 'false');
          button.textContent = t._('Show the answers');
          return;
        }
        SLS.ui.busy(button, page.call('theme_answers', {theme: theme.index}), page.notices).then(function (data) {
          answers.replaceChildren.apply(answers, data.answers.length ? data.answers.map(answerItem) :
            [el('li', {class: 'sls-hint', text: t._('No answers yet.')})]);
          answers.hidden = false;
          button.setAttribute('aria-expanded', 'true');
          button.textContent = t._('Hide the answers');
        }, function () {});
      });
      return [button, answers];
    }

    found.forEach(function (theme) {
      const mineSlot = el('div', {class: 'sls-intros__mine-answer'});
      if (theme.mine) {
        mineSlot.appendChild(rendered(theme.mine.html, 'sls-intros__answer-body'));
      } else if (theme.state === 'closed' && !isStaff) {
        mineSlot.appendChild(el('p', {class: 'sls-hint', text: t._('You did not answer this theme.')}));
      }
      const parts = [
        el('h4', {text: theme.title}),
        el('p', {class: 'sls-hint', text: stateText(theme)}),
        rendered(theme.question_html, 'sls-intros__question')
      ];
      if (!isStaff) {
        parts.push(mineSlot);
        if (theme.state === 'open' && !page.readOnly) {
          parts.push(answerForm(theme, mineSlot));
        }
      }
      staffSlots[theme.index] = el('div', {class: 'sls-intros__theme-summary'});
      if (isStaff) {
        parts.push(staffSlots[theme.index]);
      }
      if (theme.state !== 'upcoming') {
        answersToggle(theme).forEach(function (node) { parts.push(node); });
      }
      list.appendChild(el('li', {class: 'sls-intros__theme sls-intros__theme--' + theme.state}, parts));
    });

    function overview() {
      page.call('theme_overview', {}).then(function (data) {
        data.themes.forEach(function (row) {
          const target = staffSlots[row.index];
          if (!target) {
            return;
          }
          target.replaceChildren(
            el('p', {text: t.n_('{count} answer', '{count} answers', row.answered)}),
            el('h5', {text: t._('Not answered yet')}),
            row.missing.length ? el('p', {text: row.missing.join(', ')}) : el('p', {class: 'sls-hint', text: '—'}),
            el('h5', {text: t._('What the group said most')}),
            row.terms.length ? el('ul', {class: 'sls-intros__terms', role: 'list'}, row.terms.map(function (term) {
              return el('li', {}, [el('span', {text: term.term}), ' ',
                el('span', {class: 'sls-badge', text: String(term.count)})]);
            })) : el('p', {class: 'sls-hint', text: t._('No answers yet.')}));
        });
      }, function () {});
    }

    if (isStaff) {
      overview();
      page.on('group', overview);
    }
  });
}());
