// SPDX-License-Identifier: Apache-2.0
#include "channel/frames.hpp"

#include "base/secret.hpp"

#include <poll.h>
#include <sys/socket.h>

#include <cerrno>
#include <climits>
#include <cstring>

namespace devflow {
namespace {

// Waits until `fd` is ready for `events` or the deadline passes.
void wait_for(int fd, short events, ChannelDeadline deadline, const std::string &what) {
    for (;;) {
        const auto left =
            std::chrono::duration_cast<std::chrono::milliseconds>(deadline - std::chrono::steady_clock::now());
        if (left.count() <= 0) throw ChannelError(what + ": timed out");
        pollfd entry{fd, events, 0};
        const int ready = ::poll(&entry, 1, static_cast<int>(std::min<long long>(left.count(), INT_MAX)));
        if (ready > 0) return;  // readable, writable, or an error/hang-up the next call reports
        if (ready < 0 && errno != EINTR) throw ChannelError(what + ": poll: " + std::strerror(errno));
    }
}

void receive_exactly(int fd, char *out, std::size_t size, ChannelDeadline deadline, const std::string &peer) {
    std::size_t done = 0;
    while (done < size) {
        wait_for(fd, POLLIN, deadline, "waiting for " + peer);
        const ssize_t got = ::recv(fd, out + done, size - done, MSG_DONTWAIT);
        if (got > 0) {
            done += static_cast<std::size_t>(got);
        } else if (got == 0) {
            throw ChannelError(peer + " closed the channel" + (done == 0 ? "" : " inside a message"));
        } else if (errno != EINTR && errno != EAGAIN && errno != EWOULDBLOCK) {
            throw ChannelError("reading from " + peer + ": " + std::strerror(errno));
        }
    }
}

}  // namespace

void send_frame(int fd, std::string_view payload, ChannelDeadline deadline) {
    if (payload.empty() || payload.size() > UINT32_MAX) throw ChannelError("a message of no or too many bytes");
    std::string frame;
    WipeOnExit wipe_frame(frame);
    frame.reserve(4 + payload.size());
    const auto size = static_cast<std::uint32_t>(payload.size());
    for (int shift = 24; shift >= 0; shift -= 8) frame.push_back(static_cast<char>((size >> shift) & 0xff));
    frame.append(payload);
    std::size_t done = 0;
    while (done < frame.size()) {
        wait_for(fd, POLLOUT, deadline, "sending");
        const ssize_t sent = ::send(fd, frame.data() + done, frame.size() - done, MSG_NOSIGNAL | MSG_DONTWAIT);
        if (sent > 0) {
            done += static_cast<std::size_t>(sent);
        } else if (sent < 0 && errno != EINTR && errno != EAGAIN && errno != EWOULDBLOCK) {
            throw ChannelError(std::string("sending: ") + std::strerror(errno));
        }
    }
}

std::string receive_frame(int fd, std::size_t max_bytes, ChannelDeadline deadline, const std::string &peer) {
    unsigned char header[4] = {0, 0, 0, 0};
    receive_exactly(fd, reinterpret_cast<char *>(header), sizeof(header), deadline, peer);
    const std::uint32_t size = (std::uint32_t{header[0]} << 24) | (std::uint32_t{header[1]} << 16) |
                               (std::uint32_t{header[2]} << 8) | std::uint32_t{header[3]};
    if (size == 0) throw ChannelError(peer + " sent an empty message");
    if (size > max_bytes) {
        throw ChannelError(peer + " sent a message of " + std::to_string(size) + " bytes, more than the " +
                           std::to_string(max_bytes) + " allowed");
    }
    std::string payload(size, '\0');
    receive_exactly(fd, payload.data(), payload.size(), deadline, peer);
    return payload;
}

}  // namespace devflow
