import type { ReactNode } from 'react';

/** What every labelled control of a form shares: its label, a hint below it and an error. */
export interface FieldProps {
  /** The control's id; the label points at it, the hint is `${id}-hint`, the error `${id}-error`. */
  id: string;
  label: ReactNode;
  hint?: ReactNode;
  /**
   * The field's error, shown under it. Leave it out for a control that cannot be invalid; give
   * null (or false) for one that can but is not now, so it says aria-invalid="false" meanwhile.
   */
  error?: ReactNode;
  /** More classes on the `.field` wrapper ("grow", "sim-box", "inline", …). */
  fieldClassName?: string | undefined;
}

/** The `.field` block: label, the control, then hint and error, as the stylesheet lays them out. */
export function FieldShell({
  id,
  label,
  hint,
  error,
  fieldClassName,
  children,
}: FieldProps & { children: ReactNode }) {
  return (
    <div className={fieldClassName ? `field ${fieldClassName}` : 'field'}>
      <label htmlFor={id}>{label}</label>
      {children}
      {hint ? <small id={`${id}-hint`}>{hint}</small> : null}
      {error ? (
        <small id={`${id}-error`} className="field-error">
          {error}
        </small>
      ) : null}
    </div>
  );
}
