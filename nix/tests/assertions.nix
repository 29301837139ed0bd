# nix/lib/assertions.nix: the v1 host passes, and every assertion has a case
# in which it, and only it, fires.
let
  check = import ./check.nix;
  merge = import ./merge.nix;
  host = import ./host.nix;
  assertionsFor = import ../lib/assertions.nix;
  inherit (builtins) concatLists concatMap elem filter genList length substring stringLength;

  # Positions of the assertions that fail for these option values.
  firing =
    dubnium:
    let
      all = assertionsFor dubnium;
    in
    filter (i: !(builtins.elemAt all i).assertion) (genList (i: i) (length all));
  messages = dubnium: map (a: a.message) (filter (a: !a.assertion) (assertionsFor dubnium));
  hostWith = overrides: merge host.dubnium overrides;
  startsWith = prefix: s: substring 0 (stringLength prefix) s == prefix;

  passing = {
    "the v1 host" = { };
    "a disabled vLLM needs neither package nor model" = {
      vllm = {
        enable = false;
        package = null;
        model = null;
      };
    };
    "two installed GPUs, both for compute" = {
      hardware = {
        presentGpus = [ 0 1 ];
        computeGpus = [ 0 1 ];
        plannedGpuCount = 2;
      };
    };
    "metrics on, in another folder" = {
      metrics = {
        enable = true;
        textfileDir = "/srv/prometheus/text";
      };
    };
    "the desktop profile with a present desktop AI GPU" = {
      hardware = {
        presentGpus = [ 0 1 ];
        desktopAiGpus = [ 1 ];
      };
      enableDesktopProfile = true;
    };
  };

  # Each case breaks one fact; the one message must start with this text.
  firingCases = {
    "display GPU not present" = {
      overrides.hardware.displayGpu = 1;
      prefix = "dubnium.hardware.displayGpu: GPU 1 is not present";
    };
    "desktop AI GPU not present" = {
      overrides.hardware.desktopAiGpus = [ 3 ];
      prefix = "dubnium.hardware.desktopAiGpus: GPUs [ 3 ] are not present";
    };
    "no compute GPU" = {
      overrides.hardware.computeGpus = [ ];
      prefix = "dubnium.hardware.computeGpus: is empty";
    };
    "compute GPU not present (the planned second GPU)" = {
      overrides.hardware.computeGpus = [ 0 1 ];
      prefix = "dubnium.hardware.computeGpus: GPUs [ 1 ] are not present";
    };
    "fewer planned than present GPUs" = {
      overrides.hardware = {
        presentGpus = [ 0 1 ];
        plannedGpuCount = 1;
      };
      prefix = "dubnium.hardware.plannedGpuCount: 1 is less than the 2 GPUs";
    };
    "vLLM enabled without a package" = {
      overrides.vllm.package = null;
      prefix = "dubnium.vllm.package: must be set";
    };
    "vLLM enabled without a model" = {
      overrides.vllm.model = null;
      prefix = "dubnium.vllm.model: must be set";
    };
    "an empty model" = {
      overrides.vllm.model = "";
      prefix = "dubnium.vllm.model: must be null or a Hugging Face id of 1 to 512 characters, not 0";
    };
    "a model id longer than the schema allows" = {
      overrides.vllm.model = builtins.concatStringsSep "" (builtins.genList (_: "x") 513);
      prefix = "dubnium.vllm.model: must be null or a Hugging Face id of 1 to 512 characters, not 513";
    };
    "too many extra arguments" = {
      overrides.vllm.extraArgs = builtins.genList toString 257;
      prefix = "dubnium.vllm.extraArgs: at most 256 arguments";
    };
    "model store in the Nix store" = {
      overrides.vllm.modelStore = "/nix/store/abc-models";
      prefix = "dubnium.vllm.modelStore: \"/nix/store/abc-models\" must be an absolute path outside the Nix store";
    };
    "relative model store" = {
      overrides.vllm.modelStore = "models";
      prefix = "dubnium.vllm.modelStore: \"models\"";
    };
    "model store escaping with .." = {
      overrides.vllm.modelStore = "/var/lib/../../nix/store/x";
      prefix = "dubnium.vllm.modelStore: \"/var/lib/../../nix/store/x\"";
    };
    "model store with a space" = {
      overrides.vllm.modelStore = "/srv/my models";
      prefix = "dubnium.vllm.modelStore: \"/srv/my models\"";
    };
    "model store with a backslash" = {
      overrides.vllm.modelStore = "/srv/models\\x20";
      prefix = "dubnium.vllm.modelStore: \"/srv/models\\x20\"";
    };
    "relative textfile folder" = {
      overrides.metrics.textfileDir = "text";
      prefix = "dubnium.metrics.textfileDir: \"text\" must be an absolute path outside the Nix store";
    };
    "textfile folder in the Nix store" = {
      overrides.metrics.textfileDir = "/nix/store/abc-text";
      prefix = "dubnium.metrics.textfileDir: \"/nix/store/abc-text\"";
    };
    "textfile folder escaping with .." = {
      overrides.metrics.textfileDir = "/var/lib/../../etc";
      prefix = "dubnium.metrics.textfileDir: \"/var/lib/../../etc\"";
    };
    "textfile folder with a space" = {
      overrides.metrics.textfileDir = "/srv/node exporter";
      prefix = "dubnium.metrics.textfileDir: \"/srv/node exporter\"";
    };
    "desktop profile without a desktop AI GPU" = {
      overrides.enableDesktopProfile = true;
      prefix = "dubnium.enableDesktopProfile: needs at least one GPU";
    };
  };

  passingFailures = concatLists (
    builtins.attrValues (builtins.mapAttrs (name: overrides: check "passes: ${name}" (messages (hostWith overrides)) [ ]) passing)
  );

  firingFailures = concatLists (
    builtins.attrValues (
      builtins.mapAttrs (
        name: case:
        let
          fired = messages (hostWith case.overrides);
        in
        if length fired == 1 && startsWith case.prefix (builtins.head fired) then
          [ ]
        else
          [ "fires: ${name}: expected one message starting with ${builtins.toJSON case.prefix}, got ${builtins.toJSON fired}" ]
      ) firingCases
    )
  );

  # A new assertion without a case that fires it is a failure here.
  fired = concatMap (case: firing (hostWith case.overrides)) (builtins.attrValues firingCases);
  everyAssertion = assertionsFor host.dubnium;
  unfired = filter (i: !(elem i fired)) (genList (i: i) (length everyAssertion));
  coverageFailures = map (
    i: "assertion ${toString i} (${(builtins.elemAt everyAssertion i).message}) has no case that fires it"
  ) unfired;

  # Every message names the option it is about, with its full path.
  unprefixed = filter (a: !(startsWith "dubnium." a.message)) everyAssertion;
  prefixFailures = map (a: "message does not start with an option path: ${a.message}") unprefixed;
in
passingFailures ++ firingFailures ++ coverageFailures ++ prefixFailures
