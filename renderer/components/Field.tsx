import { useId, type InputHTMLAttributes, type ReactNode } from 'react';

interface FieldProps extends Omit<InputHTMLAttributes<HTMLInputElement>, 'id'> {
  label: string;
  help?: string;
  /** Plain words shown instead of the help, and the field marked invalid. */
  error?: string | undefined;
  children?: ReactNode;
}

/** A labelled input with its help or error text tied to it for screen readers. */
export function Field({ label, help, error, children, ...input }: FieldProps) {
  const id = useId();
  const noteId = `${id}-note`;
  return (
    <div className="field">
      <label htmlFor={id}>{label}</label>
      <input id={id} aria-invalid={error ? true : undefined} aria-describedby={help || error ? noteId : undefined} {...input} />
      {(error || help) && (
        <small id={noteId} className={error ? 'error' : undefined}>
          {error ?? help}
        </small>
      )}
      {children}
    </div>
  );
}
