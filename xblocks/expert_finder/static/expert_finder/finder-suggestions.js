/*
 * Expert finder, suggestions part: people who could help me (what I want to learn), people like me (shared
 * interests) and threads for me (a newcomer's way in), shown below my profile and refreshed when I save it. See finder.js for the hooks used here.
 */
(function () {
  'use strict';

  const SLS = window.SocialLearning;
  const el = SLS.el;

  SLS.finder.part('suggestions', function (finder) {
    const _ = finder.t._;
    const key = finder.root.dataset.slsKey;
    const section = el('section', {class: 'sls-finder__suggestions', 'aria-labelledby': key + '-help'});
    finder.slot('aside').appendChild(section);

    function group(id, title, results, empty) {
      return [
        el('h3', {id: id, text: title}),
        results.length ? el('ol', {class: 'sls-finder__results'}, results.map(function (result) {
          const item = finder.resultItem(result);
          if (result.outside_group) {
            item.querySelector('.sls-finder__name').appendChild(el('span', {class: 'sls-badge',
              text: _('outside your group')}));
          }
          return item;
        })) : el('p', {class: 'sls-hint', text: empty})
      ];
    }

    function load() {
      finder.client.call('suggestions', {}).then(function (answer) {
        section.replaceChildren.apply(section, group(key + '-help', _('People who could help you'),
          answer.could_help, _('Say what you want to learn in your profile, and who could help you appears here.'))
          .concat(group(key + '-like', _('People like you'), answer.like_me,
            _('Add interests to your profile, and people who share them appear here.')))
          .concat([el('h3', {id: key + '-threads', text: _('Threads for you')}),
            answer.threads.length ? finder.evidenceItems(answer.threads) : el('p', {class: 'sls-hint',
              text: _('Forum threads about what you want to learn and what interests you appear here.')})]));
      }, function (err) {
        finder.notices.showAlert(err.message);
      });
    }

    finder.on('profile-saved', load);
    load();
  });
}());
