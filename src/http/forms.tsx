// A form post's two halves, the same for every form: what a refusal shows beside the fields
// (tryForm), and the answer after the post (answerForm) — htmx or a plain browser post.
import type { Child } from "hono/jsx";
import type { ContentfulStatusCode } from "hono/utils/http-status";
import { AppError, type FieldErrors } from "../lib/errors";
import { redirectAfterPost, render, wantsFragment } from "./render";
import type { AppContext } from "./types";

/**
 * What a form shows in place rather than as an error page: the sent content was refused —
 * invalid (400, 422), clashing with what exists (409), too large or of the wrong kind (413, 415),
 * too often (429, its Retry-After kept). 401, 403, 404 and 5xx go to the one error handler
 * unless a form opts in (`alsoShow`).
 */
const SHOWN: ReadonlySet<number> = new Set([400, 409, 413, 415, 422, 429]);

export type FormStatus = 400 | 401 | 403 | 404 | 409 | 413 | 415 | 422 | 429;

export interface FormErrorOptions {
  /**
   * Statuses this form also shows in place: 401 for a sign-in form (wrong password), 403/404 for
   * a panel that says "you may not" or "already gone" beside its forms. Never 5xx.
   */
  alsoShow?: readonly (401 | 403 | 404)[];
  /** The status a 400 is answered with; a form that answers its own parse failure with 422 says 422. Default 400. */
  invalidStatus?: 400 | 422;
}

/** A refusal to show in the form. */
export interface FormFailure {
  ok: false;
  status: FormStatus;
  /**
   * Beside the fields: the error's field errors; when it names no field, its message as the form's
   * own error, `{ _form: [message] }`. Never empty.
   */
  errors: FieldErrors;
  /** The error's message, for a view with its own message line (a summary above the fields). */
  message: string;
  /** The message when the error names no field (the same text as `errors._form`), else null. */
  formError: string | null;
  /** The error itself, for its code or details (a 429's retryAfterSeconds, say). */
  error: AppError;
}

export type FormOutcome<T> = { ok: true; value: T } | FormFailure;

/**
 * Runs a form's action. Its value, or — for an AppError the form should show (see SHOWN and
 * `options`) — the field errors and status to answer with; the error's headers (Retry-After) are
 * set on the response. Anything else is rethrown, to the one error handler.
 */
export async function tryForm<T>(c: AppContext, action: () => T | Promise<T>, options: FormErrorOptions = {}): Promise<FormOutcome<T>> {
  try {
    return { ok: true, value: await action() };
  } catch (error) {
    if (!(error instanceof AppError)) throw error;
    const shown = SHOWN.has(error.status) || (options.alsoShow as readonly number[] | undefined)?.includes(error.status) === true;
    if (!shown) throw error;
    for (const [name, value] of Object.entries(error.headers)) c.header(name, value);
    const named = Object.keys(error.fieldErrors).length > 0;
    const status = (error.status === 400 ? (options.invalidStatus ?? 400) : error.status) as FormStatus;
    return {
      ok: false,
      status,
      errors: named ? error.fieldErrors : { _form: [error.message] },
      message: error.message,
      formError: named ? null : error.message,
      error,
    };
  }
}

/** A child, or a function that builds it only when it is sent. */
export type LazyChild = Child | (() => Child | Promise<Child>);

export type FormAnswer =
  | {
      ok: true;
      /** Where the post leads: a 303 for a plain form, HX-Redirect for htmx (unless `fragment`). */
      redirect: string;
      /** What an htmx request for a region gets instead of the redirect (the form saying "saved"). */
      fragment?: LazyChild;
      title?: string;
    }
  | {
      ok: false;
      status: ContentfulStatusCode;
      title: string;
      /** The form with its errors: all an htmx request gets. */
      fragment: Child;
      /** The whole page with `fragment` in its place, for a plain post; built only then. Default: the fragment alone in the shell. */
      page?: () => Child | Promise<Child>;
    };

/**
 * The answer after a form post. Success: htmx gets `fragment` when there is one, otherwise a
 * redirect (303, or HX-Redirect for htmx). Failure: htmx gets the form's fragment with its
 * errors, a plain post the whole page with that part in place, both with the failure's status.
 * A `tryForm` failure can be spread in: `{ ...failed, title, fragment, page }`.
 */
export async function answerForm(c: AppContext, answer: FormAnswer): Promise<Response> {
  if (!answer.ok) return render(c, { title: answer.title, status: answer.status, fragment: answer.fragment, page: answer.page });
  if (answer.fragment === undefined || !wantsFragment(c)) return redirectAfterPost(c, answer.redirect);
  const fragment = typeof answer.fragment === "function" ? await answer.fragment() : answer.fragment;
  return render(c, { title: answer.title ?? "", fragment });
}

/** The messages of errors on no field `fields` shows (a damaged page number under a search box), or null. */
export function otherErrors(errors: FieldErrors, fields: readonly string[]): string | null {
  const text = Object.entries(errors)
    .filter(([name]) => !fields.includes(name))
    .flatMap(([, messages]) => messages)
    .join(" ");
  return text || null;
}
