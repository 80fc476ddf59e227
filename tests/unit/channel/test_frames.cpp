// SPDX-License-Identifier: Apache-2.0
// Frames on the module-helper socket: what is sent arrives whole; a peer that
// closes, stalls, announces an empty or oversized frame, or is gone when we
// write, is a ChannelError in bounded time, never a hang or a SIGPIPE.
#include "channel/frames.hpp"

#include "expect_failure.hpp"

#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <functional>
#include <string>

#include "cmocka_cpp.hpp"  // last: its macros clash with std headers

using namespace devflow;
using devflow::test::expect_failure;

namespace {

struct Pair {
    int ours = -1, theirs = -1;
    Pair() {
        int ends[2];
        if (socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, ends) != 0) fail_msg("socketpair");
        ours = ends[0];
        theirs = ends[1];
    }
    ~Pair() {
        if (ours >= 0) close(ours);
        if (theirs >= 0) close(theirs);
    }
    void close_theirs() {
        close(theirs);
        theirs = -1;
    }
};

ChannelDeadline in(std::chrono::milliseconds time) { return std::chrono::steady_clock::now() + time; }

void expect_error(const std::function<void()> &code, const char *wanted) {
    const auto failure = expect_failure(code);
    if (failure.message.find(wanted) == std::string::npos) {
        fail_msg("expected \"%s\" in: %s", wanted, failure.message.c_str());
    }
}

void a_frame_arrives_whole(void **) {
    Pair pair;
    const std::string big(200 * 1024, 'x');  // more than a socket buffer: sent while read
    const pid_t writer = fork();
    if (writer == 0) {
        send_frame(pair.theirs, big, in(std::chrono::seconds(5)));
        send_frame(pair.theirs, "second", in(std::chrono::seconds(5)));
        _exit(0);
    }
    assert_true(receive_frame(pair.ours, 1024 * 1024, in(std::chrono::seconds(5)), "peer") == big);
    assert_string_equal(receive_frame(pair.ours, 16, in(std::chrono::seconds(5)), "peer").c_str(), "second");
    int status = -1;
    assert_int_equal(waitpid(writer, &status, 0), writer);
    assert_int_equal(status, 0);
}

void a_closed_peer_is_an_error(void **) {
    Pair pair;
    pair.close_theirs();
    expect_error([&] { receive_frame(pair.ours, 16, in(std::chrono::seconds(5)), "the helper"); },
                 "the helper closed the channel");
}

void a_closed_peer_inside_a_frame_is_an_error(void **) {
    Pair pair;
    assert_int_equal(write(pair.theirs, "\x00\x00\x00\x10xy", 6), 6);
    pair.close_theirs();
    expect_error([&] { receive_frame(pair.ours, 64, in(std::chrono::seconds(5)), "the helper"); },
                 "closed the channel inside a message");
}

void a_silent_peer_times_out(void **) {
    Pair pair;
    const auto start = std::chrono::steady_clock::now();
    expect_error([&] { receive_frame(pair.ours, 16, in(std::chrono::milliseconds(200)), "the helper"); },
                 "waiting for the helper: timed out");
    assert_true(std::chrono::steady_clock::now() - start < std::chrono::seconds(2));
}

void empty_and_oversized_frames_are_refused(void **) {
    Pair pair;
    assert_int_equal(write(pair.theirs, "\x00\x00\x00\x00", 4), 4);
    expect_error([&] { receive_frame(pair.ours, 16, in(std::chrono::seconds(5)), "the helper"); },
                 "sent an empty message");
    assert_int_equal(write(pair.theirs, "\x7f\xff\xff\xff", 4), 4);
    expect_error([&] { receive_frame(pair.ours, 1024, in(std::chrono::seconds(5)), "the helper"); },
                 "a message of 2147483647 bytes, more than the 1024 allowed");
}

// Writing to a peer that is gone must not raise SIGPIPE (it would kill sshd).
void writing_to_a_gone_peer_is_an_error_not_a_signal(void **) {
    Pair pair;
    pair.close_theirs();
    expect_error([&] { send_frame(pair.ours, "hello", in(std::chrono::seconds(5))); }, "sending:");
}

void a_peer_that_stops_reading_times_out(void **) {
    Pair pair;
    const std::string big(8 * 1024 * 1024, 'x');  // far more than the socket buffers hold
    expect_error([&] { send_frame(pair.ours, big, in(std::chrono::milliseconds(300))); }, "sending: timed out");
}

}  // namespace

int main() {
    const CMUnitTest tests[] = {
        cmocka_unit_test(a_frame_arrives_whole),
        cmocka_unit_test(a_closed_peer_is_an_error),
        cmocka_unit_test(a_closed_peer_inside_a_frame_is_an_error),
        cmocka_unit_test(a_silent_peer_times_out),
        cmocka_unit_test(empty_and_oversized_frames_are_refused),
        cmocka_unit_test(writing_to_a_gone_peer_is_an_error_not_a_signal),
        cmocka_unit_test(a_peer_that_stops_reading_times_out),
    };
    return cmocka_run_group_tests(tests, nullptr, nullptr);
}
