#include "about_dialog.h"

#include "tessera/remote/remote_info.h"
#include "tessera/runtime.h"

#include <qcustomplot.h>

#include <QDialogButtonBox>
#include <QPlainTextEdit>
#include <QVBoxLayout>

AboutDialog::AboutDialog(QWidget* parent) : QDialog(parent) {
  setWindowTitle(tr("About Tessera Studio"));
  auto* layout = new QVBoxLayout(this);
  auto* text = new QPlainTextEdit(versionReport(), this);
  text->setReadOnly(true);
  text->setMinimumSize(560, 220);
  layout->addWidget(text);
  auto* buttons = new QDialogButtonBox(QDialogButtonBox::Close, this);
  connect(buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);
  layout->addWidget(buttons);
}

QString AboutDialog::versionReport() {
  const tessera::RuntimeInfo info = tessera::runtime_info();
  QStringList lines;
  lines << QStringLiteral("Tessera Studio %1").arg(QString::fromStdString(info.tessera_version))
        << QStringLiteral("Qt %1").arg(QString::fromLatin1(qVersion()))
        << QStringLiteral("LibTorch %1").arg(QString::fromStdString(info.torch_version))
        << tr("CUDA: %1").arg(info.cuda_available ? tr("%n device(s)", nullptr, int(info.cuda_devices.size()))
                                                  : tr("not available"))
        << tr("CPU threads: %1 of %2").arg(info.intra_op_threads).arg(info.hardware_threads)
        << QStringLiteral("BLAS: %1").arg(QString::fromStdString(info.blas))
        << tessera::remote::libsshVersion()
        << QStringLiteral("QCustomPlot %1").arg(QStringLiteral(QCUSTOMPLOT_VERSION_STR));
  for (size_t i = 0; i < info.cuda_devices.size(); ++i) {
    lines << QStringLiteral("  cuda:%1 %2").arg(i).arg(QString::fromStdString(info.cuda_devices[i]));
  }
  return lines.join(QLatin1Char('\n'));
}
