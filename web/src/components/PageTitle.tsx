import { useEffect, useRef } from 'react';

// The first page of a load keeps the browser's own start (Tab reaches the skip link, then the menu).
let firstPage = true;

/**
 * The page's one h1. It sets the document title and, after a navigation inside the app, takes the focus,
 * so a screen reader announces where the navigation led and Tab continues from the top of the new page.
 */
export function PageTitle({ children, focus = true }: { children: string; focus?: boolean }) {
  const ref = useRef<HTMLHeadingElement>(null);
  useEffect(() => {
    document.title = `${children} · usermod`;
    if (focus && !firstPage) ref.current?.focus({ preventScroll: true });
    firstPage = false;
  }, [children, focus]);
  return (
    <h1 ref={ref} tabIndex={-1}>
      {children}
    </h1>
  );
}
