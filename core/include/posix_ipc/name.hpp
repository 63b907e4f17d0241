// An IPC object name as a caller gives it: a text, or "pick a random unused one".
#pragma once

#include <string>
#include <utility>

namespace posix_ipc {

class Name {
public:
    Name() : random_(true) {}
    static Name random() { return Name(); }
    // Rejects an embedded NUL byte (NameHasNul) and over-long names (NameTooLong).
    static Name from(std::string text);

    bool is_random() const noexcept { return random_; }
    const std::string& text() const noexcept { return text_; }

private:
    Name(bool random, std::string text) : random_(random), text_(std::move(text)) {}

    bool random_;
    std::string text_;
};

// A fresh name such as "/psm_k3jx9q2mfz": a leading slash and lowercase letters
// and digits, so it is valid for every object type on every platform. The
// letters come from the OS's CSPRNG (getrandom), so no name can be predicted
// from another, and a forked child never repeats its parent's.
std::string random_name();

// How many random names a constructor tries (each one taken already: EEXIST)
// before it raises NoUnusedRandomName.
constexpr int RANDOM_NAME_TRIES = 100;

// Validation shared by the constructors: flags outside accepted_flags() or a
// mode outside 0..07777 raise InvalidParameters; a random name without O_EXCL
// raises RandomNameNeedsExcl (as upstream: with O_CREAT alone it could open an
// object someone else made under the name picked).
void check_flags_and_mode(long long flags, long long mode);
void check_name_and_flags(const Name& name, long long flags);

}  // namespace posix_ipc
