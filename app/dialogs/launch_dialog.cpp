#include "dialogs/launch_dialog.h"

#include "dialogs/ssh_prompts.h"
#include "widgets/field_error_label.h"

#include "tessera/remote/slurm_launcher.h"

#include <QCheckBox>
#include <QCoreApplication>
#include <QDialogButtonBox>
#include <QDir>
#include <QFileDialog>
#include <QFileInfo>
#include <QFormLayout>
#include <QHBoxLayout>
#include <QLabel>
#include <QLineEdit>
#include <QMessageBox>
#include <QPlainTextEdit>
#include <QPointer>
#include <QProgressBar>
#include <QPushButton>
#include <QRegularExpression>
#include <QSettings>
#include <QSpinBox>
#include <QStandardPaths>
#include <QTabWidget>
#include <QThread>
#include <QVBoxLayout>

using tessera::remote::RunLaunchRequest;
using tessera::remote::RunLaunchResult;
using tessera::remote::RunLaunchStage;

namespace {
// Typed settings keys (one place, so a typo cannot silently create a new key).
const char* const kTargetKey = "launch/target";
const char* const kLocalDirKey = "launch/localFolder";
const char* const kLocalRanksKey = "launch/localRanks";
const char* const kLocalCpuKey = "launch/localCpu";
const char* const kHostsKey = "launch/sshHosts";
const char* const kSshGpusKey = "launch/sshGpusPerHost";
const char* const kSshDirKey = "launch/sshFolder";
const char* const kMasterPortKey = "launch/masterPort";
const char* const kLoginKey = "launch/slurmLogin";
const char* const kNodesKey = "launch/slurmNodes";
const char* const kSlurmGpusKey = "launch/slurmGpusPerNode";
const char* const kTimeKey = "launch/slurmTime";
const char* const kPartitionKey = "launch/slurmPartition";
const char* const kAccountKey = "launch/slurmAccount";
const char* const kSbatchKey = "launch/slurmExtraLines";
const char* const kSlurmDirKey = "launch/slurmFolder";
const char* const kTesseraKey = "launch/tesseraPath";
const char* const kPreflightKey = "launch/preflight";
const char* const kMinFreeKey = "launch/minFreeGiB";

QString key(const char* k) { return QLatin1String(k); }

QStringList lines(const QPlainTextEdit* edit) {
  QStringList out;
  for (const QString& line : edit->toPlainText().split(QLatin1Char('\n'))) {
    const QString t = line.trimmed();
    if (!t.isEmpty()) out << t;
  }
  return out;
}

// A folder name for a run: its name with anything odd replaced.
QString folderName(const QString& name) {
  QString out;
  for (QChar c : name) out += (c.isLetterOrNumber() && c.unicode() < 128) || c == QLatin1Char('-') || c == QLatin1Char('.') ? c : QLatin1Char('_');
  return out.isEmpty() ? QStringLiteral("run") : out;
}

bool plainWord(const QString& text, const char* pattern) {
  return QRegularExpression(QString::fromLatin1(pattern)).match(text).hasMatch();
}
}  // namespace

