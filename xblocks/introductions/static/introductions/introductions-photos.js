/*
 * Introductions, photos part: the photo field below the introduction form (once the introduction is posted), and
 * each card's photo, fetched through the authorised `photo` file action (never a URL with a token).
 */
(function () {
  'use strict';

  const SLS = window.SocialLearning;
  const el = SLS.el;

  SLS.intros.part('photos', function (page) {
    const t = page.t;

    function showPhoto(holder, intro) {
      page.client.file('photo', page.withGroup({id: intro.id})).then(function (blob) {
        holder.replaceChildren(el('img', {class: 'sls-intros__photo', src: URL.createObjectURL(blob),
          alt: t._('Photo of {name}', {name: intro.author.name}), width: '96', height: '96'}));
      }, function () {
        holder.replaceChildren();
      });
    }

    page.on('card', function (item, intro) {
      if (intro.has_photo) {
        const holder = el('div', {class: 'sls-intros__photo-box'});
        item.insertBefore(holder, item.firstChild);
        showPhoto(holder, intro);
      }
    });

    const slot = page.slot('compose');
    if (!slot || page.readOnly) {
      return;
    }
    const hint = el('p', {class: 'sls-hint'});
    const preview = el('div', {class: 'sls-intros__photo-box'});
    const input = el('input', {type: 'file', name: 'file', accept: 'image/jpeg,image/png,image/gif,image/webp'});
    const error = el('p', {class: 'sls-field-error', data: {slsError: 'file'}});
    const upload = el('button', {type: 'submit', class: 'sls-btn', text: t._('Upload photo')});
    const remove = el('button', {type: 'button', class: 'sls-btn sls-btn--quiet', text: t._('Remove photo')});
    const form = el('form', {class: 'sls-form sls-intros__photo-form', novalidate: 'novalidate'}, [
      el('div', {class: 'sls-field'}, [el('label', {text: t._('Your photo (optional)')}), input,
        el('p', {class: 'sls-hint',
          text: t._('A JPEG, PNG, GIF or WebP image; it is cropped to a square. Only your group and the course team see it.')}),
        error]),
      preview, el('div', {class: 'sls-actions'}, [upload, remove])
    ]);
    slot.append(hint, form);
    page.forms.wire(form);

    function refresh() {
      const mine = page.mine;
      form.hidden = !mine;
      hint.textContent = mine ? '' : t._('Post your introduction first; then you can add a photo.');
      remove.hidden = !(mine && mine.has_photo);
      if (mine && mine.has_photo) {
        showPhoto(preview, mine);
      } else {
        preview.replaceChildren();
      }
    }

    form.addEventListener('submit', function (event) {
      event.preventDefault();
      page.forms.send(form, function () {
        const data = new FormData();
        if (input.files[0]) {
          data.append('file', input.files[0]);
        }
        if (page.group) {
          data.append('group', page.group);
        }
        return page.client.upload('upload_photo', data);
      }, function () {
        page.mine.has_photo = true;
        input.value = '';
        refresh();
        page.notices.announce(t._('Photo saved.'));
        page.reload();
      });
    });
    remove.addEventListener('click', function () {
      SLS.ui.busy(remove, page.call('remove_photo', {}), page.notices).then(function () {
        page.mine.has_photo = false;
        refresh();
        page.notices.announce(t._('Photo removed.'));
        page.reload();
        upload.focus();
      }, function () {});
    });
    page.on('saved', refresh);
    refresh();
  });
}());
