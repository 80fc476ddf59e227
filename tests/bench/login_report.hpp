// SPDX-License-Identifier: Apache-2.0
// How bench_login prints its figures: a section per kind of figure, ours next
// to the pam_permit floor, p50 / p90, and at the end issue #10's table with
// its targets and whether each is met. Prints; judges nothing beyond "met".
#pragma once

#include "login_figures.hpp"

#include <string>

namespace devflow::bench {

void print_machine(const std::string &helper_note);
void print_libraries(const std::string &module, const std::string &helper);
void print_load(const LoadFigures &ours, const LoadFigures &floor);
void print_logins(const LoginFigures &ours, const LoginFigures &floor);
void print_leak(const LeakFigures &leak);
void print_default_interval(const LoginFigures &logins);
void print_crowds(const Crowds &crowds);

struct Summary {
    const LoadFigures &ours_load;
    const LoadFigures &floor_load;
    const LoginFigures &ours;
    const LoginFigures &floor;
    const LoginFigures &default_interval;  // Enter when the IdP sends no interval
    const Crowds &crowds;
};

void print_summary(const Summary &summary);

}  // namespace devflow::bench
