# dubnium.slurm (nix/slurm.nix) on hosts/workstation under nixpkgs' real
# lib.evalModules (./eval-host.nix, with ./nixos/slurm.nix standing in for
# nixpkgs' Slurm and MUNGE modules): enabling it on a host that runs no
# slurmd fails with the assertion; enabled, config.json carries exactly the
# options and the absolute paths of scontrol and squeue, and the
# controller's two units reach munged and slurmctld, ordered after them;
# disabled, config.json says so and the units are as without Slurm. The lab
# host of docs/fleet.md (examples/lab/workstation.nix) evaluates too.
# Prints the list of failures ([ ] when all pass).
{ nixpkgsLib }:
let
  check = import ./check.nix;
  sectionsOf = import ./unit-sections.nix;
  evalHost = modules: import ./eval-host.nix { inherit nixpkgsLib modules; };
  v1 = evalHost [ ];
  inherit (v1) lib pkgs;

  configOf = evaluated: builtins.fromJSON evaluated.config.environment.etc."dubnium/config.json".text;
  fileOf = evaluated: unit: evaluated.config.system.build.etcSystemd."${unit}.d/overrides.conf";
  sections = evaluated: unit: sectionsOf (fileOf evaluated unit);
  controllerUnits = [
    "mode-controller@.service"
    "mode-boot.service"
  ];
  eachUnit = f: map f controllerUnits;

  slurmNode = {
    services.slurm = {
      client.enable = true;
      controlMachine = "labctl";
      nodeName = [ "dubnium-workstation CPUs=16 RealMemory=60000 State=UNKNOWN" ];
      partitionName = [ "workstations Nodes=dubnium-workstation Default=YES MaxTime=12:00:00 State=UP" ];
    };
  };
  onlyDubnium = evalHost [ { dubnium.slurm.enable = true; } ];
  enabled = evalHost [
    slurmNode
    {
      dubnium.slurm = {
        enable = true;
        nodeName = "ws01";
        computeFeature = "dubnium_compute";
        drainWaitSeconds = 900;
        commandTimeoutSeconds = 20;
      };
    }
  ];
  byDefault = evalHost [
    slurmNode
    { dubnium.slurm.enable = true; }
  ];
  restricted = evalHost [
    slurmNode
    {
      dubnium.slurm = {
        enable = true;
        ipAddressAllow = [
          "10.0.0.1"
          "localhost"
        ];
      };
    }
  ];
  # A Slurm node whose controller does not follow it: nixpkgs' module alone.
  slurmOnly = evalHost [ slurmNode ];
  lab = evalHost [ ../../examples/lab/workstation.nix ];

  scontrol = "${pkgs.slurm}/bin/scontrol";
  squeue = "${pkgs.slurm}/bin/squeue";
  slurmConf = "SLURM_CONF=${pkgs.standIn "etc-slurm"}/slurm.conf";
  slurmKeys = [
    "PrivateNetwork"
    "RestrictAddressFamilies"
    "IPAddressAllow"
    "IPAddressDeny"
  ];
  keysOf = evaluated: unit: builtins.filter (key: (sections evaluated unit).Service ? ${key}) slurmKeys;
  environmentOf = evaluated: unit: map builtins.fromJSON ((sections evaluated unit).Service.Environment or [ ]);
  afterOf = evaluated: unit: lib.splitString " " (builtins.head ((sections evaluated unit).Unit.After or [ "" ]));
