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
// and digits, so it is valid for every object type on every platform.
std::string random_name();

// Validation shared by the constructors: flags outside accepted_flags() or a
// mode outside 0..07777 raise InvalidParameters.
void check_flags_and_mode(long long flags, long long mode);

}  // namespace posix_ipc