LaunchDialog::LaunchDialog(QString configPath, QString runName, QWidget* parent)
    : QDialog(parent), m_configPath(std::move(configPath)), m_registryFolder(tessera::remote::RunRegistry::defaultFolder()) {
  setWindowTitle(tr("Launch %1").arg(runName));
  auto* layout = new QVBoxLayout(this);
  auto* top = new QFormLayout;
  m_name = new QLineEdit(runName, this);
  m_name->setObjectName(QStringLiteral("runName"));
  m_nameError = errorLabel(QStringLiteral("runNameError"), this);
  auto* config = new QLabel(QDir::toNativeSeparators(m_configPath), this);
  config->setTextInteractionFlags(Qt::TextSelectableByMouse);
  top->addRow(tr("Run name"), m_name);
  top->addRow(QString(), m_nameError);
  top->addRow(tr("Config"), config);
  layout->addLayout(top);

  m_tabs = new QTabWidget(this);
  m_tabs->setObjectName(QStringLiteral("targets"));
  m_tabs->addTab(createLocalTab(), tr("&This machine"));
  m_tabs->addTab(createSshTab(), tr("&SSH hosts"));
  m_tabs->addTab(createSlurmTab(), tr("S&lurm"));
  layout->addWidget(m_tabs);

  auto* common = new QFormLayout;
  m_tessera = new QLineEdit(this);
  m_tessera->setObjectName(QStringLiteral("tesseraPath"));
  m_tessera->setToolTip(tr("The tessera binary on the machines that train (a name on their PATH, or a full path)."));
  auto* checks = new QHBoxLayout;
  m_preflight = new QCheckBox(tr("Check the hosts first"), this);
  m_preflight->setObjectName(QStringLiteral("preflight"));
  m_preflight->setToolTip(tr("The tessera binary, free GPUs, disk space and the rendezvous port, before anything starts."));
  m_minFreeGiB = new QSpinBox(this);
  m_minFreeGiB->setObjectName(QStringLiteral("minFreeGiB"));
  m_minFreeGiB->setRange(0, 1 << 20);
  m_minFreeGiB->setSuffix(tr(" GiB free disk"));
  checks->addWidget(m_preflight);
  checks->addWidget(m_minFreeGiB);
  checks->addStretch(1);
  common->addRow(tr("tessera binary"), m_tessera);
  common->addRow(QString(), checks);
  layout->addLayout(common);
  m_batchWarning = errorLabel(QStringLiteral("batchWarning"), this);
  layout->addWidget(m_batchWarning);

  m_busy = new QProgressBar(this);
  m_busy->setObjectName(QStringLiteral("launchBusy"));
  m_busy->setRange(0, 0);
  m_busy->setMaximumHeight(8);
  m_busy->setTextVisible(false);
  m_busy->hide();
  m_stage = new QLabel(this);
  m_stage->setObjectName(QStringLiteral("launchStage"));
  m_stage->setWordWrap(true);
  m_stage->setTextInteractionFlags(Qt::TextSelectableByMouse);
  m_report = new QPlainTextEdit(this);
  m_report->setObjectName(QStringLiteral("preflightReport"));
  m_report->setReadOnly(true);
  m_report->setMaximumHeight(110);
  m_report->hide();
  layout->addWidget(m_busy);
  layout->addWidget(m_stage);
  layout->addWidget(m_report);

  auto* buttons = new QDialogButtonBox(this);
  m_launchButton = buttons->addButton(tr("Launch"), QDialogButtonBox::AcceptRole);
  m_launchButton->setObjectName(QStringLiteral("launchButton"));
  m_launchButton->setDefault(true);
  m_cancelButton = buttons->addButton(QDialogButtonBox::Cancel);
  m_cancelButton->setObjectName(QStringLiteral("cancelButton"));
  m_cancelButton->setToolTip(tr("Close; while launching: stop before the run starts (Esc)."));
  connect(m_launchButton, &QPushButton::clicked, this, &LaunchDialog::launch);
  connect(m_cancelButton, &QPushButton::clicked, this, &LaunchDialog::reject);
  layout->addWidget(buttons);

  loadSettings();
  connect(m_tabs, &QTabWidget::currentChanged, this, [this] {
    updatePreview();
    if (!m_stage->text().isEmpty() && !isLaunching()) m_stage->clear();
  });
  for (QLineEdit* e : findChildren<QLineEdit*>()) connect(e, &QLineEdit::textChanged, this, &LaunchDialog::updatePreview);
  for (QSpinBox* s : findChildren<QSpinBox*>()) connect(s, &QSpinBox::valueChanged, this, &LaunchDialog::updatePreview);
  connect(m_sbatchLines, &QPlainTextEdit::textChanged, this, &LaunchDialog::updatePreview);
  updatePreview();
  updateState();
  resize(620, 640);
}

LaunchDialog::~LaunchDialog() {
  if (m_worker != nullptr) {
    m_cancel->store(true);
    m_prompts->cancel();  // a question left open must not keep the worker (and so this) waiting
    m_worker->wait();
  }
}

