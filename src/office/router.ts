/**
 * Paths of the office console (/office/…) as a signal, moved by links and the browser's back and
 * forward buttons. The server and the service worker answer every such path with the app, so a
 * page can be reloaded or bookmarked.
 */
import { signal } from '@preact/signals';

export const location$ = signal(currentLocation());

function currentLocation(): { path: string; search: URLSearchParams } {
  return { path: window.location.pathname, search: new URLSearchParams(window.location.search) };
}

export function navigate(to: string, opts: { replace?: boolean } = {}): void {
  if (opts.replace) history.replaceState(null, '', to);
  else history.pushState(null, '', to);
  location$.value = currentLocation();
  window.scrollTo(0, 0);
}

window.addEventListener('popstate', () => {
  location$.value = currentLocation();
});

/** Matches `/office/cards/:serial` style patterns; the parameters, or null. */
export function match(pattern: string, path: string): Record<string, string> | null {
  const p = pattern.split('/');
  const a = path.replace(/\/+$/, '').split('/');
  if (p.length !== a.length) return null;
  const params: Record<string, string> = {};
  for (let i = 0; i < p.length; i++) {
    if (p[i]!.startsWith(':')) params[p[i]!.slice(1)] = decodeURIComponent(a[i]!);
    else if (p[i] !== a[i]) return null;
  }
  return params;
}

/** A plain click on a link moves within the app; a modified click opens a tab as usual. */
export function onLinkClick(e: MouseEvent): void {
  if (e.defaultPrevented || e.button !== 0 || e.metaKey || e.ctrlKey || e.shiftKey || e.altKey)
    return;
  const a = (e.target as HTMLElement).closest('a');
  if (!a || a.target || a.hasAttribute('download')) return;
  const url = new URL(a.href);
  if (url.origin !== window.location.origin || !url.pathname.startsWith('/office')) return;
  e.preventDefault();
  navigate(url.pathname + url.search);
}
