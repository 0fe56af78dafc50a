#include "common/plausibility.h"

#include <algorithm>

#include "common/dates.h"
#include "common/str_cat.h"

namespace pantau::common {
namespace {

// 250 -> "2.5x", 35 -> "0.35x", 300 -> "3x".
std::string RatioText(int64_t percent) {
  std::string out = StrCat(percent / 100);
  int64_t fraction = percent % 100;
  if (fraction != 0) {
    out += '.';
    out += static_cast<char>('0' + fraction / 10);
    if (fraction % 10 != 0) out += static_cast<char>('0' + fraction % 10);
  }
  return out + "x";
}

}  // namespace

std::optional<int64_t> MedianPrice(std::vector<int64_t> prices) {
  if (prices.empty()) return std::nullopt;
  const size_t mid = (prices.size() - 1) / 2;
  std::nth_element(prices.begin(), prices.begin() + static_cast<std::ptrdiff_t>(mid), prices.end());
  return prices[mid];
}

std::optional<Message> CheckAgainstRecentMedian(int64_t price_rupiah, const std::vector<int64_t>& recent_prices,
                                                const PlausibilityPolicy& policy) {
  if (recent_prices.size() < policy.min_samples || price_rupiah <= 0) return std::nullopt;
  const int64_t median = *MedianPrice(recent_prices);
  if (median <= 0) return std::nullopt;
  // price / median > high/100  <=>  price * 100 > median * high (no floating point).
  const bool too_high = price_rupiah * 100 > median * policy.high_ratio_percent;
  const bool too_low = price_rupiah * 100 < median * policy.low_ratio_percent;
  if (!too_high && !too_low) return std::nullopt;
  // A factor of ten either way is the classic digit slip.
  const bool times_ten = price_rupiah >= median * 8 && price_rupiah <= median * 12;
  const bool tenth = price_rupiah * 8 <= median && price_rupiah * 12 >= median;
  const std::string ratio = RatioText(too_high ? policy.high_ratio_percent : policy.low_ratio_percent);
  const std::string price = FormatRupiah(price_rupiah);
  const std::string median_text = FormatRupiah(median);
  const Message compared = too_high ? Msg("{} is more than {} the recent median of {} ({} recent prices)", price, ratio,
                                          median_text, recent_prices.size())
                                    : Msg("{} is less than {} the recent median of {} ({} recent prices)", price, ratio,
                                          median_text, recent_prices.size());
  return times_ten || tenth
             ? Msg("{}; looks like a digit slip (x10 or /10); check it, or confirm it with a reason", compared)
             : Msg("{}; check it, or confirm it with a reason", compared);
}

}  // namespace pantau::common
