/*
 * Reflection blog: prompts and completion (see blog.js for the hooks a part uses; the server side is prompts.py).
 *
 * Learners: the prompts in the header (open, upcoming, due in their own time zone, answered), an "Answer" button
 * that opens the entry form with the prompt chosen, the prompt an entry answers in the form, a filter of the feed
 * by prompt. Course staff: the editor (add, edit, reorder, remove), with the dates on the course's clock.
 */
(function () {
  'use strict';
  const SLS = window.SocialLearning;
  const el = SLS.el;
  const fmtNodes = SLS.ui.fmtNodes;

  SLS.blog.part('prompts', function (blog) {
    const _ = blog.t._;
    const n_ = blog.t.n_;
    const lang = blog.t.lang;
    const roles = blog.init.roles || {};
    const isStaff = !!roles.is_staff;
    const zone = blog.init.time_zone || 'UTC';
    let prompts = blog.init.prompts || [];
    let editorRows = null;
    let editingPrompt = null; // the prompt of the entry being edited, as it was

    /** A date in the reader's own time zone, as a <time> element. */
    function dateNode(iso) {
      const date = new Date(iso);
      let text = iso;
      try {
        text = new Intl.DateTimeFormat(lang, {dateStyle: 'medium', timeStyle: 'short'}).format(date);
      } catch (err) { /* keep the ISO text */ }
      return el('time', {datetime: iso, text: text});
    }

    // ----- the learner's list --------------------------------------------------------------------------
    const headingId = SLS.uid('sls-prompts');
    const list = el('ol', {class: 'sls-blog__prompt-list', role: 'list'});
    const section = el('section', {class: 'sls-blog__prompts', 'aria-labelledby': headingId, data: {sls: 'prompts'}},
      [el('h3', {id: headingId, class: 'sls-blog__prompts-title', tabindex: '-1', text: _('Prompts')}), list]);
    const header = blog.slot('header');
    if (header) {
      header.appendChild(section);
    }

    function stateLine(prompt) {
      const parts = [];
      if (prompt.state === 'upcoming' && prompt.opens) {
        parts.push(el('span', {}, fmtNodes(_('Opens {time}'), {time: dateNode(prompt.opens)})));
      }
      if (prompt.due) {
        parts.push(el('span', {class: prompt.state === 'past_due' ? 'sls-blog__due is-past' : 'sls-blog__due'},
          fmtNodes(prompt.state === 'past_due' ? _('Past due') + ' — {time}' : _('Due {time}'),
            {time: dateNode(prompt.due)})));
      }
      if (prompt.words_needed) {
        parts.push(el('span', {text: n_('At least {count} word', 'At least {count} words', prompt.words_needed)}));
      }
      return parts;
    }

    function promptItem(prompt) {
      const answered = prompt.answered;
      const badges = [];
      if (prompt.required) {
        badges.push(el('span', {class: 'sls-badge', text: _('Required')}));
      }
      if (answered || prompt.state !== 'upcoming') {
        badges.push(el('span', {class: 'sls-badge ' + (answered ? 'sls-badge--done' : 'sls-badge--todo'),
          text: answered ? _('Answered') : _('Not answered yet')}));
      }
      if (answered && prompt.late) {
        badges.push(el('span', {class: 'sls-badge sls-badge--late', text: _('Late')}));
      }
      const actions = [];
      if (prompt.state !== 'upcoming' && !blog.readOnly && blog.form) {
        actions.push(el('button', {type: 'button', class: 'sls-btn sls-btn--small', data: {slsWrite: ''},
          'aria-label': _('Answer') + ': ' + prompt.text, text: _('Answer'), onclick: function () {
            blog.openCompose(null);
            choose(prompt.id);
          }}));
      }
      if (prompt.answer) {
        actions.push(el('button', {type: 'button', class: 'sls-btn sls-btn--quiet sls-btn--small',
          text: _('Open'), 'aria-label': _('Open') + ': ' + prompt.text, onclick: function () {
            blog.openEntry(prompt.answer);
          }}));
      }
      return el('li', {class: 'sls-blog__prompt is-' + prompt.state + (answered ? ' is-answered' : ''),
        data: {prompt: prompt.id}}, [
        el('p', {class: 'sls-blog__prompt-text', text: prompt.text}),
        el('p', {class: 'sls-meta sls-blog__prompt-meta'}, stateLine(prompt)),
        el('p', {class: 'sls-blog__prompt-badges'}, badges),
        actions.length ? el('div', {class: 'sls-actions'}, actions) : null
      ]);
    }

    function render() {
      list.replaceChildren.apply(list, prompts.map(promptItem));
      section.hidden = !prompts.length && !isStaff;
      if (!prompts.length) {
        list.appendChild(el('li', {class: 'sls-hint', text: _('No prompts yet.')}));
      }
      renderChoices();
      renderFilter();
    }

    function refresh() {
      return blog.call('list_prompts', {}).then(function (answer) {
        prompts = answer.prompts;
        if (answer.editor) {
          editorRows = answer.editor;
          renderEditor();
        }
        render();
      }, function () {});
    }

    // ----- the entry form: which prompt it answers ------------------------------------------------------
    const formSlot = blog.slot('form');
    const selectId = SLS.uid('sls-prompt-choice');
    const select = el('select', {id: selectId, name: 'prompt'});
    const field = el('div', {class: 'sls-field', data: {sls: 'prompt-field'}}, [
      el('label', {for: selectId, text: _('In answer to')}), select,
      el('p', {class: 'sls-field-error', data: {slsError: 'prompt'}})]);
    if (formSlot) {
      formSlot.appendChild(field);
    }

    function renderChoices(keep) {
      const current = keep !== undefined ? keep : select.value;
      select.replaceChildren(el('option', {value: '', text: _('No prompt')}));
      prompts.forEach(function (prompt) {
        if (prompt.state !== 'upcoming' || String(prompt.id) === String(current)) {
          select.appendChild(el('option', {value: String(prompt.id), text: prompt.text.slice(0, 120)}));
        }
      });
      field.hidden = select.options.length < 2;
      choose(current);
    }

    function choose(id, text) {
      const value = id ? String(id) : '';
      if (value && !Array.prototype.some.call(select.options, function (o) { return o.value === value; })) {
        select.appendChild(el('option', {value: value, text: (text || '').slice(0, 120)}));
        field.hidden = false;
      }
      select.value = value;
    }

    blog.on('form', function (form, entry) {
      editingPrompt = entry && entry.prompt ? String(entry.prompt.id) : null;
      choose(entry && entry.prompt ? entry.prompt.id : '', entry && entry.prompt ? entry.prompt.text : '');
    });
    blog.on('fill', function (form, values) {
      if (values.prompt) {
        choose(values.prompt);
      }
    });
    blog.on('reset', function () {
      select.value = '';
    });
    blog.on('collect', function (form, data) {
      // An edit that keeps its prompt does not send it (the prompt may have been removed since).
      if (blog.editing && select.value === (editingPrompt || '')) {
        return;
      }
      data.prompt = select.value ? parseInt(select.value, 10) : null;
    });
    blog.on('saved', function () {
      refresh();
    });

    // ----- the feed's filter -----------------------------------------------------------------------------
    const filterSlot = blog.slot('filters');
    const filterId = SLS.uid('sls-prompt-filter');
    const filter = el('select', {id: filterId, data: {sls: 'prompt-filter'}});
    const filterField = el('div', {class: 'sls-field sls-field--inline'}, [
      el('label', {for: filterId, text: _('Prompt')}), filter]);
    if (filterSlot) {
      filterSlot.appendChild(filterField);
    }
    filter.addEventListener('change', function () {
      blog.reload();
    });
    blog.on('filters', function (data) {
      if (filter.value) {
        data.prompt = parseInt(filter.value, 10);
      }
    });

    function renderFilter() {
      const current = filter.value;
      filter.replaceChildren(el('option', {value: '', text: _('All prompts')}));
      prompts.forEach(function (prompt) {
        filter.appendChild(el('option', {value: String(prompt.id), text: prompt.text.slice(0, 80)}));
      });
      filter.value = current;
      filterField.hidden = !prompts.length;
    }

    // ----- the editor (course staff) --------------------------------------------------------------------
    let editor = null;
    let editForm = null;
    let editingId = null;

    function input(name, label, attrs, hint) {
      const id = SLS.uid('sls-prompt-' + name);
      return el('div', {class: 'sls-field'}, [
        el('label', {for: id, text: label}),
        attrs.tag === 'textarea' ? el('textarea', {id: id, name: name, rows: 3, maxlength: 1000}) :
          el('input', Object.assign({id: id, name: name}, attrs)),
        hint ? el('p', {class: 'sls-hint', text: hint}) : null,
        el('p', {class: 'sls-field-error', data: {slsError: name}})]);
    }

    function renderEditor() {
      if (!editor) {
        return;
      }
      const rows = editor.querySelector('[data-sls="prompt-rows"]');
      rows.replaceChildren();
      (editorRows || []).forEach(function (row, index) {
        const move = function (direction) {
          return function (event) {
            SLS.ui.busy(event.currentTarget, blog.call('move_prompt', {id: row.id, direction: direction}),
              blog.notices).then(function (answer) {
              editorRows = answer.editor;
              prompts = answer.prompts;
              renderEditor();
              render();
              const again = rows.querySelector('[data-row="' + row.id + '"] [data-move="' + direction + '"]');
              if (again && !again.disabled) {
                again.focus();
              }
            }, function () {});
          };
        };
        rows.appendChild(el('li', {class: 'sls-blog__prompt-row', data: {row: row.id}}, [
          el('p', {class: 'sls-blog__prompt-text', text: row.text}),
          el('p', {class: 'sls-meta'}, [row.opens ? _('Opens {time}', {time: row.opens.replace('T', ' ')}) : '',
            row.opens && row.due ? ' · ' : '', row.due ? _('Due {time}', {time: row.due.replace('T', ' ')}) : '',
            row.required ? ' · ' + _('Required') : '',
            row.min_words ? ' · ' + n_('At least {count} word', 'At least {count} words', row.min_words) : '']),
          el('div', {class: 'sls-actions'}, [
            el('button', {type: 'button', class: 'sls-btn sls-btn--small', text: _('Edit'),
              'aria-label': _('Edit prompt') + ': ' + row.text, onclick: function () { edit(row); }}),
            el('button', {type: 'button', class: 'sls-btn sls-btn--small', text: _('Move up'), data: {move: 'up'},
              'aria-label': _('Move up') + ': ' + row.text, disabled: index === 0, onclick: move('up')}),
            el('button', {type: 'button', class: 'sls-btn sls-btn--small', text: _('Move down'), data: {move: 'down'},
              'aria-label': _('Move down') + ': ' + row.text, disabled: index === editorRows.length - 1,
              onclick: move('down')}),
            el('button', {type: 'button', class: 'sls-btn sls-btn--small sls-btn--danger', text: _('Delete'),
              'aria-label': _('Delete') + ': ' + row.text, onclick: function (event) {
                if (!window.confirm(_('Delete this prompt? Entries that answer it keep their text.'))) {
                  return;
                }
                SLS.ui.busy(event.currentTarget, blog.call('delete_prompt', {id: row.id}), blog.notices)
                  .then(function (answer) {
                    editorRows = answer.editor;
                    prompts = answer.prompts;
                    renderEditor();
                    render();
                    blog.notices.announce(_('Prompt deleted.'));
                    editor.querySelector('h4').focus();
                  }, function () {});
              }})
          ])
        ]));
      });
    }

    function edit(row) {
      editingId = row ? row.id : null;
      blog.forms.clearErrors(editForm);
      editForm.elements.namedItem('text').value = row ? row.text : '';
      editForm.elements.namedItem('opens').value = row ? row.opens : '';
      editForm.elements.namedItem('due').value = row ? row.due : '';
      editForm.elements.namedItem('required').checked = !!(row && row.required);
      editForm.elements.namedItem('min_words').value = row ? String(row.min_words) : '0';
      editForm.querySelector('[data-sls="prompt-form-title"]').textContent = row ? _('Edit prompt') : _('Add prompt');
      editForm.elements.namedItem('text').focus();
    }

    function buildEditor() {
      const titleId = SLS.uid('sls-prompt-editor');
      const requiredId = SLS.uid('sls-prompt-required');
      editForm = el('form', {class: 'sls-form sls-blog__prompt-form', novalidate: true}, [
        el('h5', {data: {sls: 'prompt-form-title'}, text: _('Add prompt')}),
        el('p', {class: 'sls-form-error', role: 'alert', data: {sls: 'form-error'}}),
        input('text', _('Prompt'), {tag: 'textarea'}),
        el('div', {class: 'sls-blog__prompt-dates'}, [
          input('opens', _('Opens'), {type: 'datetime-local'}),
          input('due', _('Due'), {type: 'datetime-local'})]),
        el('p', {class: 'sls-hint', text: _('Dates are in the course time zone: {zone}.', {zone: zone})}),
        el('div', {class: 'sls-check'}, [el('input', {type: 'checkbox', id: requiredId, name: 'required'}),
          el('label', {for: requiredId, text: _('Required')})]),
        el('p', {class: 'sls-field-error', data: {slsError: 'required'}}),
        input('min_words', _('Fewest words in an answer'), {type: 'number', min: 0, max: 5000, step: 1, value: 0},
          _('0: any answer counts; the blog’s own minimum applies too.')),
        el('div', {class: 'sls-actions'}, [
          el('button', {type: 'submit', class: 'sls-btn sls-btn--primary', text: _('Save prompt')}),
          el('button', {type: 'button', class: 'sls-btn', text: _('Cancel'), onclick: function () { edit(null); }})])
      ]);
      editForm.addEventListener('submit', function (event) {
        event.preventDefault();
        const data = {
          text: editForm.elements.namedItem('text').value,
          opens: editForm.elements.namedItem('opens').value,
          due: editForm.elements.namedItem('due').value,
          required: editForm.elements.namedItem('required').checked,
          min_words: editForm.elements.namedItem('min_words').value
        };
        if (editingId) {
          data.id = editingId;
        }
        blog.forms.send(editForm, function () {
          return blog.call('save_prompt', data);
        }, function (answer) {
          editorRows = answer.editor;
          prompts = answer.prompts;
          renderEditor();
          render();
          blog.notices.announce(_('Prompt saved.'));
          edit(null);
        });
      });
      editor = el('div', {class: 'sls-blog__prompt-editor', data: {sls: 'prompt-editor'}, hidden: true,
        'aria-labelledby': titleId, role: 'group'}, [
        el('h4', {id: titleId, tabindex: '-1', text: _('Edit prompts')}),
        el('p', {class: 'sls-hint', text: _('Dates are in the course time zone: {zone}.', {zone: zone})}),
        el('ol', {class: 'sls-blog__prompt-rows', role: 'list', data: {sls: 'prompt-rows'}}),
        editForm
      ]);
      const toggle = el('button', {type: 'button', class: 'sls-btn', 'aria-expanded': 'false', data: {slsWrite: ''},
        text: _('Edit prompts'), onclick: function () {
          const open = editor.hidden;
          editor.hidden = !open;
          toggle.setAttribute('aria-expanded', open ? 'true' : 'false');
          if (open) {
            refresh().then(function () { editor.querySelector('h4').focus(); });
          }
        }});
      toggle.setAttribute('aria-controls', editor.id = SLS.uid('sls-prompt-editor-box'));
      section.appendChild(el('div', {class: 'sls-bar'}, [toggle]));
      section.appendChild(editor);
    }

    if (isStaff && !blog.readOnly) {
      buildEditor();
    }
    render();
  });
}());
