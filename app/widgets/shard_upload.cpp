#include "widgets/shard_upload.h"

#include "dialogs/ssh_prompts.h"
#include "tessera/remote/sftp_client.h"

#include <QDir>
#include <QFileInfo>
#include <QFormLayout>
#include <QHBoxLayout>
#include <QLabel>
#include <QLineEdit>
#include <QLocale>
#include <QProgressBar>
#include <QPushButton>
#include <QSettings>
#include <QThread>
#include <QVBoxLayout>

ShardUpload::ShardUpload(QWidget* parent) : QWidget(parent) {
  auto* layout = new QVBoxLayout(this);
  layout->setContentsMargins(0, 0, 0, 0);
  auto* form = new QFormLayout;
  m_host = new QLineEdit(this);
  m_host->setObjectName(QStringLiteral("uploadHost"));
  m_host->setPlaceholderText(tr("[user@]host[:port] or an alias from ~/.ssh/config"));
  m_remoteDir = new QLineEdit(this);
  m_remoteDir->setObjectName(QStringLiteral("uploadFolder"));
  m_remoteDir->setPlaceholderText(tr("the folder there (absolute, or relative to the login folder)"));
  form->addRow(tr("Upload to &host:"), m_host);
  form->addRow(tr("Folder &there:"), m_remoteDir);
  layout->addLayout(form);
  auto* buttons = new QHBoxLayout;
  m_upload = new QPushButton(tr("Upload shards"), this);
  m_upload->setObjectName(QStringLiteral("uploadShards"));
  m_upload->setToolTip(tr("Send the shard folder to the host; files already there unchanged are skipped."));
  m_cancelButton = new QPushButton(tr("Cancel upload"), this);
  m_cancelButton->setObjectName(QStringLiteral("cancelUpload"));
  buttons->addWidget(m_upload, 1);
  buttons->addWidget(m_cancelButton);
  layout->addLayout(buttons);
  m_progress = new QProgressBar(this);
  m_progress->setObjectName(QStringLiteral("uploadProgress"));
  m_progress->setVisible(false);
  layout->addWidget(m_progress);
  m_status = new QLabel(this);
  m_status->setObjectName(QStringLiteral("uploadStatus"));
  m_status->setWordWrap(true);
  m_status->setTextInteractionFlags(Qt::TextSelectableByMouse);
  layout->addWidget(m_status);
  const QSettings settings;
  m_host->setText(settings.value(QStringLiteral("datasets/uploadHost")).toString());
  m_remoteDir->setText(settings.value(QStringLiteral("datasets/uploadFolder")).toString());
  connect(m_upload, &QPushButton::clicked, this, &ShardUpload::start);
  connect(m_cancelButton, &QPushButton::clicked, this, &ShardUpload::cancel);
  setBusy(false);
}

ShardUpload::~ShardUpload() {
  if (m_thread == nullptr) return;
  m_cancel = true;
  m_prompts->cancel();  // a question left open must not keep the worker (and so this) waiting
  m_thread->wait();
  delete m_thread;
}

void ShardUpload::setBusy(bool busy) {
  m_upload->setEnabled(!busy);
  m_cancelButton->setEnabled(busy);
  m_host->setEnabled(!busy);
  m_remoteDir->setEnabled(!busy);
  m_progress->setVisible(busy);
}

bool ShardUpload::start() {
  if (m_thread != nullptr) return false;
  const QString host = m_host->text().trimmed();
  const QString remoteDir = m_remoteDir->text().trimmed();
  const QString source = m_source;
  if (source.isEmpty() || !QFileInfo(QDir(source).filePath(QStringLiteral("index.json"))).isFile()) {
    m_status->setText(tr("Write the shards first: %1 holds no index.json.").arg(QDir::toNativeSeparators(source)));
    return false;
  }
  if (host.isEmpty() || remoteDir.isEmpty()) {
    m_status->setText(tr("Name the host and the folder there."));
    return false;
  }
  QSettings settings;
  settings.setValue(QStringLiteral("datasets/uploadHost"), host);
  settings.setValue(QStringLiteral("datasets/uploadFolder"), remoteDir);
  if (m_prompts == nullptr) m_prompts = new SshPrompts(this);
  const tessera::remote::ConnectOptions options = m_prompts->connectOptions();
  m_cancel = false;
  m_progress->setRange(0, 1000);
  m_progress->setValue(0);
  m_status->setText(tr("Connecting to %1…").arg(host));
  setBusy(true);
  m_thread = QThread::create([this, host, remoteDir, source, options] {
    QString error;
    auto session = tessera::remote::openSession(host, options, &error);
    if (!session) {
      m_outcome = {false, error};
      return;
    }
    tessera::remote::SftpClient sftp(*session);
    if (!sftp.open()) {
      m_outcome = {false, QStringLiteral("%1: %2").arg(host, sftp.errorString())};
      return;
    }
    const tessera::remote::SyncResult r = sftp.syncUp(source, remoteDir, [this](const tessera::remote::TransferProgress& p) {
      const double file = p.bytesTotal > 0 ? double(p.bytesDone) / double(p.bytesTotal) : 1.0;
      const int permille = int(1000.0 * (p.fileIndex + file) / std::max(1, p.fileCount));
      QMetaObject::invokeMethod(this, [this, permille, name = QFileInfo(p.path).fileName(), i = p.fileIndex, n = p.fileCount] {
        m_progress->setValue(permille);
        m_status->setText(tr("Uploading %1 (file %2 of %3)…").arg(name).arg(i + 1).arg(n));
      });
      return !m_cancel.load();
    });
    if (r.cancelled) m_outcome = {false, tr("Upload cancelled: the files sent so far stay there; uploading again sends the rest.")};
    else if (!r.ok) m_outcome = {false, r.error};
    else
      m_outcome = {true, tr("Uploaded to %1:%2 — %3 file(s) sent (%4), %5 already there.")
                             .arg(host, remoteDir)
                             .arg(r.filesTransferred)
                             .arg(QLocale().formattedDataSize(r.bytesTransferred))
                             .arg(r.filesUpToDate)};
  });
  connect(m_thread, &QThread::finished, this, [this] {
    m_thread->deleteLater();
    m_thread = nullptr;
    setBusy(false);
    m_status->setText(m_outcome.message);
    Q_EMIT finished(m_outcome.ok, m_outcome.message);
  });
  m_thread->start();
  return true;
}
