/** Bad recurrence input; `field` names what is wrong ("rrule.BYDAY", "exdates", "window") for a 400 response. */
export class RecurrenceError extends Error {
  constructor(
    readonly field: string,
    message: string,
  ) {
    super(message);
    this.name = "RecurrenceError";
  }
}
