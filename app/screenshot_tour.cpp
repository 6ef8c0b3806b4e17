#include "screenshot_tour.h"

#include "main_window.h"

#include <QAbstractButton>
#include <QAbstractItemView>
#include <QDir>
#include <QLineEdit>
#include <QStackedWidget>
#include <QTableView>
#include <QTimer>

#include <cstdio>
#include <memory>

namespace {

// File names stay English whatever the interface language, so the README can link them.
const char* const kPageFiles[] = {"datasets", "train", "runs", "generate", "evaluate"};

QWidget* page(MainWindow* window, int index) {
  auto* pages = window->findChild<QStackedWidget*>(QStringLiteral("pages"));
  return pages != nullptr ? pages->widget(index) : nullptr;
}

// Clicks a page's button (by object name) when it is enabled and its input field is filled in.
void click(QWidget* page, const char* button, const char* field) {
  if (page == nullptr) return;
  auto* b = page->findChild<QAbstractButton*>(QLatin1String(button));
  auto* f = page->findChild<QLineEdit*>(QLatin1String(field));
  if (b != nullptr && b->isEnabled() && f != nullptr && !f->text().trimmed().isEmpty()) b->click();
}

void selectFirst(QWidget* page, const char* view) {
  if (page == nullptr) return;
  auto* v = page->findChild<QAbstractItemView*>(QLatin1String(view));
  if (v == nullptr || v->model() == nullptr || v->model()->rowCount() == 0) return;
  if (auto* table = qobject_cast<QTableView*>(v)) table->selectRow(0);
  else v->setCurrentIndex(v->model()->index(0, 0));
}

}  // namespace

void runScreenshotTour(MainWindow* window, const QString& dir, int settleMs, std::function<void(int)> done) {
  QDir().mkpath(dir);
  // Work that takes a moment (reading the catalog, loading the model, tailing the metrics) starts
  // first, on every page at once; the pages are shot after it has had `settleMs` to finish.
  click(page(window, 0), "openButton", "catalogPath");
  click(page(window, 3), "loadButton", "modelPath");
  selectFirst(page(window, 2), "runTable");

  auto failures = std::make_shared<int>(0);
  auto next = std::make_shared<std::function<void(int)>>();
  *next = [window, dir, settleMs, failures, next, done](int index) {
    if (index >= window->pageCount()) {
      done(*failures);
      *next = nullptr;  // breaks the self-reference
      return;
    }
    window->showPage(index);
    QTimer::singleShot(index == 0 ? settleMs : 300, window, [window, dir, failures, next, index] {
      // An image selected shows its caption (Datasets) or its stored parameters (Generate).
      if (index == 0) selectFirst(page(window, 0), "grid");
      if (index == 3) selectFirst(page(window, 3), "gallery");
      QTimer::singleShot(700, window, [window, dir, failures, next, index] {
        const QString name = index < int(std::size(kPageFiles)) ? QLatin1String(kPageFiles[index])
                                                                : QStringLiteral("page-%1").arg(index + 1);
        const QString path = QDir(dir).filePath(name + QStringLiteral(".png"));
        if (window->grab().save(path)) {
          std::printf("tessera-studio: wrote %s\n", qPrintable(path));
        } else {
          std::fprintf(stderr, "tessera-studio: cannot write screenshot %s\n", qPrintable(path));
          ++*failures;
        }
        std::fflush(stdout);
        (*next)(index + 1);
      });
    });
  };
  (*next)(0);
}
