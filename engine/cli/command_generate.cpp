// tessera generate: text-to-image and image-to-image from a diffusers folder.

#include "commands.h"

#include "tessera/generate.h"

#include <unistd.h>

#include <csignal>
#include <cstdio>
#include <fstream>
#include <iostream>
#include <limits>
#include <random>

namespace tessera::cli {
namespace {

volatile std::sig_atomic_t g_interrupted = 0;
void on_sigint(int) { g_interrupted = 1; }

std::vector<std::string> read_prompts_file(const std::string& path) {
  std::ifstream in(path);
  if (!in) throw UsageError("cannot read prompts file " + path);
  std::vector<std::string> prompts;
  std::string line;
  while (std::getline(in, line)) {
    if (!line.empty() && line.back() == '\r') line.pop_back();
    if (line.find_first_not_of(" \t") == std::string::npos) continue;
    prompts.push_back(line);
  }
  if (prompts.empty()) throw UsageError("prompts file " + path + " has no prompt");
  return prompts;
}

}  // namespace

Command make_generate_command() {
  Command c;
  c.name = "generate";
  c.usage =
      "tessera generate --model DIR (--prompt TEXT | --prompts-file FILE) --out DIR [--negative-prompt TEXT]\n"
      "                 [--sampler NAME] [--steps N] [--guidance F] [--seed N] [--width W] [--height H]\n"
      "                 [--batch N] [--init-image PNG [--strength F]]";
  c.summary = "generate images from a diffusers model folder (PNG files with their parameters)";
  c.flags = {
      {"model", "DIR", "diffusers folder (model_index.json, unet/, vae/, text_encoder/, tokenizer/, scheduler/)"},
      {"prompt", "TEXT", "what to draw"},
      {"prompts-file", "FILE", "one prompt per line; prompt k uses seed + k"},
      {"negative-prompt", "TEXT", "what to avoid (default: none)"},
      {"sampler", "NAME", "ddim|ddpm|pndm|euler|euler_a|dpmpp_2m|dpmpp_2m_karras|unipc (default: the model's)"},
      {"steps", "N", "denoising steps (default 50)"},
      {"guidance", "F", "classifier-free guidance scale; <= 1 turns it off (default 7.5)"},
      {"guidance-rescale", "F", "rescale guided noise towards the text prediction's std (default 0)"},
      {"seed", "N", "random seed (default: a random one, printed)"},
      {"width", "W", "image width, a multiple of the model's VAE factor (default: the model's)"},
      {"height", "H", "image height (default: the model's)"},
      {"batch", "N", "images per prompt (default 1)"},
      {"init-image", "PNG", "start from this image (img2img)"},
      {"strength", "F", "img2img: how much to change the image, (0, 1] (default 0.8)"},
      {"out", "DIR", "output folder; images are <seed>-<index>.png"},
  };
  c.run = [](const ParsedArgs& args) {
    GenerateOptions o;
    if (!args.has("model")) throw UsageError("generate needs --model DIR");
    if (!args.has("out")) throw UsageError("generate needs --out DIR");
    if (args.has("prompt") == args.has("prompts-file")) {
      throw UsageError("generate needs exactly one of --prompt TEXT and --prompts-file FILE");
    }
    if (args.has("strength") && !args.has("init-image")) throw UsageError("--strength needs --init-image");
    o.prompts = args.has("prompt") ? std::vector<std::string>{args.get("prompt")} : read_prompts_file(args.get("prompts-file"));
    o.negative_prompt = args.get("negative-prompt");
    o.sampler = args.get("sampler");
    o.steps = static_cast<int>(args.get_int("steps", 50, 1, 1000));
    o.guidance = args.get_double("guidance", 7.5);
    o.guidance_rescale = args.get_double("guidance-rescale", 0.0);
    if (o.guidance_rescale < 0 || o.guidance_rescale > 1) throw UsageError("--guidance-rescale must be in [0, 1]");
    o.seed = args.has("seed") ? static_cast<uint64_t>(args.get_int("seed", 0, 0, std::numeric_limits<long long>::max()))
                              : std::random_device{}() & 0xFFFFFFFFu;
    o.width = static_cast<int>(args.get_int("width", 0, 8, 8192));
    o.height = static_cast<int>(args.get_int("height", 0, 8, 8192));
    o.batch = static_cast<int>(args.get_int("batch", 1, 1, 64));
    o.init_image = args.get("init-image");
    o.strength = args.get_double("strength", 0.8);
    o.out_dir = args.get("out");

    // Ctrl-C from here on stops cleanly: after loading, or after the current step.
    std::signal(SIGINT, on_sigint);
    std::unique_ptr<ImageGenerator> generator;
    if (Status s = ImageGenerator::open(args.get("model"), &generator); !s.ok()) {
      std::cerr << "tessera: " << s.to_string() << "\n";
      return 1;
    }
    const bool terminal = isatty(STDERR_FILENO) != 0;
    std::vector<GeneratedImage> images;
    const Status status = generator->generate(o, [&](const GenerateProgress& p) {
      if (terminal) {
        std::fprintf(stderr, "\r[prompt %d/%d] step %d/%d ", p.prompt_index + 1, p.prompt_count, p.step, p.steps);
        std::fflush(stderr);
      }
      return g_interrupted == 0;
    }, &images);
    if (terminal) std::fprintf(stderr, "\n");
    for (const auto& im : images) std::cout << im.path << "\n";
    if (!args.has("seed") && !images.empty()) std::cerr << "tessera: seed " << o.seed << "\n";
    if (status.cancelled()) {
      std::cerr << "tessera: cancelled; " << images.size() << " finished image(s) kept\n";
      return 130;
    }
    if (!status.ok()) {
      std::cerr << "tessera: " << status.to_string() << "\n";
      return 1;
    }
    return 0;
  };
  return c;
}

}  // namespace tessera::cli
