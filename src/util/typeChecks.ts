// Compile-time checks: a schema's keys against its documented interface.

/** True when A and B are the same type (the schemas' compile-time checks against their interfaces). */
export type Same<A, B> = [A] extends [B] ? ([B] extends [A] ? true : false) : false;
/** Compiles only when T is true. */
export type Assert<T extends true> = T;
