/*
 * Reflection blog: images and videos (see blog.js for the hooks a part uses; the server side is media.py).
 *
 * The entry form gets a fieldset to add an image (with its description, required), a video file or a link to a
 * video on YouTube or Vimeo, and lists what the entry has, each with a Remove button. Uploads are kept on the
 * server at once, as the draft's media, and the draft keeps their ids, so a reload brings them back; publishing
 * sends the ids and the server attaches them to the entry.
 *
 * Files are fetched through the `media_file` action (the same authorisation as the entry) and shown from blob
 * URLs; a video link is embedded only from the player address the server built from the video's id (YouTube's
 * privacy-enhanced player or Vimeo's), checked here again, and always offered as a plain link too.
 */
(function () {
  'use strict';
  const SLS = window.SocialLearning;
  const el = SLS.el;
  const PLAYERS = ['https://www.youtube-nocookie.com/embed/', 'https://player.vimeo.com/video/'];

  SLS.blog.part('media', function (blog) {
    const _ = blog.t._;
    const init = blog.init.media || {};
    const known = {};          // id -> media item, every item this page has met
    let waiting = [];          // the person's media without an entry (a draft's), from the page and uploads
    let list = [];             // the media of the entry in the form
    let editing = null;        // the entry the form edits, or null
    const blobs = {};          // id -> Promise of an object URL

    (init.draft || []).forEach(function (item) {
      known[item.id] = item;
      waiting.push(item);
    });

    function remember(items) {
      (items || []).forEach(function (item) {
        known[item.id] = item;
      });
    }

    function fileUrl(item) {
      if (!blobs[item.id]) {
        blobs[item.id] = blog.client.file('media_file', blog.withGroup({id: item.id})).then(function (blob) {
          return URL.createObjectURL(blob);
        }, function (err) {
          delete blobs[item.id];
          throw err;
        });
      }
      return blobs[item.id];
    }

    function player(item) {
      const embed = item.embed || '';
      return PLAYERS.some(function (prefix) { return embed.indexOf(prefix) === 0; }) ? embed : '';
    }

    /** The element showing one item (an image, a video, a video link), inside an entry or the form. */
    function view(item, small) {
      if (item.kind === 'image') {
        const img = el('img', {alt: item.alt, class: 'sls-blog-media__image', width: item.width || null,
          height: item.height || null, loading: 'lazy'});
        const figure = el('figure', {class: 'sls-blog-media__figure'}, [img]);
        fileUrl(item).then(function (url) {
          img.src = url;
        }, function () {
          figure.appendChild(el('figcaption', {class: 'sls-hint', text: _('The image could not be loaded.')}));
        });
        return figure;
      }
      if (item.kind === 'video') {
        const video = el('video', {controls: true, preload: 'metadata', class: 'sls-blog-media__video',
          'aria-label': item.alt || _('Video')});
        fileUrl(item).then(function (url) {
          video.src = url;
        });
        return el('figure', {class: 'sls-blog-media__figure'}, [video]);
      }
      const label = item.alt || _('Video on {provider}', {provider: item.provider || ''});
      const link = el('a', {href: item.url, target: '_blank', rel: 'noopener noreferrer',
        text: _('Watch on {provider}', {provider: item.provider || ''})});
      const embed = player(item);
      if (small || !embed) {
        return el('p', {class: 'sls-blog-media__link'}, [label, ' · ', link]);
      }
      return el('figure', {class: 'sls-blog-media__figure'}, [
        el('div', {class: 'sls-blog-media__frame'}, [el('iframe', {
          src: embed, title: label, loading: 'lazy', referrerpolicy: 'strict-origin-when-cross-origin',
          sandbox: 'allow-scripts allow-same-origin allow-presentation allow-popups',
          allow: 'encrypted-media; picture-in-picture; fullscreen', allowfullscreen: true
        })]),
        el('figcaption', {}, [label, ' · ', link])
      ]);
    }

    // ----- the form ------------------------------------------------------------------------------------------
    const slot = blog.slot('form');
    if (!slot || blog.readOnly) {
      return startViews();
    }
    const uid = SLS.uid('sls-media');
    const status = el('p', {class: 'sls-blog-media__status', role: 'status', 'aria-live': 'polite'});
    const error = el('p', {class: 'sls-field-error', role: 'alert', data: {slsError: 'media'}});
    const items = el('ul', {class: 'sls-blog-media__list', data: {sls: 'media-list'}});
    const imageInput = el('input', {type: 'file', id: uid + '-image', name: 'media_image',
      accept: 'image/jpeg,image/png,image/gif,image/webp', 'aria-describedby': uid + '-limits'});
    const altInput = el('input', {type: 'text', id: uid + '-alt', name: 'media_alt', maxlength: String(init.alt_max || 500),
      autocomplete: 'off'});
    const videoInput = el('input', {type: 'file', id: uid + '-video', name: 'media_video',
      accept: 'video/mp4,video/webm,video/ogg', 'aria-describedby': uid + '-limits'});
    const urlInput = el('input', {type: 'url', id: uid + '-url', name: 'media_url', autocomplete: 'off',
      placeholder: 'https://www.youtube.com/watch?v=…'});
    const addImage = el('button', {type: 'button', class: 'sls-btn', data: {sls: 'media-add-image'},
      text: _('Add image')});
    const addVideo = el('button', {type: 'button', class: 'sls-btn', text: _('Upload video')});
    const addLink = el('button', {type: 'button', class: 'sls-btn', text: _('Add video link')});

    function field(label, input, extra) {
      return el('div', {class: 'sls-field'}, [el('label', {for: input.id, text: label}), input].concat(extra || []));
    }

    slot.appendChild(el('fieldset', {class: 'sls-blog-media', data: {sls: 'media'}}, [
      el('legend', {text: _('Images and video')}),
      el('p', {class: 'sls-hint', id: uid + '-limits', text: _(
        'Images: JPEG, PNG, GIF or WebP, at most {image} MB. Videos: MP4, WebM or Ogg, at most {video} MB.',
        {image: init.image_max_mb, video: init.video_max_mb})}),
      items,
      el('div', {class: 'sls-blog-media__add'}, [
        field(_('Image'), imageInput),
        field(_('Describe the image for people who cannot see it'), altInput),
        addImage
      ]),
      el('div', {class: 'sls-blog-media__add'}, [field(_('Video file'), videoInput), addVideo]),
      el('div', {class: 'sls-blog-media__add'}, [field(_('Or a link to a video on YouTube or Vimeo'), urlInput), addLink]),
      error,
      status
    ]));

    function changed() {
      // The draft keeps the list (core's draft saver listens to the form's input events).
      blog.form.dispatchEvent(new Event('input'));
    }

    function render() {
      items.replaceChildren.apply(items, list.map(function (item) {
        const remove = el('button', {type: 'button', class: 'sls-btn sls-btn--quiet', text: _('Remove'),
          'aria-label': _('Remove') + ': ' + (item.alt || (item.kind === 'image' ? _('Image') : _('Video')))});
        remove.addEventListener('click', function () {
          if (!window.confirm(_('Remove this image or video from the entry? Its file is deleted.'))) {
            return;
          }
          SLS.ui.busy(remove, blog.call('delete_media', {id: item.id}), blog.notices).then(function () {
            list = list.filter(function (other) { return other.id !== item.id; });
            waiting = waiting.filter(function (other) { return other.id !== item.id; });
            render();
            changed();
            status.textContent = _('Removed.');
            addImage.focus();
          }, function () {});
        });
        return el('li', {class: 'sls-blog-media__item', data: {slsMedia: String(item.id)}}, [view(item, true), remove]);
      }));
    }

    function added(item) {
      remember([item]);
      waiting.push(item);
      list.push(item);
      render();
      changed();
      status.textContent = _('Added.');
    }

    function fail(err, input) {
      error.textContent = err.message;
      if (input) {
        input.setAttribute('aria-invalid', 'true');
        input.focus();
      }
      status.textContent = '';
    }

    function clear() {
      error.textContent = '';
      [imageInput, altInput, videoInput, urlInput].forEach(function (input) {
        input.removeAttribute('aria-invalid');
      });
    }

    function upload(button, input, fields) {
      clear();
      const file = input.files && input.files[0];
      if (!file) {
        fail({message: _('Choose a file first.')}, input);
        return;
      }
      const data = new FormData();
      Object.keys(fields).forEach(function (name) {
        data.append(name, fields[name]);
      });
      if (blog.group) {
        data.append('group', blog.group);
      }
      data.append('file', file, file.name);
      status.textContent = _('Uploading…');
      SLS.ui.busy(button, blog.client.upload('upload_media', data), blog.notices).then(function (answer) {
        input.value = '';
        altInput.value = '';
        added(answer.media);
      }, function (err) {
        fail(err, err.fields && err.fields.alt ? altInput : input);
      });
    }

    addImage.addEventListener('click', function () {
      if (!altInput.value.trim()) {
        clear();
        fail({message: _('Describe the image first: people who cannot see it read this description.')}, altInput);
        return;
      }
      upload(addImage, imageInput, {kind: 'image', alt: altInput.value});
    });
    addVideo.addEventListener('click', function () {
      upload(addVideo, videoInput, {kind: 'video'});
    });
    addLink.addEventListener('click', function () {
      clear();
      SLS.ui.busy(addLink, blog.call('add_video_link', {url: urlInput.value}), blog.notices).then(function (answer) {
        urlInput.value = '';
        added(answer.media);
      }, function (err) {
        fail(err, urlInput);
      });
    });
    [altInput, urlInput].forEach(function (input) {
      input.addEventListener('keydown', function (event) {
        if (event.key === 'Enter') {  // adds the item; never publishes the entry
          event.preventDefault();
          (input === altInput ? addImage : addLink).click();
        }
      });
    });

    blog.on('form', function (form, entry) {
      editing = entry;
      remember(entry ? entry.media : []);
      list = entry ? (entry.media || []).slice() : waiting.slice();
      clear();
      status.textContent = '';
      render();
    });
    blog.on('fill', function (form, values) {
      if (!Array.isArray(values.media)) {
        return;
      }
      values.media.forEach(function (id) {
        const item = known[id];
        if (item && !list.some(function (other) { return other.id === id; })) {
          list.push(item);
        }
      });
      render();
    });
    blog.on('collect', function (form, data) {
      data.media = list.map(function (item) { return item.id; });
    });
    blog.on('reset', function () {
      list = [];
      render();
    });
    blog.on('saved', function (entry) {
      const ids = (entry.media || []).map(function (item) { return item.id; });
      remember(entry.media);
      waiting = waiting.filter(function (item) { return ids.indexOf(item.id) < 0; });
      list = [];
      editing = null;
      render();
    });
    startViews();

    // ----- entries -----------------------------------------------------------------------------------------
    function startViews() {
      blog.on('entry', function (article, entry) {
        if (!entry.media || !entry.media.length) {
          return;
        }
        const box = el('div', {class: 'sls-blog-media__view', data: {sls: 'entry-media'}},
          entry.media.map(function (item) { return view(item, false); }));
        const body = article.querySelector('.sls-blog__body');
        if (body) {
          body.after(box);
        } else {
          article.appendChild(box);
        }
      });
      blog.on('summary', function (item, entry) {
        const count = (entry.media || []).length;
        if (count) {
          item.appendChild(el('p', {class: 'sls-meta sls-blog-media__count', text: blog.t.n_(
            '{count} image or video', '{count} images or videos', count)}));
        }
      });
    }
  });
}());
