import { createElement } from 'react';
import { renderToStaticMarkup } from 'react-dom/server';
import { describe, expect, it } from 'vitest';
import { SelectField } from './SelectField';
import { TextAreaField, TextField } from './TextField';

// The markup the screens wrote by hand before these components, so the e2e tests' selectors, the
// stylesheet and axe see the same thing.
describe('TextField', () => {
  it('renders the label, the input with its attributes, and the hint it is described by', () => {
    const html = renderToStaticMarkup(
      createElement(TextField, {
        id: 'u-phone',
        label: 'Mobile',
        hint: 'Starts with 09',
        type: 'tel',
        inputMode: 'tel',
        autoComplete: 'tel',
        required: true,
        pattern: '09[0-9]{8}',
        value: '0912',
        onChange: () => {},
        'data-testid': 'order-phone',
      } as Parameters<typeof TextField>[0]),
    );
    expect(html).toBe(
      '<div class="field"><label for="u-phone">Mobile</label>' +
        '<input id="u-phone" aria-describedby="u-phone-hint" type="tel" inputMode="tel" autoComplete="tel" required=""' +
        ' pattern="09[0-9]{8}" data-testid="order-phone" value="0912"/>' +
        '<small id="u-phone-hint">Starts with 09</small></div>',
    );
  });

  it('says aria-invalid="false" while a field that can be wrong is not, and shows the error when it is', () => {
    const props = { id: 'u-confirm', label: 'Again', type: 'password', readOnly: true };
    expect(renderToStaticMarkup(createElement(TextField, { ...props, error: null }))).toBe(
      '<div class="field"><label for="u-confirm">Again</label>' +
        '<input id="u-confirm" aria-invalid="false" type="password" readOnly=""/></div>',
    );
    expect(renderToStaticMarkup(createElement(TextField, { ...props, error: 'Not the same' }))).toBe(
      '<div class="field"><label for="u-confirm">Again</label>' +
        '<input id="u-confirm" aria-describedby="u-confirm-error" aria-invalid="true" type="password" readOnly=""/>' +
        '<small id="u-confirm-error" class="field-error">Not the same</small></div>',
    );
  });

  it('adds the wrapper classes and renders what comes after the input inside the field', () => {
    const html = renderToStaticMarkup(
      createElement(TextField, {
        id: 'u-id',
        label: 'ID',
        fieldClassName: 'grow',
        className: 'big-input',
        list: 'u-people',
        after: createElement('datalist', { id: 'u-people' }),
      }),
    );
    expect(html).toBe(
      '<div class="field grow"><label for="u-id">ID</label>' +
        '<input id="u-id" class="big-input" list="u-people"/><datalist id="u-people"></datalist></div>',
    );
  });
});

describe('TextAreaField and SelectField', () => {
  it('wrap a textarea the same way', () => {
    expect(
      renderToStaticMarkup(
        createElement(TextAreaField, { id: 'u-pem', label: 'Key', rows: 4, spellCheck: false }),
      ),
    ).toBe(
      '<div class="field"><label for="u-pem">Key</label><textarea id="u-pem" rows="4" spellCheck="false"></textarea></div>',
    );
  });

  it('wrap a select with its options', () => {
    const html = renderToStaticMarkup(
      createElement(
        SelectField,
        { id: 'u-city', label: 'City', value: 'b', onChange: () => {}, fieldClassName: 'sim-box' },
        createElement('option', { value: 'a' }, 'A'),
        createElement('option', { value: 'b' }, 'B'),
      ),
    );
    expect(html).toBe(
      '<div class="field sim-box"><label for="u-city">City</label><select id="u-city">' +
        '<option value="a">A</option><option value="b" selected="">B</option></select></div>',
    );
  });
});
