#pragma once

#include <QMainWindow>
#include <QStyle>

class QListWidget;
class QStackedWidget;

// The studio's frame: a navigation list on the left (Datasets, Train, Runs, Generate, Evaluate),
// the current page on the right, menus and a status line with the engine's runtime.
class MainWindow : public QMainWindow {
  Q_OBJECT

 public:
  explicit MainWindow(QWidget* parent = nullptr);
  ~MainWindow() override;

  int pageCount() const;
  QString pageTitle(int index) const;
  int currentPage() const;
  void showPage(int index);

 Q_SIGNALS:
  void pageChanged(int index);

 protected:
  void closeEvent(QCloseEvent* event) override;

 private:
  void addPage(QWidget* page, const QString& title, QStyle::StandardPixmap icon);
  void createMenus();
  void handleAbout();

  QListWidget* m_navigation = nullptr;
  QStackedWidget* m_pages = nullptr;
};
