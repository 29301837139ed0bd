# The packages the module and the host refer to, as stand-ins (nixpkgs'
# package set cannot be fetched or built here): each is a derivation-shaped
# value with a fixed store path, so units and PATHs render as they would.
# mode-tools also names the units it ships (install-units.sh installs all of
# units/), which decides which definitions become drop-ins.
let
  standIn = import ../stand-in.nix;
in
{
  inherit standIn;
  # module.nix's default for dubnium.package; records what it was called on.
  callPackage = path: _args: standIn "mode-tools" // { calledOn = path; };
  mode-tools = standIn "mode-tools" // {
    unitNames = builtins.attrNames (builtins.readDir ../../../units);
  };
  vllm = standIn "vllm";
  util-linux = standIn "util-linux";
  pciutils = standIn "pciutils";
  pulseaudio = standIn "pulseaudio";
  coreutils = standIn "coreutils";
  findutils = standIn "findutils";
  gnugrep = standIn "gnugrep";
  gnused = standIn "gnused";
  systemd = standIn "systemd";
  prometheus-node-exporter = standIn "node_exporter-1.9.1";
  slurm = standIn "slurm-24.11.1.1";
  # trivial-builders.nix: a folder holding one file; the text is not modelled.
  writeTextDir = path: _text: standIn (baseNameOf path);
  linuxPackages.nvidiaPackages.stable = standIn "nvidia-x11-580.95.05" // {
    version = "580.95.05";
    bin = standIn "nvidia-x11-580.95.05-bin";
  };
}
