# The /etc/dubnium/config.json value nix/lib/config.nix generates for
# hosts/workstation; test/nix compares it with examples/workstation.config.json.
let
  host = import ./host.nix;
in
import ../lib/config.nix { inherit (host) hostName dubnium; }
