/**
 * The resident's unread notifications count, shared by the header's link and the notifications page: the page
 * tells the header when it has marked items read, so the count never lags behind what the page shows.
 */
import { useCallback, useEffect, useState } from 'react';
import { useLocation } from 'react-router-dom';
import { api } from '../../api/client.js';

const CHANGED = 'shaar:notifications-changed';
const POLL_MS = 60_000;

/** Tells every listener (the header) that the unread count is now `unread`, or should be asked again. */
export function announceUnread(unread?: number) {
  window.dispatchEvent(new CustomEvent(CHANGED, { detail: unread }));
}

/** The unread count of the signed-in citizen: asked on each page change, every minute while visible, on request. */
export function useUnreadCount(enabled: boolean): number | null {
  const [count, setCount] = useState<number | null>(null);
  const { pathname } = useLocation();

  const ask = useCallback(() => {
    if (!enabled || document.visibilityState === 'hidden') return;
    api.GET('/api/v1/my/notifications', { params: { query: { limit: 1 } } })
      .then(({ data }) => { if (data) setCount(data.unreadCount); }, () => { /* offline: keep the last count */ });
  }, [enabled]);

  useEffect(() => { if (enabled) ask(); else setCount(null); }, [enabled, ask, pathname]);

  useEffect(() => {
    if (!enabled) return;
    const timer = window.setInterval(ask, POLL_MS);
    const onChange = (e: Event) => {
      const unread = (e as CustomEvent<number | undefined>).detail;
      if (typeof unread === 'number') setCount(unread);
      else ask();
    };
    const onVisible = () => { if (document.visibilityState === 'visible') ask(); };
    window.addEventListener(CHANGED, onChange);
    document.addEventListener('visibilitychange', onVisible);
    return () => {
      window.clearInterval(timer);
      window.removeEventListener(CHANGED, onChange);
      document.removeEventListener('visibilitychange', onVisible);
    };
  }, [enabled, ask]);

  return count;
}