QWidget* LaunchDialog::createLocalTab() {
  auto* tab = new QWidget;
  auto* form = new QFormLayout(tab);
  auto* row = new QHBoxLayout;
  m_localDir = new QLineEdit(tab);
  m_localDir->setObjectName(QStringLiteral("localRunDir"));
  m_localDir->setToolTip(tr("The run folder on this machine: config, metrics, checkpoints and samples go there."));
  auto* browse = new QPushButton(tr("Browse…"), tab);
  connect(browse, &QPushButton::clicked, this, [this] {
    const QString dir = QFileDialog::getExistingDirectory(this, tr("Choose the run folder"), m_localDir->text());
    if (!dir.isEmpty()) m_localDir->setText(QDir::toNativeSeparators(dir));
  });
  row->addWidget(m_localDir, 1);
  row->addWidget(browse);
  m_localDirError = errorLabel(QStringLiteral("localRunDirError"), tab);
  m_localRanks = new QSpinBox(tab);
  m_localRanks->setObjectName(QStringLiteral("localRanks"));
  m_localRanks->setRange(1, 64);
  m_localRanks->setToolTip(tr("Processes to start, one per GPU (Gloo between them on a CPU)."));
  m_localCpu = new QCheckBox(tr("Train on the CPU (no GPU check)"), tab);
  m_localCpu->setObjectName(QStringLiteral("localCpu"));
  form->addRow(tr("Run folder"), row);
  form->addRow(QString(), m_localDirError);
  form->addRow(tr("Processes"), m_localRanks);
  form->addRow(QString(), m_localCpu);
  return tab;
}

QWidget* LaunchDialog::createSshTab() {
  auto* tab = new QWidget;
  auto* form = new QFormLayout(tab);
  m_hosts = new QPlainTextEdit(tab);
  m_hosts->setObjectName(QStringLiteral("sshHosts"));
  m_hosts->setPlaceholderText(tr("One host per line: [user@]host[:port] or an ~/.ssh/config alias; the first is the rendezvous host"));
  m_hosts->setTabChangesFocus(true);
  m_hosts->setMaximumHeight(90);
  m_hostsError = errorLabel(QStringLiteral("sshHostsError"), tab);
  m_sshGpus = new QSpinBox(tab);
  m_sshGpus->setObjectName(QStringLiteral("sshGpusPerHost"));
  m_sshGpus->setRange(1, 256);
  m_sshDir = new QLineEdit(tab);
  m_sshDir->setObjectName(QStringLiteral("sshRunDir"));
  m_sshDir->setToolTip(tr("The run folder on the hosts (absolute, or relative to the login folder); the same path on each."));
  m_sshDirError = errorLabel(QStringLiteral("sshRunDirError"), tab);
  m_masterPort = new QSpinBox(tab);
  m_masterPort->setObjectName(QStringLiteral("masterPort"));
  m_masterPort->setRange(1, 65535);
  form->addRow(tr("Hosts"), m_hosts);
  form->addRow(QString(), m_hostsError);
  form->addRow(tr("GPUs per host"), m_sshGpus);
  form->addRow(tr("Run folder there"), m_sshDir);
  form->addRow(QString(), m_sshDirError);
  form->addRow(tr("Rendezvous port"), m_masterPort);
  return tab;
}

QWidget* LaunchDialog::createSlurmTab() {
  auto* tab = new QWidget;
  auto* form = new QFormLayout(tab);
  m_login = new QLineEdit(tab);
  m_login->setObjectName(QStringLiteral("slurmLogin"));
  m_login->setPlaceholderText(tr("The login node ([user@]host[:port]); empty: sbatch on this machine"));
  m_loginError = errorLabel(QStringLiteral("slurmLoginError"), tab);
  m_nodes = new QSpinBox(tab);
  m_nodes->setObjectName(QStringLiteral("slurmNodes"));
  m_nodes->setRange(1, 100000);
  m_slurmGpus = new QSpinBox(tab);
  m_slurmGpus->setObjectName(QStringLiteral("slurmGpusPerNode"));
  m_slurmGpus->setRange(1, 256);
  m_time = new QLineEdit(tab);
  m_time->setObjectName(QStringLiteral("slurmTime"));
  m_time->setPlaceholderText(tr("[D-]HH:MM:SS; empty: the partition's limit"));
  m_partition = new QLineEdit(tab);
  m_partition->setObjectName(QStringLiteral("slurmPartition"));
  m_account = new QLineEdit(tab);
  m_account->setObjectName(QStringLiteral("slurmAccount"));
  m_slurmError = errorLabel(QStringLiteral("slurmError"), tab);
  m_sbatchLines = new QPlainTextEdit(tab);
  m_sbatchLines->setObjectName(QStringLiteral("slurmExtraLines"));
  m_sbatchLines->setPlaceholderText(tr("Extra lines, each a whole #SBATCH line, e.g. #SBATCH --exclusive"));
  m_sbatchLines->setTabChangesFocus(true);
  m_sbatchLines->setMaximumHeight(60);
  m_slurmDir = new QLineEdit(tab);
  m_slurmDir->setObjectName(QStringLiteral("slurmRunDir"));
  m_slurmDir->setToolTip(tr("The run folder on the cluster's shared file system."));
  m_slurmDirError = errorLabel(QStringLiteral("slurmRunDirError"), tab);
  m_preview = new QPlainTextEdit(tab);
  m_preview->setObjectName(QStringLiteral("slurmPreview"));
  m_preview->setReadOnly(true);
  m_preview->setLineWrapMode(QPlainTextEdit::NoWrap);
  m_preview->setToolTip(tr("The batch script that will be submitted."));
  form->addRow(tr("Login host"), m_login);
  form->addRow(QString(), m_loginError);
  form->addRow(tr("Nodes"), m_nodes);
  form->addRow(tr("GPUs per node"), m_slurmGpus);
  form->addRow(tr("Time limit"), m_time);
  form->addRow(tr("Partition"), m_partition);
  form->addRow(tr("Account"), m_account);
  form->addRow(tr("Extra #SBATCH lines"), m_sbatchLines);
  form->addRow(QString(), m_slurmError);
  form->addRow(tr("Run folder there"), m_slurmDir);
  form->addRow(QString(), m_slurmDirError);
  form->addRow(tr("Batch script"), m_preview);
  return tab;
}

