/**
 * The aria attributes that tie a form control to its hint (`${id}-hint`) and its error
 * (`${id}-error`). `error` undefined: the control cannot be invalid and carries no aria-invalid;
 * null/false/'': it can be and is not now (aria-invalid="false"); anything else: it is.
 */
export function fieldAria({ id, hint, error }: { id: string; hint?: unknown; error?: unknown }): {
  'aria-describedby'?: string;
  'aria-invalid'?: boolean;
} {
  const ids = [hint ? `${id}-hint` : null, error ? `${id}-error` : null].filter(Boolean).join(' ');
  return {
    ...(ids ? { 'aria-describedby': ids } : {}),
    ...(error === undefined ? {} : { 'aria-invalid': Boolean(error) }),
  };
}
