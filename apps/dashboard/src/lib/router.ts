import { useEffect, useState } from 'preact/hooks';

/** Client-side routes; the gateway answers index.html for all of them so a reload works. */
export type Route =
  | { page: 'signin'; next: string | null }
  | { page: 'bots' }
  | { page: 'chat'; botId: string }
  | { page: 'tasks' }
  | { page: 'task'; taskId: string }
  | { page: 'deliveries' }
  | { page: 'not-found' };

export function parseRoute(pathname: string, search: string): Route {
  const parts = pathname.split('/').filter(Boolean).map(decodeURIComponent);
  if (parts.length === 0) return { page: 'bots' };
  const [first, second] = parts;
  if (first === 'signin') return { page: 'signin', next: new URLSearchParams(search).get('next') };
  if (first === 'bots' && second) return { page: 'chat', botId: second };
  if (first === 'bots') return { page: 'bots' };
  if (first === 'tasks' && second) return { page: 'task', taskId: second };
  if (first === 'tasks') return { page: 'tasks' };
  if (first === 'deliveries') return { page: 'deliveries' };
  return { page: 'not-found' };
}

export function navigate(path: string) {
  if (path === window.location.pathname + window.location.search) return;
  window.history.pushState(null, '', path);
  window.dispatchEvent(new PopStateEvent('popstate'));
}

export function useRoute(): Route {
  const read = () => parseRoute(window.location.pathname, window.location.search);
  const [route, setRoute] = useState(read);
  useEffect(() => {
    const update = () => setRoute(read());
    window.addEventListener('popstate', update);
    return () => window.removeEventListener('popstate', update);
  }, []);
  return route;
}

/** An in-app link: no page reload, still a real href (open in new tab works). */
export function linkHandler(path: string) {
  return (event: MouseEvent) => {
    if (event.metaKey || event.ctrlKey || event.shiftKey || event.button !== 0) return;
    event.preventDefault();
    navigate(path);
  };
}
