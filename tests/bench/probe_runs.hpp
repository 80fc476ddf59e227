// SPDX-License-Identifier: Apache-2.0
// Runs pam_host_probe (pam_host_probe.c), a fresh process per sample: one at a
// time with its line of key=value figures parsed, or many at once, as sshd
// forks one process per connection.
#pragma once

#include <map>
#include <string>
#include <vector>

namespace devflow::bench {

// What one probe printed; `status` is its exit status.
class ProbeFigures {
public:
    ProbeFigures(int status, const std::string &line);

    bool ok() const { return status_ == 0; }
    const std::string &line() const { return line_; }
    bool has(const std::string &key) const { return values_.count(key) != 0; }
    const std::string &text(const std::string &key) const;  // throws std::runtime_error when missing
    double number(const std::string &key) const;

private:
    int status_;
    std::string line_;
    std::map<std::string, std::string> values_;
};

// Runs `program` with `arguments` and exactly `environment` ("NAME=value"),
// and returns all it wrote to stdout; `status` gets its exit status.
std::string program_output(const std::string &program, const std::vector<std::string> &arguments,
                           const std::vector<std::string> &environment, int &status);

// `environment` is the probe's whole environment ("NAME=value").
ProbeFigures run_probe(const std::string &probe, const std::vector<std::string> &arguments,
                       const std::vector<std::string> &environment);

struct CrowdResult {
    double wall_seconds = 0;  // from the first start to the last exit
    int failed = 0;           // probes that did not exit 0
};

// Starts `count` probes with the same arguments at once (their output
// discarded) and waits for them all.
CrowdResult run_probes_at_once(int count, const std::string &probe, const std::vector<std::string> &arguments,
                               const std::vector<std::string> &environment);

}  // namespace devflow::bench
