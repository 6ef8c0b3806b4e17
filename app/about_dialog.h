#pragma once

#include <QDialog>

// Versions of everything the studio runs on: Tessera, Qt, LibTorch (through the engine facade),
// the BLAS, CUDA devices, libssh and QCustomPlot. Selectable text, so users can paste it into a
// bug report.
class AboutDialog : public QDialog {
  Q_OBJECT

 public:
  explicit AboutDialog(QWidget* parent = nullptr);
  static QString versionReport();
};
