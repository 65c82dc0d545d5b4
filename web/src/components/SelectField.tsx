import type { SelectHTMLAttributes } from 'react';
import { fieldAria } from '../lib/field-aria';
import { type FieldProps, FieldShell } from './Field';

type SelectProps = Omit<SelectHTMLAttributes<HTMLSelectElement>, 'id' | 'aria-describedby' | 'aria-invalid'>;

/** A labelled select; its options are the children. */
export function SelectField({
  id,
  label,
  hint,
  error,
  fieldClassName,
  children,
  ...select
}: FieldProps & SelectProps) {
  return (
    <FieldShell id={id} label={label} hint={hint} error={error} fieldClassName={fieldClassName}>
      <select id={id} {...fieldAria({ id, hint, error })} {...select}>
        {children}
      </select>
    </FieldShell>
  );
}
