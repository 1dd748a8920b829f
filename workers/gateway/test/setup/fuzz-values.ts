import fc from "fast-check";

/** Values of every JSON type, plus the edge cases an endpoint's fields call for. */
export function everyJsonType(...edgeCases: fc.Arbitrary<unknown>[]): fc.Arbitrary<unknown> {
  return fc.oneof(fc.string(), fc.integer(), fc.double(), fc.boolean(), fc.constant(null), fc.array(fc.string()), fc.object(), ...edgeCases);
}
