# PipeWire (nixos/modules/services/desktops/pipewire/pipewire.nix): the
# options the host sets and the assertions that concern them, with nixpkgs'
# messages. PipeWire runs as user units, which this stand-in does not model.
{ config, lib, ... }:
let
  inherit (lib) mkIf mkOption mkEnableOption types;
  cfg = config.services.pipewire;
in
{
  options = {
    services.pipewire = {
      enable = mkEnableOption "PipeWire service";
      audio.enable = mkOption {
        type = types.bool;
        default = cfg.enable;
        description = "Whether PipeWire is the primary sound server.";
      };
      alsa.enable = mkEnableOption "ALSA support";
      pulse.enable = mkEnableOption "PulseAudio server emulation";
      jack.enable = mkEnableOption "JACK audio emulation";
    };
    services.pulseaudio.enable = mkEnableOption "the PulseAudio sound server";
  };

  config = mkIf cfg.enable {
    assertions = [
      {
        assertion = cfg.audio.enable -> !config.services.pulseaudio.enable;
        message = "Using PipeWire as the sound server conflicts with PulseAudio. This option requires `services.pulseaudio.enable` to be set to false";
      }
      {
        assertion = (cfg.alsa.enable || cfg.pulse.enable) -> cfg.audio.enable;
        message = "Using PipeWire's ALSA/PulseAudio compatibility layers requires running PipeWire as the sound server. Set `services.pipewire.audio.enable` to true.";
      }
    ];
  };
}
