# A failure list for one comparison: [ ] when equal (builtins only).
name: actual: expected:
if actual == expected then
  [ ]
else
  [ "${name}: expected ${builtins.toJSON expected}, got ${builtins.toJSON actual}" ]
