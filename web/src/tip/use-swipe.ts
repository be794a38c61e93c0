import { useRef, useState, type PointerEvent } from 'react';

/** How far a finger must travel sideways for a swipe to count. */
export const SWIPE_THRESHOLD_PX = 80;
/** Below this a touch may still be a tap or a scroll: nothing moves yet. */
const SLOP_PX = 12;

export type SwipeDirection = 'right' | 'left';

export interface SwipeState {
  direction: SwipeDirection | undefined;
  /** Past the threshold: letting go now acts. */
  armed: boolean;
}

interface Gesture {
  pointerId: number;
  startX: number;
  startY: number;
  /** Decided once the finger has moved past the slop: a sideways swipe, or a vertical scroll. */
  axis: 'x' | 'y' | undefined;
}

const AT_REST: SwipeState = { direction: undefined, armed: false };

/**
 * Touch swipes on the tip: right for done, left for dismiss. Only touch pointers count (a mouse
 * drag selects text); a gesture that starts vertical is a scroll and is left alone (the card
 * has touch-action: pan-y).
 */
export function useSwipe(onSwipe: (direction: SwipeDirection) => void) {
  const gesture = useRef<Gesture | undefined>(undefined);
  const [swipe, setSwipe] = useState<SwipeState>(AT_REST);

  function onPointerDown(event: PointerEvent<HTMLElement>) {
    if (event.pointerType !== 'touch' || !event.isPrimary) return;
    gesture.current = {
      pointerId: event.pointerId,
      startX: event.clientX,
      startY: event.clientY,
      axis: undefined,
    };
  }

  function onPointerMove(event: PointerEvent<HTMLElement>) {
    const current = gesture.current;
    if (!current || current.pointerId !== event.pointerId) return;
    const dx = event.clientX - current.startX;
    const dy = event.clientY - current.startY;
    if (!current.axis && Math.max(Math.abs(dx), Math.abs(dy)) >= SLOP_PX) {
      current.axis = Math.abs(dx) > Math.abs(dy) ? 'x' : 'y';
    }
    if (current.axis !== 'x') return;
    setSwipe({ direction: dx > 0 ? 'right' : 'left', armed: Math.abs(dx) >= SWIPE_THRESHOLD_PX });
  }

  function onPointerUp(event: PointerEvent<HTMLElement>) {
    const current = gesture.current;
    if (!current || current.pointerId !== event.pointerId) return;
    gesture.current = undefined;
    setSwipe(AT_REST);
    const dx = event.clientX - current.startX;
    const dy = event.clientY - current.startY;
    const axis = current.axis ?? (Math.abs(dx) > Math.abs(dy) ? 'x' : 'y');
    if (axis === 'y' || Math.abs(dx) < SWIPE_THRESHOLD_PX) return;
    onSwipe(dx > 0 ? 'right' : 'left');
  }

  function onPointerCancel() {
    gesture.current = undefined;
    setSwipe(AT_REST);
  }

  return {
    swipe,
    handlers: { onPointerDown, onPointerMove, onPointerUp, onPointerCancel },
  };
}
