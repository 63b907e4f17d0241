#include "posix_ipc/name.hpp"

#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
#include <climits>

#include "posix_ipc/config.h"
#if POSIX_IPC_HAVE_GETRANDOM
#include <sys/random.h>
#endif

#include "posix_ipc/constants.hpp"
#include "posix_ipc/error.hpp"

namespace posix_ipc {

Name Name::from(std::string text) {
    if (text.find('\0') != std::string::npos) raise(ErrorCode::NameHasNul);
    if (text.size() > NAME_MAX) raise(ErrorCode::NameTooLong);
    return Name(false, std::move(text));
}

namespace {
// Fills `buffer` from the kernel's CSPRNG: getrandom, or /dev/urandom where
// the kernel or the platform (macOS) lacks it.
void fill_random(unsigned char* buffer, std::size_t size) {
    std::size_t done = 0;
    while (done < size) {
#if POSIX_IPC_HAVE_GETRANDOM
        const ssize_t n = getrandom(buffer + done, size - done, 0);
        if (n > 0) {
            done += static_cast<std::size_t>(n);
            continue;
        }
        if (n < 0 && errno == EINTR) continue;
        if (n < 0 && errno != ENOSYS) raise(ErrorCode::SystemError, errno);
#endif
        const int fd = ::open("/dev/urandom", O_RDONLY | O_CLOEXEC);
        if (fd < 0) raise(ErrorCode::SystemError, errno);
        while (done < size) {
            const ssize_t got = ::read(fd, buffer + done, size - done);
            if (got < 0 && errno == EINTR) continue;
            if (got <= 0) {
                const int error = got < 0 ? errno : EIO;
                ::close(fd);
                raise(ErrorCode::SystemError, error);
            }
            done += static_cast<std::size_t>(got);
        }
        ::close(fd);
    }
}
}  // namespace

std::string random_name() {
    static const char alphabet[] = "abcdefghijklmnopqrstuvwxyz0123456789";
    constexpr unsigned kLetters = sizeof(alphabet) - 1;            // 36
    constexpr unsigned kUnbiased = 256 - 256 % kLetters;           // 252: bytes from here would favour some letters
    std::string name = "/psm_";
    unsigned char bytes[32];
    while (name.size() < 15) {  // 10 letters: about 52 bits
        fill_random(bytes, sizeof bytes);
        for (unsigned char byte : bytes)
            if (byte < kUnbiased && name.size() < 15) name += alphabet[byte % kLetters];
    }
    return name;
}

void check_name_and_flags(const Name& name, long long flags) {
    if (name.is_random() && !(flags & O_EXCL)) raise(ErrorCode::RandomNameNeedsExcl);
}

void check_flags_and_mode(long long flags, long long mode) {
    if (flags < 0 || flags > INT_MAX || (flags & ~static_cast<long long>(accepted_flags())) != 0)
        raise(ErrorCode::InvalidParameters);
    if (mode < 0 || mode > 07777) raise(ErrorCode::InvalidParameters);
}

}  // namespace posix_ipc
