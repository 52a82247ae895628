/** A timestamp as readable UTC text, with the machine-readable value beside it. */
export function Time(props: { at: number | string }) {
  const iso = new Date(props.at).toISOString();
  return <time datetime={iso}>{`${iso.slice(0, 10)} ${iso.slice(11, 16)} UTC`}</time>;
}
