#include "posix_ipc/name.hpp"

#include <climits>
#include <random>

#include "posix_ipc/constants.hpp"
#include "posix_ipc/error.hpp"

namespace posix_ipc {

Name Name::from(std::string text) {
    if (text.find('\0') != std::string::npos) raise(ErrorCode::NameHasNul);
    if (text.size() > NAME_MAX) raise(ErrorCode::NameTooLong);
    return Name(false, std::move(text));
}

std::string random_name() {
    static const char alphabet[] = "abcdefghijklmnopqrstuvwxyz0123456789";
    thread_local std::mt19937_64 engine{std::random_device{}()};
    std::uniform_int_distribution<int> pick(0, sizeof(alphabet) - 2);
    std::string name = "/psm_";
    for (int i = 0; i < 10; ++i) name += alphabet[pick(engine)];
    return name;
}

void check_flags_and_mode(long long flags, long long mode) {
    if (flags < 0 || flags > INT_MAX || (flags & ~static_cast<long long>(accepted_flags())) != 0)
        raise(ErrorCode::InvalidParameters);
    if (mode < 0 || mode > 07777) raise(ErrorCode::InvalidParameters);
}

}  // namespace posix_ipc
