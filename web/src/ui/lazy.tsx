/** A screen loaded on first use, so the code only it needs (the sheet editor's schema) stays out of the main bundle. */
import type { ComponentType } from 'preact';
import { useEffect, useState } from 'preact/hooks';

export function lazyScreen<P extends object>(load: () => Promise<ComponentType<P>>): ComponentType<P> {
  let loaded: ComponentType<P> | null = null;
  return function Lazy(props: P) {
    const [component, setComponent] = useState<ComponentType<P> | null>(() => loaded);
    const [failed, setFailed] = useState(false);
    useEffect(() => {
      if (!component) load().then((c) => setComponent(() => (loaded = c))).catch(() => setFailed(true));
    }, []);
    if (failed) return <div class="page"><h1 tabIndex={-1}>Could not load this page</h1><p>Check your connection and reload.</p></div>;
    const Component = component;
    return Component ? <Component {...props} /> : <div class="page"><p aria-busy="true">Loading…</p></div>;
  };
}
