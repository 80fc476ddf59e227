// SPDX-License-Identifier: Apache-2.0
// The samples of one figure and the percentiles bench_login prints.
#pragma once

#include <algorithm>
#include <cmath>
#include <cstddef>
#include <vector>

namespace devflow::bench {

class Samples {
public:
    void add(double value) { values_.push_back(value); }
    bool empty() const { return values_.empty(); }
    std::size_t size() const { return values_.size(); }

    // Nearest rank: the smallest sample with `percent` % of the samples at or
    // below it. 0 when there are none.
    double percentile(double percent) const {
        if (values_.empty()) return 0;
        std::vector<double> sorted = values_;
        std::sort(sorted.begin(), sorted.end());
        const double rank = std::ceil(percent / 100 * static_cast<double>(sorted.size()));
        const std::size_t index = rank < 1 ? 0 : static_cast<std::size_t>(rank) - 1;
        return sorted[std::min(index, sorted.size() - 1)];
    }
    double p50() const { return percentile(50); }
    double p90() const { return percentile(90); }

private:
    std::vector<double> values_;
};

}  // namespace devflow::bench
