# OpenSSH (nixos/modules/services/networking/ssh/sshd.nix): enabling it
# defines sshd.service, the unit /etc/dubnium/config.json lists as
# recovery-critical.
{ config, lib, ... }:
{
  options.services.openssh.enable = lib.mkEnableOption "the OpenSSH secure shell daemon";
  config = lib.mkIf config.services.openssh.enable {
    systemd.services.sshd = {
      description = "SSH Daemon";
      wantedBy = [ "multi-user.target" ];
      after = [ "network.target" ];
      serviceConfig.Restart = "always";
    };
  };
}
