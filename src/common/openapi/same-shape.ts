/**
 * Compile-time checks that a documented response class and the object a service builds have the
 * same shape: `Assert<Same<Built, Documented>>` is a type error when a property is added, removed
 * or retyped on one side only.
 */
export type Same<A, B> = [A] extends [B] ? ([B] extends [A] ? true : false) : false;
export type Assert<T extends true> = T;