void LaunchDialog::setPlannedGpus(int gpus, int globalBatch, int microbatch) {
  m_globalBatch = globalBatch;
  m_microbatch = microbatch;
  // A fresh dialog proposes the estimate's GPU count for the cluster targets.
  if (gpus >= 8 && gpus % 8 == 0 && !QSettings().contains(key(kNodesKey))) {
    m_slurmGpus->setValue(8);
    m_nodes->setValue(gpus / 8);
  }
}

void LaunchDialog::setTarget(Target target) { m_tabs->setCurrentIndex(int(target)); }
LaunchDialog::Target LaunchDialog::target() const { return Target(m_tabs->currentIndex()); }

int LaunchDialog::worldSize() const {
  switch (target()) {
    case Local: return m_localRanks->value();
    case Ssh: return std::max<int>(1, int(lines(m_hosts).size())) * m_sshGpus->value();
    case Slurm: return m_nodes->value() * m_slurmGpus->value();
  }
  return 1;
}

// ---- the request ----------------------------------------------------------------------------

RunLaunchRequest LaunchDialog::request() const {
  RunLaunchRequest r;
  r.configPath = m_configPath;
  r.preflight = m_preflight->isChecked();
  r.minFreeBytes = qint64(m_minFreeGiB->value()) << 30;
  tessera::remote::LaunchSpec& spec = r.spec;
  spec.runName = m_name->text().trimmed();
  spec.tesseraPath = m_tessera->text().trimmed().isEmpty() ? QStringLiteral("tessera") : m_tessera->text().trimmed();
  switch (target()) {
    case Local:
      r.launcher = QStringLiteral("local");
      r.cpu = m_localCpu->isChecked();
      spec.runDir = QDir::fromNativeSeparators(m_localDir->text().trimmed());
      if (!spec.runDir.isEmpty()) spec.runDir = QDir::cleanPath(QDir(spec.runDir).absolutePath());
      spec.gpusPerHost = m_localRanks->value();
      break;
    case Ssh:
      r.launcher = QStringLiteral("ssh");
      r.hosts = lines(m_hosts);
      spec.runDir = m_sshDir->text().trimmed();
      spec.gpusPerHost = m_sshGpus->value();
      spec.masterPort = m_masterPort->value();
      break;
    case Slurm:
      r.launcher = QStringLiteral("slurm");
      if (!m_login->text().trimmed().isEmpty()) r.hosts = QStringList{m_login->text().trimmed()};
      spec.runDir = m_slurmDir->text().trimmed();
      spec.gpusPerHost = m_slurmGpus->value();
      spec.nodes = m_nodes->value();
      spec.timeLimit = m_time->text().trimmed();
      spec.partition = m_partition->text().trimmed();
      spec.account = m_account->text().trimmed();
      spec.extraSbatchLines = lines(m_sbatchLines);
      spec.masterPort = m_masterPort->value();
      break;
  }
  spec.arguments = tessera::remote::trainArguments(spec.runDir + QStringLiteral("/config.yaml"), spec.runDir);
  return r;
}

