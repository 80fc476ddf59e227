// SPDX-License-Identifier: Apache-2.0
// Frames on the socket between the module and its helper: a 32-bit
// big-endian length, then that many bytes (one message). Both directions
// wait with poll() against a deadline, so a peer that stops reading or
// writing costs at most the time left; a peer that closes, sends a frame
// over the cap or a zero length is a ChannelError. Sends never raise SIGPIPE
// in the host process (MSG_NOSIGNAL).
#pragma once

#include "channel/wire.hpp"

#include <chrono>
#include <cstddef>
#include <string>
#include <string_view>

namespace devflow {

using ChannelDeadline = std::chrono::steady_clock::time_point;

void send_frame(int fd, std::string_view payload, ChannelDeadline deadline);

// One whole frame's payload. `peer` names the other side in errors ("the
// helper"). Throws ChannelError on end of file, time-out, a length of 0 or
// over `max_bytes`, and errors.
std::string receive_frame(int fd, std::size_t max_bytes, ChannelDeadline deadline, const std::string &peer);

}  // namespace devflow
