// tessera export: a training checkpoint -> a diffusers folder (tessera generate and diffusers load it).

#include "commands.h"

#include "tessera/train.h"

#include <iostream>

namespace tessera::cli {

Command make_export_command() {
  Command c;
  c.name = "export";
  c.usage = "tessera export --checkpoint DIR --out DIR [--ema] [--components DIR] [--overwrite]";
  c.summary = "write a training checkpoint as a diffusers folder";
  c.flags = {
      {"checkpoint", "DIR", "a checkpoint folder (RUN_DIR/checkpoints/step-N)"},
      {"out", "DIR", "the diffusers folder to write"},
      {"ema", "", "export the EMA weights"},
      {"components", "DIR", "diffusers folder for vae/, text_encoder/, tokenizer/ (default: the run's pretrained_components); a VAE run without one exports a vae folder"},
      {"overwrite", "", "replace an existing non-empty --out folder"},
  };
  c.run = [](const ParsedArgs& args) {
    if (!args.has("checkpoint")) throw UsageError("export needs --checkpoint DIR");
    if (!args.has("out")) throw UsageError("export needs --out DIR");
    ExportOptions o;
    o.checkpoint_dir = args.get("checkpoint");
    o.out_dir = args.get("out");
    o.ema = args.has("ema");
    o.components_dir = args.get("components");
    o.overwrite = args.has("overwrite");
    if (Status s = export_checkpoint(o); !s.ok()) {
      std::cerr << "tessera: " << s.to_string() << "\n";
      return 1;
    }
    std::cout << o.out_dir << "\n";
    return 0;
  };
  return c;
}

}  // namespace tessera::cli
