#pragma once
// Preference rates of a blind A/B evaluation. Each vote goes to model A, model B, or is a tie; a
// tie counts as half a win for each model, so A's rate is (wins + ties / 2) / votes and B's is one
// minus that. The 95% confidence interval is the Wilson score interval (z = 1.96) on that rate
// with n = the number of votes; it stays inside [0, 1] and behaves at 0 and n wins, where the
// normal approximation does not.

#include <QList>
#include <QString>

enum class Vote { None, A, B, Tie };

struct Interval {
  double low = 0;
  double high = 0;
};

struct PreferenceRate {
  int n = 0;      // votes cast
  int wins = 0;   // for the model this rate belongs to
  int ties = 0;
  int losses = 0;
  double rate = 0;  // (wins + ties / 2) / n; 0.5 when n == 0
  Interval ci;      // 95% Wilson score interval; [0, 1] when n == 0
};

struct PreferenceStats {
  static constexpr double kZ95 = 1.959963984540054;
  // Wilson score interval for a proportion p observed over n trials.
  static Interval wilson(double p, int n, double z = kZ95);
  // The rate of model A (B's is the mirror: wins and losses swapped).
  static PreferenceRate rateForA(const QList<Vote>& votes);
  static PreferenceRate mirrored(const PreferenceRate& a);  // the same numbers seen from model B
};
