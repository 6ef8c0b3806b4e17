// tessera-remote generate: `tessera generate` over a prompt set on a GPU host (here, over SSH or
// through Slurm), the images copied back into a local folder — runRemoteGeneration, as the
// studio's Evaluate page uses it.

#include "cli_common.h"
#include "commands.h"

#include "tessera/remote/remote_generation.h"

#include <QDir>
#include <QFile>
#include <QRandomGenerator>

#include <atomic>
#include <csignal>
#include <cstdio>

namespace tessera::remote::cli {
namespace {

const char* const kHelp =
    "usage: tessera-remote generate --launcher local|ssh|slurm [--host DEST] --model DIR\n"
    "                               (--prompts-file FILE | --prompt TEXT...) --out DIR [flags]\n"
    "\n"
    "Runs `tessera generate` on the host (as a detached job in its own folder there), watches it to\n"
    "its end and copies every image into DIR as soon as it is written (SFTP, verified). Prints the\n"
    "local path of each image, in prompt order; progress and problems go to stderr. Images are named\n"
    "<seed + k>-<i>.png for prompt k, as `tessera generate` names them. Ctrl-C stops the job on the host.\n"
    "\n"
    "flags:\n"
    "  --launcher KIND          local (this machine), ssh (the --host), slurm (sbatch on the login host\n"
    "                           given by --host, or here)\n"
    "  --host DEST              [user@]host[:port] or an ~/.ssh/config alias\n"
    "  --model DIR              diffusers model folder on the host (absolute, or relative to the login folder)\n"
    "  --prompts-file FILE      prompts on this machine, one a line (blank lines skipped)\n"
    "  --prompt TEXT            a prompt (repeatable; instead of --prompts-file)\n"
    "  --out DIR                where the images come back, on this machine\n"
    "  --job-dir DIR            the job's folder on the host (default: tessera-generate/<job id> in the\n"
    "                           login folder; for --launcher local, in the temporary folder)\n"
    "  --negative-prompt TEXT   what to avoid\n"
    "  --sampler NAME           ddim|ddpm|pndm|euler|euler_a|dpmpp_2m|dpmpp_2m_karras|unipc (default: the model's)\n"
    "  --steps N                denoising steps (default 50)\n"
    "  --guidance F             classifier-free guidance scale (default 7.5)\n"
    "  --seed N                 seed of the first prompt (default: a random one, printed)\n"
    "  --width W, --height H    image size (default: the model's)\n"
    "  --batch N                images per prompt (default 1)\n"
    "  --threads N              CPU threads of `tessera` on the host (default: all its cores)\n"
    "  --tessera PATH           the tessera binary on the host (default: tessera on PATH)\n"
    "  --name NAME              what to call the job (default: generate)\n"
    "  --env NAME=VALUE         extra environment for the job (repeatable)\n"
    "  --cpu                    generate on the host's CPU: no GPU check\n"
    "  --skip-preflight         start without checking the tessera binary, disk and GPU first\n"
    "  --timeout SECONDS        stop the job when it takes longer (default: no limit)\n"
    "  --interval SECONDS       how often to look at the job (default 1)\n"
    "  --partition P, --account A, --time [D-]HH:MM:SS, --sbatch-line '#SBATCH ...'\n"
    "                           Slurm job settings (--sbatch-line repeatable)\n";

std::atomic<bool> g_interrupted{false};
void onInterrupt(int) { g_interrupted = true; }

QString stageText(GenerationStage s) {
  switch (s) {
    case GenerationStage::Connecting: return QStringLiteral("connecting to");
    case GenerationStage::Preparing: return QStringLiteral("preparing the job folder on");
    case GenerationStage::Checking: return QStringLiteral("checking");
    case GenerationStage::UploadingPrompts: return QStringLiteral("sending the prompts to");
    case GenerationStage::Starting: return QStringLiteral("starting tessera generate on");
    case GenerationStage::Generating: return QStringLiteral("generating on");
    case GenerationStage::Finishing: return QStringLiteral("finished on");
  }
  return {};
}

QStringList readPrompts(const QString& path) {
  QFile f(path);
  if (!f.open(QIODevice::ReadOnly)) throw UsageError(QStringLiteral("cannot read prompts file %1: %2").arg(path, f.errorString()));
  QStringList prompts;
  for (QByteArray line : f.readAll().split('\n')) {
    if (line.endsWith('\r')) line.chop(1);
    const QString prompt = QString::fromUtf8(line);
    if (!prompt.trimmed().isEmpty()) prompts << prompt;
  }
  if (prompts.isEmpty()) throw UsageError(QStringLiteral("prompts file %1 has no prompt").arg(path));
  return prompts;
}

}  // namespace

int runGenerate(const QStringList& args) {
  const Flags f(QStringLiteral("generate"), args,
                {{QStringLiteral("launcher"), true}, {QStringLiteral("host"), true}, {QStringLiteral("model"), true},
                 {QStringLiteral("prompts-file"), true}, {QStringLiteral("prompt"), true, true}, {QStringLiteral("out"), true},
                 {QStringLiteral("job-dir"), true}, {QStringLiteral("negative-prompt"), true}, {QStringLiteral("sampler"), true},
                 {QStringLiteral("steps"), true}, {QStringLiteral("guidance"), true}, {QStringLiteral("seed"), true},
                 {QStringLiteral("width"), true}, {QStringLiteral("height"), true}, {QStringLiteral("batch"), true},
                 {QStringLiteral("threads"), true}, {QStringLiteral("tessera"), true}, {QStringLiteral("name"), true},
                 {QStringLiteral("env"), true, true}, {QStringLiteral("cpu"), false}, {QStringLiteral("skip-preflight"), false},
                 {QStringLiteral("timeout"), true}, {QStringLiteral("interval"), true}, {QStringLiteral("partition"), true},
                 {QStringLiteral("account"), true}, {QStringLiteral("time"), true}, {QStringLiteral("sbatch-line"), true, true}},
                0, 0);
  if (f.has(QStringLiteral("help"))) {
    std::fputs(kHelp, stdout);
    std::fputs(kConnectionFlagsHelp, stdout);
    return 0;
  }
  RemoteGenerationRequest request;
  request.launcher = f.value(QStringLiteral("launcher"));
  if (request.launcher != QLatin1String("local") && request.launcher != QLatin1String("ssh") && request.launcher != QLatin1String("slurm"))
    throw UsageError(QStringLiteral("--launcher must be local, ssh or slurm"));
  request.host = f.value(QStringLiteral("host"));
  if (request.launcher == QLatin1String("ssh") && request.host.isEmpty()) throw UsageError(QStringLiteral("--launcher ssh needs --host"));
  if (request.launcher == QLatin1String("local") && !request.host.isEmpty()) throw UsageError(QStringLiteral("--launcher local takes no --host"));
  if (!request.host.isEmpty()) {
    SshParameters p;
    if (!p.setDestination(request.host)) throw UsageError(QStringLiteral("invalid host '%1'").arg(request.host));
  }

  GenerationSettings& g = request.generation;
  g.modelPath = f.value(QStringLiteral("model"));
  request.outDir = f.value(QStringLiteral("out"));
  if (g.modelPath.isEmpty() || request.outDir.isEmpty()) throw UsageError(QStringLiteral("generate needs --model and --out"));
  if (f.has(QStringLiteral("prompt")) == f.has(QStringLiteral("prompts-file")))
    throw UsageError(QStringLiteral("generate needs either --prompts-file FILE or --prompt TEXT"));
  g.prompts = f.has(QStringLiteral("prompt")) ? f.values(QStringLiteral("prompt")) : readPrompts(f.value(QStringLiteral("prompts-file")));
  g.negativePrompt = f.value(QStringLiteral("negative-prompt"));
  g.sampler = f.value(QStringLiteral("sampler"));
  g.steps = f.intValue(QStringLiteral("steps"), 50, 1, 1000);
  if (f.has(QStringLiteral("guidance"))) {
    bool ok = false;
    g.guidance = f.value(QStringLiteral("guidance")).toDouble(&ok);
    if (!ok) throw UsageError(QStringLiteral("--guidance expects a number, got '%1'").arg(f.value(QStringLiteral("guidance"))));
  }
  if (f.has(QStringLiteral("seed"))) {
    bool ok = false;
    g.seed = f.value(QStringLiteral("seed")).toLongLong(&ok);
    if (!ok || g.seed < 0) throw UsageError(QStringLiteral("--seed expects a number >= 0, got '%1'").arg(f.value(QStringLiteral("seed"))));
  } else {
    g.seed = QRandomGenerator::global()->bounded(1u << 31);
  }
  g.width = f.intValue(QStringLiteral("width"), 0, 8, 8192);
  g.height = f.intValue(QStringLiteral("height"), 0, 8, 8192);
  g.batch = f.intValue(QStringLiteral("batch"), 1, 1, 64);
  g.threads = f.intValue(QStringLiteral("threads"), 0, 1, 4096);
  if (const QString problem = checkGenerationSettings(g); !problem.isEmpty()) throw UsageError(problem);
  if (!f.has(QStringLiteral("seed"))) printError(QStringLiteral("seed %1").arg(g.seed));

  LaunchSpec& spec = request.spec;
  spec.runName = f.value(QStringLiteral("name"), QStringLiteral("generate"));
  spec.tesseraPath = f.value(QStringLiteral("tessera"), QStringLiteral("tessera"));
  for (const QString& kv : f.values(QStringLiteral("env"))) {
    const int eq = kv.indexOf(QLatin1Char('='));
    if (eq <= 0) throw UsageError(QStringLiteral("--env expects NAME=VALUE, got '%1'").arg(kv));
    spec.environment.insert(kv.left(eq), kv.mid(eq + 1));
  }
  spec.partition = f.value(QStringLiteral("partition"));
  spec.account = f.value(QStringLiteral("account"));
  spec.timeLimit = f.value(QStringLiteral("time"));
  spec.extraSbatchLines = f.values(QStringLiteral("sbatch-line"));
  const QString jobId = RunRegistry::newRunId(spec.runName);
  request.jobDir = f.value(QStringLiteral("job-dir"));
  if (request.jobDir.isEmpty())
    request.jobDir = request.launcher == QLatin1String("local") ? QDir::temp().filePath(QStringLiteral("tessera-generate/") + jobId)
                                                                : QStringLiteral("tessera-generate/") + jobId;
  request.cpu = f.has(QStringLiteral("cpu"));
  request.preflight = !f.has(QStringLiteral("skip-preflight"));
  request.timeoutSecs = f.intValue(QStringLiteral("timeout"), 0, 1, 1 << 30);
  request.pollIntervalMs = f.intValue(QStringLiteral("interval"), 1, 1, 3600) * 1000;
  request.connect = connectOptions(f);

  RemoteGenerationObserver observer;
  observer.stage = [](GenerationStage s, const QString& host) { printError(stageText(s) + QLatin1Char(' ') + host); };
  observer.preflight = [](const PreflightReport& report) { std::fputs(qPrintable(report.toText() + QLatin1Char('\n')), stderr); };
  observer.generated = [](int done, int total) { printError(QStringLiteral("%1 of %2 images written").arg(done).arg(total)); };
  observer.fetched = [](const QString& path, int, int) { printLine(path); };
  observer.connection = [](bool restored, const QString& error) {
    printError(restored ? QStringLiteral("connected again; the job went on meanwhile")
                        : QStringLiteral("%1 (connecting again; the job goes on)").arg(error));
  };
  observer.cancelled = [] { return g_interrupted.load(); };
  std::signal(SIGINT, onInterrupt);
  std::signal(SIGTERM, onInterrupt);
  const RemoteGenerationResult result = runRemoteGeneration(request, observer);
  if (result.cancelled) {
    printError(result.error);
    return 130;
  }
  if (result.preflightFailed) throw Failure(QStringLiteral("preflight failed; fix the above or pass --skip-preflight"));
  if (!result.ok) throw Failure(result.error);
  printError(QStringLiteral("%1 images in %2 (job folder %3 on %4)")
                 .arg(result.images.size())
                 .arg(request.outDir, result.record.runDir, result.host));
  return 0;
}

}  // namespace tessera::remote::cli
