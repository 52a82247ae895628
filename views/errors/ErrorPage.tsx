export interface ErrorViewProps {
  status: number;
  title: string;
  message: string;
  requestId?: string;
}

export function ErrorMessage(props: ErrorViewProps) {
  return (
    <section class="error-panel" role="alert">
      <div class="error-status">{props.status}</div>
      <h1>{props.title}</h1>
      <p>{props.message}</p>
      {props.requestId ? <p class="muted">Reference: {props.requestId}</p> : null}
      <p>
        <a href="/">Go to the start page</a>
      </p>
    </section>
  );
}
