/** Pagination and sortable column headers, as links that keep the page's other parameters. */
import { html, link, withQuery, type SafeHtml } from './html.js';

export type Params = Readonly<Record<string, string | number | boolean | undefined | null>>;

export interface PagerInput {
  readonly path: string;
  /** The page's other parameters (filters, sort), kept on every link. */
  readonly params: Params;
  readonly total: number;
  readonly limit: number;
  readonly offset: number;
}

/** "41–60 of 1,234" with first/previous/next links; nothing to page when everything fits. */
export function pager(p: PagerInput): SafeHtml {
  const { total, limit, offset } = p;
  if (total === 0) return html`<p class="pager">No entries.</p>`;
  const from = Math.min(offset + 1, total);
  const to = Math.min(offset + limit, total);
  const at = (o: number): string => withQuery(p.path, { ...p.params, limit: limit === 50 ? undefined : limit, offset: o === 0 ? undefined : o });
  const prev = offset > 0 ? html`${link(at(0), '« first')} ${link(at(Math.max(0, offset - limit)), '‹ previous')}` : null;
  const next = to < total ? link(at(offset + limit), 'next ›') : null;
  return html`<p class="pager">${from.toLocaleString('en-US')}–${to.toLocaleString('en-US')} of ${total.toLocaleString('en-US')} ${prev} ${next}</p>`;
}

export interface SortState {
  readonly sort: string;
  readonly desc: boolean;
}

/** A column header that sorts by `key` (toggling direction when it already does). */
export function sortHeader(path: string, params: Params, state: SortState, key: string, label: string): SafeHtml {
  const active = state.sort === key;
  const desc = active ? !state.desc : false;
  const arrow = active ? (state.desc ? ' ▼' : ' ▲') : '';
  const url = withQuery(path, { ...params, sort: key, desc: desc ? 1 : undefined });
  return html`<th scope="col"${active ? html` aria-sort="${state.desc ? 'descending' : 'ascending'}"` : null}>${link(url, label + arrow)}</th>`;
}
