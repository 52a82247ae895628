/** Going / Maybe / Not going: one form's three submit buttons, each sending its `status`. */
export function AnswerButtons(props: { small?: boolean }) {
  const size = props.small ? " small" : "";
  return (
    <div class="row-actions">
      <button type="submit" name="status" value="accepted" class={`button${size} primary`}>
        Going
      </button>
      <button type="submit" name="status" value="tentative" class={`button${size}`}>
        Maybe
      </button>
      <button type="submit" name="status" value="declined" class={`button${size}`}>
        Not going
      </button>
    </div>
  );
}
