/*
 * Social Learning Suite: forms and the one error shape (extends window.SocialLearning).
 *
 * SocialLearning.forms(t, notices) gives helpers over the component's i18n (`t`, from
 * SocialLearning.i18n) and live regions (`notices`, a SocialLearning.ui.Notices):
 *   - wire(form): ids for every control, labels tied to them, and aria-describedby naming the
 *     field's hint, counter and error slot (.sls-field > .sls-hint, [data-sls="counter"],
 *     [data-sls-error]); check boxes in .sls-check get their label tied too;
 *   - attachCounter(control): "n characters left" under a control with data-max;
 *   - submitShortcut(form): Ctrl+Enter (Cmd+Enter) in a text area sends the form;
 *   - clearErrors(form) / showErrors(form, err): an ApiError {message, fields} shown in the form's
 *     [data-sls="form-error"] summary and each field's [data-sls-error="name"] slot, the fields
 *     marked aria-invalid and the first one focused (the alert region when the form has no summary);
 *   - fill(form, values): controls set by name (text, radio groups, check boxes), counters updated;
 *   - send(form, run, done, failed): one submission at a time: errors cleared, the form marked busy
 *     while `run()`'s promise runs, `done(result)` after it, else the errors shown and `failed(err)`.
 */
(function (global) {
  'use strict';
  const SLS = global.SocialLearning;
  if (!SLS || SLS.forms) {
    return;
  }

  const counters = new WeakMap(); // control -> its counter's update function

  function wire(form) {
    form.querySelectorAll('.sls-field').forEach(function (field) {
      const control = field.querySelector('input, textarea, select');
      if (!control) {
        return;
      }
      if (!control.id) {
        control.id = SLS.uid('sls-f');
      }
      const label = field.querySelector('label');
      if (label) {
        label.setAttribute('for', control.id);
      }
      const described = [];
      [['.sls-hint', 'hint'], ['[data-sls="counter"]', 'count'], ['[data-sls-error]', 'error']].forEach(function (pair) {
        const node = field.querySelector(pair[0]);
        if (node) {
          if (!node.id) {
            node.id = control.id + '-' + pair[1];
          }
          described.push(node.id);
        }
      });
      if (described.length) {
        control.setAttribute('aria-describedby', described.join(' '));
      }
    });
    form.querySelectorAll('.sls-check').forEach(function (check) {
      const input = check.querySelector('input');
      const label = check.querySelector('label');
      if (input && label) {
        if (!input.id) {
          input.id = SLS.uid('sls-c');
        }
        label.setAttribute('for', input.id);
      }
    });
  }

  /** Ctrl+Enter (Cmd+Enter) in a text area sends its form, as in most forums and chat tools. */
  function submitShortcut(form) {
    form.addEventListener('keydown', function (event) {
      if (event.defaultPrevented) {
        return; // e.g. Enter chose an @mention suggestion
      }
      if (event.key === 'Enter' && (event.ctrlKey || event.metaKey) && event.target.tagName === 'TEXTAREA') {
        event.preventDefault();
        if (form.requestSubmit) {
          form.requestSubmit();
        } else {
          form.dispatchEvent(new Event('submit', {cancelable: true}));
        }
      }
    });
  }

  function clearErrors(form) {
    const box = form.querySelector('[data-sls="form-error"]');
    if (box) {
      box.textContent = '';
    }
    form.querySelectorAll('[data-sls-error]').forEach(function (node) {
      node.textContent = '';
    });
    form.querySelectorAll('[aria-invalid]').forEach(function (node) {
      node.removeAttribute('aria-invalid');
    });
  }

  function fill(form, values) {
    Object.keys(values || {}).forEach(function (name) {
      const control = form.elements.namedItem(name);
      if (!control) {
        return;
      }
      const value = values[name];
      if (control.type === 'checkbox') {
        control.checked = !!value;
      } else {
        control.value = value === null || value === undefined ? '' : value; // a radio group: the one with it
      }
    });
    form.querySelectorAll('[data-max]').forEach(function (control) {
      const update = counters.get(control);
      if (update) {
        update();
      }
    });
  }

  SLS.forms = function (t, notices) {
    function attachCounter(control) {
      const max = parseInt(control.dataset.max, 10);
      const field = control.closest('.sls-field');
      const counter = field ? field.querySelector('[data-sls="counter"]') : null;
      if (!max || !counter) {
        return function () {};
      }
      const n_ = t.n_;
      function update() {
        const length = control.value.length;
        const left = max - length;
        const always = max <= 1000;
        if (!always && length < max * 0.8) {
          counter.textContent = '';
          counter.classList.remove('is-over');
          return;
        }
        if (left >= 0) {
          counter.textContent = n_('{count} character left', '{count} characters left', left);
          counter.classList.remove('is-over');
        } else {
          counter.textContent = n_('{count} character too many', '{count} characters too many', -left);
          counter.classList.add('is-over');
        }
      }
      control.addEventListener('input', update);
      counters.set(control, update);
      update();
      return update;
    }

    /** Show a server error next to the form and its fields. The user's text is left untouched. */
    function showErrors(form, err) {
      clearErrors(form);
      const box = form.querySelector('[data-sls="form-error"]');
      const fieldMessages = Object.keys(err.fields || {}).map(function (name) {
        return form.querySelector('[data-sls-error="' + name + '"]') ? err.fields[name] : null;
      });
      if (box) {
        // Said once: when the field's own message already says it all, the summary only points to it.
        const saidAtField = fieldMessages.length === 1 && fieldMessages[0] === err.message;
        box.textContent = saidAtField ? t._('Please correct the marked field.') : err.message;
      } else if (notices) {
        notices.showAlert(err.message);
      }
      let first = null;
      Object.keys(err.fields || {}).forEach(function (name) {
        const slot = form.querySelector('[data-sls-error="' + name + '"]');
        const control = form.elements[name];
        if (slot) {
          slot.textContent = err.fields[name];
        }
        if (control && control.setAttribute) {
          control.setAttribute('aria-invalid', 'true');
          first = first || control;
        }
      });
      if (first && first.focus) {
        first.focus();
      }
    }

    function send(form, run, done, failed) {
      if (form.dataset.busy) {
        return false;
      }
      clearErrors(form);
      form.dataset.busy = '1';
      form.setAttribute('aria-busy', 'true');
      Promise.resolve().then(run).then(done, function (err) {
        showErrors(form, err);
        if (failed) {
          failed(err);
        }
      }).finally(function () {
        delete form.dataset.busy;
        form.removeAttribute('aria-busy');
      });
      return true;
    }

    return {
      wire: wire, submitShortcut: submitShortcut, attachCounter: attachCounter, clearErrors: clearErrors,
      showErrors: showErrors, fill: fill, send: send
    };
  };
  Object.assign(SLS.forms, {wire: wire, submitShortcut: submitShortcut, clearErrors: clearErrors, fill: fill});
}(window));
