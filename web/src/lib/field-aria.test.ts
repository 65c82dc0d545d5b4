import { describe, expect, it } from 'vitest';
import { fieldAria } from './field-aria';

describe('fieldAria', () => {
  it('adds nothing to a plain control', () => {
    expect(fieldAria({ id: 'x' })).toEqual({});
  });

  it('points at the hint', () => {
    expect(fieldAria({ id: 'x-phone', hint: 'Mobile number' })).toEqual({
      'aria-describedby': 'x-phone-hint',
    });
  });

  it('says a control that can be invalid is valid while its error is null', () => {
    expect(fieldAria({ id: 'x', error: null })).toEqual({ 'aria-invalid': false });
    expect(fieldAria({ id: 'x', error: false })).toEqual({ 'aria-invalid': false });
    expect(fieldAria({ id: 'x', error: '' })).toEqual({ 'aria-invalid': false });
  });

  it('marks the control invalid and points at the error, after the hint', () => {
    expect(fieldAria({ id: 'x', error: 'Mismatch' })).toEqual({
      'aria-describedby': 'x-error',
      'aria-invalid': true,
    });
    expect(fieldAria({ id: 'x', hint: 'h', error: 'e' })).toEqual({
      'aria-describedby': 'x-hint x-error',
      'aria-invalid': true,
    });
  });
});
