import { useEffect } from 'preact/hooks';
import { navigate } from './router.js';

/** Every shortcut, shown in the help overlay (`?`) and in docs/USER-GUIDE.md. */
export const SHORTCUTS: { keys: string; what: string }[] = [
  { keys: 'g b', what: 'go to Bots (status board)' },
  { keys: 'g t', what: 'go to Tasks' },
  { keys: 'g d', what: 'go to Deliveries' },
  { keys: 'g q', what: 'open the queue view' },
  { keys: '/', what: 'focus the main input (chat box, filter, token)' },
  { keys: 'n', what: 'Bots: launch a new bot (focus the form)' },
  { keys: 'r', what: 'Task: retry; Delivery: replay the selected delivery' },
  { keys: 'x', what: 'Task: cancel' },
  { keys: 'Enter', what: 'Chat: send (Shift+Enter for a new line)' },
  { keys: '?', what: 'show or hide this help' },
  { keys: 'Esc', what: 'close help, leave an input' },
];

function isTyping(target: EventTarget | null): boolean {
  const element = target as HTMLElement | null;
  return !!element && (element.isContentEditable || ['INPUT', 'TEXTAREA', 'SELECT'].includes(element.tagName));
}

/** Clicks the element marked `data-shortcut="<key>"` on the current page, if there is one. */
function press(key: string): boolean {
  const element = document.querySelector<HTMLElement>(`[data-shortcut="${key}"]`);
  if (!element) return false;
  if (element instanceof HTMLInputElement || element instanceof HTMLTextAreaElement) element.focus();
  else element.click();
  return true;
}

export function useShortcuts(toggleHelp: () => void, closeHelp: () => void) {
  useEffect(() => {
    let pendingG = false;
    let gTimer: ReturnType<typeof setTimeout> | undefined;
    const onKey = (event: KeyboardEvent) => {
      if (event.metaKey || event.ctrlKey || event.altKey) return;
      if (event.key === 'Escape') {
        closeHelp();
        if (isTyping(event.target)) (event.target as HTMLElement).blur();
        return;
      }
      if (isTyping(event.target)) return;
      if (pendingG) {
        pendingG = false;
        clearTimeout(gTimer);
        const target = { b: '/bots', t: '/tasks', d: '/deliveries' }[event.key];
        if (target) navigate(target);
        else if (event.key === 'q') window.location.assign('/queues');
        return;
      }
      if (event.key === 'g') {
        pendingG = true;
        gTimer = setTimeout(() => {
          pendingG = false;
        }, 1500);
      } else if (event.key === '?') {
        toggleHelp();
      } else if (['/', 'n', 'r', 'x'].includes(event.key)) {
        if (press(event.key)) event.preventDefault();
      }
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [toggleHelp, closeHelp]);
}
