import { useLayoutEffect, useRef, useState, type CSSProperties, type ReactNode, type RefObject } from 'react';

export interface SideOverflow {
  left: boolean;
  right: boolean;
}

/** Whether a scroll box hides content to its left or to its right, followed as it scrolls and resizes. */
export function useSideOverflow(ref: RefObject<HTMLElement | null>): SideOverflow {
  const [more, setMore] = useState<SideOverflow>({ left: false, right: false });
  useLayoutEffect(() => {
    const el = ref.current;
    if (!el) return;
    const update = () => {
      const left = el.scrollLeft > 1;
      const right = el.scrollLeft + el.clientWidth < el.scrollWidth - 1;
      setMore((m) => (m.left === left && m.right === right ? m : { left, right }));
    };
    update();
    el.addEventListener('scroll', update, { passive: true });
    const resize = new ResizeObserver(update);
    resize.observe(el);
    for (const child of Array.from(el.children)) resize.observe(child);
    return () => {
      el.removeEventListener('scroll', update);
      resize.disconnect();
    };
  }, [ref]);
  return more;
}

/** A shadow on each side where columns are scrolled out of view: a wide table says it has more. */
export function ScrollFrame({ more, children }: { more: SideOverflow; children: ReactNode }) {
  return (
    <div className="scroll-frame" data-more-left={more.left || undefined} data-more-right={more.right || undefined} data-testid="scroll-frame">
      {children}
    </div>
  );
}

/** The scrolling box of a table, with the side cue. */
export function TableScroll({ label, style, children }: { label: string; style?: CSSProperties; children: ReactNode }) {
  const ref = useRef<HTMLDivElement>(null);
  const more = useSideOverflow(ref);
  return (
    <ScrollFrame more={more}>
      <div ref={ref} className="table-scroll" style={style} tabIndex={0} role="region" aria-label={label}>
        {children}
      </div>
    </ScrollFrame>
  );
}
