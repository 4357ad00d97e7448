/*
 * Introductions, sessions part: the live sessions in the person's own time zone (the platform's preference when
 * the page has one, else the browser's), a countdown to each, and its calendar file (session_ics).
 */
(function () {
  'use strict';

  const SLS = window.SocialLearning;
  const el = SLS.el;

  /** The zone to show times in: the person's preference when the browser knows it, else the browser's own. */
  function zoneFor(preferred) {
    if (preferred) {
      try {
        new Intl.DateTimeFormat('en', {timeZone: preferred}).format(new Date());
        return preferred;
      } catch (err) {
        // an unknown name: fall back to the browser's zone
      }
    }
    return Intl.DateTimeFormat().resolvedOptions().timeZone || 'UTC';
  }

  function lang() {
    return document.documentElement.getAttribute('lang') || navigator.language || 'en';
  }

  /** "in 3 days", "in 5 hours", "in 12 minutes" in the page's language (the browser's Intl does the words). */
  function relative(ms) {
    const minutes = Math.max(1, Math.round(ms / 60000));
    let value = minutes;
    let unit = 'minute';
    if (minutes >= 2 * 24 * 60) {
      value = Math.round(minutes / (24 * 60));
      unit = 'day';
    } else if (minutes >= 90) {
      value = Math.round(minutes / 60);
      unit = 'hour';
    }
    try {
      return new Intl.RelativeTimeFormat(lang(), {numeric: 'auto'}).format(value, unit);
    } catch (err) {
      return value + ' ' + unit;
    }
  }

  function range(session, zone) {
    const start = new Date(session.start);
    const end = new Date(session.end);
    const opts = {timeZone: zone, weekday: 'long', day: 'numeric', month: 'long', year: 'numeric',
      hour: '2-digit', minute: '2-digit'};
    const sameDay = new Intl.DateTimeFormat('en-CA', {timeZone: zone, dateStyle: 'short'}).format(start) ===
      new Intl.DateTimeFormat('en-CA', {timeZone: zone, dateStyle: 'short'}).format(end);
    const first = new Intl.DateTimeFormat(lang(), opts).format(start);
    const last = sameDay ? new Intl.DateTimeFormat(lang(), {timeZone: zone, hour: '2-digit', minute: '2-digit'})
      .format(end) : new Intl.DateTimeFormat(lang(), opts).format(end);
    return first + ' – ' + last;
  }

  SLS.intros.part('sessions', function (page) {
    const sessions = page.init.sessions || [];
    const slot = page.slot('header');
    if (!sessions.length || !slot) {
      return;
    }
    const t = page.t;
    const zone = zoneFor(page.init.time_zone);
    const countdowns = [];
    const items = sessions.map(function (session) {
      const countdown = el('p', {class: 'sls-intros__countdown'});
      countdowns.push({node: countdown, session: session});
      const place = session.link ?
        el('p', {}, [el('a', {href: session.link, target: '_blank', rel: 'noopener noreferrer',
          text: t._('Join')}), ' ', el('span', {class: 'sls-hint', text: session.link})]) :
        (session.place ? el('p', {text: session.place}) : null);
      const add = el('button', {type: 'button', class: 'sls-btn', text: t._('Add to calendar')});
      add.addEventListener('click', function () {
        SLS.ui.busy(add, page.client.file('session_ics', page.withGroup({index: session.index})), page.notices)
          .then(function (blob) {
            const url = URL.createObjectURL(blob);
            const link = el('a', {href: url, download: (session.title || 'session') + '.ics', hidden: true});
            document.body.appendChild(link);
            link.click();
            link.remove();
            setTimeout(function () { URL.revokeObjectURL(url); }, 10000);
          }, function () {});
      });
      return el('li', {class: 'sls-intros__session'}, [
        el('h4', {text: session.title}),
        el('p', {}, [el('time', {datetime: session.start, text: range(session, zone)})]),
        countdown, place, add
      ]);
    });
    slot.appendChild(el('section', {class: 'sls-intros__sessions', 'aria-label': t._('Live sessions')}, [
      el('h3', {text: t._('Live sessions')}),
      el('p', {class: 'sls-hint', text: t._('Times are shown in your time zone: {zone}.', {zone: zone})}),
      el('ul', {class: 'sls-intros__session-list', role: 'list'}, items)
    ]));

    function tick() {
      const now = Date.now();
      countdowns.forEach(function (item) {
        const start = Date.parse(item.session.start);
        const end = Date.parse(item.session.end);
        item.node.textContent = now < start ? t._('Starts {when}', {when: relative(start - now)}) :
          (now < end ? t._('Happening now') : t._('Ended'));
      });
    }
    // A learner who has not introduced themselves is reminded in the days before the next session.
    const reminder = el('p', {class: 'sls-notice sls-intros__reminder', hidden: true});
    slot.insertBefore(reminder, slot.firstChild);
    function remind() {
      const days = page.init.reminder_days || 0;
      const now = Date.now();
      const next = sessions.filter(function (s) { return Date.parse(s.start) > now; })[0];
      const due = next && days > 0 && !page.mine && !(page.init.roles || {}).is_staff &&
        Date.parse(next.start) - now <= days * 86400000;
      reminder.hidden = !due;
      reminder.textContent = due ? t._('“{title}” starts {when}: introduce yourself before then.',
        {title: next.title, when: relative(Date.parse(next.start) - now)}) : '';
    }
    page.on('saved', remind);

    tick();
    remind();
    setInterval(function () {
      tick();
      remind();
    }, 30000);
  });
}());
