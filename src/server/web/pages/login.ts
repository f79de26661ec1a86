/** Login page (`/login`): the form posts to /login with the local `next` path kept. */
import { html } from '../html.js';
import { page, type Notice } from '../layout.js';

export interface LoginView {
  /** A local path to go to after login (already checked by the route). */
  readonly next: string;
  readonly name?: string;
  readonly notice?: Notice | null;
}

export function renderLogin(v: LoginView): string {
  const body = html`<form method="post" action="/login" class="login">
<input type="hidden" name="next" value="${v.next}">
<label>Name <input type="text" name="name" value="${v.name ?? ''}" required maxlength="100" autocomplete="username" autofocus></label>
<label>Password <input type="password" name="password" required autocomplete="current-password"></label>
<button type="submit">Log in</button>
</form>`;
  return page({ title: 'Log in', viewer: null, notice: v.notice ?? null, body });
}
