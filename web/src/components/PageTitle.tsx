import { useEffect, useRef } from 'react';

/**
 * The page's one h1. It sets the document title and takes the focus when the page opens, so a screen
 * reader announces where a navigation led and Tab continues from the top of the new page.
 */
export function PageTitle({ children, focus = true }: { children: string; focus?: boolean }) {
  const ref = useRef<HTMLHeadingElement>(null);
  useEffect(() => {
    document.title = `${children} · usermod`;
    if (focus) ref.current?.focus({ preventScroll: true });
  }, [children, focus]);
  return (
    <h1 ref={ref} tabIndex={-1}>
      {children}
    </h1>
  );
}
