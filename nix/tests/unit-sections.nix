# A rendered unit file or drop-in as data (builtins only):
# { <Section> = { <Key> = [ values in order ]; }; }, so tests can ask what a
# key says without matching text. `Key=` (an empty value) is kept as "".
text:
let
  inherit (builtins) filter foldl' isString match split;
  lines = filter (line: isString line && line != "") (split "\n" text);
  step =
    state: line:
    let
      header = match "[[]([A-Za-z]+)[]]" line;
      keyValue = match "([A-Za-z0-9-]+)=(.*)" line;
    in
    if header != null then
      state // { section = builtins.head header; }
    else if keyValue != null then
      let
        key = builtins.head keyValue;
        value = builtins.elemAt keyValue 1;
        keys = state.sections.${state.section} or { };
      in
      state
      // {
        sections = state.sections // {
          ${state.section} = keys // { ${key} = (keys.${key} or [ ]) ++ [ value ]; };
        };
      }
    else
      throw "unit-sections: cannot read the line ${builtins.toJSON line}";
in
(foldl' step {
  section = null;
  sections = { };
} lines).sections
