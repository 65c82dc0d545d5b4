/** What an operator can register, and the fields of its form. */
export type Kind = 'pharmacy' | 'store' | 'counter' | 'card';

/** One field of a partner form: a text, number or date input, or a select when it has options. */
export interface Field {
  name: string;
  type?: string;
  required?: boolean;
  pattern?: string;
  options?: readonly { value: string; label: string }[];
}
