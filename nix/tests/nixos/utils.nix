# nixos/lib/utils.nix's escapeSystemdExecArgs (NixOS passes `utils` to every
# module; it is not part of nixpkgs' lib/): JSON-quote each argument, then
# double % and $ so that systemd expands neither specifiers nor variables.
{
  escapeSystemdExecArgs =
    args:
    builtins.concatStringsSep " " (
      map (
        arg:
        builtins.replaceStrings [ "%" "$" ] [ "%%" "$$" ] (
          builtins.toJSON (if builtins.isString arg then arg else toString arg)
        )
      ) args
    );
}
