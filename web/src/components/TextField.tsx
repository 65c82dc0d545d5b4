import type { InputHTMLAttributes, ReactNode, TextareaHTMLAttributes } from 'react';
import { fieldAria } from '../lib/field-aria';
import { type FieldProps, FieldShell } from './Field';

type InputProps = Omit<InputHTMLAttributes<HTMLInputElement>, 'id' | 'aria-describedby' | 'aria-invalid'>;

/**
 * A labelled input: label, the input (every input attribute passes through), hint and error,
 * wired with aria-describedby and aria-invalid. `after` is rendered inside the field after the
 * input (a datalist).
 */
export function TextField({
  id,
  label,
  hint,
  error,
  fieldClassName,
  after,
  ...input
}: FieldProps & InputProps & { after?: ReactNode }) {
  return (
    <FieldShell id={id} label={label} hint={hint} error={error} fieldClassName={fieldClassName}>
      <input id={id} {...fieldAria({ id, hint, error })} {...input} />
      {after}
    </FieldShell>
  );
}

type TextAreaProps = Omit<
  TextareaHTMLAttributes<HTMLTextAreaElement>,
  'id' | 'aria-describedby' | 'aria-invalid'
>;

/** The same block around a textarea (a PEM key or certificate pasted by hand). */
export function TextAreaField({
  id,
  label,
  hint,
  error,
  fieldClassName,
  ...textarea
}: FieldProps & TextAreaProps) {
  return (
    <FieldShell id={id} label={label} hint={hint} error={error} fieldClassName={fieldClassName}>
      <textarea id={id} {...fieldAria({ id, hint, error })} {...textarea} />
    </FieldShell>
  );
}