QString LaunchDialog::batchScriptPreview() const {
  QString script, error;
  if (!tessera::remote::SlurmLauncher::batchScript(request().spec, &script, &error)) return tr("No script: %1").arg(error);
  return script;
}

void LaunchDialog::updatePreview() {
  if (target() == Slurm) m_preview->setPlainText(batchScriptPreview());
  // The engine refuses a global batch that does not divide into microbatch × ranks.
  const int ranks = worldSize();
  const bool divides = m_globalBatch <= 0 || m_microbatch <= 0 || m_globalBatch % (m_microbatch * ranks) == 0;
  showFieldError(m_batchWarning, divides ? QString()
                                         : tr("The global batch (%1) does not divide into microbatch %2 × %n rank(s): "
                                              "change the batch or the GPUs, or the run stops at its start.",
                                              nullptr, ranks)
                                               .arg(m_globalBatch)
                                               .arg(m_microbatch));
}

void LaunchDialog::showFieldError(QLabel* label, const QString& message) {
  label->setText(message);
  label->setVisible(!message.isEmpty());
}

bool LaunchDialog::validate() {
  bool ok = true;
  const auto check = [&ok, this](QLabel* label, const QString& message) {
    showFieldError(label, message);
    ok = ok && message.isEmpty();
  };
  const auto checkHosts = [](const QStringList& hosts) {
    for (const QString& h : hosts) {
      tessera::remote::SshParameters p;
      if (!p.setDestination(h) || h.contains(QLatin1Char(' ')))
        return tr("'%1' is not a host: write [user@]host[:port] or an alias from ~/.ssh/config.").arg(h);
    }
    return QString();
  };
  const auto folderMessage = [](const QString& dir) {
    if (dir.trimmed().isEmpty()) return tr("Enter the run folder.");
    if (dir.contains(QLatin1Char('\n'))) return tr("The run folder cannot span lines.");
    return QString();
  };
  check(m_nameError, m_name->text().trimmed().isEmpty() ? tr("Give the run a name.") : QString());
  for (QLabel* l : {m_localDirError, m_hostsError, m_sshDirError, m_loginError, m_slurmError, m_slurmDirError}) showFieldError(l, QString());
  switch (target()) {
    case Local: {
      QString message = folderMessage(m_localDir->text());
      const QFileInfo dir(m_localDir->text().trimmed());
      if (message.isEmpty() && dir.exists() && !dir.isDir()) message = tr("%1 is a file, not a folder.").arg(dir.filePath());
      check(m_localDirError, message);
      break;
    }
    case Ssh: {
      const QStringList hosts = lines(m_hosts);
      check(m_hostsError, hosts.isEmpty() ? tr("Enter at least one host.") : checkHosts(hosts));
      check(m_sshDirError, folderMessage(m_sshDir->text()));
      break;
    }
    case Slurm: {
      check(m_loginError, m_login->text().trimmed().isEmpty() ? QString() : checkHosts({m_login->text().trimmed()}));
      QString message;
      if (!m_time->text().trimmed().isEmpty() && !plainWord(m_time->text().trimmed(), "^[0-9]+(-[0-9]+)?(:[0-9]+){0,2}$"))
        message = tr("The time limit must read [D-]HH:MM:SS, e.g. 2-00:00:00.");
      else if (!m_partition->text().trimmed().isEmpty() && !plainWord(m_partition->text().trimmed(), "^[A-Za-z0-9_.,-]+$"))
        message = tr("The partition may hold letters, digits and . _ , - only.");
      else if (!m_account->text().trimmed().isEmpty() && !plainWord(m_account->text().trimmed(), "^[A-Za-z0-9_.-]+$"))
        message = tr("The account may hold letters, digits and . _ - only.");
      for (const QString& line : lines(m_sbatchLines))
        if (message.isEmpty() && !line.startsWith(QLatin1String("#SBATCH ")))
          message = tr("Each extra line must start with '#SBATCH ': %1").arg(line);
      check(m_slurmError, message);
      check(m_slurmDirError, folderMessage(m_slurmDir->text()));
      break;
    }
  }
  return ok;
}

// ---- launching ------------------------------------------------------------------------------


