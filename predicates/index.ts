// Pure predicates over (facts, config): no IO, no clock, no zod at run time.
export { type Check, holds, combine, firstReason } from './check.ts';
export { classify } from './classify.ts';
export { targetReached, isTargetReached, modeCheck, desktopCheck, studioLocalCheck, computeCheck } from './modes.ts';
export { gpuReleased } from './gpu-release.ts';
export { evaluateGuards } from './guards.ts';
export { decide, type Decision } from './decide.ts';
export { noticeFor, isAttended, type NoticeRequest } from './notice.ts';
export { firstFailedVerdict } from './guard-verdict.ts';
export { planTransition } from './plan.ts';
export { waitCondition, type WaitUntil } from './wait-conditions.ts';
export { stepTimeoutMs } from './timeouts.ts';
export { effectiveWeight, DEFAULT_WEIGHT, SLICE_ROLES } from './slices.ts';
export { whyNotTerminable, isGraphical } from './sessions.ts';