in
check "enabling Slurm on a host without slurmd fails with one assertion that says what to set" onlyDubnium.failedAssertions [
  "dubnium.slurm.enable: needs services.slurm.client.enable = true; this workstation must be a Slurm node running slurmd (with services.slurm.controlMachine, nodeName and partitionName listing it, docs/fleet.md \"Running a lab\"), or set dubnium.slurm.enable = false."
]
++ check "a Slurm node passes every assertion" enabled.failedAssertions [ ]
++ check "config.json carries the options, exactly" (configOf enabled).slurm {
  enable = true;
  nodeName = "ws01";
  computeFeature = "dubnium_compute";
  drainWaitSeconds = 900;
  commandTimeoutSeconds = 20;
}
++ check "by default: the host name (null), no feature, 600 s, 10 s" (configOf byDefault).slurm {
  enable = true;
  nodeName = null;
  computeFeature = null;
  drainWaitSeconds = 600;
  commandTimeoutSeconds = 10;
}
++ check "scontrol and squeue are the absolute store paths of services.slurm.package" (configOf enabled).tools {
  inherit scontrol squeue;
}
++ check "and they are absolute (NixOS resolves no bare name)" (map (lib.hasPrefix "/nix/store/") [ scontrol squeue ]) [
  true
  true
]
++ check "another services.slurm.package gives its own tools" (configOf (evalHost [
  slurmNode
  {
    dubnium.slurm.enable = true;
    services.slurm.package = pkgs.standIn "slurm-full-24.11.1.1";
  }
])).tools.scontrol "${pkgs.standIn "slurm-full-24.11.1.1"}/bin/scontrol"
++ check "both units run the tools with the module's slurm.conf" (eachUnit (
  unit: builtins.elem slurmConf (environmentOf enabled unit)
)) [
  true
  true
]
++ check "both units come after munged and slurmd" (eachUnit (
  unit: builtins.filter (after: builtins.elem after (afterOf enabled unit)) [ "munged.service" "slurmd.service" ]
)) [
  [ "munged.service" "slurmd.service" ]
  [ "munged.service" "slurmd.service" ]
]
++ check "and the Slurm module defines both units they come after" (map (name: enabled.config.systemd.services ? ${name}) [
  "munged"
  "slurmd"
]) [
  true
  true
]
++ check "both units leave the private network namespace and may open IP sockets, to any address by default" (eachUnit (
  unit: lib.getAttrs (keysOf byDefault unit) (sections byDefault unit).Service
)) (eachUnit (_: {
  PrivateNetwork = [ "false" ];
  # added to the packaged unit's AF_UNIX: systemd merges the lines
  RestrictAddressFamilies = [ "AF_INET" "AF_INET6" ];
  IPAddressAllow = [ "any" ];
}))
++ check "dubnium.slurm.ipAddressAllow keeps every other address denied" (eachUnit (
  unit: (sections restricted unit).Service.IPAddressAllow
)) [
  [ "10.0.0.1" "localhost" ]
  [ "10.0.0.1" "localhost" ]
]
++ check "no capability, path or other hardening key changes for Slurm" (eachUnit (
  unit: builtins.attrNames (removeAttrs (sections byDefault unit).Service (slurmKeys ++ [ "Environment" ]))
)) (eachUnit (unit: builtins.attrNames (removeAttrs (sections v1 unit).Service [ "Environment" ])))

# Disabled
++ check "off by default: config.json says so, with the defaults" (configOf v1).slurm {
  enable = false;
  nodeName = null;
  computeFeature = null;
  drainWaitSeconds = 600;
  commandTimeoutSeconds = 10;
}
++ check "and names no Slurm tool" (configOf v1).tools { }
++ check "the v1 units open no network and set no SLURM_CONF" (eachUnit (unit: {
  keys = keysOf v1 unit;
  conf = builtins.any (lib.hasPrefix "SLURM_CONF=") (environmentOf v1 unit);
})) (eachUnit (_: {
  keys = [ ];
  conf = false;
}))
++ check "a Slurm node with dubnium.slurm off: the controller's units are the v1 host's, byte for byte" (eachUnit (
  unit: fileOf slurmOnly unit == fileOf v1 unit
)) [
  true
  true
]
++ check "and its config.json is the v1 host's" (configOf slurmOnly == configOf v1) true

# The lab host of docs/fleet.md
++ check "examples/lab/workstation.nix evaluates with hosts/workstation and fails no assertion" lab.failedAssertions [ ]
++ check "it makes the controller follow Slurm with the feature, and write dubnium.prom" [
  (configOf lab).slurm
  (configOf lab).metrics.enable
  (configOf lab).vllm.enable
  lab.config.services.prometheus.exporters.node.openFirewall
] [
  {
    enable = true;
    nodeName = null;
    computeFeature = "dubnium_compute";
    drainWaitSeconds = 600;
    commandTimeoutSeconds = 10;
  }
  true
  false
  true
]
++ check "docs/fleet.md quotes the assertion as it is" (builtins.all (message: lib.hasInfix "```\n${message}\n```" (builtins.readFile ../../docs/fleet.md)) onlyDubnium.failedAssertions) true
++ check "docs/fleet.md shows the file as it is" (lib.hasInfix "```nix\n${builtins.readFile ../../examples/lab/workstation.nix}```" (builtins.readFile ../../docs/fleet.md)) true