bool LaunchDialog::launch() {
  if (m_worker != nullptr || !m_runId.isEmpty()) return false;
  if (!validate()) {
    m_stage->setText(tr("Nothing started: correct the fields marked in red."));
    return false;
  }
  RunLaunchRequest r = request();
  if (const QString problem = tessera::remote::checkLaunchRequest(r); !problem.isEmpty()) {
    m_stage->setText(tr("Nothing started: %1").arg(problem));
    return false;
  }
  if (m_prompts == nullptr) m_prompts = new SshPrompts(this);
  r.connect = m_prompts->connectOptions();
  saveSettings();
  m_cancel = std::make_shared<std::atomic_bool>(false);
  auto result = std::make_shared<RunLaunchResult>();
  auto preflight = std::make_shared<QString>();
  QPointer<LaunchDialog> self(this);
  const QString registryFolder = m_registryFolder;
  std::shared_ptr<std::atomic_bool> cancel = m_cancel;
  m_worker = QThread::create([r, registryFolder, cancel, result, preflight, self] {
    tessera::remote::RunRegistry registry(registryFolder);
    tessera::remote::RunLaunchObserver observer;
    observer.stage = [self](RunLaunchStage stage, const QString& host) {
      QMetaObject::invokeMethod(self.data(), [self, stage, host] { if (self) self->showStage(stage, host); }, Qt::QueuedConnection);
    };
    observer.preflight = [preflight](const tessera::remote::PreflightReport& report) { *preflight = report.toText(); };
    observer.cancelled = [cancel] { return cancel->load(); };
    *result = tessera::remote::launchRun(r, registry, observer);
  });
  m_worker->setParent(this);
  connect(m_worker, &QThread::finished, this, [this, result, preflight] {
    m_worker->deleteLater();
    m_worker = nullptr;
    handleFinished(*result, *preflight);
  });
  m_report->clear();
  m_report->hide();
  m_stage->setText(tr("Starting…"));
  m_worker->start();
  updateState();
  return true;
}

void LaunchDialog::showStage(RunLaunchStage stage, const QString& host) {
  if (m_cancel && m_cancel->load()) return;
  switch (stage) {
    case RunLaunchStage::CopyingConfig: m_stage->setText(tr("Copying the config into the run folder…")); break;
    case RunLaunchStage::Connecting: m_stage->setText(tr("Connecting to %1…").arg(host)); break;
    case RunLaunchStage::UploadingConfig: m_stage->setText(tr("Uploading the config to %1…").arg(host)); break;
    case RunLaunchStage::Checking: m_stage->setText(tr("Checking the hosts (tessera, GPUs, disk, rendezvous)…")); break;
    case RunLaunchStage::Starting: m_stage->setText(tr("Starting the run…")); break;
    case RunLaunchStage::Recording: m_stage->setText(tr("Recording the run…")); break;
  }
}

void LaunchDialog::handleFinished(const RunLaunchResult& result, const QString& preflight) {
  if (!preflight.isEmpty()) {
    m_report->setPlainText(preflight);
    m_report->show();
  }
  QString message;
  if (result.ok) {
    m_runId = result.record.id;
    message = tr("Run %1 started; follow it on the Runs page (Ctrl+3).").arg(m_runId);
    Q_EMIT runLaunched(m_runId);
  } else if (result.cancelled) {
    message = tr("Cancelled; nothing was started.");
  } else if (result.preflightFailed) {
    message = tr("The host checks failed (see below): fix them, or untick the checks to launch anyway.");
  } else {
    message = tr("Not started: %1").arg(result.error);
  }
  m_stage->setText(message);
  updateState();
  Q_EMIT launchFinished(result.ok, message);
  if (m_closeWhenDone) QDialog::reject();
}

void LaunchDialog::cancelLaunch() {
  if (m_worker == nullptr) return;
  m_cancel->store(true);
  m_stage->setText(tr("Cancelling before the next stage…"));
  updateState();
}

void LaunchDialog::reject() {
  if (m_worker != nullptr) {  // close once the worker has stopped
    m_closeWhenDone = true;
    cancelLaunch();
    return;
  }
  QDialog::reject();
}

void LaunchDialog::updateState() {
  const bool running = m_worker != nullptr;
  const bool done = !m_runId.isEmpty();
  m_busy->setVisible(running);
  m_tabs->setEnabled(!running && !done);
  m_name->setEnabled(!running && !done);
  m_launchButton->setEnabled(!running && !done);
  m_cancelButton->setText(done ? tr("Close") : tr("Cancel"));
  m_cancelButton->setEnabled(!(running && m_cancel && m_cancel->load()));
}

