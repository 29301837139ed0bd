# hosts/workstation as the module sees it: the option defaults of
# nix/lib/defaults.nix with the host's dubnium settings on top.
let
  merge = import ./merge.nix;
  # Only the vLLM package comes from nixpkgs; the assertions and the generated
  # config need no more of it than "is it set".
  pkgs.vllm = import ./stand-in.nix "vllm";
  host = import ../../hosts/workstation/default.nix {
    inherit pkgs;
    config = { };
    lib = { };
  };
in
{
  inherit pkgs host;
  inherit (host.networking) hostName;
  dubnium = merge (import ../lib/defaults.nix) host.dubnium;
}
