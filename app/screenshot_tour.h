#pragma once

#include <QString>

#include <functional>

class MainWindow;

// For docs/screenshots (scripts/screenshots.sh): brings the window's pages into a state worth
// showing from what the settings name (opens the Datasets catalog, loads the Generate model,
// follows the newest run), then shows every page in turn and saves the whole window as
// DIR/<page>.png (datasets.png, train.png, runs.png, generate.png, evaluate.png).
// `done` gets the number of files that could not be written.
void runScreenshotTour(MainWindow* window, const QString& dir, int settleMs, std::function<void(int failures)> done);
