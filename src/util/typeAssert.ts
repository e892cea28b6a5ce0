//
// Compile-time proofs: a schema and the interface that documents it name the
// same fields (`export type _Agree = Assert<Same<keyof z.input<typeof s>, keyof I>>`).
//

/** True when A and B are the same type (the schemas' compile-time checks against their interfaces). */
export type Same<A, B> = [A] extends [B] ? ([B] extends [A] ? true : false) : false;
/** Compiles only when T is true. */
export type Assert<T extends true> = T;
