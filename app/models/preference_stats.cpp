#include "models/preference_stats.h"

#include <algorithm>
#include <cmath>

Interval PreferenceStats::wilson(double p, int n, double z) {
  if (n <= 0) return {0.0, 1.0};
  const double z2 = z * z;
  const double denom = 1.0 + z2 / n;
  const double center = (p + z2 / (2.0 * n)) / denom;
  const double half = z / denom * std::sqrt(p * (1.0 - p) / n + z2 / (4.0 * n * double(n)));
  return {std::max(0.0, center - half), std::min(1.0, center + half)};
}

PreferenceRate PreferenceStats::rateForA(const QList<Vote>& votes) {
  PreferenceRate r;
  for (Vote v : votes) {
    if (v == Vote::A) ++r.wins;
    else if (v == Vote::B) ++r.losses;
    else if (v == Vote::Tie) ++r.ties;
  }
  r.n = r.wins + r.losses + r.ties;
  r.rate = r.n > 0 ? (r.wins + 0.5 * r.ties) / r.n : 0.5;
  r.ci = wilson(r.rate, r.n);
  return r;
}

PreferenceRate PreferenceStats::mirrored(const PreferenceRate& a) {
  PreferenceRate b = a;
  std::swap(b.wins, b.losses);
  b.rate = a.n > 0 ? 1.0 - a.rate : 0.5;
  b.ci = wilson(b.rate, b.n);
  return b;
}