void LaunchDialog::loadSettings() {
  QSettings s;
  const QString defaultTessera = QDir(QCoreApplication::applicationDirPath()).filePath(QStringLiteral("tessera"));
  QString home = QStandardPaths::writableLocation(QStandardPaths::HomeLocation);
  const QString base = s.value(key(kLocalDirKey), QDir(home).filePath(QStringLiteral("tessera-runs"))).toString();
  m_localDir->setText(QDir::toNativeSeparators(QDir(base).filePath(folderName(m_name->text()))));
  m_localRanks->setValue(s.value(key(kLocalRanksKey), 1).toInt());
  m_localCpu->setChecked(s.value(key(kLocalCpuKey), false).toBool());
  m_hosts->setPlainText(s.value(key(kHostsKey)).toString());
  m_sshGpus->setValue(s.value(key(kSshGpusKey), 8).toInt());
  m_sshDir->setText(QStringLiteral("%1/%2").arg(s.value(key(kSshDirKey), QStringLiteral("tessera-runs")).toString(), folderName(m_name->text())));
  m_masterPort->setValue(s.value(key(kMasterPortKey), 29500).toInt());
  m_login->setText(s.value(key(kLoginKey)).toString());
  m_nodes->setValue(s.value(key(kNodesKey), 1).toInt());
  m_slurmGpus->setValue(s.value(key(kSlurmGpusKey), 8).toInt());
  m_time->setText(s.value(key(kTimeKey)).toString());
  m_partition->setText(s.value(key(kPartitionKey)).toString());
  m_account->setText(s.value(key(kAccountKey)).toString());
  m_sbatchLines->setPlainText(s.value(key(kSbatchKey)).toString());
  m_slurmDir->setText(QStringLiteral("%1/%2").arg(s.value(key(kSlurmDirKey), QStringLiteral("tessera-runs")).toString(), folderName(m_name->text())));
  m_tessera->setText(s.value(key(kTesseraKey), QFileInfo(defaultTessera).isExecutable() ? defaultTessera : QStringLiteral("tessera")).toString());
  m_preflight->setChecked(s.value(key(kPreflightKey), true).toBool());
  m_minFreeGiB->setValue(s.value(key(kMinFreeKey), 20).toInt());
  m_tabs->setCurrentIndex(std::clamp(s.value(key(kTargetKey), 0).toInt(), 0, 2));
}

void LaunchDialog::saveSettings() const {
  QSettings s;
  // Folders are remembered without the run's own name: the next run gets a folder of its own.
  const auto parentOf = [](const QString& dir) {
    const QString d = QDir::fromNativeSeparators(dir.trimmed());
    const int slash = d.lastIndexOf(QLatin1Char('/'));
    return slash > 0 ? d.left(slash) : QString();
  };
  s.setValue(key(kTargetKey), m_tabs->currentIndex());
  if (!parentOf(m_localDir->text()).isEmpty()) s.setValue(key(kLocalDirKey), parentOf(m_localDir->text()));
  s.setValue(key(kLocalRanksKey), m_localRanks->value());
  s.setValue(key(kLocalCpuKey), m_localCpu->isChecked());
  s.setValue(key(kHostsKey), m_hosts->toPlainText().trimmed());
  s.setValue(key(kSshGpusKey), m_sshGpus->value());
  if (!parentOf(m_sshDir->text()).isEmpty()) s.setValue(key(kSshDirKey), parentOf(m_sshDir->text()));
  s.setValue(key(kMasterPortKey), m_masterPort->value());
  s.setValue(key(kLoginKey), m_login->text().trimmed());
  s.setValue(key(kNodesKey), m_nodes->value());
  s.setValue(key(kSlurmGpusKey), m_slurmGpus->value());
  s.setValue(key(kTimeKey), m_time->text().trimmed());
  s.setValue(key(kPartitionKey), m_partition->text().trimmed());
  s.setValue(key(kAccountKey), m_account->text().trimmed());
  s.setValue(key(kSbatchKey), m_sbatchLines->toPlainText().trimmed());
  if (!parentOf(m_slurmDir->text()).isEmpty()) s.setValue(key(kSlurmDirKey), parentOf(m_slurmDir->text()));
  s.setValue(key(kTesseraKey), m_tessera->text().trimmed());
  s.setValue(key(kPreflightKey), m_preflight->isChecked());
  s.setValue(key(kMinFreeKey), m_minFreeGiB->value());
}
